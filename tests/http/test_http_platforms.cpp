// Store platforms (README: Shopify and WooCommerce): connecting, the signed webhook receivers
// replaying the research fixtures (tests/fixtures/platforms) against the real binary, and
// Sequenzy's WooCommerce storefront capture.

#include <chrono>
#include <thread>

#include "core/timestamp.hpp"
#include "hostile_support.hpp"
#include "http_checks.hpp"
#include "platform_support.hpp"

using namespace stockbell::testing;
using stockbell::testing::hostile::feed_events;
using stockbell::testing::hostile::list_all;
using stockbell::testing::hostile::store_snapshot;

namespace {

json product(const Api& api, const std::string& id) {
  const HttpResponse r = api.get("/api/v1/products/" + url_encode(id));
  REQUIRE_STATUS(r, 200);
  return r.json()["product"];
}

json variant_of(const json& p, const std::string& id) {
  for (const json& v : p["variants"])
    if (v["variantId"] == id) return v;
  FAIL("no variant " << id << " in " << p.dump());
  return {};
}

json request_by_id(const Api& api, const std::string& id) {
  for (const json& r : list_all(api, "/api/v1/back-in-stock", "requests"))
    if (r["id"] == id) return r;
  FAIL("no request " << id);
  return {};
}

size_t count_type(const json& events, const std::string& type) {
  size_t n = 0;
  for (const json& e : events) n += e["type"] == type;
  return n;
}

std::string wait_for(const Api& api, const std::string& product_id, const std::string& variant,
                     const std::string& email) {
  const HttpResponse r = api.register_request(request_body(product_id, variant, email));
  REQUIRE_STATUS(r, 200);
  return r.json()["requestId"];
}

/// Sends a delivery, expecting 200 and the outcome; returns the answer's JSON.
json deliver(const Api& anonymous, const std::string& hook, const Delivery& d,
             const std::string& outcome = "applied") {
  const HttpResponse r = send_delivery(anonymous, hook, d);
  INFO(d.file << ": " << d.expect);
  REQUIRE_STATUS(r, 200);
  CHECK(r.json()["outcome"] == outcome);
  return r.json();
}

std::string now_rfc3339() {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return stockbell::format_timestamp(now.count());
}

}  // namespace

// ---- connecting -------------------------------------------------------------------------------

TEST_CASE("connecting: the URL to paste, never the secret; again keeps the URL; disconnect") {
  TestServer s;
  const Api api = s.api();
  const HttpResponse r = api.send("PUT", "/api/v1/integrations/shopify",
                                  json{{"shopDomain", "https://Stockbell-Test.myshopify.com/"},
                                       {"webhookSecret", kShopifySecret}}
                                      .dump(),
                                  {{"Host", "stockbell.shop.example"}}, "application/json");
  REQUIRE_STATUS(r, 200);
  const json integration = r.json()["integration"];
  CHECK(integration["platform"] == "shopify");
  CHECK(integration["shopDomain"] == kShopDomain);
  CHECK(matches(
      integration["webhookUrl"],
      "http://stockbell\\.shop\\.example/api/v1/integrations/shopify/webhook/[0-9A-Za-z]{40}"));
  CHECK(r.body.find(kShopifySecret) == std::string::npos);

  // A new secret: the same address, so what is pasted in Shopify keeps working.
  const HttpResponse again =
      api.send("PUT", "/api/v1/integrations/shopify",
               json{{"shopDomain", kShopDomain}, {"webhookSecret", "rotated"}}.dump(),
               {{"Host", "stockbell.shop.example"}}, "application/json");
  REQUIRE_STATUS(again, 200);
  CHECK(again.json()["integration"]["webhookUrl"] == integration["webhookUrl"]);
  const std::string hook = connect_woocommerce(api);
  const HttpResponse list = api.get("/api/v1/integrations");
  REQUIRE_STATUS(list, 200);
  CHECK(list.json()["integrations"].size() == 2);
  CHECK(list.body.find("rotated") == std::string::npos);
  CHECK(list.body.find(kWooSecret) == std::string::npos);

  // The old secret no longer verifies; the new one does.
  const std::string shop_hook = integration["webhookUrl"].get<std::string>().substr(
      integration["webhookUrl"].get<std::string>().find("/api/v1/"));
  const Delivery step1 = delivery_step("shopify", 1);
  CHECK_ERROR(send_delivery(s.api(""), shop_hook, step1), 401, "unauthorized");
  CHECK_STATUS(
      send_delivery(s.api(""), shop_hook, step1.with_body(step1.body, "rotated", "new-id")), 200);

  // Disconnecting: the address is gone.
  REQUIRE_STATUS(api.del("/api/v1/integrations/woocommerce"), 200);
  CHECK_ERROR(api.del("/api/v1/integrations/woocommerce"), 404, "not_found");
  CHECK_ERROR(api.del("/api/v1/integrations/magento"), 404, "not_found");
  CHECK_ERROR(send_delivery(s.api(""), hook, delivery_step("woocommerce", 2)), 404, "not_found");
  CHECK(api.get("/api/v1/integrations").json()["integrations"].size() == 1);
}

