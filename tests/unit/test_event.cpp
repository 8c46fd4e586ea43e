// core/event: event types, the catalog snapshot an event carries, and the one JSON builder used
// for the event feed and webhooks (golden files).

#include <doctest/doctest.h>

#include "core/event.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;

namespace {

Product catalog_product() {
  Product p;
  p.product_id = "LS-100";
  p.title = "Linen shirt";
  p.url = "https://shop.example/p/linen-shirt";
  p.image_url = "https://shop.example/img/linen.jpg";
  p.currency = "USD";
  Variant m;
  m.variant_id = "LS-100-M";
  m.title = "M";
  m.price_cents = 3900;
  Variant l;
  l.variant_id = "LS-100-L";
  l.title = "L";
  l.price_cents = 3500;
  l.image_url = "https://shop.example/img/linen-l.jpg";
  p.variants = {m, l};
  return p;
}

using stockbell::test::kTestIds;
using stockbell::test::row_of;

EventRecord requested_event() {
  EventRecord e;
  e.id = row_of(IdKind::event, "evt_0k3m9q1x2v7dz");
  e.type = EventType::back_in_stock_requested;
  e.created_at = 1795822665123;  // 2026-11-27T23:37:45.123Z
  e.subscriber = {row_of(IdKind::subscriber, "sub_1abcdefghjkmn"), "buyer@example.com", "Ada",
                  std::nullopt, "cus_42"};
  e.product_id = "LS-100";
  e.variant_id = "LS-100-M";
  e.request_product_title = "Linen shirt \"classic\"";
  e.catalog = ProductSnapshot{};  // not in the catalog yet
  e.request_id = row_of(IdKind::request, "bisr_0zyxwvtsrqpnm");
  e.request_created_at = 1795822665123;
  return e;
}

}  // namespace

TEST_CASE("event type names round-trip") {
  CHECK(event_type_name(EventType::back_in_stock) == "ecommerce.back_in_stock");
  CHECK(event_type_name(EventType::back_in_stock_requested) == "ecommerce.back_in_stock_requested");
  for (EventType t : {EventType::back_in_stock, EventType::back_in_stock_requested})
    CHECK(parse_event_type(event_type_name(t)) == t);
  CHECK_FALSE(parse_event_type("back_in_stock").has_value());
  CHECK_FALSE(parse_event_type("ECOMMERCE.BACK_IN_STOCK").has_value());
  CHECK_FALSE(parse_event_type("").has_value());
}

TEST_CASE("snapshot: nothing for a product not in the catalog") {
  CHECK(snapshot_of(nullptr, "X") == ProductSnapshot{});
}

TEST_CASE("snapshot of a variant: its title, image and price win over the product's") {
  const Product p = catalog_product();
  ProductSnapshot l = snapshot_of(&p, "LS-100-L");
  CHECK(*l.product_title == "Linen shirt");
  CHECK(*l.variant_title == "L");
  CHECK(*l.image_url == "https://shop.example/img/linen-l.jpg");
  CHECK(*l.price_cents == 3500);
  CHECK(*l.currency == "USD");
  CHECK(*l.url == "https://shop.example/p/linen-shirt");
  ProductSnapshot m = snapshot_of(&p, "LS-100-M");
  CHECK(*m.image_url == "https://shop.example/img/linen.jpg");  // no own image: the product's
  CHECK(*m.price_cents == 3900);
}

TEST_CASE("snapshot of the product-level target: the effective (lowest) price, no variant title") {
  const Product p = catalog_product();
  ProductSnapshot s = snapshot_of(&p, "LS-100");
  CHECK(*s.product_title == "Linen shirt");
  CHECK_FALSE(s.variant_title.has_value());
  CHECK(*s.price_cents == 3500);
  CHECK(*s.image_url == "https://shop.example/img/linen.jpg");
}

TEST_CASE("titles sent with the request win over the catalog's") {
  const Product p = catalog_product();
  EventRecord e = requested_event();
  e.catalog = snapshot_of(&p, "LS-100-M");
  Json j = event_json(e, kTestIds);
  CHECK(j["product"]["productTitle"] == "Linen shirt \"classic\"");
  CHECK(j["product"]["variantTitle"] == "M");  // none sent: the catalog's
  e.request_product_title.reset();
  CHECK(event_json(e, kTestIds)["product"]["productTitle"] == "Linen shirt");
}

