#include "server/app/catalog.hpp"

#include <algorithm>

#include "server/app/clock.hpp"
#include "server/app/notify.hpp"

namespace stockbell::server {

StockApplied apply_stock_updates(WriteTx& tx, int64_t store_id,
                                 const std::vector<StockUpdate>& updates, int64_t now,
                                 bool all_or_nothing, Mail mail) {
  StockApplied out;
  std::vector<ProductRecord> products;  // each product read once, changed in memory
  std::vector<bool> changed;
  for (size_t i = 0; i < updates.size(); ++i) {
    const StockUpdate& update = updates[i];
    auto it = std::find_if(products.begin(), products.end(), [&](const ProductRecord& p) {
      return p.product.product_id == update.product_id;
    });
    if (it == products.end()) {
      std::optional<ProductRecord> stored = tx.find_product(store_id, update.product_id);
      if (!stored) {
        out.missing.push_back(i);
        continue;
      }
      products.push_back(std::move(*stored));
      changed.push_back(false);
      it = products.end() - 1;
    }
    if (apply_stock(it->product, update)) changed[static_cast<size_t>(it - products.begin())] = true;
    else out.missing.push_back(i);
  }
  if (all_or_nothing && !out.missing.empty()) return out;
  for (size_t i = 0; i < products.size(); ++i)
    if (changed[i]) out.products.push_back(tx.save_product(store_id, products[i].product, now));
  // Notify once the whole batch is stored, like an upsert.
  for (const ProductRecord& record : out.products)
    out.events_triggered += notify_in_stock(tx, store_id, record.product, now, mail);
  return out;
}

Result<CatalogService::InventoryOutcome> CatalogService::update_inventory(
    int64_t store_id, const InventoryUpdate& update) {
  return storage_.write([&](WriteTx& tx) -> Result<InventoryOutcome> {
    StockApplied applied = apply_stock_updates(tx, store_id, update.items, now_ms(), true, mail_);
    if (!applied.missing.empty()) {
      std::vector<FieldError> details;
      for (size_t i : applied.missing) {
        const StockUpdate& item = update.items[i];
        std::optional<ProductRecord> product = tx.find_product(store_id, item.product_id);
        const std::string field = join_path(index_path("items", i), product ? "variantId" : "productId");
        details.push_back(FieldError{field, FieldCode::not_in_catalog,
                                     field_message(FieldCode::not_in_catalog), std::nullopt});
      }
      return unknown_items(std::move(details));
    }
    return InventoryOutcome{std::move(applied.products), applied.events_triggered};
  });
}

CatalogService::UpsertOutcome CatalogService::upsert_products(int64_t store_id,
                                                              const ProductUpsert& upsert) {
  return storage_.write([&](WriteTx& tx) {
    const int64_t now = now_ms();
    UpsertOutcome out;
    out.products.reserve(upsert.products.size());
    for (const ProductPatch& patch : upsert.products) {
      std::optional<ProductRecord> stored = tx.find_product(store_id, patch.product_id);
      if (!stored) ++out.created;
      const Product merged = apply_patch(stored ? &stored->product : nullptr, patch);
      out.products.push_back(tx.save_product(store_id, merged, now));
    }
    // Notify in the same transaction, once the whole batch is stored: a request is notified
    // exactly when its stock change is committed, and one writer at a time means two upserts
    // can never both see it waiting.
    for (const ProductRecord& record : out.products)
      out.events_triggered += notify_in_stock(tx, store_id, record.product, now, mail_);
    return out;
  });
}

Result<ProductRecord> CatalogService::get_product(int64_t store_id,
                                                  const std::string& product_id) {
  std::optional<ProductRecord> record =
      storage_.read([&](ReadTx& tx) { return tx.find_product(store_id, product_id); });
  if (!record) return not_found(Resource::product);
  return std::move(*record);
}

Result<std::string> CatalogService::delete_product(int64_t store_id,
                                                   const std::string& product_id) {
  const bool deleted =
      storage_.write([&](WriteTx& tx) { return tx.delete_product(store_id, product_id); });
  if (!deleted) return not_found(Resource::product);
  return product_id;
}

CatalogService::ProductPage CatalogService::list_products(int64_t store_id,
                                                          const ProductListQuery& query) {
  if (query.provider && *query.provider != kProductProvider) return {};
  return storage_.read([&](ReadTx& tx) {
    return ProductPage{tx.list_products(store_id, query), tx.count_products(store_id, query)};
  });
}

CatalogService::Availability CatalogService::availability(int64_t store_id,
                                                          const AvailabilityQuery& query) {
  std::optional<ProductRecord> record =
      storage_.read([&](ReadTx& tx) { return tx.find_product(store_id, query.product_id); });
  if (!record) return {};
  const TargetState target = resolve_target(record->product, query.variant_id);
  return Availability{target.in_stock, target.known};
}

}  // namespace stockbell::server
