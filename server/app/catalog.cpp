#include "server/app/catalog.hpp"

#include "server/app/clock.hpp"
#include "server/app/notify.hpp"

namespace stockbell::server {

CatalogService::UpsertOutcome CatalogService::upsert_products(int64_t store_id,
                                                              const ProductUpsert& upsert) {
  return storage_.write([&](WriteTx& tx) {
    const int64_t now = now_ms();
    UpsertOutcome out;
    out.products.reserve(upsert.products.size());
    for (const ProductPatch& patch : upsert.products) {
      std::optional<ProductRecord> stored = tx.find_product(store_id, patch.product_id);
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
