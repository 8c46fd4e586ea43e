#pragma once
// What the writer has already looked up, so a registration doesn't ask SQLite again: target ids,
// the current catalog snapshot of each target, whether a store has any enabled webhook, and each
// store's settings.
//
// Owned by SqliteStorage and used only on the writer thread, through SqliteTx, which updates an
// entry in the same method that writes what it describes (saving a product drops its
// snapshots; any webhook change drops the store's flag; saving settings replaces them). Everything is dropped whenever a job or
// a commit is rolled back: an id cached from a rolled-back insert would point at nothing.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/settings.hpp"

namespace stockbell::server {

class WriteCache {
 public:
  std::optional<int64_t> target(int64_t store_id, const std::string& product_id,
                                const std::string& variant_id) const;
  void put_target(int64_t store_id, const std::string& product_id, const std::string& variant_id,
                  int64_t target_id);

  std::optional<int64_t> snapshot(int64_t store_id, const std::string& product_id,
                                  const std::string& variant_id) const;
  void put_snapshot(int64_t store_id, const std::string& product_id,
                    const std::string& variant_id, int64_t snapshot_id);

  std::optional<bool> has_webhooks(int64_t store_id) const;
  void put_has_webhooks(int64_t store_id, bool any);

  const StoreSettings* settings(int64_t store_id) const;
  void put_settings(int64_t store_id, const StoreSettings& settings);

  void product_changed(int64_t store_id, const std::string& product_id);
  void webhooks_changed(int64_t store_id);
  void clear();

 private:
  /// Past this many entries a map is emptied rather than grown (one store with a huge catalog
  /// still works, just with more lookups).
  static constexpr size_t kMaxEntries = 100'000;
  static std::string key(int64_t store_id, const std::string& product_id);

  std::unordered_map<std::string, int64_t> targets_;  ///< store|product|variant → target
  /// store|product → (variant → snapshot)
  std::unordered_map<std::string, std::map<std::string, int64_t>> snapshots_;
  std::unordered_map<int64_t, bool> webhooks_;
  std::unordered_map<int64_t, StoreSettings> settings_;
};

}  // namespace stockbell::server
