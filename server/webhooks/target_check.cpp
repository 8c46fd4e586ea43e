#include "server/webhooks/target_check.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include "core/net_address.hpp"
#include "core/url.hpp"

namespace stockbell::server {

bool url_targets_private_host(const std::string& url) {
  std::optional<UrlParts> parts = split_http_url(url);
  if (!parts || is_localhost_name(parts->host)) return true;
  // inet_aton reads every spelling a resolver accepts: 127.1, 2130706433, 0x7f000001, 0177.0.0.1.
  in_addr v4{};
  unsigned char v6[16];
  if (inet_aton(parts->host.c_str(), &v4) != 0)
    return !is_public_address(reinterpret_cast<const uint8_t*>(&v4.s_addr), 4);
  if (inet_pton(AF_INET6, parts->host.c_str(), v6) == 1) return !is_public_address(v6, 16);
  return false;
}

ResolvedHost resolve_public(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &result) != 0 || result == nullptr)
    return {std::nullopt, "cannot resolve " + host};
  std::string chosen;
  std::string error;
  for (addrinfo* ai = result; ai != nullptr; ai = ai->ai_next) {
    const uint8_t* bytes = nullptr;
    size_t size = 0;
    char text[INET6_ADDRSTRLEN] = {0};
    if (ai->ai_family == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(ai->ai_addr);
      bytes = reinterpret_cast<const uint8_t*>(&in->sin_addr);
      size = 4;
      inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    } else if (ai->ai_family == AF_INET6) {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(ai->ai_addr);
      bytes = reinterpret_cast<const uint8_t*>(&in6->sin6_addr);
      size = 16;
      inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    } else {
      continue;
    }
    if (!is_public_address(bytes, size)) {
      error = std::string("refused: ") + host + " resolves to the non-public address " + text;
      break;
    }
    if (chosen.empty()) chosen = text;
  }
  freeaddrinfo(result);
  if (!error.empty()) return {std::nullopt, error};
  if (chosen.empty()) return {std::nullopt, "cannot resolve " + host};
  return {chosen, ""};
}

}  // namespace stockbell::server
