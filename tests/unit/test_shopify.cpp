// core/shopify: Shopify webhook payloads (tests/fixtures/platforms/shopify) → PlatformAction.

#include <doctest/doctest.h>

#include "core/shopify.hpp"
#include "core/timestamp.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::fixture;
using stockbell::test::json;
using stockbell::test::problem_list;
using stockbell::test::value_of;
using stockbell::test::with;

namespace {

const ShopifyContext kShop{"stockbell-test.myshopify.com", std::string("USD")};

PlatformAction map(const std::string& topic, const std::string& file,
                   const ShopifyContext& context = kShop) {
  return value_of(map_shopify(topic, fixture("shopify/" + file), context));
}

const VariantPatch& variant(const PlatformAction& a, const std::string& id) {
  for (const VariantPatch& v : *a.product.variants)
    if (v.variant_id == id) return v;
  FAIL("no variant " << id);
  return a.product.variants->front();
}

}  // namespace

TEST_CASE("a single-variant product: its variant, prices from strings, the product's URL") {
  const PlatformAction a = map("products/create", "product_create_simple.json");
  CHECK(a.kind == PlatformActionKind::upsert_product);
  CHECK(a.resource_id == "8412345670001");
  const ProductPatch& p = a.product;
  CHECK(p.product_id == "8412345670001");
  CHECK(p.title == "Canvas Tote Bag");
  CHECK(p.url.value == "https://stockbell-test.myshopify.com/products/canvas-tote-bag");
  CHECK(p.currency.value == "USD");
  CHECK(p.in_stock.is_null());  // active: the variants decide
  CHECK(p.image_url.has_value());
  REQUIRE(p.variants->size() == 1);
  const VariantPatch& v = variant(a, "45123456780001");
  CHECK(v.title == "Canvas Tote Bag");  // "Default Title" → the product's
  CHECK(v.options.value.empty());
  CHECK(v.price_cents.value == 1999);
  CHECK(v.compare_at_price_cents.value == 2499);
  CHECK(v.sku.value == "TOTE-NAT");
  CHECK(v.in_stock.value == true);
  CHECK(v.inventory_quantity.value == 12);
  REQUIRE(a.stock.size() == 1);
  CHECK(a.stock[0].inventory_item_id == "47234567890001");
  CHECK(a.stock[0].tracked == true);
  CHECK(a.variants_complete);
  CHECK(*a.updated_at == *parse_timestamp("2025-06-02T13:12:05Z"));
}

TEST_CASE("variants: options by name, variant images, no sale without a higher compare price") {
  const PlatformAction a = map("products/create", "product_create_variants.json");
  REQUIRE(a.product.variants->size() == 3);
  const VariantPatch& m = variant(a, "45123456780012");
  CHECK(m.options.value == std::vector<VariantOption>{{"Size", "M"}});
  CHECK(m.in_stock.value == false);  // tracked, deny, 0
  CHECK(m.inventory_quantity.value == 0);
  CHECK(m.image_url.value.find("merino-crew-grey.jpg") != std::string::npos);
  CHECK(variant(a, "45123456780013").compare_at_price_cents.is_null());
  CHECK(a.product.image_url.value.find("merino-crew-flat.jpg") != std::string::npos);
}

TEST_CASE("\"continue selling when out of stock\" is in stock at -2; untracked is in stock at 0") {
  const PlatformAction mug = map("products/update", "product_continue_selling.json");
  CHECK(variant(mug, "45123456780021").in_stock.value == true);
  CHECK(variant(mug, "45123456780021").inventory_quantity.value == -2);
  CHECK(mug.stock[0].continue_selling);
  const PlatformAction planter = map("products/create", "product_untracked.json");
  CHECK(variant(planter, "45123456780031").in_stock.value == true);
  CHECK(variant(planter, "45123456780031").inventory_quantity.is_null());  // a count of nothing
  CHECK(planter.stock[0].tracked == false);
}

TEST_CASE("API 2024-07+: no inventory_management means unknown, not untracked") {
  const PlatformAction a = map("products/update", "product_update_no_inventory_management.json");
  for (const VariantStockFacts& f : a.stock) CHECK_FALSE(f.tracked.has_value());
  CHECK(variant(a, "45123456780012").inventory_quantity.value == 6);
}

