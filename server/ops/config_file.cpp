#include "server/ops/config_file.hpp"

#include <toml++/toml.h>

#include "server/options.hpp"

namespace stockbell::server {
namespace {

std::string where(const std::string& path, const toml::source_region& source) {
  return path + ":" + std::to_string(source.begin.line);
}

}  // namespace

std::optional<std::string> apply_config_file(const std::string& path, ServeConfig& config) {
  toml::table table;
#if TOML_EXCEPTIONS
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    if (e.source().begin.line == 0) return path + ": cannot read the file";
    return where(path, e.source()) + ": " + std::string(e.description());
  }
#else
  toml::parse_result parsed = toml::parse_file(path);
  if (!parsed) {
    const toml::parse_error& e = parsed.error();
    if (e.source().begin.line == 0) return path + ": cannot read the file";
    return where(path, e.source()) + ": " + std::string(e.description());
  }
  table = std::move(parsed).table();
#endif
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const ServeOption* option = nullptr;
    for (const ServeOption& o : serve_options())
      if (std::string(o.flag) == "--" + name) option = &o;
    const std::string at = where(path, node.source());
    if (option == nullptr || name == "config") return at + ": unknown key '" + name + "'";
    std::string value;
    if (const auto* text = node.as_string()) {
      value = text->get();
    } else if (const auto* number = node.as_integer()) {
      value = std::to_string(number->get());
    } else if (const auto* boolean = node.as_boolean()) {
      value = boolean->get() ? "true" : "false";
    } else {
      return at + ": '" + name + "' must be a string, a whole number or true/false";
    }
    const bool kind_ok = option->kind == ServeOption::Kind::text     ? node.is_string()
                         : option->kind == ServeOption::Kind::number ? node.is_integer()
                                                                     : node.is_boolean();
    if (!kind_ok)
      return at + ": '" + name + "' must be " +
             (option->kind == ServeOption::Kind::text     ? "a string"
              : option->kind == ServeOption::Kind::number ? "a whole number"
                                                          : "true or false");
    if (std::optional<std::string> error = option->assign(config, value)) return at + ": " + *error;
  }
  return std::nullopt;
}

}  // namespace stockbell::server
