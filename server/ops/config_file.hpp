#pragma once
// `stockbell serve --config FILE`: the serve options as a TOML file (Debian's toml++). Each key
// is an option's flag without its dashes, with a value of the option's kind:
//
//   host = "0.0.0.0"
//   port = 8080
//   db = "/var/lib/stockbell/stockbell.db"
//   log-format = "json"
//   log-requests = true
//
// Precedence, lowest first: the defaults, the file, the environment (STOCKBELL_*), the flags.
// An unknown key, a table, or a value of the wrong kind is an error that names the key and its
// line: a mistyped key must not be silently ignored.

#include <optional>
#include <string>

#include "server/config.hpp"

namespace stockbell::server {

/// Applies the file at `path` to `config`; the problem, if there is one.
std::optional<std::string> apply_config_file(const std::string& path, ServeConfig& config);

}  // namespace stockbell::server
