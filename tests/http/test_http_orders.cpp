// Stock-only updates, orders and conversions (README: Update stock; Orders and conversions):
// POST /api/v1/inventory, POST /api/v1/orders, GET /api/v1/stats/conversions, and what an order
// does to its buyer's back-in-stock requests.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/timestamp.hpp"
#include "hostile_support.hpp"
#include "http_checks.hpp"
#include "webhook_receiver.hpp"
#include "webhook_signature.hpp"

using namespace stockbell::testing;
using stockbell::testing::hostile::feed_events;
using stockbell::testing::hostile::store_snapshot;

namespace {

json sweater(bool medium_in_stock) {
  return {
      {"productId", "SWEATER"},
      {"title", "Merino sweater"},
      {"url", "https://shop.example/sweater"},
      {"currency", "USD"},
      {"variants",
       {{{"variantId", "SW-S"}, {"title", "S"}, {"priceCents", 8900}, {"inventoryQuantity", 4}},
        {{"variantId", "SW-M"},
         {"title", "M"},
         {"priceCents", 8900},
         {"sku", "MER-M"},
         {"imageUrl", "https://cdn.example/m.jpg"},
         {"inStock", medium_in_stock},
         {"inventoryQuantity", 0}},
        {{"variantId", "SW-L"}, {"title", "L"}, {"priceCents", 9400}, {"inventoryQuantity", 0}}}}};
}

json get_product(const Api& api, const std::string& id) {
  const HttpResponse r = api.get("/api/v1/products/" + url_encode(id));
  REQUIRE_STATUS(r, 200);
  return r.json()["product"];
}

json variant_of_id(const json& product, const std::string& id) {
  for (const json& v : product["variants"])
    if (v["variantId"] == id) return v;
  FAIL("no variant " << id);
  return {};
}

json request_by_id(const Api& api, const std::string& id) {
  for (const json& r : hostile::list_all(api, "/api/v1/back-in-stock", "requests"))
    if (r["id"] == id) return r;
  FAIL("no request " << id);
  return {};
}

std::string wait_for(const Api& api, const std::string& product, const std::string& variant,
                     const std::string& email) {
  const HttpResponse r = api.register_request(request_body(product, variant, email));
  REQUIRE_STATUS(r, 200);
  return r.json()["requestId"];
}

HttpResponse inventory(const Api& api, const json& items) {
  return api.post("/api/v1/inventory", {{"items", items}});
}

json order(const std::string& id, const std::string& status, const std::string& email,
           const json& items, int64_t total = 8900) {
  return {{"orderId", id},
          {"status", status},
          {"totalCents", total},
          {"currency", "USD"},
          {"customer", {{"email", email}}},
          {"items", items}};
}

json medium(int quantity = 1) {
  return json::array({{{"productId", "SWEATER"},
                       {"variantId", "SW-M"},
                       {"title", "Merino sweater"},
                       {"quantity", quantity},
                       {"priceCents", 8900}}});
}

size_t count_type(const json& events, const std::string& type) {
  size_t n = 0;
  for (const json& e : events) n += e["type"] == type;
  return n;
}

json conversions(const Api& api, const std::string& q = {}) {
  const HttpResponse r = api.get("/api/v1/stats/conversions" + q);
  REQUIRE_STATUS(r, 200);
  return r.json()["stats"];
}

}  // namespace

// ---- POST /api/v1/inventory -------------------------------------------------------------------

TEST_CASE("inventory: a restock notifies, and touches nothing but stock") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({sweater(false)})), 200);
  const std::string waiting = wait_for(api, "SWEATER", "SW-M", "ada@example.com");
  const json before = get_product(api, "SWEATER");

  const HttpResponse r = inventory(
      api,
      json::array({{{"productId", "SWEATER"}, {"variantId", "SW-M"}, {"inventoryQuantity", 5}}}));
  REQUIRE_STATUS(r, 200);
  CHECK(r.body ==
        R"({"success":true,"updated":1,"backInStockEventsTriggered":1,"items":[)"
        R"({"productId":"SWEATER","variantId":"SW-M","inStock":true,"inventoryQuantity":5}]})");
  CHECK(request_by_id(api, waiting)["status"] == "notified");

  // Everything but M's stock is as it was: title, prices, images, the other variants, the list.
  json after = get_product(api, "SWEATER");
  CHECK(after["variants"][1]["inStock"] == true);
  CHECK(after["variants"][1]["inventoryQuantity"] == 5);
  after["variants"][1]["inStock"] = before["variants"][1]["inStock"];
  after["variants"][1]["inventoryQuantity"] = before["variants"][1]["inventoryQuantity"];
  after.erase("updatedAt");
  json expected = before;
  expected.erase("updatedAt");
  CHECK(after == expected);

  // The same push again notifies nobody.
  const HttpResponse again = inventory(
      api,
      json::array({{{"productId", "SWEATER"}, {"variantId", "SW-M"}, {"inventoryQuantity", 5}}}));
  REQUIRE_STATUS(again, 200);
  CHECK(again.json()["backInStockEventsTriggered"] == 0);
  CHECK(count_type(feed_events(api), "ecommerce.back_in_stock") == 1);
}

