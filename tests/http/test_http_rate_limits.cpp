// Storefront rate limits (README: Guarantees / Rate limits; README: API / Errors: `rate_limited`
// 429 with Retry-After): publishable-key traffic per client address and per e-mail, per store;
// the store's own secret-key traffic is never limited.

#include <set>

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

const char* kShop = "https://shop.example";

void check_rate_limited(const HttpResponse& r) {
  CHECK_ERROR(r, 429, "rate_limited");
  REQUIRE(r.has_header("Retry-After"));
  CHECK(matches(r.header("Retry-After"), "[1-9][0-9]*"));
}

}  // namespace

TEST_CASE(
    "per e-mail: a shopper's address can't be signed up again and again from the storefront") {
  TestServer s(
      {"--rate-ip-per-minute", "0", "--rate-email-per-hour", "1", "--rate-email-burst", "2"});
  const Api pk = s.api(s.create_key("shop", "publishable", {kShop}));
  const httplib::Headers from_shop = {{"Origin", kShop}};
  CHECK_STATUS(
      pk.register_request(request_body("P1", std::nullopt, "victim@example.com"), from_shop), 200);
  CHECK_STATUS(
      pk.register_request(request_body("P2", std::nullopt, "victim@example.com"), from_shop), 200);
  // The same address in another spelling is the same address.
  const HttpResponse limited =
      pk.register_request(request_body("P3", std::nullopt, " VICTIM@example.com"), from_shop);
  check_rate_limited(limited);
  CHECK(std::stoi(limited.header("Retry-After")) >= 60);  // 1 per hour: the next token is far off
  // The page can read the refusal (CORS headers on the 429 too).
  CHECK(limited.header("Access-Control-Allow-Origin") == kShop);

  // Other addresses, the store's own backend and other stores are not affected.
  CHECK_STATUS(
      pk.register_request(request_body("P3", std::nullopt, "someone@example.com"), from_shop), 200);
  CHECK_STATUS(s.api().register_request(request_body("P3", std::nullopt, "victim@example.com")),
               200);
  const Api other_store = s.api(s.create_key("other-shop", "publishable"));
  CHECK_STATUS(other_store.register_request(request_body("P3", std::nullopt, "victim@example.com")),
               200);

  // The refused request was not stored.
  const HttpResponse listed =
      s.api().get("/api/v1/back-in-stock" + query({{"email", "victim@example.com"}}));
  REQUIRE_STATUS(listed, 200);
  CHECK(listed.json()["pagination"]["total"] == 3);  // P1, P2 (pk) and P3 (secret key)
}

TEST_CASE(
    "per client address: too many storefront calls are refused; secret keys are not limited") {
  TestServer s({"--rate-ip-per-minute", "1", "--rate-ip-burst", "3", "--rate-email-per-hour", "0"});
  const Api pk = s.api(s.create_key("shop", "publishable", {kShop}));
  const std::string availability = "/api/v1/storefront/availability?productId=P";
  for (int i = 0; i < 3; ++i) CHECK_STATUS(pk.get(availability, {{"Origin", kShop}}), 200);
  const HttpResponse limited = pk.get(availability, {{"Origin", kShop}});
  check_rate_limited(limited);
  CHECK(limited.header("Access-Control-Allow-Origin") == kShop);
  // Both storefront endpoints share the client's bucket.
  check_rate_limited(pk.register_request(request_body("P", std::nullopt, "a@example.com")));

  // Forging X-Forwarded-For does not help: 127.0.0.1 is not a trusted proxy here.
  check_rate_limited(pk.get(availability, {{"X-Forwarded-For", "203.0.113.9"}}));

  // The store's backend is never limited.
  for (int i = 0; i < 10; ++i) CHECK_STATUS(s.api().get(availability), 200);
  CHECK_STATUS(s.api().register_request(request_body("P", std::nullopt, "a@example.com")), 200);
  // Another store's storefront has its own bucket.
  const Api other = s.api(s.create_key("other-shop", "publishable"));
  CHECK_STATUS(other.get(availability), 200);
}

TEST_CASE("behind a trusted proxy the client is the X-Forwarded-For address") {
  TestServer s({"--rate-ip-per-minute", "1", "--rate-ip-burst", "1", "--rate-email-per-hour", "0",
                "--trusted-proxies", "127.0.0.1/32,::1"});
  const Api pk = s.api(s.create_key("shop", "publishable"));
  const std::string availability = "/api/v1/storefront/availability?productId=P";
  CHECK_STATUS(pk.get(availability, {{"X-Forwarded-For", "203.0.113.1"}}), 200);
  CHECK_STATUS(pk.get(availability, {{"X-Forwarded-For", "203.0.113.2"}}), 200);
  check_rate_limited(pk.get(availability, {{"X-Forwarded-For", "203.0.113.1"}}));
  // A client can prepend anything; the proxy appends the real address, which is what counts.
  check_rate_limited(pk.get(availability, {{"X-Forwarded-For", "198.51.100.7, 203.0.113.2"}}));
  CHECK_STATUS(pk.get(availability, {{"X-Forwarded-For", "203.0.113.2, 203.0.113.3"}}), 200);
}

