// Keys, auth, CORS and store isolation (README: Keys).

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

const char* kShop = "https://shop.example";

struct Endpoint {
  const char* method;
  const char* target;
};

// Every API route, with a body where it needs one.
const Endpoint kSecretRoutes[] = {
    {"GET", "/api/v1/back-in-stock"},
    {"DELETE", "/api/v1/back-in-stock/bisr_0000000000001"},
    {"POST", "/api/v1/products"},
    {"GET", "/api/v1/products"},
    {"GET", "/api/v1/products/SKU-1"},
    {"DELETE", "/api/v1/products/SKU-1"},
    {"GET", "/api/v1/events"},
    {"GET", "/v1/events"},
    {"POST", "/api/v1/webhooks"},
    {"GET", "/api/v1/webhooks"},
    {"GET", "/api/v1/webhooks/we_0000000000001"},
    {"PATCH", "/api/v1/webhooks/we_0000000000001"},
    {"DELETE", "/api/v1/webhooks/we_0000000000001"},
    {"POST", "/api/v1/webhooks/we_0000000000001/rotate-secret"},
    {"GET", "/api/v1/webhooks/we_0000000000001/deliveries"},
    {"POST", "/api/v1/webhooks/we_0000000000001/deliveries/whd_0000000000001/retry"},
};
const Endpoint kStorefrontRoutes[] = {
    {"POST", "/api/v1/back-in-stock"},
    {"GET", "/api/v1/storefront/availability?productId=SKU-1"},
};

HttpResponse call(const Api& api, const Endpoint& e, const httplib::Headers& headers = {}) {
  const std::string method = e.method;
  const std::string target = e.target;
  if (method == "POST" || method == "PATCH") {
    json body = json::object();
    if (target.find("/products") != std::string::npos)
      body = {{"products", json::array({{{"productId", "SKU-1"}, {"title", "T"}}})}};
    else if (target.find("/back-in-stock") != std::string::npos)
      body = request_body("SKU-1", std::nullopt, "a@example.com");
    else if (target == "/api/v1/webhooks")
      body = {{"url", "https://hooks.example/in"}};
    return api.send(method, target, body.dump(), headers, "application/json");
  }
  return api.send(method, target, {}, headers);
}

}  // namespace

TEST_CASE("a missing, malformed or unknown key is 401 with WWW-Authenticate on every API route") {
  TestServer s;
  const std::string pk = s.create_key("shop", "publishable");
  std::string wrong_prefix = pk;
  wrong_prefix.replace(0, 3, "sk_");
  const std::vector<std::pair<std::string, httplib::Headers>> bad = {
      {"no header", {}},
      {"empty", {{"Authorization", ""}}},
      {"basic", {{"Authorization", "Basic dXNlcjpwYXNz"}}},
      {"bearer only", {{"Authorization", "Bearer"}}},
      {"bearer space", {{"Authorization", "Bearer "}}},
      {"short key", {{"Authorization", "Bearer sk_short"}}},
      {"bad prefix", {{"Authorization", "Bearer xk_0123456789012345678901234567890123456789"}}},
      {"non-base62", {{"Authorization", "Bearer sk_012345678901234567890123456789012345678!"}}},
      {"key and junk", {{"Authorization", "Bearer " + s.secret + " x"}}},
      {"unknown sk", {{"Authorization", "Bearer sk_0123456789012345678901234567890123456789"}}},
      {"unknown pk", {{"Authorization", "Bearer pk_0123456789012345678901234567890123456789"}}},
      {"pk relabelled sk", {{"Authorization", "Bearer " + wrong_prefix}}},
  };
  const Api anonymous = s.api("");
  for (const auto& [name, headers] : bad) {
    for (const auto& routes :
         {std::vector<Endpoint>(std::begin(kSecretRoutes), std::end(kSecretRoutes)),
          std::vector<Endpoint>(std::begin(kStorefrontRoutes), std::end(kStorefrontRoutes))}) {
      for (const Endpoint& e : routes) {
        INFO((name + ": " + e.method + " " + e.target));
        const HttpResponse r = call(anonymous, e, headers);
        CHECK_ERROR(r, 401, "unauthorized");
        CHECK(r.header("WWW-Authenticate").rfind("Bearer", 0) == 0);
      }
    }
  }
  // Nothing was written by any of them.
  const HttpResponse products = s.api().get("/api/v1/products");
  REQUIRE_STATUS(products, 200);
  CHECK(products.json()["pagination"]["total"] == 0);
  CHECK(s.api().events().json()["events"].empty());
}

TEST_CASE("/healthz needs no key") {
  TestServer s;
  for (const httplib::Headers& headers :
       {httplib::Headers{}, httplib::Headers{{"Authorization", "Bearer nonsense"}}}) {
    const HttpResponse r = s.api("").get("/healthz", headers);
    REQUIRE_STATUS(r, 200);
    CHECK(r.media_type() == "application/json");
    CHECK(r.json()["success"] == true);
    CHECK(r.json()["status"] == "ok");
  }
}