TEST_CASE("inventory: unknown items are a 404 naming each, and nothing changes") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({sweater(false)})), 200);
  wait_for(api, "SWEATER", "SW-M", "ada@example.com");
  const json before = store_snapshot(api);
  const HttpResponse r = inventory(
      api, json::array({
               {{"productId", "SWEATER"}, {"variantId", "SW-M"}, {"inventoryQuantity", 9}},
               {{"productId", "SWEATER"}, {"variantId", "SW-XL"}, {"inStock", true}},
               {{"productId", "GHOST"}, {"inventoryQuantity", 1}},
           }));
  CHECK_ERROR(r, 404, "not_found");
  CHECK(detail_fields(r.json()) ==
        std::vector<std::string>{"items[1].variantId", "items[2].productId"});
  CHECK(detail_code(r.json(), "items[1].variantId") == "not_in_catalog");
  CHECK(store_snapshot(api) == before);  // M was not restocked, nobody notified
}

TEST_CASE("inventory: every problem of a body, by path; media type and size") {
  TestServer s;
  const Api api = s.api();
  HttpResponse r =
      inventory(api, json::array({{{"productId", "A"}}, {{"productId", "B"}, {"inStock", "yes"}}}));
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_fields(r.json()) ==
        std::vector<std::string>{"items[0].inventoryQuantity", "items[1].inStock"});
  r = api.post("/api/v1/inventory", json::object());
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "items") == "required");
  CHECK_ERROR(api.post_raw("/api/v1/inventory", R"({"items":[]})", "text/plain"), 415,
              "unsupported_media_type");
  CHECK_ERROR(api.post_raw("/api/v1/inventory", "{\"items\":[", "application/json"), 400,
              "invalid_json");
}

TEST_CASE("inventory: a product without variants, by inStock or by quantity") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(
      api.upsert(json::array({{{"productId", "MUG"}, {"title", "Mug"}, {"inStock", false}}})), 200);
  const std::string waiting = wait_for(api, "MUG", "MUG", "bo@example.com");
  HttpResponse r = inventory(api, json::array({{{"productId", "MUG"}, {"inventoryQuantity", 0}}}));
  REQUIRE_STATUS(r, 200);
  CHECK(r.json()["backInStockEventsTriggered"] == 0);
  r = inventory(api, json::array({{{"productId", "MUG"}, {"inventoryQuantity", 3}}}));
  REQUIRE_STATUS(r, 200);
  CHECK(r.json()["backInStockEventsTriggered"] == 1);
  CHECK(get_product(api, "MUG")["title"] == "Mug");
  CHECK(request_by_id(api, waiting)["status"] == "notified");
}

TEST_CASE("inventory: racing pushes of the same restock notify each request exactly once") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({sweater(false)})), 200);
  constexpr int kWaiting = 60;
  for (int i = 0; i < kWaiting; ++i)
    wait_for(api, "SWEATER", "SW-M", "shopper" + std::to_string(i) + "@example.com");
  constexpr int kPushers = 8;
  std::atomic<long long> triggered{0};
  std::atomic<int> ok{0};
  std::mutex mutex;
  std::condition_variable go;
  bool started = false;
  std::vector<std::thread> threads;
  for (int t = 0; t < kPushers; ++t) {
    threads.emplace_back([&, t] {
      {
        std::unique_lock<std::mutex> lock(mutex);
        go.wait(lock, [&] { return started; });
      }
      const HttpResponse r = inventory(
          api,
          json::array(
              {{{"productId", "SWEATER"}, {"variantId", "SW-M"}, {"inventoryQuantity", 10 + t}}}));
      if (r.status != 200) return;
      ++ok;
      triggered += r.json()["backInStockEventsTriggered"].get<long long>();
    });
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    started = true;
  }
  go.notify_all();
  for (std::thread& t : threads) t.join();
  CHECK(ok == kPushers);
  CHECK(triggered == kWaiting);
  CHECK(count_type(feed_events(api, "ecommerce.back_in_stock"), "ecommerce.back_in_stock") ==
        kWaiting);
  CHECK(hostile::list_all(api, "/api/v1/back-in-stock", "requests", "&status=notified").size() ==
        kWaiting);
}

