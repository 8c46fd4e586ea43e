#include "server/store/sqlite/write_cache.hpp"

namespace stockbell::server {

std::string WriteCache::key(int64_t store_id, const std::string& product_id) {
  // Ids are NUL-free text; '\0' separates the parts unambiguously.
  std::string k = std::to_string(store_id);
  k += '\0';
  k += product_id;
  return k;
}

std::optional<int64_t> WriteCache::target(int64_t store_id, const std::string& product_id,
                                          const std::string& variant_id) const {
  std::string k = key(store_id, product_id);
  k += '\0';
  k += variant_id;
  if (auto it = targets_.find(k); it != targets_.end()) return it->second;
  return std::nullopt;
}

void WriteCache::put_target(int64_t store_id, const std::string& product_id,
                            const std::string& variant_id, int64_t target_id) {
  if (targets_.size() >= kMaxEntries) targets_.clear();
  std::string k = key(store_id, product_id);
  k += '\0';
  k += variant_id;
  targets_[std::move(k)] = target_id;
}

std::optional<int64_t> WriteCache::snapshot(int64_t store_id, const std::string& product_id,
                                            const std::string& variant_id) const {
  auto it = snapshots_.find(key(store_id, product_id));
  if (it == snapshots_.end()) return std::nullopt;
  auto v = it->second.find(variant_id);
  if (v == it->second.end()) return std::nullopt;
  return v->second;
}

void WriteCache::put_snapshot(int64_t store_id, const std::string& product_id,
                              const std::string& variant_id, int64_t snapshot_id) {
  std::string k = key(store_id, product_id);
  if (snapshots_.size() >= kMaxEntries && snapshots_.count(k) == 0) snapshots_.clear();
  snapshots_[std::move(k)][variant_id] = snapshot_id;
}

std::optional<bool> WriteCache::has_webhooks(int64_t store_id) const {
  if (auto it = webhooks_.find(store_id); it != webhooks_.end()) return it->second;
  return std::nullopt;
}

void WriteCache::put_has_webhooks(int64_t store_id, bool any) { webhooks_[store_id] = any; }

const StoreSettings* WriteCache::settings(int64_t store_id) const {
  auto it = settings_.find(store_id);
  return it == settings_.end() ? nullptr : &it->second;
}

void WriteCache::put_settings(int64_t store_id, const StoreSettings& settings) {
  if (settings_.size() >= kMaxEntries) settings_.clear();
  settings_[store_id] = settings;
}

void WriteCache::product_changed(int64_t store_id, const std::string& product_id) {
  snapshots_.erase(key(store_id, product_id));
}

void WriteCache::webhooks_changed(int64_t store_id) { webhooks_.erase(store_id); }

void WriteCache::clear() {
  targets_.clear();
  snapshots_.clear();
  webhooks_.clear();
  settings_.clear();
}

}  // namespace stockbell::server
