#pragma once
// Request targets as the router sees them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stockbell::server {

/// `%2F` → `/`; nullopt for a malformed escape (`%`, `%4`, `%zz`). `+` stays `+`.
std::optional<std::string> percent_decode(std::string_view text);

/// Splits a request target's path into percent-decoded segments:
/// `/v1/products/SKU%2F1?x` → {"api", "v1", "products", "SKU/1"} (the `/v1` alias is mapped onto
/// `/api/v1`; trailing slashes are dropped). nullopt for a malformed escape.
std::optional<std::vector<std::string>> path_segments(const std::string& target);

}  // namespace stockbell::server
