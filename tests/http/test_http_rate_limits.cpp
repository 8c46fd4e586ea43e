// Storefront rate limits (README: Guarantees / Rate limits; README: API / Errors: `rate_limited`
// 429 with Retry-After): publishable-key traffic per client address and per e-mail, per store;
// the store's own secret-key traffic is never limited.

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
