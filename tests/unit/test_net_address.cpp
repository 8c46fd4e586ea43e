// core/net_address: which addresses a webhook may be delivered to with --webhooks-public-only.

#include <doctest/doctest.h>

#include <array>
#include <string>

#include "core/net_address.hpp"

using namespace stockbell;

namespace {

bool public_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  const std::array<uint8_t, 4> bytes{a, b, c, d};
  return is_public_address(bytes.data(), bytes.size());
}

// IPv6 from 8 groups.
bool public_v6(std::array<uint16_t, 8> groups) {
  std::array<uint8_t, 16> bytes{};
  for (size_t i = 0; i < 8; ++i) {
    bytes[2 * i] = static_cast<uint8_t>(groups[i] >> 8);
    bytes[2 * i + 1] = static_cast<uint8_t>(groups[i] & 0xFF);
  }
  return is_public_address(bytes.data(), bytes.size());
}

}  // namespace

TEST_CASE("public IPv4 addresses") {
  CHECK(public_v4(93, 184, 216, 34));
  CHECK(public_v4(8, 8, 8, 8));
  CHECK(public_v4(1, 0, 0, 1));
  CHECK(public_v4(100, 63, 255, 255));  // just below carrier NAT
  CHECK(public_v4(100, 128, 0, 0));     // just above carrier NAT
  CHECK(public_v4(172, 15, 255, 255));
  CHECK(public_v4(172, 32, 0, 0));
  CHECK(public_v4(192, 0, 1, 1));
  CHECK(public_v4(192, 169, 0, 1));
  CHECK(public_v4(198, 17, 0, 1));
  CHECK(public_v4(198, 20, 0, 1));
  CHECK(public_v4(223, 255, 255, 255));
}

TEST_CASE("internal IPv4 addresses") {
  CHECK_FALSE(public_v4(0, 0, 0, 0));
  CHECK_FALSE(public_v4(10, 1, 2, 3));
  CHECK_FALSE(public_v4(100, 64, 0, 1));
  CHECK_FALSE(public_v4(100, 127, 255, 255));
  CHECK_FALSE(public_v4(127, 0, 0, 1));
  CHECK_FALSE(public_v4(127, 255, 0, 1));
  CHECK_FALSE(public_v4(169, 254, 169, 254));  // cloud metadata
  CHECK_FALSE(public_v4(172, 16, 0, 1));
  CHECK_FALSE(public_v4(172, 31, 255, 255));
  CHECK_FALSE(public_v4(192, 0, 0, 8));
  CHECK_FALSE(public_v4(192, 168, 1, 1));
  CHECK_FALSE(public_v4(198, 18, 0, 1));
  CHECK_FALSE(public_v4(198, 19, 255, 255));
  CHECK_FALSE(public_v4(224, 0, 0, 1));
  CHECK_FALSE(public_v4(255, 255, 255, 255));
}

TEST_CASE("IPv6 addresses") {
  CHECK(public_v6({0x2606, 0x2800, 0x220, 1, 0x248, 0x1893, 0x25c8, 0x1946}));
  CHECK(public_v6({0x2001, 0x4860, 0, 0, 0, 0, 0, 0x8888}));
  CHECK_FALSE(public_v6({0, 0, 0, 0, 0, 0, 0, 0}));        // ::
  CHECK_FALSE(public_v6({0, 0, 0, 0, 0, 0, 0, 1}));        // ::1
  CHECK_FALSE(public_v6({0, 0, 0, 0, 0, 0, 0x0a00, 1}));   // ::10.0.0.1 (IPv4-compatible)
  CHECK_FALSE(public_v6({0xfc00, 0, 0, 0, 0, 0, 0, 1}));
  CHECK_FALSE(public_v6({0xfdff, 1, 0, 0, 0, 0, 0, 1}));
  CHECK_FALSE(public_v6({0xfe80, 0, 0, 0, 0, 0, 0, 1}));
  CHECK_FALSE(public_v6({0xfebf, 0, 0, 0, 0, 0, 0, 1}));
  CHECK_FALSE(public_v6({0xff02, 0, 0, 0, 0, 0, 0, 1}));
  CHECK(public_v6({0xfec0, 0, 0, 0, 0, 0, 0, 1}));         // outside fe80::/10
}