TEST_CASE("connecting: every problem by path; one store per WooCommerce site") {
  TestServer s;
  const Api api = s.api();
  HttpResponse r =
      api.send("PUT", "/api/v1/integrations/shopify",
               R"({"shopDomain":"shop.example","secret":"x"})", {}, "application/json");
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_fields(r.json()) ==
        std::vector<std::string>{"shopDomain", "webhookSecret", "secret"});
  CHECK(detail_code(r.json(), "shopDomain") == "invalid_shop_domain");
  r = api.send("PUT", "/api/v1/integrations/woocommerce",
               R"({"storeUrl":"ftp://x","webhookSecret":"s"})", {}, "application/json");
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "storeUrl") == "invalid_url");
  connect_woocommerce(api);
  const Api other = s.api(s.create_key("other-shop", "secret"));
  r = other.send("PUT", "/api/v1/integrations/woocommerce",
                 json{{"storeUrl", "https://WOO.example.test/"}, {"webhookSecret", "s"}}.dump(), {},
                 "application/json");
  CHECK_ERROR(r, 409, "conflict");
}

// ---- Shopify ----------------------------------------------------------------------------------

TEST_CASE("Shopify: the fixture chain, step by step, with the effects the research expects") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  const std::string hook = connect_shopify(api);
  const std::string medium_wait =
      wait_for(api, "8412345670002", "45123456780012", "grace@example.com");
  const std::string mug_wait = wait_for(api, "8412345670003", "45123456780021", "bo@example.com");
  std::map<int, Delivery> step;
  for (const Delivery& d : deliveries("shopify"))
    if (d.step) step.emplace(*d.step, d);

  deliver(anonymous, hook, step.at(1));
  json tote = product(api, "8412345670001");
  CHECK(tote["title"] == "Canvas Tote Bag");
  CHECK(tote["currency"] == "USD");
  CHECK(tote["url"] == "https://stockbell-test.myshopify.com/products/canvas-tote-bag");
  CHECK(variant_of(tote, "45123456780001")["priceCents"] == 1999);
  CHECK(variant_of(tote, "45123456780001")["inventoryQuantity"] == 12);
  CHECK(variant_of(tote, "45123456780001")["inStock"] == true);

  deliver(anonymous, hook, step.at(2));
  CHECK(variant_of(product(api, "8412345670002"), "45123456780012")["inStock"] == false);
  CHECK(request_by_id(api, medium_wait)["status"] == "waiting");

  // Step 3: an inventory level (no variant id) restocks M through the learnt item → variant map.
  CHECK(deliver(anonymous, hook, step.at(3))["backInStockEventsTriggered"] == 1);
  CHECK(request_by_id(api, medium_wait)["status"] == "notified");
  CHECK(variant_of(product(api, "8412345670002"), "45123456780012")["inventoryQuantity"] == 5);
  // Step 4: the product update of the same change: no second notification.
  CHECK(deliver(anonymous, hook, step.at(4))["backInStockEventsTriggered"] == 0);
  // Step 5: a second location: levels are summed (5 + 1).
  deliver(anonymous, hook, step.at(5));
  CHECK(variant_of(product(api, "8412345670002"), "45123456780012")["inventoryQuantity"] == 6);
  // Step 6: API 2025-07 without inventory_management: still tracked (a quantity is kept).
  deliver(anonymous, hook, step.at(6));
  json sweater = product(api, "8412345670002");
  CHECK(variant_of(sweater, "45123456780012")["inventoryQuantity"] == 6);
  CHECK(variant_of(sweater, "45123456780011")["inventoryQuantity"] == 4);
  CHECK(count_type(feed_events(api), "ecommerce.back_in_stock") == 1);

  // Step 7: continue selling: in stock at -2, and the mug's waiting shopper is notified.
  CHECK(deliver(anonymous, hook, step.at(7))["backInStockEventsTriggered"] == 1);
  const json mug = variant_of(product(api, "8412345670003"), "45123456780021");
  CHECK(mug["inStock"] == true);
  CHECK(mug["inventoryQuantity"] == -2);
  CHECK(request_by_id(api, mug_wait)["status"] == "notified");
  // Step 8: untracked: in stock at 0, no quantity kept.
  deliver(anonymous, hook, step.at(8));
  const json planter = variant_of(product(api, "8412345670004"), "45123456780031");
  CHECK(planter["inStock"] == true);
  CHECK(planter["inventoryQuantity"].is_null());

  // Steps 9-11: the order, a partial refund, the cancellation.
  deliver(anonymous, hook, step.at(9));
  deliver(anonymous, hook, step.at(10));
  deliver(anonymous, hook, step.at(11));
  json events = feed_events(api);
  CHECK(count_type(events, "ecommerce.order_placed") == 1);
  CHECK(count_type(events, "ecommerce.order_cancelled") == 1);
  for (const json& e : events)
    if (e["type"] == "ecommerce.order_placed") {
      CHECK(e["order"]["orderId"] == "6012345678901");
      CHECK(e["order"]["source"] == "shopify");
      CHECK(e["order"]["totalCents"] == 13498);
      CHECK(e["order"]["items"].size() == 2);
    } else if (e["type"] == "ecommerce.order_cancelled") {
      CHECK(e["order"]["refundAmountCents"] == 13498);
    }

  // Step 12: variant L is gone from the complete list; M keeps 6.
  deliver(anonymous, hook, step.at(12));
  sweater = product(api, "8412345670002");
  CHECK(sweater["variants"].size() == 2);
  CHECK(variant_of(sweater, "45123456780012")["inventoryQuantity"] == 6);
  // Step 13: the mug is deleted.
  deliver(anonymous, hook, step.at(13));
  CHECK_ERROR(api.get("/api/v1/products/8412345670003"), 404, "not_found");

  // The delivery signed with another secret: 401, nothing changes.
  const json before = store_snapshot(api);
  for (const Delivery& d : deliveries("shopify"))
    if (!d.step) CHECK_ERROR(send_delivery(anonymous, hook, d), 401, "unauthorized");
  CHECK(store_snapshot(api) == before);
}

