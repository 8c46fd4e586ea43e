#include "core/net_address.hpp"

#include "core/text.hpp"

namespace stockbell {
namespace {

bool is_public_v4(const uint8_t* a) {
  if (a[0] == 0 || a[0] == 10 || a[0] == 127) return false;
  if (a[0] == 100 && (a[1] & 0xC0) == 64) return false;   // 100.64.0.0/10 (carrier NAT)
  if (a[0] == 169 && a[1] == 254) return false;           // link local, cloud metadata
  if (a[0] == 172 && (a[1] & 0xF0) == 16) return false;   // 172.16.0.0/12
  if (a[0] == 192 && a[1] == 0 && a[2] == 0) return false;
  if (a[0] == 192 && a[1] == 168) return false;
  if (a[0] == 198 && (a[1] & 0xFE) == 18) return false;   // benchmarking 198.18.0.0/15
  if (a[0] >= 224) return false;                          // multicast, reserved, broadcast
  return true;
}

}  // namespace

bool is_public_address(const uint8_t* bytes, size_t size) {
  if (size == 4) return is_public_v4(bytes);
  if (size != 16) return false;
  bool zero_prefix = true;  // ::/96 (unspecified, loopback, IPv4-compatible)
  for (int i = 0; i < 12; ++i) zero_prefix = zero_prefix && bytes[i] == 0;
  if (zero_prefix) return false;
  bool mapped = bytes[10] == 0xFF && bytes[11] == 0xFF;  // ::ffff:a.b.c.d
  for (int i = 0; i < 10; ++i) mapped = mapped && bytes[i] == 0;
  if (mapped) return is_public_v4(bytes + 12);
  const bool nat64 = bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B;
  if (nat64) return is_public_v4(bytes + 12);  // 64:ff9b::/96
  // 6to4 (2002::/16) carries an IPv4 address in bytes 2..5; a relay delivers to it.
  if (bytes[0] == 0x20 && bytes[1] == 0x02) return is_public_v4(bytes + 2);
  // Teredo (2001:0::/32) carries the client's IPv4 address, inverted, in the last 4 bytes, and
  // the server's in bytes 4..7: both must be public.
  if (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x00 && bytes[3] == 0x00) {
    const uint8_t client[4] = {static_cast<uint8_t>(~bytes[12]), static_cast<uint8_t>(~bytes[13]),
                               static_cast<uint8_t>(~bytes[14]), static_cast<uint8_t>(~bytes[15])};
    return is_public_v4(bytes + 4) && is_public_v4(client);
  }
  if ((bytes[0] & 0xFE) == 0xFC) return false;  // unique local fc00::/7
  if (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80) return false;  // link local fe80::/10
  if (bytes[0] == 0xFF) return false;                                // multicast
  return true;
}

bool is_localhost_name(std::string_view host) {
  std::string name = ascii_lower(host);
  if (!name.empty() && name.back() == '.') name.pop_back();
  const std::string_view suffix = ".localhost";
  return name == "localhost" ||
         (name.size() > suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0);
}

}  // namespace stockbell
