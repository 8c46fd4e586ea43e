#include "server/write_cache.hpp"

#include "server/store.hpp"
#include "server/webhook_store.hpp"

namespace stockbell::server {

std::string WriteCache::key(int64_t store_id, const std::string& product_id) {
  // Ids can hold any character but NUL-free text; '\0' separates the parts unambiguously.
  std::string k = std::to_string(store_id);
  k += '\0';
  k += product_id;
  return k;
}

int64_t WriteCache::target(Database& db, int64_t store_id, const std::string& product_id,
                           const std::string& variant_id) {
  std::string k = key(store_id, product_id);
  k += '\0';
  k += variant_id;
  if (auto it = targets_.find(k); it != targets_.end()) return it->second;
  if (targets_.size() >= kMaxEntries) targets_.clear();
  const int64_t id = store::find_or_create_target(db, store_id, product_id, variant_id);
  targets_.emplace(std::move(k), id);
  return id;
}

int64_t WriteCache::snapshot(Database& db, int64_t store_id, int64_t target_id,
                             const std::string& product_id, const std::string& variant_id) {
  std::string k = key(store_id, product_id);
  if (snapshots_.size() >= kMaxEntries && snapshots_.count(k) == 0) snapshots_.clear();
  auto& variants = snapshots_[std::move(k)];
  if (auto it = variants.find(variant_id); it != variants.end()) return it->second;
  std::optional<store::ProductRow> product = store::find_product(db, store_id, product_id);
  const int64_t id = store::snapshot_id(
      db, target_id, snapshot_of(product ? &product->product : nullptr, variant_id));
  variants.emplace(variant_id, id);
  return id;
}

bool WriteCache::has_webhooks(Database& db, int64_t store_id) {
  if (auto it = webhooks_.find(store_id); it != webhooks_.end()) return it->second;
  const bool any = store::has_enabled_webhooks(db, store_id);
  webhooks_.emplace(store_id, any);
  return any;
}

void WriteCache::product_changed(int64_t store_id, const std::string& product_id) {
  snapshots_.erase(key(store_id, product_id));
}

void WriteCache::webhooks_changed(int64_t store_id) { webhooks_.erase(store_id); }

void WriteCache::clear() {
  targets_.clear();
  snapshots_.clear();
  webhooks_.clear();
}

}  // namespace stockbell::server