TEST_CASE("Shopify: signatures valid, invalid, missing; the raw bytes are what is signed") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  const std::string hook = connect_shopify(api);
  const json before = store_snapshot(api);
  Delivery d = delivery_step("shopify", 1);
  // Missing.
  Delivery unsigned_delivery = d;
  unsigned_delivery.headers.erase("X-Shopify-Hmac-Sha256");
  HttpResponse r = send_delivery(anonymous, hook, unsigned_delivery);
  CHECK_ERROR(r, 401, "unauthorized");
  CHECK(r.json()["error"] == "Missing X-Shopify-Hmac-Sha256 signature.");
  // Invalid: another body's signature, garbage, a truncated one, the right one on other bytes.
  for (const std::string& signature :
       {delivery_step("shopify", 2).header("X-Shopify-Hmac-Sha256"), std::string("not base64!"),
        d.header("X-Shopify-Hmac-Sha256").substr(0, 20), std::string("")}) {
    Delivery forged = d;
    forged.headers.erase("X-Shopify-Hmac-Sha256");
    forged.headers.emplace("X-Shopify-Hmac-Sha256", signature);
    CHECK_ERROR(send_delivery(anonymous, hook, forged), 401, "unauthorized");
  }
  Delivery reformatted = d;
  reformatted.body = json::parse(d.body).dump();  // same JSON, other bytes
  CHECK_ERROR(send_delivery(anonymous, hook, reformatted), 401, "unauthorized");
  // No key opens the receiver either: only the signature does.
  CHECK_ERROR(send_delivery(api, hook, reformatted), 401, "unauthorized");
  CHECK(store_snapshot(api) == before);
  // Valid.
  CHECK_STATUS(send_delivery(anonymous, hook, d), 200);
  CHECK(list_all(api, "/api/v1/products", "products").size() == 1);
  // An address no connection has.
  CHECK_ERROR(send_delivery(anonymous, "/api/v1/integrations/shopify/webhook/nope", d), 404,
              "not_found");
}