TEST_CASE("a publishable key is 403 forbidden on every secret route; a secret key may do all") {
  TestServer s;
  const Api pk = s.api(s.create_key("shop", "publishable", {kShop}));
  for (const Endpoint& e : kSecretRoutes) {
    INFO((std::string(e.method) + " " + e.target));
    CHECK_ERROR(call(pk, e), 403, "forbidden");
    // Also from its own allowed origin.
    CHECK_ERROR(call(pk, e, {{"Origin", kShop}}), 403, "forbidden");
  }
  // Nothing was stored by the refused upsert.
  CHECK(s.api().get("/api/v1/products").json()["pagination"]["total"] == 0);
  for (const Endpoint& e : kStorefrontRoutes) {
    INFO((std::string(e.method) + " " + e.target));
    CHECK_STATUS(call(s.api(), e), 200);
    CHECK_STATUS(call(pk, e), 200);
  }
}

TEST_CASE("origins: a publishable key works only from its allowed origins") {
  TestServer s;
  const Api pk = s.api(s.create_key("shop", "publishable", {kShop}));
  const Api pk_no_origins = s.api(s.create_key("shop", "publishable"));
  const json body = request_body("P1", std::nullopt, "a@example.com");

  for (const char* origin : {"https://evil.example", "http://shop.example",
                             "https://shop.example:8443", "https://sub.shop.example", "null"}) {
    INFO(std::string(origin));
    HttpResponse r = pk.register_request(body, {{"Origin", origin}});
    CHECK_ERROR(r, 403, "forbidden");
    CHECK_FALSE(r.has_header("Access-Control-Allow-Origin"));
    r = pk.get("/api/v1/storefront/availability?productId=P1", {{"Origin", origin}});
    CHECK_ERROR(r, 403, "forbidden");
    CHECK_FALSE(r.has_header("Access-Control-Allow-Origin"));
  }
  // A key without origins is for servers only: any browser Origin is refused.
  CHECK_ERROR(pk_no_origins.register_request(body, {{"Origin", kShop}}), 403, "forbidden");
  CHECK_STATUS(pk_no_origins.register_request(body), 200);

  // The allowed origin, also written the way no browser would (case, default port).
  for (const char* origin : {"https://shop.example", "HTTPS://Shop.Example:443"}) {
    INFO(std::string(origin));
    const HttpResponse r = pk.register_request(body, {{"Origin", origin}});
    CHECK_STATUS(r, 200);
    CHECK(r.header("Access-Control-Allow-Origin") == kShop);
    CHECK(r.header("Vary").find("Origin") != std::string::npos);
  }
  CHECK(s.api().get("/api/v1/back-in-stock").json()["pagination"]["total"] == 1);
}

TEST_CASE("secret-key responses never carry CORS headers, whatever the Origin") {
  TestServer s;
  s.create_key("shop", "publishable", {kShop});  // the origin is allowed for the store's pk
  const Api api = s.api();
  const std::vector<HttpResponse> responses = {
      api.get("/api/v1/products", {{"Origin", kShop}}),
      api.register_request(request_body("P", std::nullopt, "a@example.com"), {{"Origin", kShop}}),
      api.get("/api/v1/storefront/availability?productId=P", {{"Origin", kShop}}),
      api.get("/api/v1/events", {{"Origin", "https://evil.example"}}),
      api.get("/api/v1/products/NOPE", {{"Origin", kShop}}),
  };
  for (const HttpResponse& r : responses) {
    INFO(r.status << " " << r.body);
    CHECK(r.status < 500);
    CHECK_FALSE(r.has_header("Access-Control-Allow-Origin"));
    CHECK_FALSE(r.has_header("Access-Control-Allow-Credentials"));
  }
}

