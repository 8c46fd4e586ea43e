// core/woocommerce: WooCommerce webhook payloads (tests/fixtures/platforms/woocommerce) →
// PlatformAction.

#include <doctest/doctest.h>

#include "core/timestamp.hpp"
#include "core/woocommerce.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::fixture;
using stockbell::test::json;
using stockbell::test::problem_list;
using stockbell::test::value_of;
using stockbell::test::with;

namespace {

const WooContext kStore{std::string("EUR")};

PlatformAction map(const std::string& topic, const std::string& file) {
  return value_of(map_woocommerce(topic, fixture("woocommerce/" + file), kStore));
}

}  // namespace

TEST_CASE("a simple product is one variant with the product's id") {
  const PlatformAction out = map("product.updated", "product_simple_outofstock.json");
  const PlatformAction in = map("product.updated", "product_simple_instock.json");
  CHECK(in.kind == PlatformActionKind::upsert_product);
  CHECK(in.product.product_id == "501");
  CHECK(in.product.title == "Linen Apron");
  CHECK(in.product.url.value == "https://woo.example.test/product/linen-apron/");
  CHECK(in.product.currency.value == "EUR");
  REQUIRE(in.product.variants->size() == 1);
  const VariantPatch& v = (*in.product.variants)[0];
  CHECK(v.variant_id == "501");
  CHECK(v.price_cents.value == 3490);
  CHECK(v.compare_at_price_cents.is_null());
  CHECK(v.sku.value == "APRON-LIN");
  CHECK(v.in_stock.value == true);
  CHECK(v.inventory_quantity.value == 7);
  CHECK((*out.product.variants)[0].in_stock.value == false);
  CHECK(*in.updated_at > *out.updated_at);
  CHECK(*in.updated_at == *parse_timestamp("2025-06-10T07:12:40Z"));
}

TEST_CASE("the wire bytes (escaped slashes, \\u escapes) map the same") {
  const PlatformAction pretty = map("product.updated", "product_simple_instock.json");
  const PlatformAction wire = map("product.updated", "product_simple_instock.wire.json");
  CHECK(dump(product_upsert_json(ProductUpsert{{wire.product}})) ==
        dump(product_upsert_json(ProductUpsert{{pretty.product}})));
}

TEST_CASE("on backorder is in stock; a sale shows the regular price as compare-at") {
  const PlatformAction a = map("product.created", "product_backorders.json");
  const VariantPatch& v = (*a.product.variants)[0];
  CHECK(v.in_stock.value == true);
  CHECK(v.inventory_quantity.value == -3);
  CHECK(v.price_cents.value == 4900);
  CHECK(v.compare_at_price_cents.value == 5900);
}

TEST_CASE("a variable product: product fields, no variants, the variation ids to keep") {
  const PlatformAction a = map("product.created", "product_variable.json");
  CHECK(a.kind == PlatformActionKind::upsert_product);
  CHECK_FALSE(a.product.variants.has_value());
  REQUIRE(a.keep_variant_ids.has_value());
  CHECK(*a.keep_variant_ids == std::vector<std::string>{"511", "512", "513"});
  CHECK(a.product.image_url.value.find("wool-beanie.jpg") != std::string::npos);
}

TEST_CASE("a variation: one variant of its parent, titled by its attributes") {
  const PlatformAction created = map("product.created", "variation_created_outofstock.json");
  const PlatformAction updated = map("product.updated", "variation_update.json");
  CHECK(updated.kind == PlatformActionKind::patch_variant);
  CHECK(updated.product_id == "510");
  CHECK(updated.resource_id == "512");
  CHECK(updated.placeholder_title == "Wool Beanie");
  const VariantPatch& v = updated.variant;
  CHECK(v.variant_id == "512");
  CHECK(v.title == "Forest Green");
  CHECK(v.options.value == std::vector<VariantOption>{{"Color", "Forest Green"}});
  CHECK(v.in_stock.value == true);
  CHECK(v.inventory_quantity.value == 6);
  CHECK(v.price_cents.value == 2600);
  CHECK(created.variant.in_stock.value == false);
}

TEST_CASE("not published: out of stock") {
  const Json draft = with(fixture("woocommerce/product_simple_instock.json"), "status", "draft");
  const PlatformAction a = value_of(map_woocommerce("product.updated", draft, kStore));
  CHECK(a.product.in_stock.value == false);
  CHECK((*a.product.variants)[0].in_stock.value == false);
}

TEST_CASE("grouped products and deletions") {
  const Json grouped = with(fixture("woocommerce/product_simple_instock.json"), "type", "grouped");
  CHECK(value_of(map_woocommerce("product.updated", grouped, kStore)).kind ==
        PlatformActionKind::ignore);
  const PlatformAction deleted = map("product.deleted", "product_deleted.json");
  CHECK(deleted.kind == PlatformActionKind::delete_product);
  CHECK(deleted.resource_id == "520");
}