TEST_CASE("Shopify: a replayed webhook id changes nothing, also when the stock moved since") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  const std::string hook = connect_shopify(api);
  const std::string waiting = wait_for(api, "8412345670002", "45123456780012", "grace@example.com");
  deliver(anonymous, hook, delivery_step("shopify", 2));
  const Delivery restock = delivery_step("shopify", 3);
  CHECK(deliver(anonymous, hook, restock)["backInStockEventsTriggered"] == 1);
  // Sold out again (a newer level), then the old restock is delivered again: ignored.
  json sold_out = json::parse(restock.body);
  sold_out["available"] = 0;
  sold_out["updated_at"] = "2025-06-09T15:00:00-04:00";
  deliver(anonymous, hook, restock.with_body(sold_out.dump(), kShopifySecret, "sold-out-1"));
  CHECK(variant_of(product(api, "8412345670002"), "45123456780012")["inStock"] == false);
  const json before = store_snapshot(api);
  const json replay = deliver(anonymous, hook, restock, "replayed");
  CHECK(replay["backInStockEventsTriggered"] == 0);
  CHECK(store_snapshot(api) == before);
  CHECK(request_by_id(api, waiting)["status"] == "notified");
  // The same level under a new webhook id but older than the one applied: stale.
  deliver(anonymous, hook, restock.with_body(restock.body, kShopifySecret, "late-copy"), "stale");
  CHECK(variant_of(product(api, "8412345670002"), "45123456780012")["inStock"] == false);
  // Products too: the API 2025-07 update (M = 6, 06-10) and then the older one (M = 5, 06-09).
  deliver(anonymous, hook, delivery_step("shopify", 6));
  deliver(anonymous, hook, delivery_step("shopify", 4), "stale");
  CHECK(variant_of(product(api, "8412345670002"), "45123456780012")["inventoryQuantity"] == 6);
}

TEST_CASE("Shopify: an item learnt untracked stays untracked when later payloads don't say") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  const std::string hook = connect_shopify(api);
  const Delivery planter = delivery_step("shopify", 8);  // inventory_management: null
  deliver(anonymous, hook, planter);
  const std::string waiting = wait_for(api, "8412345670004", "45123456780031", "pat@example.com");
  // An API 2025-07 payload of the planter: no inventory_management, quantity 0, a day later.
  json later = json::parse(planter.body);
  later["updated_at"] = "2025-06-05T10:40:02-04:00";
  for (json& v : later["variants"]) v.erase("inventory_management");
  deliver(anonymous, hook, planter.with_body(later.dump(), kShopifySecret, "planter-2025-07"));
  const json v = variant_of(product(api, "8412345670004"), "45123456780031");
  CHECK(v["inStock"] == true);
  CHECK(v["inventoryQuantity"].is_null());
  CHECK(request_by_id(api, waiting)["status"] == "notified");
  // Shopify says it is tracked now (inventory_items/update): 0 on hand is out of stock.
  const Delivery item =
      planter.with_body(R"({"id":47234567890031,"tracked":true})", kShopifySecret, "item-1");
  Delivery tracked = item;
  tracked.headers.erase("X-Shopify-Topic");
  tracked.headers.emplace("X-Shopify-Topic", "inventory_items/update");
  deliver(anonymous, hook, tracked);
  CHECK(variant_of(product(api, "8412345670004"), "45123456780031")["inStock"] == false);
}