TEST_CASE("ecommerce.back_in_stock_requested event JSON (golden)") {
  stockbell::test::check_golden("event_back_in_stock_requested.json", dump(event_json(requested_event(), kTestIds)));
}

TEST_CASE("ecommerce.back_in_stock event JSON (golden)") {
  const Product p = catalog_product();
  EventRecord e = requested_event();
  e.id = row_of(IdKind::event, "evt_0k3m9q1x2v7e0");
  e.type = EventType::back_in_stock;
  e.created_at = 1796083200000;  // 2026-12-01T00:00:00.000Z
  e.subscriber.last_name = "Lovelace";
  e.request_product_title.reset();
  e.variant_id = "LS-100-L";
  e.catalog = snapshot_of(&p, "LS-100-L");
  const std::string json = dump(event_json(e, kTestIds));
  stockbell::test::check_golden("event_back_in_stock.json", json);
  CHECK(json.find("\"createdAt\":\"2026-12-01T00:00:00.000Z\"") != std::string::npos);
}

TEST_CASE("the product block names the ids twice: ours and Sequenzy's provider ids") {
  EventRecord e = requested_event();
  Json j = event_json(e, kTestIds);
  CHECK(j["product"]["providerProductId"] == "LS-100");
  CHECK(j["product"]["providerVariantId"] == "LS-100-M");
  // Beside ours, in this order.
  const std::string text = dump(j["product"]);
  CHECK(text.rfind(R"({"productId":"LS-100","variantId":"LS-100-M","providerProductId":"LS-100","providerVariantId":"LS-100-M",)", 0) == 0);
  e.variant_id = "LS-100";  // a product-level request
  CHECK(event_json(e, kTestIds)["product"]["providerVariantId"] == "LS-100");
}

TEST_CASE("order event types: names, statuses") {
  CHECK(all_event_types().size() == 6);
  CHECK(event_type_name(EventType::order_placed) == "ecommerce.order_placed");
  CHECK(event_type_name(EventType::order_refunded) == "ecommerce.order_refunded");
  for (EventType t : all_event_types()) CHECK(parse_event_type(event_type_name(t)) == t);
  CHECK(order_event_type(OrderStatus::cancelled) == EventType::order_cancelled);
  CHECK(order_event_type(OrderStatus::fulfilled) == EventType::order_fulfilled);
  CHECK(is_order_event(EventType::order_placed));
  CHECK_FALSE(is_order_event(EventType::back_in_stock));
  CHECK(event_type_names() ==
        "ecommerce.back_in_stock_requested, ecommerce.back_in_stock, ecommerce.order_placed, "
        "ecommerce.order_cancelled, ecommerce.order_fulfilled, ecommerce.order_refunded");
}

TEST_CASE("ecommerce.order_placed event JSON (golden)") {
  Result<Order> order = parse_order(R"({"orderId":"1001","orderNumber":"#1001","totalCents":13498,
      "currency":"USD","orderedAt":"2026-11-27T23:37:45.123Z",
      "customer":{"email":"buyer@example.com","firstName":"Ada","externalId":"cus_42"},
      "items":[{"productId":"LS-100","variantId":"LS-100-L","title":"Linen shirt","variantTitle":"L",
                "quantity":1,"priceCents":3500,"sku":"LS-L"}],
      "properties":{"channel":"web"}})");
  REQUIRE(order.ok());
  EventRecord e;
  e.id = row_of(IdKind::event, "evt_0k3m9q1x2v7e1");
  e.type = EventType::order_placed;
  e.created_at = 1796083200000;  // 2026-12-01T00:00:00.000Z
  e.order = order.value();
  const std::string json = dump(event_json(e, kTestIds));
  CHECK(json == dump(order_event_json(e, kTestIds)));  // the one builder, whatever the caller
  stockbell::test::check_golden("event_order_placed.json", json);
}