TEST_CASE("draft and archived products are out of stock, every variant too") {
  for (const char* status : {"draft", "archived"}) {
    CAPTURE(status);
    const Json payload = with(fixture("shopify/product_create_simple.json"), "status", status);
    const PlatformAction a = value_of(map_shopify("products/update", payload, kShop));
    CHECK(a.product.in_stock.value == false);
    CHECK(variant(a, "45123456780001").in_stock.value == false);
  }
}

TEST_CASE("a deleted variant is simply not in the complete list") {
  const PlatformAction a = map("products/update", "product_deleted_variant.json");
  CHECK(a.product.variants->size() == 2);
  CHECK(a.variants_complete);
}

TEST_CASE("100 listed variants are not taken as the complete list") {
  Json payload = fixture("shopify/product_create_simple.json");
  Json variants = Json::array();
  const Json one = (*payload.find("variants"))[0];
  for (int i = 0; i < 100; ++i) variants.push_back(with(one, "id", Json(1000 + i)));
  payload = with(payload, "variants", variants);
  const PlatformAction a = value_of(map_shopify("products/update", payload, kShop));
  CHECK(a.product.variants->size() == 100);
  CHECK_FALSE(a.variants_complete);
}

TEST_CASE("JPY: prices without decimals; without a configured currency, 2 decimals") {
  const ShopifyContext jp{"stockbell-test-jp.myshopify.com", std::string("JPY")};
  const PlatformAction a = map("products/create", "jpy_product_create.json", jp);
  CHECK(variant(a, "45198765430001").price_cents.value == 1200);
  CHECK(variant(a, "45198765430001").compare_at_price_cents.value == 1500);
  const PlatformAction unconfigured = map("products/create", "jpy_product_create.json",
                                          ShopifyContext{"x.myshopify.com", std::nullopt});
  CHECK(variant(unconfigured, "45198765430001").price_cents.value == 120000);
  CHECK(unconfigured.product.currency.absent());
}

TEST_CASE("products/delete carries only the id") {
  const PlatformAction a = map("products/delete", "product_delete.json");
  CHECK(a.kind == PlatformActionKind::delete_product);
  CHECK(a.resource_id == "8412345670003");
}

TEST_CASE("inventory levels: an item at a location") {
  const PlatformAction a = map("inventory_levels/update", "inventory_levels_update.json");
  CHECK(a.kind == PlatformActionKind::inventory_level);
  CHECK(a.level.inventory_item_id == "47234567890012");
  CHECK(a.level.location_id == "71234567890");
  CHECK(a.level.available == 5);
  CHECK_FALSE(a.level.disconnected);
  const Json untracked =
      with(fixture("shopify/inventory_levels_update.json"), "available", nullptr);
  CHECK_FALSE(value_of(map_shopify("inventory_levels/update", untracked, kShop))
                  .level.available.has_value());
  CHECK(value_of(map_shopify("inventory_levels/disconnect", untracked, kShop)).level.disconnected);
  const PlatformAction item = value_of(map_shopify(
      "inventory_items/update", json(R"({"id":47234567890012,"tracked":false})"), kShop));
  CHECK(item.kind == PlatformActionKind::inventory_item);
  CHECK(item.tracked == false);
}

TEST_CASE("an order: amounts in the order's currency, the buyer, the bought items") {
  const PlatformAction a = map("orders/create", "order_create_two_items.json");
  CHECK(a.kind == PlatformActionKind::order);
  const Order& o = a.order;
  CHECK(o.order_id == "6012345678901");
  CHECK(*o.order_number == "#1001");
  CHECK(o.status == OrderStatus::placed);
  CHECK(o.source == OrderSource::shopify);
  CHECK(o.total_cents == 13498);
  CHECK(o.currency == "USD");
  CHECK(*o.ordered_at == *parse_timestamp("2025-06-12T14:03:51Z"));
  REQUIRE(o.customer.has_value());
  CHECK(o.customer->email == "ada.shopper@example.com");
  CHECK(*o.customer->first_name == "Ada");
  CHECK(*o.customer->external_id == "7712345670001");
  REQUIRE(o.items.size() == 2);
  CHECK(o.items[0].product_id == "8412345670001");
  CHECK(*o.items[0].variant_id == "45123456780001");
  CHECK(o.items[0].quantity == 2);
  CHECK(*o.items[0].price_cents == 1999);
  CHECK(*o.items[1].price_cents == 8900);
  CHECK_FALSE(o.refund_amount_cents.has_value());
}