// ---- POST /api/v1/orders ----------------------------------------------------------------------

TEST_CASE("orders: 202 in Sequenzy's shape; validation by path") {
  TestServer s;
  const Api api = s.api();
  const HttpResponse r =
      api.post("/api/v1/orders", {{"orderId", "1001"}, {"totalCents", 4500}, {"currency", "eur"}});
  CHECK_STATUS(r, 202);
  CHECK(r.body == R"({"success":true,"queued":true,"orderId":"1001","status":"placed"})");
  const HttpResponse bad = api.post("/api/v1/orders", {{"orderId", ""},
                                                       {"status", "shipped"},
                                                       {"totalCents", "45"},
                                                       {"items", {{{"productId", "P"}}}}});
  CHECK_ERROR(bad, 400, "validation_failed");
  CHECK(detail_fields(bad.json()) == std::vector<std::string>{"orderId", "status", "totalCents",
                                                              "currency", "items[0].title",
                                                              "items[0].quantity"});
  CHECK(feed_events(api).size() == 1);  // only the valid order's ecommerce.order_placed
}

TEST_CASE("orders: a placed order ends the buyer's waiting requests for what was bought") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({sweater(false)})), 200);
  const std::string medium_wait = wait_for(api, "SWEATER", "SW-M", "ada@example.com");
  const std::string product_wait = wait_for(api, "SWEATER", "SWEATER", "ada@example.com");
  const std::string large_wait = wait_for(api, "SWEATER", "SW-L", "ada@example.com");
  const std::string other_buyer = wait_for(api, "SWEATER", "SW-M", "bo@example.com");
  REQUIRE_STATUS(api.post("/api/v1/orders", order("1001", "placed", "ADA@example.com", medium())),
                 202);
  CHECK(request_by_id(api, medium_wait)["status"] == "purchased");
  CHECK(request_by_id(api, medium_wait)["orderId"] == "1001");
  CHECK(request_by_id(api, medium_wait)["convertedAt"].is_null());
  CHECK(request_by_id(api, product_wait)["status"] == "purchased");  // a wait on the product itself
  CHECK(request_by_id(api, large_wait)["status"] == "waiting");      // another variant
  CHECK(request_by_id(api, other_buyer)["status"] == "waiting");     // another buyer
  // A restock later notifies only those still waiting.
  const HttpResponse restock = inventory(
      api,
      json::array({{{"productId", "SWEATER"}, {"variantId", "SW-M"}, {"inventoryQuantity", 3}}}));
  CHECK(restock.json()["backInStockEventsTriggered"] == 1);
  CHECK(conversions(api)["purchasedWhileWaiting"] == 2);
}

TEST_CASE("orders: a purchase after an alert converts that request, with the item's revenue") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({sweater(false)})), 200);
  const std::string alerted = wait_for(api, "SWEATER", "SW-M", "ada@example.com");
  const std::string not_bought = wait_for(api, "SWEATER", "SW-L", "ada@example.com");
  REQUIRE_STATUS(api.upsert(json::array({sweater(true)})), 200);
  REQUIRE(request_by_id(api, alerted)["status"] == "notified");

  REQUIRE_STATUS(
      api.post("/api/v1/orders", order("1001", "placed", "ada@example.com", medium(2), 17800)),
      202);
  const json converted = request_by_id(api, alerted);
  CHECK(converted["status"] == "notified");
  CHECK(converted["orderId"] == "1001");
  CHECK(matches(converted["convertedAt"], kTimestamp));
  CHECK(converted["revenueCents"] == 17800);  // 2 × 8900
  CHECK(converted["revenueCurrency"] == "USD");
  CHECK(request_by_id(api, not_bought)["convertedAt"].is_null());

  const json stats = conversions(api);
  CHECK(stats["notified"] == 1);
  CHECK(stats["totals"] ==
        json::array({{{"currency", "USD"}, {"conversions", 1}, {"revenueCents", 17800}}}));
  CHECK(stats["products"] == json::array({{{"productId", "SWEATER"},
                                           {"currency", "USD"},
                                           {"conversions", 1},
                                           {"revenueCents", 17800}}}));
  REQUIRE(stats["timeline"].size() == 1);
  CHECK(stats["timeline"][0]["conversions"] == 1);
}

