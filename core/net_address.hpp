#pragma once
// Which IP addresses a webhook may be delivered to when a host serves several stores and
// refuses internal targets (server option `--webhooks-public-only`).

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace stockbell {

/// False for addresses that reach the host itself or its private networks: IPv4 0/8, 10/8,
/// 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.168/16, 198.18/15, 224/4 and above;
/// IPv6 ::, ::1, fc00::/7, fe80::/10, ff00::/8, and IPv4-mapped or NAT64 forms of the above.
/// `bytes` is 4 (IPv4) or 16 (IPv6) bytes in network order.
bool is_public_address(const uint8_t* bytes, size_t size);

/// True if `host` names this machine without DNS: `localhost`, `*.localhost`, `localhost.`.
bool is_localhost_name(std::string_view host);

}  // namespace stockbell