TEST_CASE("a cancelled order with two refunds") {
  const PlatformAction a = map("orders/cancelled", "order_cancelled.json");
  CHECK(a.order.status == OrderStatus::cancelled);
  REQUIRE(a.order.refunds.size() == 2);
  CHECK(*a.order.refund_amount_cents == 1999 + 11499);
}

TEST_CASE("refunds/create: the successful refund transactions of one refund") {
  const PlatformAction a = map("refunds/create", "refund_create.json");
  CHECK(a.kind == PlatformActionKind::refund);
  CHECK(a.resource_id == "6012345678901");
  CHECK(a.refund.id == "9912345670001");
  CHECK(a.refund.amount_cents == 1999);
}

TEST_CASE("JPY order") {
  const PlatformAction a = map("orders/create", "jpy_order_create.json");
  CHECK(a.order.currency == "JPY");
  CHECK(a.order.total_cents == 4100);
  CHECK(*a.order.items[0].price_cents == 1200);
}

TEST_CASE("order status: cancelled, then refunded, then fulfilled, else placed") {
  CHECK(shopify_order_status(true, "refunded", "fulfilled") == OrderStatus::cancelled);
  CHECK(shopify_order_status(false, "voided", "") == OrderStatus::cancelled);
  CHECK(shopify_order_status(false, "refunded", "fulfilled") == OrderStatus::refunded);
  CHECK(shopify_order_status(false, "paid", "fulfilled") == OrderStatus::fulfilled);
  for (const char* f : {"pending", "authorized", "paid", "partially_paid", "partially_refunded"})
    CHECK(shopify_order_status(false, f, "partial") == OrderStatus::placed);
}

TEST_CASE("custom line items (no product) buy nothing Stockbell knows") {
  Json payload = fixture("shopify/order_create_two_items.json");
  Json lines = *payload.find("line_items");
  Json custom = with(lines.items()[0], "product_id", nullptr);
  Json rebuilt = Json::array();
  rebuilt.push_back(custom);
  rebuilt.push_back(lines.items()[1]);
  const PlatformAction a =
      value_of(map_shopify("orders/create", with(payload, "line_items", rebuilt), kShop));
  REQUIRE(a.order.items.size() == 1);
  CHECK(a.order.items[0].product_id == "8412345670002");
}

TEST_CASE("every problem of a malformed payload, by its path; unknown topics") {
  Json payload = fixture("shopify/product_create_variants.json");
  Json variants = *payload.find("variants");
  Json broken = Json::array();
  broken.push_back(with(variants.items()[0], "price", "19.995"));
  broken.push_back(with(variants.items()[1], "id", "x\x07"));
  broken.push_back(with(variants.items()[2], "inventory_quantity", "many"));
  payload = with(with(payload, "variants", broken), "title", nullptr);
  CHECK(problem_list(map_shopify("products/update", payload, kShop)) ==
        "title:required, variants[0].price:invalid_amount, variants[1].id:control_character, "
        "variants[2].inventory_quantity:invalid_type");
  CHECK(problem_list(map_shopify("orders/create",
                                 json(R"({"id":1,"currency":"XYZ","total_price":"1"})"), kShop)) ==
        "currency:invalid_currency");
  CHECK(problem_list(map_shopify("customers/create", json("{}"), kShop)) ==
        "X-Shopify-Topic:invalid_value");
  CHECK(problem_list(map_shopify("products/update", json("[]"), kShop)) == ":invalid_type");
  CHECK(problem_list(map_shopify("products/delete", json("{}"), kShop)) == "id:required");
}

TEST_CASE("unknown fields are ignored: platforms add fields with every API version") {
  const Json payload =
      with(fixture("shopify/product_create_simple.json"), "brand_new_field", json("{\"x\":[1]}"));
  CHECK(value_of(map_shopify("products/update", payload, kShop)).product.title ==
        "Canvas Tote Bag");
}
