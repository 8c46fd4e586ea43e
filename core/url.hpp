#pragma once
// Product and image URLs end up in e-mails and on storefront pages, so only absolute http(s)
// URLs are stored: `javascript:` and relative URLs are rejected. Also the browser origins that
// publishable keys are limited to.

#include <optional>
#include <string>
#include <string_view>

namespace stockbell {

/// `https://shop.example/p/1?x=y` is valid; `shop.example/p`, `ftp://x`, `javascript:alert(1)`,
/// `https://` and anything with spaces or control characters are not.
bool is_valid_http_url(std::string_view url);

/// The parts of a valid http(s) URL that an HTTP client needs.
/// `https://hooks.example:8443/in?x=1#f` → {"https", "hooks.example", 8443, "/in?x=1"}.
struct UrlParts {
  std::string scheme;  ///< "http" or "https", lower case
  std::string host;    ///< lower case; IPv6 literals without brackets
  int port = 0;        ///< explicit, or 80 / 443
  std::string target;  ///< path and query, at least "/"; the fragment is dropped
};
std::optional<UrlParts> split_http_url(std::string_view url);

/// A browser origin, normalised the way browsers send it in `Origin`: lower-case scheme and host,
/// no default port, no trailing slash. `HTTPS://Shop.Example:443/` → `https://shop.example`.
/// Anything with a path, query, user info or another scheme → nullopt.
std::optional<std::string> normalize_origin(std::string_view origin);

}  // namespace stockbell
