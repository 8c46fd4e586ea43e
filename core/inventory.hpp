#pragma once
// Stock-only updates (README "Update stock"): `POST /api/v1/inventory`. They change a target's
// stock and nothing else — never a title, a price or the variant list — so an inventory system
// can push levels without knowing the catalog.
//
//   {"items": [{"productId": "SKU-1", "variantId": "SKU-1-M", "inventoryQuantity": 12},
//              {"productId": "MUG", "inStock": true}]}
//
// An item names a target like a back-in-stock request does: the variant `variantId` (default
// `productId`), or the product itself when `variantId` equals `productId` and the product has no
// such variant. `inventoryQuantity` alone lets the quantity decide (a stored explicit `inStock`
// is cleared); `inStock` sets the stock explicitly; both set both; `null` clears either.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/fields.hpp"
#include "core/product.hpp"

namespace stockbell {

constexpr size_t kMaxInventoryItems = 1000;

struct StockUpdate {
  std::string product_id;
  std::string variant_id;
  Patch<int64_t> inventory_quantity;
  Patch<bool> in_stock;
};

struct InventoryUpdate {
  std::vector<StockUpdate> items;  ///< 1..1000, distinct targets
};

/// Parses and validates `{"items": [...]}`; every problem by path (`items[3].inventoryQuantity`).
/// An item must carry `inventoryQuantity` or `inStock`; the same target twice is `duplicate_id`.
Result<InventoryUpdate> parse_inventory_update(std::string_view body);
Result<InventoryUpdate> read_inventory_update(const Json& document);
/// The normalised update (omitted fields stay omitted).
Json inventory_update_json(const InventoryUpdate& update);
/// `{"ok":true,"inventory":{...}}` or the error envelope (the shape of the shared vectors).
std::string validate_inventory_json(std::string_view body);

/// Applies one stock update to `product`; false (product unchanged) when the product has no such
/// target. On a product-level target (a product without that variant) the quantity only decides
/// `inStock`: a product keeps no quantity of its own.
bool apply_stock(Product& product, const StockUpdate& update);

/// `{"productId","variantId","inStock","inventoryQuantity"}` of the target after the update
/// (effective stock; `inventoryQuantity` null for a product-level target).
Json stock_json(const Product& product, std::string_view variant_id);

}  // namespace stockbell
