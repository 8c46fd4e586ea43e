// What the widget calls with a publishable key (README: Keys; README: API / Storefront
// availability; README: The widget): the availability read and POST /api/v1/back-in-stock.

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

const char* kShop = "https://shop.example";

json availability(const Api& api, const std::string& query_string,
                  const httplib::Headers& headers = {}) {
  const HttpResponse r = api.get("/api/v1/storefront/availability" + query_string, headers);
  REQUIRE_STATUS(r, 200);
  return r.json();
}

json answer(bool in_stock, bool known) {
  return {{"success", true}, {"inStock", in_stock}, {"known", known}};
}

}  // namespace

TEST_CASE("availability: unknown, sold out, in stock, per variant and per product") {
  TestServer s;
  const Api pk = s.api(s.create_key("shop", "publishable", {kShop}));
  REQUIRE_STATUS(s.api().upsert(json::array(
                     {{{"productId", "SHOE"},
                       {"title", "Shoe"},
                       {"variants",
                        {{{"variantId", "SHOE-42"}, {"title", "42"}, {"inventoryQuantity", 0}},
                         {{"variantId", "SHOE-43"}, {"title", "43"}, {"inventoryQuantity", 2}}}}},
                      {{"productId", "HAT"}, {"title", "Hat"}, {"inStock", false}},
                      {{"productId", "CAP"}, {"title", "Cap"}}})),
                 200);

  CHECK(availability(pk, query({{"productId", "NOPE"}})) == answer(false, false));
  CHECK(availability(pk, query({{"productId", "SHOE"}, {"variantId", "SHOE-42"}})) ==
        answer(false, true));
  CHECK(availability(pk, query({{"productId", "SHOE"}, {"variantId", "SHOE-43"}})) ==
        answer(true, true));
  CHECK(availability(pk, query({{"productId", "SHOE"}, {"variantId", "SHOE-44"}})) ==
        answer(false, false));
  CHECK(availability(pk, query({{"productId", "SHOE"}})) == answer(true, true));  // the product
  CHECK(availability(pk, query({{"productId", "HAT"}})) == answer(false, true));
  CHECK(availability(pk, query({{"productId", "CAP"}})) == answer(true, true));
  // The byte order the widget reads.
  const HttpResponse raw = pk.get("/api/v1/storefront/availability?productId=CAP");
  CHECK(raw.body == "{\"success\":true,\"inStock\":true,\"known\":true}");

  // A store's secret key may read it too; the /v1 alias works.
  CHECK(availability(s.api(), query({{"productId", "HAT"}})) == answer(false, true));
  const HttpResponse alias = pk.get("/v1/storefront/availability?productId=CAP");
  REQUIRE_STATUS(alias, 200);
  CHECK(alias.json() == answer(true, true));

  // Stock changes are visible at once.
  REQUIRE_STATUS(
      s.api().upsert(json::array({{{"productId", "HAT"}, {"title", "Hat"}, {"inStock", true}}})),
      200);
  CHECK(availability(pk, query({{"productId", "HAT"}})) == answer(true, true));
}

TEST_CASE("availability needs a productId") {
  TestServer s;
  const Api pk = s.api(s.create_key("shop", "publishable"));
  HttpResponse r = pk.get("/api/v1/storefront/availability");
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_fields(r.json()) == std::vector<std::string>{"productId"});
  CHECK(detail_code(r.json(), "productId") == "required");
  r = pk.get("/api/v1/storefront/availability?productId=%20&variantId=" + std::string(256, 'x'));
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "productId") == "empty");
  CHECK(detail_code(r.json(), "variantId") == "too_long");
  CHECK_ERROR(
      pk.send("POST", "/api/v1/storefront/availability?productId=X", "{}", {}, "application/json"),
      405, "method_not_allowed");
}

TEST_CASE("a publishable key registers requests from its allowed origin, and gets CORS headers") {
  TestServer s;
  const Api pk = s.api(s.create_key("shop", "publishable", {kShop, "http://localhost:3000"}));
  const httplib::Headers from_shop = {{"Origin", kShop}};

  HttpResponse r =
      pk.register_request(request_body("P1", std::nullopt, "a@example.com"), from_shop);
  REQUIRE_STATUS(r, 200);
  CHECK_FALSE(r.json().contains("created"));  // a storefront never learns it (SPEC §5)
  CHECK(r.header("Access-Control-Allow-Origin") == kShop);
  CHECK(r.header("Vary").find("Origin") != std::string::npos);

  // Also a validation error is readable by the page (same CORS headers).
  r = pk.register_request(request_body("P1", std::nullopt, "not-an-email"), from_shop);
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(r.header("Access-Control-Allow-Origin") == kShop);

  // The second allowed origin, as a browser sends it.
  r = pk.register_request(request_body("P1", std::nullopt, "b@example.com"),
                          {{"Origin", "http://localhost:3000"}});
  REQUIRE_STATUS(r, 200);
  CHECK(r.header("Access-Control-Allow-Origin") == "http://localhost:3000");

  // Without an Origin (a server-side call) it works, with no CORS headers.
  r = pk.register_request(request_body("P1", std::nullopt, "c@example.com"));
  REQUIRE_STATUS(r, 200);
  CHECK_FALSE(r.has_header("Access-Control-Allow-Origin"));

  // The requests are the store's.
  const HttpResponse listed = s.api().get("/api/v1/back-in-stock");
  REQUIRE_STATUS(listed, 200);
  CHECK(listed.json()["pagination"]["total"] == 3);

  const json availability_answer = availability(pk, query({{"productId", "P1"}}), from_shop);
  CHECK(availability_answer == answer(false, false));
}

