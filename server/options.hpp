#pragma once
// The options of `stockbell serve`, as one table: each option's flag, environment variable,
// value, range and help. Parsing, `--help` and the README check all read this table, and the
// defaults they show are read from a default ServeConfig.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/config.hpp"

namespace stockbell::server {

struct ServeOption {
  const char* flag;        ///< `--port`
  const char* env;         ///< `STOCKBELL_PORT`
  const char* value_name;  ///< `PORT` (empty for a switch)
  const char* help;        ///< one line
  enum class Kind { text, number, boolean } kind;
  std::string& (*text)(ServeConfig&) = nullptr;
  int64_t& (*number)(ServeConfig&) = nullptr;
  bool& (*boolean)(ServeConfig&) = nullptr;
  int64_t min = 0;
  int64_t max = 0;
  const char* default_text = nullptr;  ///< shown instead of the value when it is set

  /// The option's value in `config`, as `--help` and the README show it (`off` / `on` for
  /// switches, `none` for an empty text).
  std::string shown(const ServeConfig& config) const;
  /// Sets the option from text; the problem, if the text is not a valid value.
  std::optional<std::string> assign(ServeConfig& config, const std::string& value) const;
};

const std::vector<ServeOption>& serve_options();

/// `--name VALUE  help (default D[, A to B])` lines for `--help`.
std::string serve_options_help();

/// `text` as a whole number in [min, max]; nullopt otherwise.
std::optional<int64_t> parse_number(const std::string& text, int64_t min, int64_t max);

}  // namespace stockbell::server