TEST_CASE("orders: processing is placed; unit prices from subtotal / quantity, exactly") {
  const PlatformAction a = map("order.created", "order_created_processing.json");
  CHECK(a.kind == PlatformActionKind::order);
  const Order& o = a.order;
  CHECK(o.order_id == "901");
  CHECK(o.status == OrderStatus::placed);
  CHECK(o.source == OrderSource::woocommerce);
  CHECK(o.total_cents == 10070);
  CHECK(o.currency == "EUR");
  CHECK(o.customer->email == "grace.buyer@example.com");
  CHECK(*o.customer->first_name == "Grace");
  CHECK_FALSE(o.customer->external_id.has_value());  // customer_id 0: a guest
  REQUIRE(o.items.size() == 2);
  CHECK(o.items[0].product_id == "501");
  CHECK(*o.items[0].variant_id == "501");  // a simple product is its own variant
  CHECK(*o.items[0].price_cents == 3490);
  CHECK(o.items[0].quantity == 2);
  CHECK(o.items[1].product_id == "510");
  CHECK(*o.items[1].variant_id == "512");
  CHECK(o.items[1].title == "Wool Beanie");
  CHECK(*o.items[1].variant_title == "Forest Green");
}

TEST_CASE("orders: refunded with its refunds; first seen cancelled") {
  const PlatformAction refunded = map("order.updated", "order_updated_refunded.json");
  CHECK(refunded.order.status == OrderStatus::refunded);
  CHECK(*refunded.order.refund_amount_cents == 10070);
  const PlatformAction cancelled = map("order.updated", "order_updated_cancelled.json");
  CHECK(cancelled.order.status == OrderStatus::cancelled);
  CHECK(cancelled.order.total_cents == 3980);
}

TEST_CASE("order statuses; unpaid and draft orders are not orders yet") {
  CHECK(woocommerce_order_status("processing") == OrderStatus::placed);
  CHECK(woocommerce_order_status("on-hold") == OrderStatus::placed);
  CHECK(woocommerce_order_status("completed") == OrderStatus::fulfilled);
  CHECK(woocommerce_order_status("cancelled") == OrderStatus::cancelled);
  CHECK(woocommerce_order_status("failed") == OrderStatus::cancelled);
  CHECK(woocommerce_order_status("refunded") == OrderStatus::refunded);
  for (const char* s : {"pending", "checkout-draft", "trash", "wc-shipped", ""})
    CHECK_FALSE(woocommerce_order_status(s).has_value());
  const Json pending =
      with(fixture("woocommerce/order_created_processing.json"), "status", "pending");
  const PlatformAction a = value_of(map_woocommerce("order.created", pending, kStore));
  CHECK(a.kind == PlatformActionKind::ignore);
  CHECK(value_of(map_woocommerce("order.deleted", json(R"({"id":901})"), kStore)).kind ==
        PlatformActionKind::ignore);
}

TEST_CASE("a line's price: subtotal / quantity, half up when it does not divide") {
  Json order = fixture("woocommerce/order_created_processing.json");
  Json lines = *order.find("line_items");
  Json odd = Json::array();
  odd.push_back(
      with(with(lines.items()[0], "quantity", Json(3)), "subtotal", "34.90"));  // 11.633...
  const PlatformAction a =
      value_of(map_woocommerce("order.created", with(order, "line_items", odd), kStore));
  CHECK(*a.order.items[0].price_cents == 1163);
}

TEST_CASE("the ping is the form body webhook_id=<digits>") {
  CHECK(is_woocommerce_ping("webhook_id=42"));
  CHECK_FALSE(is_woocommerce_ping("webhook_id="));
  CHECK_FALSE(is_woocommerce_ping("webhook_id=42&x=1"));
  CHECK_FALSE(is_woocommerce_ping("{\"webhook_id\":42}"));
  CHECK_FALSE(is_woocommerce_ping(""));
}

TEST_CASE("malformed payloads and unknown topics") {
  const Json bad = with(with(fixture("woocommerce/product_simple_instock.json"), "price", "34.901"),
                        "stock_status", "sometimes");
  CHECK(problem_list(map_woocommerce("product.updated", bad, kStore)) ==
        "price:invalid_amount, stock_status:invalid_value");
  CHECK(problem_list(map_woocommerce("order.created", json(R"({"id":5,"status":"processing"})"),
                                     kStore)) == "currency:required, total:required");
  CHECK(problem_list(map_woocommerce("coupon.created", json("{}"), kStore)) ==
        "X-WC-Webhook-Topic:invalid_value");
  const Json orphan = with(fixture("woocommerce/variation_update.json"), "parent_id", Json(0));
  CHECK(problem_list(map_woocommerce("product.updated", orphan, kStore)) == "parent_id:required");
}