TEST_CASE("Shopify: a product update that restocks a variant fires exactly one event") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  const std::string hook = connect_shopify(api);
  deliver(anonymous, hook, delivery_step("shopify", 2));
  const std::string a = wait_for(api, "8412345670002", "45123456780012", "a@example.com");
  const std::string b = wait_for(api, "8412345670002", "45123456780012", "b@example.com");
  const Delivery update = delivery_step("shopify", 4);  // M: 0 → 5
  CHECK(deliver(anonymous, hook, update)["backInStockEventsTriggered"] == 2);
  // The same state again under new ids (Shopify fires products/update often): nothing more.
  for (int i = 0; i < 3; ++i)
    CHECK(deliver(anonymous, hook,
                  update.with_body(update.body, kShopifySecret,
                                   "again-" + std::to_string(i)))["backInStockEventsTriggered"] ==
          0);
  const json events = feed_events(api, "ecommerce.back_in_stock");
  CHECK(events.size() == 2);
  for (const json& e : events) {
    CHECK(e["product"]["variantId"] == "45123456780012");
    CHECK(e["product"]["variantTitle"] == "M");
    CHECK(e["product"]["priceCents"] == 8900);
  }
  CHECK(request_by_id(api, a)["status"] == "notified");
  CHECK(request_by_id(api, b)["status"] == "notified");
}

TEST_CASE("Shopify: an order after the alert converts; its cancellation reverses it") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  const std::string hook = connect_shopify(api);
  deliver(anonymous, hook, delivery_step("shopify", 2));
  const std::string waiting =
      wait_for(api, "8412345670002", "45123456780012", "ada.shopper@example.com");
  const std::string tote_wait =
      wait_for(api, "8412345670001", "45123456780001", "ada.shopper@example.com");
  deliver(anonymous, hook, delivery_step("shopify", 3));
  // The fixture order, placed now.
  const Delivery placed = delivery_step("shopify", 9);
  json body = json::parse(placed.body);
  body["processed_at"] = now_rfc3339();
  deliver(anonymous, hook, placed.with_body(body.dump(), kShopifySecret, "order-now"));
  const json converted = request_by_id(api, waiting);
  CHECK(converted["orderId"] == "6012345678901");
  CHECK(converted["revenueCents"] == 8900);
  CHECK(converted["revenueCurrency"] == "USD");
  // The tote she was still waiting for, she bought: that wait ends.
  CHECK(request_by_id(api, tote_wait)["status"] == "purchased");
  const json stats = api.get("/api/v1/stats/conversions").json()["stats"];
  CHECK(stats["totals"] ==
        json::array({{{"currency", "USD"}, {"conversions", 1}, {"revenueCents", 8900}}}));
  CHECK(stats["products"][0]["productId"] == "8412345670002");

  const Delivery cancelled = delivery_step("shopify", 11);
  json cancel_body = json::parse(cancelled.body);
  cancel_body["processed_at"] = body["processed_at"];
  deliver(anonymous, hook, cancelled.with_body(cancel_body.dump(), kShopifySecret, "cancel-now"));
  CHECK(request_by_id(api, waiting)["convertedAt"].is_null());
  CHECK(api.get("/api/v1/stats/conversions").json()["stats"]["totals"] == json::array());
}

TEST_CASE("Shopify: a JPY shop; another shop's delivery is refused") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  const std::string jp =
      connect_shopify(api, "stockbell-test-jp.myshopify.com", std::string("JPY"));
  deliver(anonymous, jp, delivery_step("shopify", 14));
  const json chopsticks = product(api, "8498765430001");
  CHECK(chopsticks["currency"] == "JPY");
  CHECK(variant_of(chopsticks, "45198765430001")["priceCents"] == 1200);
  CHECK(variant_of(chopsticks, "45198765430001")["compareAtPriceCents"] == 1500);
  deliver(anonymous, jp, delivery_step("shopify", 15));
  const json placed = feed_events(api, "ecommerce.order_placed");
  REQUIRE(placed.size() == 1);
  CHECK(placed[0]["order"]["totalCents"] == 4100);
  CHECK(placed[0]["order"]["currency"] == "JPY");
  // A delivery of the other shop, though signed with the same secret: its domain is not ours.
  const HttpResponse r = send_delivery(anonymous, jp, delivery_step("shopify", 1));
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_fields(r.json()) == std::vector<std::string>{"X-Shopify-Shop-Domain"});
}

