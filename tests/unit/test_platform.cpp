// core/platform: what the mappers share: reading platform ids, applying an action onto the stored
// catalog with the platforms' completeness rules, and Shopify's stock rule.

#include <doctest/doctest.h>

#include "core/platform.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::json;

namespace {

Product stored_sweater() {
  Product p;
  p.product_id = "SW";
  p.title = "Sweater";
  for (const char* id : {"S", "M", "L"}) {
    Variant v;
    v.variant_id = id;
    v.title = id;
    v.price_cents = 8900;
    v.inventory_quantity = 3;
    p.variants.push_back(v);
  }
  return p;
}

VariantPatch stock_patch(const char* id, int64_t quantity) {
  VariantPatch v;
  v.variant_id = id;
  v.title = id;
  v.inventory_quantity = Patch<int64_t>::of(quantity);
  return v;
}

}  // namespace

TEST_CASE("platform ids: the digits of a number, or a string; 0 is none") {
  Problems problems;
  CHECK(read_platform_id(json("8412345670001"), "id", problems) == "8412345670001");
  // Beyond a double's exact range, still exact (never through a double).
  CHECK(read_platform_id(json("9007199254740993"), "id", problems) == "9007199254740993");
  CHECK(read_platform_id(json("123456789012345678901234567890"), "id", problems) ==
        "123456789012345678901234567890");
  CHECK(read_platform_id(json("1.2e3"), "id", problems) == "1200");
  CHECK(read_platform_id(json(R"(" 512 ")"), "id", problems) == "512");
  CHECK_FALSE(read_platform_id(json("0"), "id", problems).has_value());
  CHECK_FALSE(read_platform_id(json(R"("")"), "id", problems).has_value());
  CHECK(problems.empty());
  CHECK_FALSE(read_platform_id(json("-1"), "id", problems).has_value());
  CHECK_FALSE(read_platform_id(json("1.5"), "id", problems).has_value());
  CHECK_FALSE(read_platform_id(json("true"), "id", problems).has_value());
  CHECK(problems.size() == 3);
}

TEST_CASE("an upsert action with a complete list removes variants it misses") {
  const Product stored = stored_sweater();
  PlatformAction a;
  a.kind = PlatformActionKind::upsert_product;
  a.product.product_id = "SW";
  a.product.title = "Sweater";
  a.product.variants = std::vector<VariantPatch>{stock_patch("S", 1), stock_patch("M", 6)};
  const Product p = apply_platform_product(&stored, a);
  REQUIRE(p.variants.size() == 2);
  CHECK(*p.variants[1].inventory_quantity == 6);
  CHECK(*p.variants[1].price_cents == 8900);  // merged onto the stored variant
}

TEST_CASE("a list that may be cut short (100 variants) keeps the stored ones it misses") {
  const Product stored = stored_sweater();
  PlatformAction a;
  a.product.product_id = "SW";
  a.product.title = "Sweater";
  a.product.variants = std::vector<VariantPatch>{stock_patch("M", 6)};
  a.variants_complete = false;
  const Product p = apply_platform_product(&stored, a);
  REQUIRE(p.variants.size() == 3);
  CHECK(p.variants[0].variant_id == "M");
  CHECK(*p.variants[0].inventory_quantity == 6);
  CHECK(*p.variants[1].inventory_quantity == 3);  // S kept as stored
  CHECK(*p.variants[1].price_cents == 8900);
}

TEST_CASE("a WooCommerce parent: product fields, stored variants kept unless no longer listed") {
  const Product stored = stored_sweater();
  PlatformAction a;
  a.product.product_id = "SW";
  a.product.title = "Sweater (wool)";
  a.keep_variant_ids = std::vector<std::string>{"S", "L", "XL"};
  const Product p = apply_platform_product(&stored, a);
  CHECK(p.title == "Sweater (wool)");
  REQUIRE(p.variants.size() == 2);
  CHECK(p.variants[0].variant_id == "S");
  CHECK(p.variants[1].variant_id == "L");
  CHECK(*p.variants[1].inventory_quantity == 3);
}

TEST_CASE("a variant patch merges one variant; a missing parent is created with a placeholder") {
  const Product stored = stored_sweater();
  PlatformAction a;
  a.kind = PlatformActionKind::patch_variant;
  a.product_id = "SW";
  a.placeholder_title = "Sweater";
  a.variant = stock_patch("M", 0);
  a.variant.in_stock = Patch<bool>::of(false);
  Product p = apply_variant_patch(&stored, a);
  REQUIRE(p.variants.size() == 3);
  CHECK(*p.variants[1].inventory_quantity == 0);
  CHECK(*p.variants[1].in_stock == false);
  CHECK(*p.variants[1].price_cents == 8900);
  CHECK(*p.variants[0].inventory_quantity == 3);
  a.variant = stock_patch("XL", 2);
  p = apply_variant_patch(&p, a);
  CHECK(p.variants.size() == 4);
  const Product fresh = apply_variant_patch(nullptr, a);
  CHECK(fresh.title == "Sweater");
  CHECK(fresh.variants.size() == 1);
  CHECK(remove_variant(p, "XL"));
  CHECK_FALSE(remove_variant(p, "XL"));
  CHECK(p.variants.size() == 3);
}

TEST_CASE("Shopify's stock rule, in its order") {
  CHECK_FALSE(shopify_in_stock(false, false, true, 10));  // draft/archived: never
  CHECK(shopify_in_stock(true, false, false, 0));         // untracked
  CHECK(shopify_in_stock(true, true, true, -2));          // continue selling
  CHECK_FALSE(shopify_in_stock(true, true, false, 0));
  CHECK_FALSE(shopify_in_stock(true, true, false, std::nullopt));
  CHECK(shopify_in_stock(true, true, false, 1));
  const StockUpdate untracked = shopify_level_stock("P", "V", true, false, false, 0);
  CHECK(untracked.in_stock.value == true);
  CHECK(untracked.inventory_quantity.is_null());
  const StockUpdate none_known = shopify_level_stock("P", "V", true, true, false, std::nullopt);
  CHECK(none_known.in_stock.value == false);
  CHECK(none_known.inventory_quantity.value == 0);
}

TEST_CASE("resolve_shopify_stock: what Stockbell learnt decides when the payload is silent") {
  PlatformAction a;
  a.product.variants = std::vector<VariantPatch>{stock_patch("V", 0)};
  a.stock = {VariantStockFacts{"V", "ITEM", false, std::nullopt, 0}};
  resolve_shopify_stock(a, [](const std::string&) { return std::optional<bool>(); });
  CHECK((*a.product.variants)[0].in_stock.value == false);  // unknown: tracked
  resolve_shopify_stock(a, [](const std::string& item) {
    return item == "ITEM" ? std::optional<bool>(false) : std::nullopt;
  });
  CHECK((*a.product.variants)[0].in_stock.value == true);  // learnt: untracked
  CHECK((*a.product.variants)[0].inventory_quantity.is_null());
}

TEST_CASE("the outcome a delivery is answered with") {
  CHECK(platform_outcome_json(Platform::shopify, "products/update", "applied",
                              PlatformActionKind::upsert_product, 1, "") ==
        R"({"success":true,"platform":"shopify","topic":"products/update","outcome":"applied",)"
        R"("action":"product","backInStockEventsTriggered":1,"note":null})");
}
