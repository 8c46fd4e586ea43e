// core/order: the `POST /api/v1/orders` body (Sequenzy's fields), its storage and API JSON, and
// the attribution rules.

#include <doctest/doctest.h>

#include "core/fields.hpp"
#include "core/order.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::problem_list;
using stockbell::test::repeat;
using stockbell::test::value_of;

namespace {

const char* kFullOrder = R"({
  "orderId": " 1001 ", "orderNumber": "#1001", "status": "placed", "totalCents": 13498,
  "currency": "usd", "orderedAt": "2026-11-27T18:37:45.123-05:00",
  "customer": {"email": " Ada@Example.com ", "firstName": "Ada", "externalId": "cus_1",
               "attributes": {"vip": true}},
  "items": [{"productId": "TOTE", "variantId": "TOTE-NAT", "title": "Tote", "quantity": 2,
             "priceCents": 1999, "sku": "T-1"},
            {"productId": "SWEATER", "variantId": "SW-M", "title": "Sweater", "variantTitle": "M",
             "quantity": 1, "priceCents": 8900}],
  "refundAmountCents": 0, "properties": {"channel": "web", "tags": ["gift"]}
})";

}  // namespace

TEST_CASE("a full order: every field read and normalised") {
  const Order o = value_of(parse_order(kFullOrder));
  CHECK(o.order_id == "1001");
  CHECK(*o.order_number == "#1001");
  CHECK(o.status == OrderStatus::placed);
  CHECK(o.total_cents == 13498);
  CHECK(o.currency == "USD");
  CHECK(*o.ordered_at == 1795822665123);
  REQUIRE(o.customer.has_value());
  CHECK(o.customer->email == "ada@example.com");
  CHECK(*o.customer->first_name == "Ada");
  CHECK(*o.customer->external_id == "cus_1");
  REQUIRE(o.items.size() == 2);
  CHECK(o.items[0].quantity == 2);
  CHECK(*o.items[0].price_cents == 1999);
  CHECK(*o.items[0].sku == "T-1");
  CHECK(*o.items[1].variant_title == "M");
  CHECK(*o.refund_amount_cents == 0);
  CHECK(o.properties.size() == 2);
  CHECK(o.source == OrderSource::api);
}

TEST_CASE("the smallest order: orderId, totalCents, currency; status placed by default") {
  const Order o = value_of(parse_order(R"({"orderId":"A","totalCents":0,"currency":"JPY"})"));
  CHECK(o.status == OrderStatus::placed);
  CHECK_FALSE(o.customer.has_value());
  CHECK(o.items.empty());
  CHECK_FALSE(o.ordered_at.has_value());
  // Shops number orders: a number is read as its text.
  CHECK(*value_of(
             parse_order(R"({"orderId":"A","orderNumber":1001,"totalCents":0,"currency":"EUR"})"))
             .order_number == "1001");
}

TEST_CASE("every problem of an order, by path") {
  CHECK(problem_list(parse_order("{}")) ==
        "orderId:required, totalCents:required, currency:required");
  CHECK(
      problem_list(parse_order(R"({"orderId":"A","totalCents":-1,"currency":"EURO","status":"paid",
      "orderedAt":"yesterday","refundAmountCents":1.5,"extra":1})")) ==
      "status:invalid_value, totalCents:out_of_range, currency:invalid_currency, "
      "orderedAt:invalid_timestamp, refundAmountCents:not_integer, extra:unknown_field");
  CHECK(
      problem_list(parse_order(R"({"orderId":"A","totalCents":1,"currency":"USD",
      "customer":{"email":"not-an-email","nick":"x"},
      "items":[{"productId":"P","title":"T","quantity":0},{"title":"","quantity":"2","priceCents":-5},7]})")) ==
      "customer.email:invalid_email, customer.nick:unknown_field, items[0].quantity:out_of_range, "
      "items[1].productId:required, items[1].title:empty, items[1].quantity:invalid_type, "
      "items[1].priceCents:out_of_range, items[2]:invalid_type");
  CHECK(problem_list(
            parse_order(R"({"orderId":"A","totalCents":1,"currency":"USD","customer":{}})")) ==
        "customer.email:required");
  CHECK(
      problem_list(parse_order(R"({"orderId":"A","totalCents":1,"currency":"USD","items":{}})")) ==
      "items:invalid_type");
  CHECK(problem_list(parse_order("[1]")) == ":invalid_type");
  CHECK(parse_order("{").error().code == ApiCode::invalid_json);
}