TEST_CASE("CORS preflight: allowed origins get the headers, others a 403") {
  TestServer s;
  s.create_key("shop", "publishable", {kShop});
  const Api anonymous = s.api("");
  const httplib::Headers preflight = {
      {"Origin", kShop},
      {"Access-Control-Request-Method", "POST"},
      {"Access-Control-Request-Headers", "authorization, content-type"}};
  for (const char* target : {"/api/v1/back-in-stock", "/v1/back-in-stock",
                             "/api/v1/storefront/availability?productId=P"}) {
    INFO(std::string(target));
    const HttpResponse r = anonymous.send("OPTIONS", target, {}, preflight);
    CHECK(r.status / 100 == 2);
    CHECK(r.header("Access-Control-Allow-Origin") == kShop);
    CHECK(r.header("Vary").find("Origin") != std::string::npos);
    const std::string methods = r.header("Access-Control-Allow-Methods");
    CHECK(methods.find("POST") != std::string::npos);
    CHECK(methods.find("GET") != std::string::npos);
    const std::string allowed_headers = r.header("Access-Control-Allow-Headers");
    CHECK(allowed_headers.find("Authorization") != std::string::npos);
    CHECK(allowed_headers.find("Content-Type") != std::string::npos);
  }

  const HttpResponse evil = anonymous.send(
      "OPTIONS", "/api/v1/back-in-stock", {},
      {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  CHECK_ERROR(evil, 403, "forbidden");
  CHECK_FALSE(evil.has_header("Access-Control-Allow-Origin"));

  // Secret-only routes are never offered to a browser.
  for (const char* target :
       {"/api/v1/products", "/api/v1/events", "/api/v1/back-in-stock/bisr_0000000000001"}) {
    INFO(std::string(target));
    const HttpResponse r = anonymous.send("OPTIONS", target, {}, preflight);
    CHECK(r.status >= 400);
    CHECK_FALSE(r.has_header("Access-Control-Allow-Origin"));
  }
}

TEST_CASE("stores are isolated: another store's key never reads or changes this store's data") {
  TestServer s;
  const Api a = s.api();
  const Api b = s.api(s.create_key("other-shop", "secret"));
  const Api b_pk = s.api(s.create_key("other-shop", "publishable"));

  REQUIRE_STATUS(
      a.upsert(json::array({{{"productId", "SKU-1"}, {"title", "A's"}, {"inStock", false}}})), 200);
  const HttpResponse reg =
      a.register_request(request_body("SKU-1", std::nullopt, "shared@example.com"));
  REQUIRE_STATUS(reg, 200);
  const std::string request_id = reg.json()["requestId"];

  // B sees nothing of A.
  CHECK(b.get("/api/v1/products").json()["pagination"]["total"] == 0);
  CHECK_ERROR(b.get("/api/v1/products/SKU-1"), 404, "not_found");
  CHECK(b.get("/api/v1/back-in-stock").json()["pagination"]["total"] == 0);
  CHECK(b.get("/api/v1/back-in-stock?email=shared%40example.com").json()["requests"].empty());
  CHECK(b.events().json()["events"].empty());
  CHECK(b_pk.get("/api/v1/storefront/availability?productId=SKU-1").json()["known"] == false);
  // A's event ids are not B's cursors to read from.
  const std::string a_event = a.events().json()["events"][0]["id"];
  const HttpResponse b_after = b.events(query({{"after", a_event}}));
  CHECK(b_after.status != 500);
  if (b_after.status == 200) CHECK(b_after.json()["events"].empty());

  // B changes nothing of A.
  CHECK_ERROR(b.del("/api/v1/products/SKU-1"), 404, "not_found");
  CHECK_ERROR(b.del("/api/v1/back-in-stock/" + request_id), 404, "not_found");
  const HttpResponse b_up =
      b.upsert(json::array({{{"productId", "SKU-1"}, {"title", "B's"}}}));  // in stock in B
  REQUIRE_STATUS(b_up, 200);
  CHECK(b_up.json()["backInStockEventsTriggered"] == 0);
  CHECK(b_up.json()["products"][0]["id"] !=
        a.get("/api/v1/products/SKU-1").json()["product"]["id"]);

  // The same shopper in B is another subscriber.
  const HttpResponse b_reg =
      b_pk.register_request(request_body("SKU-1", std::nullopt, "shared@example.com"));
  REQUIRE_STATUS(b_reg, 200);
  CHECK_FALSE(b_reg.json().contains("created"));  // publishable: never said (SPEC §5)
  CHECK(b_reg.json()["subscriberId"] != reg.json()["subscriberId"]);
  CHECK(b_reg.json()["requestId"] != request_id);

  // A is untouched.
  const json a_product = a.get("/api/v1/products/SKU-1").json()["product"];
  CHECK(a_product["title"] == "A's");
  CHECK(a_product["inStock"] == false);
  const json a_requests = a.get("/api/v1/back-in-stock").json();
  REQUIRE(a_requests["requests"].size() == 1);
  CHECK(a_requests["requests"][0]["status"] == "waiting");
  const json a_events = a.events().json()["events"];
  REQUIRE(a_events.size() == 1);
  CHECK(a_events[0]["type"] == "ecommerce.back_in_stock_requested");
  CHECK(a.get("/api/v1/products").json()["pagination"]["total"] == 1);
}

TEST_CASE("a key created while the server runs works at once; keys are per kind") {
  TestServer s;
  const std::string late = s.create_key("shop", "secret");
  CHECK_STATUS(s.api(late).get("/api/v1/products"), 200);
  const std::string new_store = s.create_key("brand-new", "secret");
  const HttpResponse r = s.api(new_store).get("/api/v1/products");
  REQUIRE_STATUS(r, 200);
  CHECK(r.json()["pagination"]["total"] == 0);
}