TEST_CASE("orders: pushed again, never counted twice; each status recorded once") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({sweater(false)})), 200);
  wait_for(api, "SWEATER", "SW-M", "ada@example.com");
  REQUIRE_STATUS(api.upsert(json::array({sweater(true)})), 200);
  for (int i = 0; i < 3; ++i)
    REQUIRE_STATUS(api.post("/api/v1/orders", order("1001", "placed", "ada@example.com", medium())),
                   202);
  for (int i = 0; i < 2; ++i)
    REQUIRE_STATUS(
        api.post("/api/v1/orders", order("1001", "fulfilled", "ada@example.com", medium())), 202);
  const json events = feed_events(api);
  CHECK(count_type(events, "ecommerce.order_placed") == 1);
  CHECK(count_type(events, "ecommerce.order_fulfilled") == 1);
  CHECK(conversions(api)["totals"][0]["conversions"] == 1);
  // The event carries the order as it was at that status.
  for (const json& e : events)
    if (e["type"] == "ecommerce.order_fulfilled") {
      CHECK(e["order"]["status"] == "fulfilled");
      CHECK(e["order"]["orderId"] == "1001");
      CHECK(e["order"]["items"][0]["variantId"] == "SW-M");
    }
}

TEST_CASE("orders: refunds and cancellations reverse a conversion; a purchase again restores it") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({sweater(false)})), 200);
  const std::string alerted = wait_for(api, "SWEATER", "SW-M", "ada@example.com");
  REQUIRE_STATUS(api.upsert(json::array({sweater(true)})), 200);
  REQUIRE_STATUS(api.post("/api/v1/orders", order("1001", "placed", "ada@example.com", medium())),
                 202);
  REQUIRE(conversions(api)["totals"].size() == 1);

  json refunded = order("1001", "refunded", "ada@example.com", medium());
  refunded["refundAmountCents"] = 8900;
  REQUIRE_STATUS(api.post("/api/v1/orders", refunded), 202);
  CHECK(conversions(api)["totals"] == json::array());
  const json reversed = request_by_id(api, alerted);
  CHECK(reversed["convertedAt"].is_null());
  CHECK(reversed["revenueCents"].is_null());
  CHECK(reversed["orderId"].is_null());
  CHECK(count_type(feed_events(api), "ecommerce.order_refunded") == 1);

  // A shop that puts the order back (WooCommerce lets a merchant): it counts again, once.
  REQUIRE_STATUS(api.post("/api/v1/orders", order("1001", "placed", "ada@example.com", medium())),
                 202);
  CHECK(conversions(api)["totals"][0]["conversions"] == 1);
  REQUIRE_STATUS(
      api.post("/api/v1/orders", order("1001", "cancelled", "ada@example.com", medium())), 202);
  CHECK(conversions(api)["totals"] == json::array());
  CHECK(request_by_id(api, alerted)["convertedAt"].is_null());
}

TEST_CASE("orders: outside the attribution window, or the window set to 0, nothing converts") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({sweater(false)})), 200);
  const std::string alerted = wait_for(api, "SWEATER", "SW-M", "ada@example.com");
  REQUIRE_STATUS(api.upsert(json::array({sweater(true)})), 200);
  // Bought before the alert (orderedAt in the past): not a conversion.
  json before_alert = order("1000", "placed", "ada@example.com", medium());
  before_alert["orderedAt"] = "2020-01-01T00:00:00Z";
  REQUIRE_STATUS(api.post("/api/v1/orders", before_alert), 202);
  CHECK(request_by_id(api, alerted)["convertedAt"].is_null());
  // Eight days after the alert, with the default window of 7: not a conversion.
  const std::string notified_at = request_by_id(api, alerted)["notifiedAt"];
  const int64_t later = *stockbell::parse_timestamp(notified_at) + 8LL * 86'400'000;
  json late = order("1002", "placed", "ada@example.com", medium());
  late["orderedAt"] = stockbell::format_timestamp(later);
  REQUIRE_STATUS(api.post("/api/v1/orders", late), 202);
  CHECK(request_by_id(api, alerted)["convertedAt"].is_null());
  // With a 30-day window, an order at the same distance converts.
  REQUIRE_STATUS(api.send("PATCH", "/api/v1/settings", R"({"attributionWindowDays":30})", {},
                          "application/json"),
                 200);
  late["orderId"] = "1003";
  REQUIRE_STATUS(api.post("/api/v1/orders", late), 202);
  const json converted = request_by_id(api, alerted);
  CHECK(converted["orderId"] == "1003");
  CHECK(converted["convertedAt"] ==
        late["orderedAt"]);  // a conversion counts on the purchase's day
}

