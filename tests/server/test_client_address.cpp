// server/http/rate_limit: Cidr (the `--trusted-proxies` entries) and client_address(), which
// decides whose bucket a storefront request takes from (README "Rate limits").
//
// The X-Forwarded-For cases pin the rules, one row each: a change to the rules changes rows of
// kForwardedCases, and a new rule adds rows. A header's lines are joined in order (`\n` in a row
// separates lines, as a proxy that adds its own line sends them).

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "server/http/rate_limit.hpp"

using stockbell::server::Cidr;
using stockbell::server::client_address;

namespace {

Cidr cidr(const std::string& text) {
  std::optional<Cidr> parsed = Cidr::parse(text);
  INFO("CIDR " << text);
  REQUIRE(parsed.has_value());
  return *parsed;
}

/// `--trusted-proxies`' entries, comma-separated.
std::vector<Cidr> proxies(const std::string& list) {
  std::vector<Cidr> out;
  size_t start = 0;
  while (start < list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    out.push_back(cidr(list.substr(start, comma - start)));
    start = comma + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("Cidr::parse takes IPv4 and IPv6 networks and bare addresses") {
  for (const char* text : {"10.0.0.0/8", "192.168.1.7", "192.168.1.7/32", "0.0.0.0/0", "::1",
                           "::1/128", "::/0", "2001:db8::/32", "fe80::1/10", "10.0.0.0/08"}) {
    INFO(text);
    CHECK(Cidr::parse(text).has_value());
  }
}

TEST_CASE("Cidr::parse refuses bad prefixes and anything that is not an address") {
  for (const char* text :
       {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "10.0.0.0/0008",
        "10.0.0.0/ 8", "/8", "", "garbage", "10.0.0", "10.0.0.256", " 10.0.0.1", "10.0.0.1 ",
        "localhost", "[::1]", "10.0.0.0/8/8"}) {
    INFO("'" << text << "'");
    CHECK_FALSE(Cidr::parse(text).has_value());
  }
}

TEST_CASE("Cidr::contains compares the prefix bits of the same family") {
  const Cidr ten = cidr("10.0.0.0/8");
  CHECK(ten.contains("10.0.0.0"));
  CHECK(ten.contains("10.255.1.2"));
  CHECK_FALSE(ten.contains("11.0.0.1"));
  CHECK_FALSE(ten.contains("9.255.255.255"));
  CHECK_FALSE(ten.contains("::ffff:10.0.0.1"));  // an IPv6 address, even a mapped one
  CHECK_FALSE(ten.contains("garbage"));
  CHECK_FALSE(ten.contains(""));

  const Cidr odd = cidr("192.168.0.0/23");  // a prefix that ends inside a byte
  CHECK(odd.contains("192.168.1.255"));
  CHECK_FALSE(odd.contains("192.168.2.0"));

  const Cidr host = cidr("192.168.1.7");  // a bare address is a /32
  CHECK(host.contains("192.168.1.7"));
  CHECK_FALSE(host.contains("192.168.1.6"));
  CHECK_FALSE(host.contains("192.168.1.70"));

  CHECK(cidr("10.1.2.3/8").contains("10.9.9.9"));  // host bits of the network are ignored

  const Cidr v6 = cidr("2001:db8::/32");
  CHECK(v6.contains("2001:db8:ffff::1"));
  CHECK(v6.contains("2001:DB8::1"));
  CHECK_FALSE(v6.contains("2001:db9::1"));
  CHECK_FALSE(v6.contains("10.0.0.1"));

  const Cidr loopback6 = cidr("::1");
  CHECK(loopback6.contains("::1"));
  CHECK(loopback6.contains("0:0:0:0:0:0:0:1"));
  CHECK_FALSE(loopback6.contains("::2"));
  CHECK_FALSE(loopback6.contains("127.0.0.1"));
}

TEST_CASE("a /0 holds every address of its family and none of the other") {
  CHECK(cidr("0.0.0.0/0").contains("203.0.113.9"));
  CHECK(cidr("0.0.0.0/0").contains("255.255.255.255"));
  CHECK_FALSE(cidr("0.0.0.0/0").contains("::1"));
  CHECK(cidr("::/0").contains("2001:db8::1"));
  CHECK_FALSE(cidr("::/0").contains("10.0.0.1"));
}

namespace {

struct ForwardedCase {
  const char* name;
  const char* peer;           ///< the TCP peer
  const char* forwarded_for;  ///< the X-Forwarded-For header ("" when absent)
  const char* trusted;        ///< --trusted-proxies
  const char* expected;       ///< the client address used for rate limits
};

const ForwardedCase kForwardedCases[] = {
    {"no trusted proxies: the header is ignored", "203.0.113.9", "198.51.100.7", "", "203.0.113.9"},
    {"an untrusted peer's header is ignored", "203.0.113.9", "198.51.100.7", "10.0.0.0/8",
     "203.0.113.9"},
    {"a trusted peer without the header is the client", "10.0.0.1", "", "10.0.0.0/8", "10.0.0.1"},
    {"a trusted peer names the client", "10.0.0.1", "198.51.100.7", "10.0.0.0/8", "198.51.100.7"},
    {"the right-most entry counts: left ones can be forged", "10.0.0.1", "6.6.6.6, 198.51.100.7",
     "10.0.0.0/8", "198.51.100.7"},
    {"trusted entries are skipped from the right", "10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2",
     "10.0.0.0/8", "198.51.100.7"},
    {"a chain of trusted proxies only: the left-most entry", "10.0.0.1", "10.0.0.3, 10.0.0.2",
     "10.0.0.0/8", "10.0.0.3"},
    {"spaces and tabs around entries are trimmed", "10.0.0.1", "  198.51.100.7 ,\t10.0.0.2 ",
     "10.0.0.0/8", "198.51.100.7"},
    {"no spaces at all", "10.0.0.1", "6.6.6.6,198.51.100.7", "10.0.0.0/8", "198.51.100.7"},
    {"several trusted networks", "127.0.0.1", "198.51.100.7, 10.0.0.2", "127.0.0.1,10.0.0.0/8",
     "198.51.100.7"},
    {"IPv6 proxies and clients", "::1", "2001:db8::5", "::1", "2001:db8::5"},
    {"an IPv6 client's full address (bucketing per /64 is client_bucket's)", "::1",
     "2001:db8:1:2:3:4:5:6", "::1", "2001:db8:1:2:3:4:5:6"},
    // An entry that is no address (empty, `unknown`, a name) ends the walk: the client is the
    // last address taken before it (a trusted entry, or the peer). Whatever a client wrote there
    // must not become a bucket of its own choosing.
    {"an empty right-most entry leaves the peer", "10.0.0.1", "198.51.100.7,", "10.0.0.0/8",
     "10.0.0.1"},
    {"an empty entry stops at the trusted entry after it", "10.0.0.1", "198.51.100.7,,10.0.0.2",
     "10.0.0.0/8", "10.0.0.2"},
    {"a header of blanks leaves the peer", "10.0.0.1", "  ", "10.0.0.0/8", "10.0.0.1"},
    {"a non-address entry leaves the peer (was: the entry itself)", "10.0.0.1", "unknown",
     "10.0.0.0/8", "10.0.0.1"},
    {"a name stops at the trusted entry after it", "10.0.0.1", "evil.example, 10.0.0.2",
     "10.0.0.0/8", "10.0.0.2"},
    // Every line counts, joined in order: the client writes the first, each proxy appends.
    {"the proxy's own line counts (was: only the first line)", "10.0.0.1",
     "198.51.100.7\n203.0.113.1", "10.0.0.0/8", "203.0.113.1"},
    {"lines and commas mix", "10.0.0.1", "6.6.6.6, 198.51.100.7\n10.0.0.2", "10.0.0.0/8",
     "198.51.100.7"},
    {"an empty line adds nothing", "10.0.0.1", "198.51.100.7\n", "10.0.0.0/8", "198.51.100.7"},
    // IPv4 seen through IPv6 (a dual-stack listener's peer, or a proxy's entry) is IPv4.
    {"a mapped peer matches an IPv4 proxy (was: never)", "::ffff:10.0.0.1", "198.51.100.7",
     "10.0.0.0/8", "198.51.100.7"},
    {"a mapped entry is the IPv4 client", "10.0.0.1", "::ffff:198.51.100.7", "10.0.0.0/8",
     "198.51.100.7"},
    {"a mapped trusted entry is skipped", "10.0.0.1", "198.51.100.7, ::ffff:10.0.0.2", "10.0.0.0/8",
     "198.51.100.7"},
    {"a mapped peer without proxies is IPv4", "::ffff:203.0.113.9", "", "", "203.0.113.9"},
    // Ports and brackets some proxies add are dropped.
    {"an IPv4 entry with a port", "10.0.0.1", "198.51.100.7:4711", "10.0.0.0/8", "198.51.100.7"},
    {"a bracketed IPv6 entry with a port", "10.0.0.1", "[2001:db8::5]:4711", "10.0.0.0/8",
     "2001:db8::5"},
};

}  // namespace

TEST_CASE("client_address: the peer, or the right-most untrusted X-Forwarded-For entry") {
  for (const ForwardedCase& c : kForwardedCases) {
    INFO(c.name << ": peer " << c.peer << ", X-Forwarded-For '" << c.forwarded_for << "', trusted '"
                << c.trusted << "'");
    std::vector<std::string> lines;
    const std::string header = c.forwarded_for;
    for (size_t start = 0;;) {
      const size_t nl = header.find('\n', start);
      lines.push_back(header.substr(start, nl - start));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    if (header.empty()) lines.clear();
    CHECK(client_address(c.peer, lines, proxies(c.trusted)) == c.expected);
  }
}

TEST_CASE("unmap_ipv4 and client_bucket: IPv4 as IPv4, IPv6 per /64") {
  using stockbell::server::client_bucket;
  using stockbell::server::unmap_ipv4;
  CHECK(unmap_ipv4("::ffff:192.0.2.1") == "192.0.2.1");
  CHECK(unmap_ipv4("::FFFF:c000:0201") == "192.0.2.1");
  CHECK(unmap_ipv4("192.0.2.1") == "192.0.2.1");
  CHECK(unmap_ipv4("2001:db8::1") == "2001:db8::1");
  CHECK(unmap_ipv4("::1") == "::1");
  CHECK(unmap_ipv4("unknown") == "unknown");
  CHECK(client_bucket("192.0.2.1") == "192.0.2.1");
  CHECK(client_bucket("::ffff:192.0.2.1") == "192.0.2.1");
  CHECK(client_bucket("2001:db8:1:2::1") == "2001:db8:1:2::/64");
  CHECK(client_bucket("2001:DB8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64");
  CHECK(client_bucket("2001:db8:1:3::1") == "2001:db8:1:3::/64");
  CHECK(client_bucket("::1") == "::/64");
}
