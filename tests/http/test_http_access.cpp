// Access control on every route of the API (README: Keys; README: Guarantees / Access): store
// isolation, publishable keys, CORS, and where keys must never appear after `keys create` printed
// them once. The route list below is checked against the route table in server/http/router.cpp,
// so a new route can't slip by untested.
//
// Constant-time key comparison is not something a test can see from outside without timing,
// and timing over loopback is too noisy to assert on: it is NOT measured here (a documented
// limitation). What is observable is tested: every wrong key gets the same 401 answer, so the
// answer never tells how close a guess was.

#include <openssl/sha.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "hostile_support.hpp"
#include "http_checks.hpp"

using namespace stockbell::testing;
using namespace stockbell::testing::hostile;

namespace {

const char* kShopA = "https://shop-a.example";
const char* kEvil = "https://evil.example";

// platform: no key; the handler authenticates a store platform's signature, or (the WooCommerce
// capture) the connected store's origin (test_http_platforms.cpp tests those).
enum class Access { open, storefront, secret, platform };

struct RouteSpec {
  const char* method;
  const char* pattern;  ///< "{}" marks an id segment, as in the server's table
  Access access;
};

// The server's route table (server/http_api.cpp), in its order.
const RouteSpec kRoutes[] = {
    {"GET", "/healthz", Access::open},
    {"GET", "/openapi.json", Access::open},
    {"GET", "/readyz", Access::open},
    {"GET", "/metrics", Access::open},  // loopback or its own token (test_http_ops.cpp)
    {"POST", "/api/v1/back-in-stock", Access::storefront},
    {"GET", "/api/v1/back-in-stock", Access::secret},
    {"DELETE", "/api/v1/back-in-stock/{}", Access::secret},
    {"POST", "/api/v1/products", Access::secret},
    {"GET", "/api/v1/products", Access::secret},
    {"GET", "/api/v1/products/{}", Access::secret},
    {"DELETE", "/api/v1/products/{}", Access::secret},
    {"GET", "/api/v1/events", Access::secret},
    {"GET", "/api/v1/storefront/availability", Access::storefront},
    {"POST", "/api/v1/webhooks", Access::secret},
    {"GET", "/api/v1/webhooks", Access::secret},
    {"GET", "/api/v1/webhooks/{}", Access::secret},
    {"PATCH", "/api/v1/webhooks/{}", Access::secret},
    {"DELETE", "/api/v1/webhooks/{}", Access::secret},
    {"POST", "/api/v1/webhooks/{}/rotate-secret", Access::secret},
    {"GET", "/api/v1/webhooks/{}/deliveries", Access::secret},
    {"POST", "/api/v1/webhooks/{}/deliveries/{}/retry", Access::secret},
    {"POST", "/api/v1/webhooks/{}/deliveries/{}/replay", Access::secret},
    {"GET", "/api/v1/settings", Access::secret},
    {"PATCH", "/api/v1/settings", Access::secret},
    {"POST", "/api/v1/inventory", Access::secret},
    {"POST", "/api/v1/orders", Access::secret},
    {"GET", "/api/v1/stats/conversions", Access::secret},
    {"GET", "/api/v1/integrations", Access::secret},
    {"DELETE", "/api/v1/integrations/{}", Access::secret},
    {"PUT", "/api/v1/integrations/shopify", Access::secret},
    {"PUT", "/api/v1/integrations/woocommerce", Access::secret},
    {"POST", "/api/v1/integrations/shopify/webhook/{}", Access::platform},
    {"POST", "/api/v1/integrations/woocommerce/webhook/{}", Access::platform},
    {"POST", "/api/woocommerce/back-in-stock/subscribe", Access::platform},
    {"GET", "/dashboard/sign-in", Access::open},
    {"GET", "/api/v1/session", Access::secret},
    {"DELETE", "/api/v1/session", Access::secret},
    {"GET", "/api/v1/stats/demand", Access::secret},
    {"GET", "/api/v1/stats/timeline", Access::secret},
    {"GET", "/api/v1/templates", Access::secret},
    {"PUT", "/api/v1/templates/{}/{}", Access::secret},
    {"DELETE", "/api/v1/templates/{}/{}", Access::secret},
    {"POST", "/api/v1/templates/{}/{}/preview", Access::secret},
    {"GET", "/api/v1/messages", Access::secret},
    {"GET", "/api/v1/subscribers/{}", Access::secret},
    {"DELETE", "/api/v1/subscribers/{}", Access::secret},
    {"GET", "/u/{}", Access::open},
    {"POST", "/u/{}", Access::open},
    {"GET", "/c/{}", Access::open},
    {"POST", "/c/{}", Access::open},
};

/// The shopper's pages from an e-mail: no key, the token in the path is the key. A token that
/// is not genuine gets 404 (test_http_mail.cpp uses real ones, taken from received mail).
bool is_shopper_page(const RouteSpec& route) {
  const std::string pattern = route.pattern;
  return pattern.rfind("/u/", 0) == 0 || pattern.rfind("/c/", 0) == 0;
}

/// Template routes name a template (`back_in_stock/en`), not a row of A's: in B they work on
/// B's own templates.
bool is_template_route(const RouteSpec& route) {
  return std::string(route.pattern).rfind("/api/v1/templates/", 0) == 0;
}

/// Store A's data: the ids another store's key is tried with, and the texts that must never
/// reach anyone but A.
struct StoreA {
  std::string product_id = "SKU-A";
  std::string product_public_id;  ///< prod_...
  std::string waiting_request;    ///< bisr_...
  std::string notified_request;
  std::vector<std::string> subscribers;
  std::vector<std::string> events;
  std::string webhook;
  std::string webhook_secret;
  std::string delivery;
  std::string integration_token;  ///< the path token of A's Shopify webhook address
  std::string order_id = "A-ORDER-1";
  /// Everything above plus A's e-mails, titles and webhook URL.
  std::vector<std::string> markers;
};

StoreA seed_store_a(const Api& a) {
  StoreA s;
  const HttpResponse hook = a.post("/api/v1/webhooks", {{"url", "http://127.0.0.1:9/a-hook-secret"},
                                                        {"description", "A's private hook"}});
  REQUIRE_STATUS(hook, 200);
  REQUIRE_STATUS(a.send("PATCH", "/api/v1/settings", R"({"storeName":"Alpha private store"})", {},
                        "application/json"),
                 200);
  REQUIRE_STATUS(a.send("PUT", "/api/v1/templates/back_in_stock/en",
                        R"({"subject":"Alpha private subject","text":"t","html":"h"})", {},
                        "application/json"),
                 200);
  s.webhook = hook.json()["webhook"]["id"];
  s.webhook_secret = hook.json()["webhook"]["secret"];
  REQUIRE_STATUS(a.upsert(json::array(
                     {{{"productId", "SKU-A"},
                       {"title", "Alpha secret title"},
                       {"variants",
                        {{{"variantId", "SKU-A-M"}, {"title", "Alpha M"}, {"inStock", false}},
                         {{"variantId", "SKU-A-L"}, {"title", "Alpha L"}, {"inStock", false}}}}}})),
                 200);
  const HttpResponse w = a.register_request(request_body("SKU-A", "SKU-A-M", "a1@a-shop.example"));
  REQUIRE_STATUS(w, 200);
  s.waiting_request = w.json()["requestId"];
  const HttpResponse n = a.register_request(request_body("SKU-A", "SKU-A-L", "a2@a-shop.example"));
  REQUIRE_STATUS(n, 200);
  s.notified_request = n.json()["requestId"];
  s.subscribers = {w.json()["subscriberId"], n.json()["subscriberId"]};
  const HttpResponse push = a.upsert(
      json::array({{{"productId", "SKU-A"},
                    {"title", "Alpha secret title"},
                    {"variants",
                     {{{"variantId", "SKU-A-M"}, {"title", "Alpha M"}, {"inStock", false}},
                      {{"variantId", "SKU-A-L"}, {"title", "Alpha L"}, {"inStock", true}}}}}}));
  REQUIRE_STATUS(push, 200);
  REQUIRE(push.json()["backInStockEventsTriggered"] == 1);
  s.product_public_id = push.json()["products"][0]["id"];
  for (const json& e : feed_events(a)) s.events.push_back(e["id"]);
  REQUIRE(s.events.size() == 3);
  const HttpResponse deliveries = a.get("/api/v1/webhooks/" + s.webhook + "/deliveries");
  REQUIRE_STATUS(deliveries, 200);
  REQUIRE(!deliveries.json()["deliveries"].empty());
  s.delivery = deliveries.json()["deliveries"][0]["id"];

  const HttpResponse shop = a.send("PUT", "/api/v1/integrations/shopify",
                                   R"({"shopDomain":"alpha-private.myshopify.com","webhookSecret":"alpha-shopify-secret"})",
                                   {}, "application/json");
  REQUIRE_STATUS(shop, 200);
  const std::string url = shop.json()["integration"]["webhookUrl"];
  s.integration_token = url.substr(url.rfind('/') + 1);
  REQUIRE_STATUS(a.post("/api/v1/orders", {{"orderId", s.order_id},
                                           {"totalCents", 3900},
                                           {"currency", "USD"},
                                           {"customer", {{"email", "a2@a-shop.example"}}},
                                           {"items", {{{"productId", "SKU-A"},
                                                       {"variantId", "SKU-A-L"},
                                                       {"title", "Alpha L"},
                                                       {"quantity", 1},
                                                       {"priceCents", 3900}}}}}),
                 202);
  s.markers = {s.product_public_id,  s.waiting_request, s.notified_request,  s.webhook,
               s.webhook_secret,     s.delivery,        "a1@a-shop.example", "a2@a-shop.example",
               "Alpha secret title", "Alpha M",         "a-hook-secret",     "A's private hook"};
  s.markers.push_back("Alpha private store");
  s.markers.push_back("alpha-private.myshopify.com");
  s.markers.push_back("alpha-shopify-secret");
  s.markers.push_back(s.integration_token);
  s.markers.push_back(s.order_id);
  s.markers.push_back("Alpha private subject");
  s.markers.insert(s.markers.end(), s.subscribers.begin(), s.subscribers.end());
  s.markers.insert(s.markers.end(), s.events.begin(), s.events.end());
  return s;
}

/// Everything of a store its secret key can read, deliveries included.
json store_state(const Api& api) {
  json state = store_snapshot(api);
  const HttpResponse hooks = api.get("/api/v1/webhooks");
  REQUIRE_STATUS(hooks, 200);
  state["webhooks"] = hooks.json()["webhooks"];
  const HttpResponse settings = api.get("/api/v1/settings");
  REQUIRE_STATUS(settings, 200);
  state["settings"] = settings.json()["settings"];
  const HttpResponse integrations = api.get("/api/v1/integrations");
  REQUIRE_STATUS(integrations, 200);
  state["integrations"] = integrations.json()["integrations"];
  const HttpResponse stats = api.get("/api/v1/stats/conversions");
  REQUIRE_STATUS(stats, 200);
  state["conversions"] = stats.json()["stats"]["totals"];
  const HttpResponse templates = api.get("/api/v1/templates");
  REQUIRE_STATUS(templates, 200);
  state["templates"] = templates.json()["templates"];
  const HttpResponse messages = api.get("/api/v1/messages");
  REQUIRE_STATUS(messages, 200);
  state["messages"] = messages.json()["messages"];
  // Which deliveries exist (their attempts go on in the background: not compared).
  for (const json& hook : state["webhooks"]) {
    json& ids = state["deliveries"][hook["id"].get<std::string>()];
    ids = json::array();
    for (const json& d :
         list_all(api, "/api/v1/webhooks/" + hook["id"].get<std::string>() + "/deliveries",
                  "deliveries"))
      ids.push_back({d["id"], d["eventId"]});
  }
  return state;
}

/// The route's target with A's ids in its `{}` segments, and a query where the route takes one.
std::string target_for(const RouteSpec& route, const StoreA& a) {
  std::string pattern = route.pattern;
  const std::vector<std::string> ids =
      pattern.rfind("/api/v1/back-in-stock/", 0) == 0 ? std::vector<std::string>{a.waiting_request}
      : pattern.rfind("/api/v1/products/", 0) == 0    ? std::vector<std::string>{a.product_id}
      : pattern.rfind("/api/v1/webhooks/", 0) == 0 ? std::vector<std::string>{a.webhook, a.delivery}
      : pattern == "/api/v1/integrations/{}"       ? std::vector<std::string>{"shopify"}
      : pattern.rfind("/api/v1/integrations/", 0) == 0 ? std::vector<std::string>{a.integration_token}
      : pattern.rfind("/api/v1/templates/", 0) == 0 ? std::vector<std::string>{"back_in_stock", "en"}
      : pattern.rfind("/api/v1/subscribers/", 0) == 0 ? std::vector<std::string>{a.subscribers[0]}
      : pattern.rfind("/u/", 0) == 0 || pattern.rfind("/c/", 0) == 0
          ? std::vector<std::string>{"AQEAAAAAAAAAAQAAAAAAAAABAcjEqk3LWB4ZOfhmyKwLlqa7dGM"}
          : std::vector<std::string>{};
  size_t next = 0;
  for (size_t at; (at = pattern.find("{}")) != std::string::npos;)
    pattern.replace(at, 2, url_encode(ids.at(next++)));
  if (pattern == "/api/v1/back-in-stock" && std::string(route.method) == "GET")
    pattern += "?productId=SKU-A&email=a1%40a-shop.example";
  if (pattern == "/api/v1/events") pattern += "?after=" + a.events.front();
  if (pattern == "/api/v1/storefront/availability") pattern += "?productId=SKU-A&variantId=SKU-A-L";
  return pattern;
}

/// A body for the routes that take one (none of A's texts in it).
std::string body_for(const RouteSpec& route) {
  const std::string method = route.method;
  const std::string pattern = route.pattern;
  if (pattern == "/api/v1/back-in-stock" && method == "POST")
    return request_body("SKU-A", "SKU-A-L", "b@b-shop.example").dump();
  if (pattern == "/api/v1/products" && method == "POST")
    return json{{"products", json::array({{{"productId", "SKU-A"}, {"title", "B's own"}}})}}.dump();
  if (pattern == "/api/v1/webhooks" && method == "POST")
    return json{{"url", "https://hooks.b-shop.example/in"}}.dump();
  if (pattern == "/api/v1/settings") return json{{"storeName", "B was here"}}.dump();
  if (pattern == "/api/v1/inventory")
    return json{{"items", json::array({{{"productId", "SKU-A"}, {"inStock", true}}})}}.dump();
  if (pattern == "/api/v1/orders")
    return json{{"orderId", "A-ORDER-1"}, {"status", "refunded"}, {"totalCents", 1}, {"currency", "EUR"}}
        .dump();
  if (pattern == "/api/v1/integrations/shopify")
    return json{{"shopDomain", "b-shop.myshopify.com"}, {"webhookSecret", "b"}}.dump();
  if (pattern == "/api/v1/integrations/woocommerce")
    return json{{"storeUrl", "https://b-shop.example"}, {"webhookSecret", "b"}}.dump();
  if (pattern == "/api/v1/templates/{}/{}" && method == "PUT")
    return json{{"subject", "B's {{productTitle}}"}, {"text", "t"}, {"html", "h"}}.dump();
  if (method == "PATCH") return json{{"description", "B was here"}}.dump();
  return "";
}

HttpResponse call(const Api& api, const RouteSpec& route, const std::string& target,
                  const httplib::Headers& headers = {}) {
  const std::string body = body_for(route);
  return api.send(route.method, target, body, headers,
                  body.empty() ? std::nullopt : std::optional<std::string>("application/json"));
}

std::string describe(const RouteSpec& route) {
  return std::string(route.method) + " " + route.pattern;
}

/// Every byte of an answer a client sees: headers and body.
std::string everything(const HttpResponse& r) {
  std::string text = r.body;
  for (const auto& [name, value] : r.headers) text += "\n" + name + ": " + value;
  return text;
}

std::string sha256(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

/// The database file and its WAL and shared-memory files, as raw bytes.
std::string database_bytes(const std::string& db) {
  return read_file_bytes(db) + read_file_bytes(db + "-wal") + read_file_bytes(db + "-shm");
}

}  // namespace

TEST_CASE("the route list covers the server's route table") {
  const std::filesystem::path source =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "server" /
      "http" / "router.cpp";
  std::ifstream in(source);
  REQUIRE_MESSAGE(in.good(), "cannot read " << source.string());
  std::stringstream text;
  text << in.rdbuf();
  const std::string code = text.str();
  // {"GET", {"api", "v1", "products", "{}"}, Access::secret, &H::get_product},
  const std::regex entry(R"re(\{"([A-Z]+)",\s*\{((?:\s*"[^"]*",?)+)\},\s*Access::(\w+))re");
  const std::regex segment(R"re("([^"]*)")re");
  std::set<std::string> table;
  for (auto it = std::sregex_iterator(code.begin(), code.end(), entry);
       it != std::sregex_iterator(); ++it) {
    std::string path;
    const std::string segments = (*it)[2];
    for (auto s = std::sregex_iterator(segments.begin(), segments.end(), segment);
         s != std::sregex_iterator(); ++s)
      path += "/" + (*s)[1].str();
    table.insert((*it)[1].str() + " " + path + " " + (*it)[3].str());
  }
  std::set<std::string> tested;
  for (const RouteSpec& r : kRoutes)
    tested.insert(describe(r) + " " +
                  (r.access == Access::open         ? "open"
                   : r.access == Access::storefront ? "storefront"
                   : r.access == Access::secret     ? "secret"
                                                    : "platform"));
  CHECK(table.size() >= 40);
  for (const std::string& route : table)
    CHECK_MESSAGE(tested.count(route) == 1, "a route without an access test: " << route);
  for (const std::string& route : tested)
    CHECK_MESSAGE(table.count(route) == 1, "tested but not in the route table: " << route);
}

TEST_CASE("no key of store B reaches store A's data, on any route") {
  TestServer s;
  const Api a = s.api();
  const StoreA store_a = seed_store_a(a);
  const json a_before = store_state(a);
  const Api b = s.api(s.create_key("b-shop", "secret"));
  const Api b_pk = s.api(s.create_key("b-shop", "publishable"));

  // First the routes that name something (A's ids, A's filters): B has nothing yet, so every
  // answer is a 404 or empty. Then the routes that create something, in B.
  std::vector<const RouteSpec*> order;
  for (const RouteSpec& r : kRoutes)
    if (std::string(r.method) != "POST" || std::string(r.pattern).find("{}") != std::string::npos)
      order.push_back(&r);
  for (const RouteSpec& r : kRoutes)
    if (std::string(r.method) == "POST" && std::string(r.pattern).find("{}") == std::string::npos)
      order.push_back(&r);

  for (const RouteSpec* route : order) {
    if (route->access == Access::open || route->access == Access::platform) continue;
    const std::string target = target_for(*route, store_a);
    const std::string body = body_for(*route);
    for (const Api* key : {&b, &b_pk}) {
      if (key == &b_pk && route->access != Access::storefront) continue;
      INFO(describe(*route) << " as " << target << " with B's " << (key == &b ? "sk" : "pk"));
      const HttpResponse r = call(*key, *route, target);
      INFO("answer: " << r.status << " " << r.body);
      // A's texts never come back (those B itself sent in the request don't count).
      const std::string seen = everything(r);
      for (const std::string& marker : store_a.markers)
        if (target.find(url_encode(marker)) == std::string::npos &&
            body.find(marker) == std::string::npos)
          CHECK_MESSAGE(seen.find(marker) == std::string::npos, "leaked: " << marker);
      const bool names_something = std::string(route->pattern).find("{}") != std::string::npos &&
                                   !is_template_route(*route);
      if (names_something) {
        CHECK_ERROR(r, 404, "not_found");
        continue;
      }
      REQUIRE_STATUS(r, std::string(route->pattern) == "/api/v1/orders" ? 202 : 200);
      if (std::string(route->method) != "GET") continue;  // created in B: checked below
      const json answer = r.json();
      for (const char* list : {"requests", "products", "events", "webhooks", "integrations",
                               "messages"})
        if (answer.contains(list)) CHECK(answer[list].empty());
      if (answer.contains("known")) CHECK(answer["known"] == false);
    }
  }
  // B's own SKU-A is another product; B's shopper is another subscriber.
  CHECK(b.get("/api/v1/products/SKU-A").json()["product"]["id"] != store_a.product_public_id);
  CHECK(b.get("/api/v1/products/SKU-A").json()["product"]["title"] == "B's own");

  // A is exactly as it was.
  const json a_after = store_state(a);
  CHECK_MESSAGE(a_after == a_before, json::diff(a_before, a_after).dump());
}

TEST_CASE("a publishable key: 403 on every secret route, works on the two storefront routes") {
  TestServer s;
  const Api a = s.api();
  const StoreA store_a = seed_store_a(a);
  const json a_before = store_state(a);
  const Api pk = s.api(s.create_key("shop", "publishable", {kShopA}));
  for (const RouteSpec& route : kRoutes) {
    const std::string target = target_for(route, store_a);
    for (const httplib::Headers& headers :
         {httplib::Headers{}, httplib::Headers{{"Origin", kShopA}}}) {
      INFO(describe(route) << (headers.empty() ? "" : " from its allowed origin"));
      const HttpResponse r = call(pk, route, target, headers);
      INFO("answer: " << r.status << " " << r.body);
      if (route.access == Access::platform) {
        CHECK(r.status >= 400);  // no key opens these: a signature or a store's origin does
        CHECK(r.status < 500);
      } else if (route.access == Access::secret) {
        CHECK_ERROR(r, 403, "forbidden");
        // A refusal tells nothing about the store.
        for (const std::string& marker : store_a.markers)
          if (target.find(url_encode(marker)) == std::string::npos)
            CHECK(everything(r).find(marker) == std::string::npos);
      } else if (std::string(route.pattern) == "/dashboard/sign-in") {
        CHECK_ERROR(r, 403, "forbidden");  // open, but only a link's token signs in
      } else if (is_shopper_page(route)) {
        CHECK(r.status == 404);  // the key is no key here; the token is forged
      } else {
        CHECK_STATUS(r, 200);
      }
    }
  }
  // Only the storefront registration changed anything: one request by b@b-shop.example.
  json after = store_state(a);
  CHECK(after["products"] == a_before["products"]);
  CHECK(after["webhooks"] == a_before["webhooks"]);
  CHECK(after["requests"].size() == a_before["requests"].size() + 1);
  CHECK(after["requests"][0]["email"] == "b@b-shop.example");
}

TEST_CASE("CORS on every route: only a publishable key's own origins, never '*', never echoed") {
  TestServer s;
  const Api a = s.api();
  const StoreA store_a = seed_store_a(a);
  const Api pk = s.api(s.create_key("shop", "publishable", {kShopA}));
  const Api anonymous = s.api("");

  for (const RouteSpec& route : kRoutes) {
    const std::string target = target_for(route, store_a);
    INFO(describe(route));
    // The publishable key from a foreign origin: refused on every keyed route, no CORS headers.
    if (route.access != Access::open && route.access != Access::platform) {
      const HttpResponse evil = call(pk, route, target, {{"Origin", kEvil}});
      INFO("from " << kEvil << ": " << evil.status << " " << evil.body);
      CHECK_ERROR(evil, 403, "forbidden");
      CHECK_FALSE(evil.has_header("Access-Control-Allow-Origin"));
    }
    // From its own origin: the storefront routes answer with that origin, exactly.
    if (route.access == Access::storefront) {
      const HttpResponse own = call(pk, route, target, {{"Origin", kShopA}});
      CHECK_STATUS(own, 200);
      CHECK(own.header("Access-Control-Allow-Origin") == kShopA);
      CHECK(own.header("Vary").find("Origin") != std::string::npos);
    }
    // A secret key never gets CORS headers, from any origin.
    for (const char* origin : {kShopA, kEvil, "null"}) {
      const HttpResponse secret = call(a, route, target, {{"Origin", origin}});
      INFO("secret key from " << origin << ": " << secret.status << " " << secret.body);
      CHECK(secret.status < 500);
      CHECK_FALSE(secret.has_header("Access-Control-Allow-Origin"));
      CHECK_FALSE(secret.has_header("Access-Control-Allow-Credentials"));
    }
    // Preflights: nothing for unknown origins; for the key's origin, only on storefront routes.
    for (const char* origin : {kEvil, "null", "https://shop-a.example.evil.example"}) {
      const HttpResponse pre =
          anonymous.send("OPTIONS", target, {},
                         {{"Origin", origin},
                          {"Access-Control-Request-Method", route.method},
                          {"Access-Control-Request-Headers", "authorization, content-type"}});
      INFO("preflight from " << origin << ": " << pre.status << " " << pre.body);
      CHECK(pre.status >= 400);
      CHECK_FALSE(pre.has_header("Access-Control-Allow-Origin"));
    }
    // A preflight is answered per path: a path with a storefront route (POST back-in-stock
    // shares its path with the secret GET listing) is offered to the key's origin; the secret
    // request itself is then refused (403 for the pk, no CORS headers for an sk).
    const HttpResponse pre_own =
        anonymous.send("OPTIONS", target, {},
                       {{"Origin", kShopA}, {"Access-Control-Request-Method", route.method}});
    bool storefront_path = false;
    for (const RouteSpec& other : kRoutes)
      if (std::string(other.pattern) == route.pattern && other.access == Access::storefront)
        storefront_path = true;
    if (storefront_path) {
      CHECK(pre_own.status / 100 == 2);
      CHECK(pre_own.header("Access-Control-Allow-Origin") == kShopA);
      CHECK(pre_own.header("Vary").find("Origin") != std::string::npos);
    } else {
      CHECK_FALSE(pre_own.has_header("Access-Control-Allow-Origin"));
    }
  }
}

TEST_CASE("keys appear nowhere after creation: answers, the log, the database files") {
  TestServer s({"--log-requests", "--rate-ip-per-minute", "0", "--rate-email-per-hour", "0"});
  const Api a = s.api();
  const StoreA store_a = seed_store_a(a);
  std::vector<std::string> keys = {s.secret,
                                   s.create_key("shop", "publishable", {kShopA}),
                                   s.create_key("shop", "publishable"),
                                   s.create_key("shop", "secret"),
                                   s.create_key("b-shop", "secret"),
                                   s.create_key("b-shop", "publishable", {"https://b.example"})};
  // Every route, with every key, from no origin and from the allowed one; and keys where they
  // don't belong: in the query string and in other headers.
  std::vector<HttpResponse> answers;
  for (const std::string& key : keys) {
    const Api api = s.api(key);
    for (const RouteSpec& route : kRoutes) {
      const std::string target = target_for(route, store_a);
      answers.push_back(call(api, route, target));
      answers.push_back(call(api, route, target, {{"Origin", kShopA}}));
    }
    answers.push_back(s.api("").get("/api/v1/products?key=" + key + "&api_key=" + key));
    answers.push_back(s.api("").get("/healthz?key=" + key));
    answers.push_back(a.get("/api/v1/products?search=" + key));
    answers.push_back(s.api("").get("/api/v1/events", {{"X-Api-Key", key}}));
    answers.push_back(s.api("").get("/api/v1/events", {{"Authorization", "Bearer " + key + "x"}}));
    answers.push_back(s.api("").get("/api/v1/events", {{"Authorization", "Basic " + key}}));
  }
  REQUIRE(answers.size() > 200);
  for (const HttpResponse& r : answers) {
    REQUIRE(r.status > 0);
    const std::string seen = everything(r);
    for (const std::string& key : keys) {
      INFO("answer " << r.status << ": " << r.body.substr(0, 300));
      CHECK(seen.find(key) == std::string::npos);
      CHECK(seen.find(key.substr(3)) == std::string::npos);
    }
  }

  // The database, while the server runs (the keys' rows may still be in the WAL) and after a
  // clean stop: the SHA-256 of each key is there, the key is not.
  const auto check_files = [&](const char* when) {
    const std::string bytes = database_bytes(s.db);
    REQUIRE(!bytes.empty());
    for (const std::string& key : keys) {
      INFO(when << ": key " << key.substr(0, 3) << "...");
      CHECK(bytes.find(key) == std::string::npos);
      CHECK(bytes.find(key.substr(3)) == std::string::npos);
      CHECK(bytes.find(key.substr(3, 20)) == std::string::npos);
      CHECK(bytes.find(sha256(key)) != std::string::npos);  // proves these are the right files
    }
  };
  check_files("while serving");
  CHECK(s.server.stop() == 0);
  check_files("after a clean stop");

  // The server's own output: the request log (stderr) and stdout.
  const std::string log = s.server.stderr_text() + s.server.stdout_text();
  REQUIRE(log.find("GET /api/v1/products") != std::string::npos);  // the log was on
  for (const std::string& key : keys) {
    CHECK(log.find(key) == std::string::npos);
    CHECK(log.find(key.substr(3)) == std::string::npos);
  }
}

TEST_CASE("every wrong key gets the same 401 answer") {
  TestServer s;
  const std::string key = s.secret;
  const std::string pk = s.create_key("shop", "publishable");
  const char last = key.back() == 'a' ? 'b' : 'a';
  struct Wrong {
    const char* what;
    std::string key;
  };
  const std::vector<Wrong> wrong = {
      {"the last character changed", key.substr(0, key.size() - 1) + last},
      {"the first character after the prefix changed",
       key.substr(0, 3) + (key[3] == 'a' ? 'b' : 'a') + key.substr(4)},
      {"one character short", key.substr(0, key.size() - 1)},
      {"one character long", key + "a"},
      {"the right prefix, an unknown body", "sk_" + std::string(40, 'Z')},
      {"a publishable key relabelled secret", "sk_" + pk.substr(3)},
      {"a secret key relabelled publishable", "pk_" + key.substr(3)},
      {"the prefix only", "sk_"},
  };
  const std::vector<std::string> targets = {"/api/v1/products", "/api/v1/events",
                                            "/api/v1/products/SKU-1"};
  for (const std::string& target : targets) {
    const HttpResponse reference = s.api("sk_" + std::string(40, '0')).get(target);
    CHECK_ERROR(reference, 401, "unauthorized");
    for (const Wrong& w : wrong) {
      INFO(target << " with " << std::string(w.what) << ": " << w.key);
      const HttpResponse r = s.api(w.key).get(target);
      CHECK_ERROR(r, 401, "unauthorized");
      // The same answer, but for the request's own id.
      json body = r.json(), expected = reference.json();
      CHECK(body["requestId"] != expected["requestId"]);
      body.erase("requestId");
      expected.erase("requestId");
      CHECK(body == expected);
      CHECK(r.header("WWW-Authenticate") == reference.header("WWW-Authenticate"));
    }
  }
  // And the real key still works: nothing above locked it out.
  CHECK_STATUS(s.api().get("/api/v1/products"), 200);
}

TEST_CASE("keys are well formed and never repeat (100 creations)") {
  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  std::set<std::string> keys;
  const std::regex shape("(sk|pk)_[0-9A-Za-z]{40}");
  for (int i = 0; i < 100; ++i) {
    const std::string kind = i % 2 ? "publishable" : "secret";
    const std::string key = create_key(db, i % 3 ? "shop" : "other", kind);
    INFO("key " << i << ": " << key);
    CHECK(std::regex_match(key, shape));
    CHECK(key.substr(0, 3) == (kind == "secret" ? "sk_" : "pk_"));
    CHECK(keys.insert(key).second);
  }
  CHECK(keys.size() == 100);
  // Each one works, for its own store only; none is in the file.
  ServerProcess server(db);
  const std::string bytes = database_bytes(db);
  int secret_ok = 0;
  for (const std::string& key : keys) {
    CHECK(bytes.find(key.substr(3)) == std::string::npos);
    if (key.rfind("sk_", 0) != 0) continue;
    secret_ok += Api(server.host(), server.port(), key).get("/api/v1/products").status == 200;
  }
  CHECK(secret_ok == 50);
}