// Issue 20 §3: only the first X-Forwarded-For line was read, and the client writes that one: a
// proxy that adds its own line (HAProxy's `option forwardfor` does) let every request through.
TEST_CASE("X-Forwarded-For: every line counts, in order, so a forged first line does not help") {
  TestServer s({"--rate-ip-per-minute", "1", "--rate-ip-burst", "1", "--rate-email-per-hour", "0",
                "--trusted-proxies", "127.0.0.1/32"});
  const Api pk = s.api(s.create_key("shop", "publishable"));
  const std::string availability = "/api/v1/storefront/availability?productId=P";
  int answered = 0;
  for (int i = 0; i < 10; ++i) {
    const httplib::Headers headers = {{"X-Forwarded-For", "198.51.100." + std::to_string(i)},
                                      {"X-Forwarded-For", "203.0.113.1"}};  // the proxy's line
    if (pk.get(availability, headers).status == 200) ++answered;
  }
  CHECK(answered == 1);
}

// On a dual-stack listener an IPv4 peer is `::ffff:127.0.0.1`; `--trusted-proxies 127.0.0.1` never
// matched it, so the proxy's header was ignored and every shopper shared the proxy's bucket.
TEST_CASE("an IPv4 proxy on a dual-stack listener is still trusted") {
  TestServer s({"--host", "::", "--rate-ip-per-minute", "1", "--rate-ip-burst", "1",
                "--rate-email-per-hour", "0", "--trusted-proxies", "127.0.0.1"});
  const Api pk("127.0.0.1", s.server.port(), s.create_key("shop", "publishable"));
  const std::string availability = "/api/v1/storefront/availability?productId=P";
  CHECK_STATUS(pk.get(availability, {{"X-Forwarded-For", "203.0.113.1"}}), 200);
  CHECK_STATUS(pk.get(availability, {{"X-Forwarded-For", "203.0.113.2"}}), 200);  // another shopper
  check_rate_limited(pk.get(availability, {{"X-Forwarded-For", "::ffff:203.0.113.1"}}));
}

// One IPv6 subscriber gets a whole /64: counting per address would give each a billion buckets.
TEST_CASE("IPv6 clients share a bucket per /64") {
  TestServer s({"--rate-ip-per-minute", "1", "--rate-ip-burst", "1", "--rate-email-per-hour", "0",
                "--trusted-proxies", "127.0.0.1"});
  const Api pk = s.api(s.create_key("shop", "publishable"));
  const std::string availability = "/api/v1/storefront/availability?productId=P";
  CHECK_STATUS(pk.get(availability, {{"X-Forwarded-For", "2001:db8:1:2::1"}}), 200);
  check_rate_limited(pk.get(availability, {{"X-Forwarded-For", "2001:db8:1:2:ffff:ffff:ffff:ffff"}}));
  CHECK_STATUS(pk.get(availability, {{"X-Forwarded-For", "2001:db8:1:3::1"}}), 200);  // next /64
}

// Issue 20 §3: `victim+N@example.com` took a fresh per-address bucket each time, so a stranger
// could mail-bomb one inbox at the per-client rate.
TEST_CASE("per e-mail means per mailbox: +tags and Gmail dots don't make a new address") {
  TestServer s({"--rate-ip-per-minute", "0", "--rate-email-per-hour", "1", "--rate-email-burst", "2"});
  const Api pk = s.api(s.create_key("shop", "publishable"));
  CHECK_STATUS(pk.register_request(request_body("P1", std::nullopt, "victim+1@example.com")), 200);
  CHECK_STATUS(pk.register_request(request_body("P2", std::nullopt, "victim+2@example.com")), 200);
  check_rate_limited(pk.register_request(request_body("P3", std::nullopt, "victim+3@example.com")));
  check_rate_limited(pk.register_request(request_body("P3", std::nullopt, "Victim@Example.com")));

  CHECK_STATUS(pk.register_request(request_body("P1", std::nullopt, "v.ictim@gmail.com")), 200);
  CHECK_STATUS(pk.register_request(request_body("P2", std::nullopt, "vic.tim+x@googlemail.com")), 200);
  check_rate_limited(pk.register_request(request_body("P3", std::nullopt, "victim@gmail.com")));
  // Dots are someone else's mailbox at other providers.
  CHECK_STATUS(pk.register_request(request_body("P1", std::nullopt, "v.ictim@example.com")), 200);

  // The stored address stays as typed.
  const HttpResponse listed = s.api().get("/api/v1/back-in-stock?productId=P2");
  REQUIRE_STATUS(listed, 200);
  std::set<std::string> emails;
  const json body = listed.json();
  for (const json& r : body["requests"]) emails.insert(r["email"].get<std::string>());
  CHECK(emails.count("victim+2@example.com") == 1);
  CHECK(emails.count("vic.tim+x@googlemail.com") == 1);
}

TEST_CASE("--rate-store-per-minute caps one store's storefront registrations from everyone") {
  TestServer s({"--rate-ip-per-minute", "0", "--rate-email-per-hour", "0", "--rate-store-per-minute", "3"});
  const Api pk = s.api(s.create_key("shop", "publishable"));
  for (int i = 0; i < 3; ++i)
    CHECK_STATUS(pk.register_request(request_body("P", std::nullopt, "s" + std::to_string(i) + "@example.com")), 200);
  check_rate_limited(pk.register_request(request_body("P", std::nullopt, "s9@example.com")));
  // The availability read, the store's backend and other stores are not capped.
  CHECK_STATUS(pk.get("/api/v1/storefront/availability?productId=P"), 200);
  CHECK_STATUS(s.api().register_request(request_body("P", std::nullopt, "s9@example.com")), 200);
  const Api other = s.api(s.create_key("other", "publishable"));
  CHECK_STATUS(other.register_request(request_body("P", std::nullopt, "s9@example.com")), 200);
}
