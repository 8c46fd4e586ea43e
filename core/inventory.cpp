#include "core/inventory.hpp"

#include <set>
#include <utility>

namespace stockbell {

Result<InventoryUpdate> read_inventory_update(const Json& document) {
  Problems problems;
  if (!expect_object(document, "", problems)) return validation_error(problems);
  ObjectReader reader(document, "", problems);
  InventoryUpdate update;
  const Json* items = reader.member("items");
  if (items == nullptr || items->is_null()) {
    problems.add("items", FieldCode::required);
  } else if (!items->is_array()) {
    problems.add("items", FieldCode::invalid_type, std::nullopt, "an array");
  } else if (items->empty()) {
    problems.add("items", FieldCode::too_few_items);
  } else if (items->size() > kMaxInventoryItems) {
    problems.add("items", FieldCode::too_many_items, static_cast<int64_t>(kMaxInventoryItems));
  } else {
    std::set<std::pair<std::string, std::string>> seen;
    for (size_t i = 0; i < items->size(); ++i) {
      const std::string path = index_path("items", i);
      if (!expect_object((*items)[i], path, problems)) continue;
      const size_t before = problems.size();
      ObjectReader item((*items)[i], path, problems);
      std::optional<std::string> product_id = item.required_text("productId", kIdRule);
      std::optional<std::string> variant_id;
      if (const Json* v = item.member("variantId"); v != nullptr && !v->is_null())
        variant_id = item.required_text("variantId", kIdRule);
      StockUpdate s;
      s.inventory_quantity =
          item.patch_integer("inventoryQuantity", -kMaxSafeInteger, kMaxSafeInteger);
      s.in_stock = item.patch_bool("inStock");
      if (item.member("inventoryQuantity") == nullptr && item.member("inStock") == nullptr)
        problems.add(item.field("inventoryQuantity"), FieldCode::required);
      item.reject_unknown();
      if (problems.size() != before || !product_id) continue;
      s.product_id = std::move(*product_id);
      s.variant_id = variant_id ? std::move(*variant_id) : s.product_id;
      if (!seen.emplace(s.product_id, s.variant_id).second) {
        problems.add(item.field(variant_id ? "variantId" : "productId"), FieldCode::duplicate_id);
        continue;
      }
      update.items.push_back(std::move(s));
    }
  }
  reader.reject_unknown();
  if (!problems.empty()) return validation_error(problems);
  return update;
}

Result<InventoryUpdate> parse_inventory_update(std::string_view body) {
  Result<Json> document = parse_body(body);
  if (!document.ok()) return document.error();
  return read_inventory_update(document.value());
}

Json inventory_update_json(const InventoryUpdate& update) {
  Json items = Json::array();
  for (const StockUpdate& s : update.items) {
    Json item;
    item["productId"] = s.product_id;
    item["variantId"] = s.variant_id;
    if (s.inventory_quantity.is_null()) item["inventoryQuantity"] = nullptr;
    if (s.inventory_quantity.has_value()) item["inventoryQuantity"] = s.inventory_quantity.value;
    if (s.in_stock.is_null()) item["inStock"] = nullptr;
    if (s.in_stock.has_value()) item["inStock"] = s.in_stock.value;
    items.push_back(std::move(item));
  }
  Json out;
  out["items"] = std::move(items);
  return out;
}

std::string validate_inventory_json(std::string_view body) {
  return validation_outcome_json(parse_inventory_update(body), inventory_update_json, "inventory");
}

bool apply_stock(Product& product, const StockUpdate& update) {
  for (Variant& v : product.variants) {
    if (v.variant_id != update.variant_id) continue;
    update.inventory_quantity.apply_to(v.inventory_quantity);
    if (!update.in_stock.absent())
      update.in_stock.apply_to(v.in_stock);
    else if (update.inventory_quantity.has_value())
      v.in_stock.reset();  // the quantity decides
    return true;
  }
  if (update.variant_id != product.product_id) return false;
  if (!update.in_stock.absent())
    update.in_stock.apply_to(product.in_stock);
  else if (update.inventory_quantity.has_value())
    product.in_stock = update.inventory_quantity.value > 0;
  else
    product.in_stock.reset();  // `"inventoryQuantity": null` alone: the variants decide again
  return true;
}

Json stock_json(const Product& product, std::string_view variant_id) {
  Json out;
  out["productId"] = product.product_id;
  out["variantId"] = variant_id;
  const TargetState target = resolve_target(product, variant_id);
  out["inStock"] = target.in_stock;
  out["inventoryQuantity"] = target.variant && target.variant->inventory_quantity
                                 ? Json(*target.variant->inventory_quantity)
                                 : Json(nullptr);
  return out;
}

}  // namespace stockbell
