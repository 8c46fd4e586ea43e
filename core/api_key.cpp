#include "core/api_key.hpp"

namespace stockbell {
namespace {

bool is_base62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

std::string_view key_kind_name(KeyKind kind) {
  return kind == KeyKind::secret ? "secret" : "publishable";
}

std::optional<KeyKind> parse_key_kind(std::string_view name) {
  if (name == "secret") return KeyKind::secret;
  if (name == "publishable") return KeyKind::publishable;
  return std::nullopt;
}

std::string_view key_prefix(KeyKind kind) { return kind == KeyKind::secret ? "sk_" : "pk_"; }

std::optional<KeyKind> well_formed_key_kind(std::string_view key) {
  if (key.size() != 3 + kKeyChars) return std::nullopt;
  std::optional<KeyKind> kind;
  if (key.substr(0, 3) == "sk_") kind = KeyKind::secret;
  if (key.substr(0, 3) == "pk_") kind = KeyKind::publishable;
  if (!kind) return std::nullopt;
  for (char c : key.substr(3))
    if (!is_base62(c)) return std::nullopt;
  return kind;
}

}  // namespace stockbell
