#pragma once
// API keys (README "Keys"): `sk_` (secret: every route of its store) or `pk_` (publishable: the
// storefront routes only, optionally limited to browser origins), then 40 base62 characters
// (238 random bits, drawn by the server). Only a SHA-256 of a key is ever stored.

#include <cstddef>
#include <optional>
#include <string_view>

namespace stockbell {

enum class KeyKind {
  secret,       ///< `sk_...`: the store's backend
  publishable,  ///< `pk_...`: the storefront widget
};

/// Random characters after the prefix.
constexpr size_t kKeyChars = 40;

/// "secret" / "publishable" (the CLI's `--kind` and the database's value).
std::string_view key_kind_name(KeyKind kind);
std::optional<KeyKind> parse_key_kind(std::string_view name);
/// "sk_" / "pk_".
std::string_view key_prefix(KeyKind kind);
/// The kind a well-formed key says it is: `sk_` then exactly 40 base62 characters is secret.
std::optional<KeyKind> well_formed_key_kind(std::string_view key);

}  // namespace stockbell