TEST_CASE(
    "Shopify: a malformed or unknown payload is a 400 with every problem, a log line, nothing "
    "applied") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  const std::string hook = connect_shopify(api);
  deliver(anonymous, hook, delivery_step("shopify", 2));
  const json before = store_snapshot(api);
  const Delivery update = delivery_step("shopify", 4);
  json body = json::parse(update.body);
  body["variants"][0]["price"] = "89.001";
  body["variants"][2]["inventory_quantity"] = "lots";
  HttpResponse r =
      send_delivery(anonymous, hook, update.with_body(body.dump(), kShopifySecret, "bad-1"));
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_fields(r.json()) ==
        std::vector<std::string>{"variants[0].price", "variants[2].inventory_quantity"});
  CHECK(store_snapshot(api) == before);  // M's restock in the same payload was not applied
  Delivery unknown = update.with_body(update.body, kShopifySecret, "bad-2");
  unknown.headers.erase("X-Shopify-Topic");
  unknown.headers.emplace("X-Shopify-Topic", "customers/create");
  r = send_delivery(anonymous, hook, unknown);
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "X-Shopify-Topic") == "invalid_value");
  r = send_delivery(anonymous, hook, update.with_body("{\"id\":", kShopifySecret, "bad-3"));
  CHECK_ERROR(r, 400, "invalid_json");
  CHECK(store_snapshot(api) == before);
  // A refused delivery is not remembered: fixed and sent again under the same id, it applies.
  CHECK_STATUS(
      send_delivery(anonymous, hook, update.with_body(update.body, kShopifySecret, "bad-1")), 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const std::string log = s.server.stderr_text();
  CHECK(log.find("refused: shopify products/update: Validation failed: variants[0].price") !=
        std::string::npos);
  CHECK(log.find("refused: shopify customers/create") != std::string::npos);
}

// ---- WooCommerce ------------------------------------------------------------------------------

TEST_CASE("WooCommerce: the fixture chain, from the ping to a deleted product") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  const std::string hook = connect_woocommerce(api);
  const std::string apron_wait = wait_for(api, "501", "501", "grace@example.com");
  const std::string beanie_wait = wait_for(api, "510", "512", "grace@example.com");
  std::map<int, Delivery> step;
  for (const Delivery& d : deliveries("woocommerce"))
    if (d.step) step.emplace(*d.step, d);

  // The ping: unsigned, form-encoded: exactly 200, nothing changes.
  const json before = store_snapshot(api);
  const HttpResponse ping = send_delivery(anonymous, hook, step.at(1));
  CHECK(ping.status == 200);
  CHECK(ping.json()["outcome"] == "ignored");
  CHECK(store_snapshot(api) == before);

  deliver(anonymous, hook, step.at(2));
  CHECK(variant_of(product(api, "501"), "501")["inStock"] == false);
  CHECK(deliver(anonymous, hook, step.at(3))["backInStockEventsTriggered"] == 1);
  const json apron = product(api, "501");
  CHECK(apron["currency"] == "EUR");
  CHECK(variant_of(apron, "501")["inventoryQuantity"] == 7);
  CHECK(variant_of(apron, "501")["priceCents"] == 3490);
  CHECK(request_by_id(api, apron_wait)["status"] == "notified");

  deliver(anonymous, hook, step.at(4));  // the variable parent: product fields only
  CHECK(product(api, "510")["title"] == "Wool Beanie");
  CHECK(product(api, "510")["variants"].empty());
  deliver(anonymous, hook, step.at(5));  // variation 512, out of stock
  CHECK(variant_of(product(api, "510"), "512")["inStock"] == false);
  CHECK(deliver(anonymous, hook, step.at(6))["backInStockEventsTriggered"] == 1);
  const json beanie = product(api, "510");
  CHECK(beanie["title"] == "Wool Beanie");
  CHECK(variant_of(beanie, "512")["title"] == "Forest Green");
  CHECK(variant_of(beanie, "512")["inventoryQuantity"] == 6);
  CHECK(request_by_id(api, beanie_wait)["status"] == "notified");

  deliver(anonymous, hook, step.at(7));  // on backorder: in stock
  CHECK(variant_of(product(api, "520"), "520")["inStock"] == true);
  CHECK(variant_of(product(api, "520"), "520")["inventoryQuantity"] == -3);

  deliver(anonymous, hook, step.at(8));
  deliver(anonymous, hook, step.at(9));
  deliver(anonymous, hook, step.at(10));
  const json events = feed_events(api);
  CHECK(count_type(events, "ecommerce.order_placed") == 1);
  CHECK(count_type(events, "ecommerce.order_refunded") == 1);
  CHECK(count_type(events, "ecommerce.order_cancelled") == 1);  // 902, first seen cancelled
  for (const json& e : events)
    if (e["type"] == "ecommerce.order_placed") {
      CHECK(e["order"]["totalCents"] == 10070);
      CHECK(e["order"]["items"][0]["priceCents"] == 3490);
      CHECK(e["order"]["items"][1]["variantId"] == "512");
    }

  deliver(anonymous, hook, step.at(11));
  CHECK_ERROR(api.get("/api/v1/products/520"), 404, "not_found");

  // The wire-format delivery is step 3's delivery id again: a replay.
  for (const Delivery& d : deliveries("woocommerce")) {
    if (d.step) continue;
    const HttpResponse r = send_delivery(anonymous, hook, d);
    if (d.file == "product_simple_instock.wire.json") {
      CHECK_STATUS(r, 200);
      CHECK(r.json()["outcome"] == "replayed");
    } else {
      CHECK_ERROR(r, 401, "unauthorized");
    }
  }
}

