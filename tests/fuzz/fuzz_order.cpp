// libFuzzer target: the orders and inventory bodies (core/order.hpp, core/inventory.hpp).
// Beyond "no crash": outcomes are JSON; an accepted order survives storage unchanged and its
// revenue stays within 2^53 - 1; stock updates only ever change stock, and applying one twice
// changes nothing more.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/inventory.hpp"
#include "core/order.hpp"

using namespace stockbell;

namespace {

Product catalog() {
  Product p;
  p.product_id = "P";
  p.title = "Product";
  p.price_cents = 100;
  for (const char* id : {"P-1", "P-2"}) {
    Variant v;
    v.variant_id = id;
    v.title = id;
    v.price_cents = 100;
    v.in_stock = false;
    p.variants.push_back(v);
  }
  return p;
}

// What is left of a product once its stock is taken out.
std::string without_stock(Product p) {
  p.in_stock.reset();
  for (Variant& v : p.variants) {
    v.in_stock.reset();
    v.inventory_quantity.reset();
  }
  return product_to_storage(p);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  JsonParseFailure failure;
  if (!parse_json(validate_order_json(body), failure)) __builtin_trap();
  if (!parse_json(validate_inventory_json(body), failure)) __builtin_trap();

  Result<Order> order = parse_order(body);
  if (order.ok()) {
    const Order& o = order.value();
    std::optional<Order> back = order_from_storage(order_to_storage(o));
    if (!back || order_to_storage(*back) != order_to_storage(o)) __builtin_trap();
    for (const PurchasedItem& item : purchased_items(o))
      if (item.revenue_cents < 0 || item.revenue_cents > kMaxSafeInteger) __builtin_trap();
  } else if (order.error().code == ApiCode::validation_failed && order.error().details.empty()) {
    __builtin_trap();
  }

  Result<InventoryUpdate> update = parse_inventory_update(body);
  if (update.ok()) {
    if (update.value().items.empty() || update.value().items.size() > kMaxInventoryItems)
      __builtin_trap();
    Product once = catalog();
    const std::string shape = without_stock(once);
    for (const StockUpdate& item : update.value().items) apply_stock(once, item);
    if (without_stock(once) != shape) __builtin_trap();  // stock only
    Product twice = once;
    for (const StockUpdate& item : update.value().items) apply_stock(twice, item);
    if (product_to_storage(twice) != product_to_storage(once)) __builtin_trap();
  }
  return 0;
}