TEST_CASE("order events reach webhooks filtered to them, signed like every delivery") {
  WebhookReceiver receiver;
  TestServer s;
  const Api api = s.api();
  const HttpResponse hook = api.post(
      "/api/v1/webhooks", {{"url", receiver.url()}, {"events", {"ecommerce.order_placed"}}});
  REQUIRE_STATUS(hook, 200);
  CHECK(hook.json()["webhook"]["events"] == json::array({"ecommerce.order_placed"}));
  REQUIRE_STATUS(api.upsert(json::array({sweater(false)})), 200);
  wait_for(api, "SWEATER", "SW-M", "ada@example.com");  // a requested event: not for this hook
  REQUIRE_STATUS(api.post("/api/v1/orders", order("1001", "placed", "ada@example.com", medium())),
                 202);
  REQUIRE_STATUS(
      api.post("/api/v1/orders", order("1001", "cancelled", "ada@example.com", medium())), 202);
  REQUIRE(receiver.wait_for_count(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::vector<ReceivedRequest> got = receiver.requests();
  REQUIRE(got.size() == 1);
  CHECK(got[0].header("Stockbell-Event-Type") == "ecommerce.order_placed");
  const json body = json::parse(got[0].body);
  CHECK(body["order"]["orderId"] == "1001");
  CHECK(body["order"]["customer"]["email"] == "ada@example.com");
  // Byte for byte what the feed shows.
  for (const json& e : feed_events(api, "ecommerce.order_placed")) CHECK(e == body);
  const std::string secret = hook.json()["webhook"]["secret"];
  CHECK(v1_signatures(got[0].header("Stockbell-Signature")).front() ==
        expected_signature(secret, got[0].header("Stockbell-Timestamp"), got[0].body));
}

// ---- the README's stock example ----------------------------------------------------------

namespace {

/// The JSON after `-d '` of the README's first `sh` block that calls `path`.
json readme_body(const std::string& path) {
  const std::string readme = hostile::read_file_bytes(STOCKBELL_README_PATH);
  const size_t call = readme.find(path + " -H");
  REQUIRE(call != std::string::npos);
  const size_t start = readme.find("-d '", call);
  REQUIRE(start != std::string::npos);
  const size_t end = readme.find("'", start + 4);
  return json::parse(readme.substr(start + 4, end - start - 4));
}

}  // namespace

TEST_CASE("the README's restock example, pasted against the demo store, changes stock only") {
  TempDir dir;
  ServerProcess::Options options;
  options.args = {"--db", dir.file("stockbell.db"), "--port", "0", "--demo"};
  options.log_path = dir.file("stderr.log");
  ServerProcess server(options);
  server.read_line();  // the demo storefront's address
  const std::string line = server.read_line();
  const std::string key = line.substr(line.rfind(' ') + 1);
  REQUIRE(key.rfind("sk_", 0) == 0);
  const Api api(server.host(), server.port(), key);
  const json before = get_product(api, "SKU-PROTEIN-1KG");
  REQUIRE(variant_of_id(before, "SKU-PROTEIN-1KG-VANILLA")["inStock"] == false);

  const json body = readme_body("$S/api/v1/inventory");
  const HttpResponse r = api.post("/api/v1/inventory", body);
  REQUIRE_STATUS(r, 200);
  json after = get_product(api, "SKU-PROTEIN-1KG");
  CHECK(after["title"] == before["title"]);
  CHECK(after["variants"].size() == before["variants"].size());
  CHECK(variant_of_id(after, "SKU-PROTEIN-1KG-VANILLA")["inStock"] == true);
  CHECK(variant_of_id(after, "SKU-PROTEIN-1KG-VANILLA")["inventoryQuantity"] ==
        body["items"][0]["inventoryQuantity"]);
  for (json& v : after["variants"])
    if (v["variantId"] == "SKU-PROTEIN-1KG-VANILLA")
      v = variant_of_id(before, "SKU-PROTEIN-1KG-VANILLA");
  after.erase("updatedAt");
  json expected = before;
  expected.erase("updatedAt");
  CHECK(after == expected);
}