TEST_CASE("limits: items, quantity, properties") {
  std::string items;
  for (size_t i = 0; i <= kMaxOrderItems; ++i)
    items += std::string(i ? "," : "") + R"({"productId":"P","title":"T","quantity":1})";
  CHECK(problem_list(parse_order(R"({"orderId":"A","totalCents":1,"currency":"USD","items":[)" +
                                 items + "]}")) == "items:too_many_items");
  CHECK(problem_list(parse_order(R"({"orderId":"A","totalCents":1,"currency":"USD",
      "items":[{"productId":"P","title":"T","quantity":1000001}]})")) ==
        "items[0].quantity:out_of_range");
  std::string properties;
  for (size_t i = 0; i <= kMaxOrderProperties; ++i)
    properties += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  CHECK(
      problem_list(parse_order(R"({"orderId":"A","totalCents":1,"currency":"USD","properties":{)" +
                               properties + "}}")) == "properties:too_many_items");
  CHECK(problem_list(parse_order(
            R"({"orderId":"A","totalCents":1,"currency":"USD","properties":{")" + repeat("k", 65) +
            R"(":1}})")) == "properties." + repeat("k", 64) + "...:too_long");
  CHECK(problem_list(
            parse_order(R"({"orderId":"A","totalCents":1,"currency":"USD","properties":[]})")) ==
        "properties:invalid_type");
}

TEST_CASE("statuses: names, purchases") {
  for (OrderStatus s :
       {OrderStatus::placed, OrderStatus::cancelled, OrderStatus::fulfilled, OrderStatus::refunded})
    CHECK(parse_order_status(order_status_name(s)) == s);
  CHECK_FALSE(parse_order_status("paid").has_value());
  CHECK(is_purchase(OrderStatus::placed));
  CHECK(is_purchase(OrderStatus::fulfilled));
  CHECK_FALSE(is_purchase(OrderStatus::cancelled));
  CHECK_FALSE(is_purchase(OrderStatus::refunded));
}

TEST_CASE("storage round trip keeps everything, refunds included") {
  Order o = value_of(parse_order(kFullOrder));
  o.source = OrderSource::shopify;
  record_refund(o, {"r1", 1999});
  record_refund(o, {"r2", 500});
  record_refund(o, {"r1", 1999});  // reported twice: once
  CHECK(*o.refund_amount_cents == 2499);
  const std::optional<Order> back = order_from_storage(order_to_storage(o));
  REQUIRE(back.has_value());
  CHECK(order_to_storage(*back) == order_to_storage(o));
  CHECK(back->refunds.size() == 2);
  CHECK(back->source == OrderSource::shopify);
  CHECK_FALSE(order_from_storage("{}").has_value());
  CHECK_FALSE(order_from_storage("not json").has_value());
}

TEST_CASE("the 202 answer is Sequenzy's shape") {
  const Order o = value_of(
      parse_order(R"({"orderId":"1001","status":"refunded","totalCents":1,"currency":"USD"})"));
  CHECK(order_accepted_json(o) ==
        R"({"success":true,"queued":true,"orderId":"1001","status":"refunded"})");
}

TEST_CASE("validation outcome JSON (the vectors' shape)") {
  CHECK(
      validate_order_json(R"({"orderId":"A","totalCents":5,"currency":"EUR"})")
          .rfind(
              R"({"ok":true,"order":{"orderId":"A","orderNumber":null,"status":"placed","source":"api",)",
              0) == 0);
  CHECK(validate_order_json("{}").rfind(R"({"ok":false,"status":400,)", 0) == 0);
}

TEST_CASE("purchased items: lines merged by target, revenue = unit price × quantity") {
  Order o = value_of(parse_order(R"({"orderId":"A","totalCents":1,"currency":"USD","items":[
      {"productId":"P","variantId":"M","title":"T","quantity":2,"priceCents":1000},
      {"productId":"P","variantId":"M","title":"T","quantity":1,"priceCents":900},
      {"productId":"P","title":"T","quantity":1},
      {"productId":"Q","variantId":"Q1","title":"T","quantity":1000000,"priceCents":9007199254740991}]})"));
  const std::vector<PurchasedItem> items = purchased_items(o);
  REQUIRE(items.size() == 3);
  CHECK(items[0].quantity == 3);
  CHECK(items[0].revenue_cents == 2900);
  CHECK(items[1].revenue_cents == 0);                // no price: no revenue known
  CHECK(items[2].revenue_cents == kMaxSafeInteger);  // saturates, never overflows
}

TEST_CASE("which requests an item is for") {
  const PurchasedItem variant{"P", std::string("P-M"), 1, 0};
  CHECK(item_matches(variant, "P", "P-M"));
  CHECK(item_matches(variant, "P", "P"));  // a wait on the product itself
  CHECK_FALSE(item_matches(variant, "P", "P-L"));
  CHECK_FALSE(item_matches(variant, "Q", "P-M"));
  const PurchasedItem product{"P", std::nullopt, 1, 0};
  CHECK(item_matches(product, "P", "P-L"));  // no variant named: any of the product
}

TEST_CASE("the attribution window") {
  const int64_t day = 86'400'000;
  CHECK(within_attribution_window(0, 0, 7));
  CHECK(within_attribution_window(0, 7 * day, 7));
  CHECK_FALSE(within_attribution_window(0, 7 * day + 1, 7));
  CHECK_FALSE(within_attribution_window(10, 9, 7));  // bought before the alert
  CHECK_FALSE(within_attribution_window(0, 1, 0));   // 0 days: attribution is off
}