// Issue 20 §4: a repeat through the publishable key overwrote the victim's product title ("log
// in at evil.example" arrived in her event), could fill her empty name, and `created: false` told
// anyone with the public key that the address was already waiting.
TEST_CASE("a storefront repeat changes nothing stored and doesn't say the address was waiting") {
  TestServer s;
  const Api api = s.api();
  const Api pk = s.api(s.create_key("shop", "publishable"));
  json original = request_body("SKU-1", std::nullopt, "victim@example.com");
  original["productTitle"] = "Linen shirt";
  original["customer"]["firstName"] = "Ann";
  const HttpResponse first = api.register_request(original);
  REQUIRE_STATUS(first, 200);

  json forged = request_body("SKU-1", std::nullopt, "Victim@example.com");
  forged["productTitle"] = "Log in at evil.example to keep your place";
  forged["variantTitle"] = "urgent";
  forged["customer"]["lastName"] = "Mallory";
  forged["customer"]["attributes"] = {{"claimed", true}};
  const HttpResponse repeat = pk.register_request(forged);
  REQUIRE_STATUS(repeat, 200);
  const json answer = repeat.json();
  CHECK_FALSE(answer.contains("created"));
  CHECK(answer["status"] == "waiting");

  // A new address answers the same shape.
  const HttpResponse fresh = pk.register_request(request_body("SKU-1", std::nullopt, "new@example.com"));
  REQUIRE_STATUS(fresh, 200);
  const json fresh_answer = fresh.json();
  CHECK_FALSE(fresh_answer.contains("created"));
  std::vector<std::string> keys, fresh_keys;
  for (const auto& item : answer.items()) keys.push_back(item.key());
  for (const auto& item : fresh_answer.items()) fresh_keys.push_back(item.key());
  CHECK(keys == fresh_keys);

  // Nothing of hers changed: the request's titles, her profile, and the event she will get.
  const json listed = api.get("/api/v1/back-in-stock?email=victim%40example.com").json();
  REQUIRE(listed["requests"].size() == 1);
  CHECK(listed["requests"][0]["productTitle"] == "Linen shirt");
  CHECK(listed["requests"][0]["variantTitle"].is_null());
  REQUIRE_STATUS(api.upsert(json::array({{{"productId", "SKU-1"}, {"title", "Shirt"}}})), 200);
  const json events = api.events("?type=ecommerce.back_in_stock").json()["events"];
  bool seen = false;
  for (const json& e : events) {
    if (e["subscriber"]["email"] != "victim@example.com") continue;
    seen = true;
    CHECK(e["product"]["productTitle"] == "Linen shirt");
    CHECK(e["subscriber"]["firstName"] == "Ann");
    CHECK(e["subscriber"]["lastName"].is_null());
  }
  CHECK(seen);
  // The store's own backend still refreshes a waiting request's snapshot.
  json refresh = request_body("SKU-2", std::nullopt, "victim@example.com");
  REQUIRE_STATUS(api.register_request(refresh), 200);
  refresh["productTitle"] = "Shirt, blue";
  const HttpResponse secret_repeat = api.register_request(refresh);
  CHECK(secret_repeat.json()["created"] == false);
  const json second = api.get("/api/v1/back-in-stock?productId=SKU-2").json();
  CHECK(second["requests"][0]["productTitle"] == "Shirt, blue");
}

// Issue 20 §7: the demo page could be framed by any site and ran whatever script it was given.
TEST_CASE("the demo page forbids framing and foreign scripts") {
  TestServer s({"--demo"});
  const HttpResponse page = s.api("").get("/");
  REQUIRE_STATUS(page, 200);
  CHECK(page.header("X-Frame-Options") == "DENY");
  const std::string csp = page.header("Content-Security-Policy");
  INFO(csp);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("default-src 'self'") != std::string::npos);
  CHECK(csp.find("object-src 'none'") != std::string::npos);
  CHECK(csp.find("'sha256-") != std::string::npos);  // its own inline script, by hash
  CHECK(csp.find("'unsafe-eval'") == std::string::npos);
  // The widget's files are for every storefront: no page policy on them.
  CHECK(s.api("").get("/widget/stockbell.js").header("X-Frame-Options").empty());
}