TEST_CASE("WooCommerce: the wire bytes verify and apply; a deleted variation leaves its siblings") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  const std::string hook = connect_woocommerce(api);
  Delivery wire;
  for (const Delivery& d : deliveries("woocommerce"))
    if (d.file == "product_simple_instock.wire.json") wire = d;
  const json applied = deliver(anonymous, hook, wire);
  CHECK(applied["action"] == "product");
  CHECK(variant_of(product(api, "501"), "501")["inStock"] == true);

  deliver(anonymous, hook, delivery_step("woocommerce", 4));
  deliver(anonymous, hook, delivery_step("woocommerce", 6));
  json sibling = json::parse(delivery_step("woocommerce", 6).body);
  sibling["id"] = 511;
  sibling["attributes"][0]["option"] = "Charcoal";
  deliver(anonymous, hook,
          delivery_step("woocommerce", 6).with_body(sibling.dump(), kWooSecret, "sibling"));
  CHECK(product(api, "510")["variants"].size() == 2);
  const Delivery del = delivery_step("woocommerce", 11);
  deliver(anonymous, hook, del.with_body(R"({"id":512})", kWooSecret, "delete-512"));
  const json beanie = product(api, "510");
  REQUIRE(beanie["variants"].size() == 1);
  CHECK(beanie["variants"][0]["variantId"] == "511");
  // Unknown ids are answered, not refused (the platform would disable a failing webhook).
  CHECK(deliver(anonymous, hook, del.with_body(R"({"id":999})", kWooSecret, "delete-999"),
                "ignored")["note"] == "no such product");
}

TEST_CASE("WooCommerce: a signature is required except for the ping") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  const std::string hook = connect_woocommerce(api);
  Delivery d = delivery_step("woocommerce", 2);
  d.headers.erase("X-WC-Webhook-Signature");
  HttpResponse r = send_delivery(anonymous, hook, d);
  CHECK_ERROR(r, 401, "unauthorized");
  CHECK(r.json()["error"] == "Missing X-WC-Webhook-Signature signature.");
  // Something that looks like a ping but is not one still needs a signature.
  Delivery fake_ping = delivery_step("woocommerce", 1);
  fake_ping.body = "webhook_id=42&product=1";
  CHECK_ERROR(send_delivery(anonymous, hook, fake_ping), 401, "unauthorized");
}

// ---- Sequenzy's WooCommerce storefront capture ------------------------------------------------

namespace {

HttpResponse subscribe(const Api& anonymous, const json& body,
                       const std::optional<std::string>& origin = std::string(kWooStore)) {
  httplib::Headers headers;
  if (origin) headers.emplace("Origin", *origin);
  return anonymous.send("POST", "/api/woocommerce/back-in-stock/subscribe", body.dump(), headers,
                        "application/json");
}

json capture(const std::string& email) {
  return {{"storeUrl", "https://woo.example.test/"},
          {"email", email},
          {"providerProductId", 510},
          {"providerVariantId", 512},
          {"productTitle", "Wool Beanie"},
          {"variantTitle", "Forest Green"}};
}

}  // namespace

