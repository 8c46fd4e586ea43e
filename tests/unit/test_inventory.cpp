// core/inventory: stock-only updates (`POST /api/v1/inventory`): parsing and what an update does
// to a stored product — stock only, never titles, prices or the variant list.

#include <doctest/doctest.h>

#include "core/inventory.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::problem_list;
using stockbell::test::value_of;

namespace {

Product shirt() {
  Product p;
  p.product_id = "SHIRT";
  p.title = "Shirt";
  p.price_cents = 3900;
  Variant m;
  m.variant_id = "SHIRT-M";
  m.title = "M";
  m.price_cents = 3900;
  m.in_stock = false;  // an explicit value the quantity must be able to override
  m.inventory_quantity = 0;
  Variant l;
  l.variant_id = "SHIRT-L";
  l.title = "L";
  l.inventory_quantity = 4;
  p.variants = {m, l};
  return p;
}

}  // namespace

TEST_CASE("parse: items with a quantity, a flag or both; variantId defaults to productId") {
  const InventoryUpdate u = value_of(parse_inventory_update(R"({"items":[
      {"productId":"SHIRT","variantId":"SHIRT-M","inventoryQuantity":5},
      {"productId":"MUG","inStock":true},
      {"productId":"SHIRT","variantId":"SHIRT-L","inventoryQuantity":-2,"inStock":true},
      {"productId":"CAP","inventoryQuantity":null}]})"));
  REQUIRE(u.items.size() == 4);
  CHECK(u.items[0].inventory_quantity.value == 5);
  CHECK(u.items[0].in_stock.absent());
  CHECK(u.items[1].variant_id == "MUG");
  CHECK(u.items[1].in_stock.value == true);
  CHECK(u.items[2].inventory_quantity.value == -2);
  CHECK(u.items[3].inventory_quantity.is_null());
}

TEST_CASE("parse: every problem by path") {
  CHECK(problem_list(parse_inventory_update("{}")) == "items:required");
  CHECK(problem_list(parse_inventory_update(R"({"items":[]})")) == "items:too_few_items");
  CHECK(problem_list(parse_inventory_update(R"({"items":[{"productId":"A"},
      {"productId":"A","inventoryQuantity":1.5,"title":"x"},
      {"variantId":"B","inStock":"yes"},
      {"productId":"C","inStock":true},{"productId":"C","variantId":"C","inStock":false}],"x":1})")) ==
        "items[0].inventoryQuantity:required, items[1].inventoryQuantity:not_integer, "
        "items[1].title:unknown_field, items[2].productId:required, items[2].inStock:invalid_type, "
        "items[4].variantId:duplicate_id, x:unknown_field");
  std::string many;
  for (size_t i = 0; i <= kMaxInventoryItems; ++i)
    many += std::string(i ? "," : "") + R"({"productId":"P)" + std::to_string(i) +
            R"(","inStock":true})";
  CHECK(problem_list(parse_inventory_update(R"({"items":[)" + many + "]}")) ==
        "items:too_many_items");
}

TEST_CASE("a quantity alone decides: a stored explicit inStock is cleared") {
  Product p = shirt();
  StockUpdate u{"SHIRT", "SHIRT-M", Patch<int64_t>::of(5), {}};
  REQUIRE(apply_stock(p, u));
  CHECK(*p.variants[0].inventory_quantity == 5);
  CHECK_FALSE(p.variants[0].in_stock.has_value());
  CHECK(variant_in_stock(p.variants[0]));
}

TEST_CASE("stock only: titles, prices, other variants and the list stay") {
  Product p = shirt();
  const Product before = p;
  REQUIRE(apply_stock(
      p, StockUpdate{"SHIRT", "SHIRT-L", Patch<int64_t>::of(0), Patch<bool>::of(true)}));
  CHECK(p.title == before.title);
  CHECK(p.variants.size() == 2);
  CHECK(p.variants[0].in_stock == before.variants[0].in_stock);  // M untouched
  CHECK(p.variants[1].title == "L");
  CHECK(*p.variants[1].in_stock == true);
  CHECK(*p.variants[1].inventory_quantity == 0);
  CHECK(product_to_storage(p).find("\"title\":\"Shirt\"") != std::string::npos);
}

TEST_CASE("unknown targets change nothing") {
  Product p = shirt();
  const std::string before = product_to_storage(p);
  CHECK_FALSE(apply_stock(p, StockUpdate{"SHIRT", "SHIRT-XL", Patch<int64_t>::of(3), {}}));
  CHECK(product_to_storage(p) == before);
}

TEST_CASE("a product-level target: the quantity decides inStock, no quantity is kept") {
  Product mug;
  mug.product_id = "MUG";
  mug.title = "Mug";
  REQUIRE(apply_stock(mug, StockUpdate{"MUG", "MUG", Patch<int64_t>::of(0), {}}));
  CHECK(*mug.in_stock == false);
  REQUIRE(apply_stock(mug, StockUpdate{"MUG", "MUG", Patch<int64_t>::of(3), {}}));
  CHECK(*mug.in_stock == true);
  REQUIRE(apply_stock(mug, StockUpdate{"MUG", "MUG", {}, Patch<bool>::null_patch()}));
  CHECK_FALSE(mug.in_stock.has_value());
  CHECK(dump(stock_json(mug, "MUG")) ==
        R"({"productId":"MUG","variantId":"MUG","inStock":true,"inventoryQuantity":null})");
}

TEST_CASE("validation outcome JSON") {
  CHECK(validate_inventory_json(R"({"items":[{"productId":"A","inStock":false}]})") ==
        R"({"ok":true,"inventory":{"items":[{"productId":"A","variantId":"A","inStock":false}]}})");
}