TEST_CASE("IPv4-mapped and NAT64 addresses follow the IPv4 rules") {
  CHECK_FALSE(public_v6({0, 0, 0, 0, 0, 0xffff, 0x7f00, 1}));     // ::ffff:127.0.0.1
  CHECK_FALSE(public_v6({0, 0, 0, 0, 0, 0xffff, 0xa9fe, 0xa9fe}));  // ::ffff:169.254.169.254
  CHECK(public_v6({0, 0, 0, 0, 0, 0xffff, 0x5db8, 0xd822}));       // ::ffff:93.184.216.34
  CHECK_FALSE(public_v6({0x64, 0xff9b, 0, 0, 0, 0, 0x0a00, 1}));   // 64:ff9b::10.0.0.1
  CHECK(public_v6({0x64, 0xff9b, 0, 0, 0, 0, 0x0808, 0x0808}));    // 64:ff9b::8.8.8.8
}

// Issue 20 §7: 2002:7f00:1:: (6to4 of 127.0.0.1) and Teredo addresses passed the check.
TEST_CASE("6to4 and Teredo addresses follow the IPv4 rules of the addresses they carry") {
  CHECK_FALSE(public_v6({0x2002, 0x7f00, 0x0001, 0, 0, 0, 0, 1}));  // 6to4 of 127.0.0.1
  CHECK_FALSE(public_v6({0x2002, 0x0a00, 0x0001, 0, 0, 0, 0, 1}));  // 6to4 of 10.0.0.1
  CHECK_FALSE(public_v6({0x2002, 0xa9fe, 0xa9fe, 0, 0, 0, 0, 0}));  // 6to4 of 169.254.169.254
  CHECK(public_v6({0x2002, 0x5db8, 0xd822, 0, 0, 0, 0, 1}));        // 6to4 of 93.184.216.34
  // Teredo: server 65.54.227.120, client 127.0.0.1 (stored inverted: 80ff:fffe).
  CHECK_FALSE(public_v6({0x2001, 0, 0x4136, 0xe378, 0x8000, 0x63bf, 0x80ff, 0xfffe}));
  // Teredo with a private server (10.0.0.1) and a public client (93.184.216.34 → a247:27dd).
  CHECK_FALSE(public_v6({0x2001, 0, 0x0a00, 0x0001, 0x8000, 0x63bf, 0xa247, 0x27dd}));
  CHECK(public_v6({0x2001, 0, 0x4136, 0xe378, 0x8000, 0x63bf, 0xa247, 0x27dd}));
  CHECK(public_v6({0x2001, 0x4860, 0, 0, 0, 0, 0, 0x8888}));  // not Teredo: 2001:4860::/32
}

TEST_CASE("only 4 or 16 bytes are addresses") {
  const std::array<uint8_t, 6> odd{8, 8, 8, 8, 0, 0};
  CHECK_FALSE(is_public_address(odd.data(), odd.size()));
  CHECK_FALSE(is_public_address(odd.data(), 0));
}

TEST_CASE("localhost names") {
  for (const std::string& name : {std::string("localhost"), std::string("LOCALHOST"),
                                  std::string("localhost."), std::string("api.localhost"),
                                  std::string("a.b.LocalHost.")}) {
    CAPTURE(name);
    CHECK(is_localhost_name(name));
  }
  for (const std::string& name : {std::string("localhost.example"), std::string("mylocalhost"),
                                  std::string("example.com"), std::string(""),
                                  std::string("127.0.0.1")}) {
    CAPTURE(name);
    CHECK_FALSE(is_localhost_name(name));
  }
}