TEST_CASE("WooCommerce capture: from the connected store's pages only, with CORS for it") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  CHECK_ERROR(subscribe(anonymous, capture("grace@example.com")), 403,
              "forbidden");  // not connected
  connect_woocommerce(api);
  const HttpResponse r = subscribe(anonymous, capture("Grace@Example.com"));
  REQUIRE_STATUS(r, 200);
  CHECK(r.header("Access-Control-Allow-Origin") == kWooStore);
  CHECK(r.json()["status"] == "waiting");
  const json requests = list_all(api, "/api/v1/back-in-stock", "requests");
  REQUIRE(requests.size() == 1);
  CHECK(requests[0]["productId"] == "510");
  CHECK(requests[0]["variantId"] == "512");
  CHECK(requests[0]["email"] == "grace@example.com");
  CHECK(requests[0]["variantTitle"] == "Forest Green");

  for (const std::optional<std::string>& origin :
       {std::optional<std::string>("https://evil.example"), std::optional<std::string>(),
        std::optional<std::string>("null"),
        std::optional<std::string>("http://woo.example.test")}) {
    INFO("origin " << origin.value_or("(none)"));
    const HttpResponse refused = subscribe(anonymous, capture("eve@example.com"), origin);
    CHECK_ERROR(refused, 403, "forbidden");
    CHECK_FALSE(refused.has_header("Access-Control-Allow-Origin"));
  }
  CHECK(list_all(api, "/api/v1/back-in-stock", "requests").size() == 1);
  const HttpResponse bad = subscribe(anonymous, {{"storeUrl", kWooStore}, {"email", "no"}});
  CHECK_ERROR(bad, 400, "validation_failed");
  CHECK(detail_fields(bad.json()) == std::vector<std::string>{"email", "providerProductId"});

  // Preflight: the connected origin only.
  const HttpResponse pre =
      anonymous.send("OPTIONS", "/api/woocommerce/back-in-stock/subscribe", {},
                     {{"Origin", kWooStore}, {"Access-Control-Request-Method", "POST"}});
  CHECK(pre.status == 204);
  CHECK(pre.header("Access-Control-Allow-Origin") == kWooStore);
  const HttpResponse evil = anonymous.send(
      "OPTIONS", "/api/woocommerce/back-in-stock/subscribe", {},
      {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  CHECK(evil.status == 403);
  CHECK_FALSE(evil.has_header("Access-Control-Allow-Origin"));
}

TEST_CASE("connecting with --public-url: the URL to paste starts there, whatever the Host") {
  TestServer s({"--public-url", "https://stockbell.shop.example/"});
  const HttpResponse r = s.api().send(
      "PUT", "/api/v1/integrations/shopify",
      json{{"shopDomain", kShopDomain}, {"webhookSecret", kShopifySecret}}.dump(),
      {{"Host", "attacker.example"}}, "application/json");
  REQUIRE_STATUS(r, 200);
  CHECK(matches(
      r.json()["integration"]["webhookUrl"],
      "https://stockbell\\.shop\\.example/api/v1/integrations/shopify/webhook/[0-9A-Za-z]{40}"));
}

TEST_CASE("WooCommerce capture: rate-limited like publishable-key traffic") {
  TestServer s(
      {"--rate-email-per-hour", "1", "--rate-email-burst", "2", "--rate-ip-per-minute", "0"});
  const Api api = s.api();
  const Api anonymous = s.api("");
  connect_woocommerce(api);
  CHECK_STATUS(subscribe(anonymous, capture("flood@example.com")), 200);
  CHECK_STATUS(subscribe(anonymous, capture("flood@example.com")), 200);
  const HttpResponse limited = subscribe(anonymous, capture("flood@example.com"));
  CHECK_ERROR(limited, 429, "rate_limited");
  CHECK(limited.has_header("Retry-After"));
  CHECK_STATUS(subscribe(anonymous, capture("other@example.com")), 200);
}
