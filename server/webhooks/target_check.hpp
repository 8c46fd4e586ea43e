#pragma once
// `--webhooks-public-only`: webhook targets on this machine or a private network are refused,
// at creation (host names that are IP literals or `localhost`) and again at delivery (every
// address the name resolves to), where the address checked is the one connected to.

#include <optional>
#include <string>

namespace stockbell::server {

/// True if the URL's host is `localhost` or an IP literal (in any spelling a resolver accepts:
/// 127.1, 2130706433, 0x7f000001, ::1) that is not public; also true for a URL that can't be
/// parsed.
bool url_targets_private_host(const std::string& url);

/// Resolves `host`; the one address to connect to if every address it has is public, else the
/// reason it is refused.
struct ResolvedHost {
  std::optional<std::string> address;
  std::string error;
};
ResolvedHost resolve_public(const std::string& host);

}  // namespace stockbell::server
