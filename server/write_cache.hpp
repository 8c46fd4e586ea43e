#pragma once
// What the writer has already looked up, so a registration doesn't ask SQLite again: target ids,
// the catalog snapshot of each target, and whether a store has any enabled webhook.
//
// Used only inside writer jobs (one thread, no locks). Entries that could have gone stale are
// erased by the writes that change them (an upsert or delete of a product, any webhook change),
// and everything is dropped whenever a job or a commit is rolled back, because an id cached from
// a rolled-back insert would point at nothing.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/event.hpp"
#include "server/sqlite.hpp"

namespace stockbell::server {

class WriteCache {
 public:
  int64_t target(Database& db, int64_t store_id, const std::string& product_id,
                 const std::string& variant_id);
  /// The snapshot id of the target's catalog facts (the product as stored now).
  int64_t snapshot(Database& db, int64_t store_id, int64_t target_id,
                   const std::string& product_id, const std::string& variant_id);
  bool has_webhooks(Database& db, int64_t store_id);

  void product_changed(int64_t store_id, const std::string& product_id);
  void webhooks_changed(int64_t store_id);
  void clear();

 private:
  static constexpr size_t kMaxEntries = 100'000;
  static std::string key(int64_t store_id, const std::string& product_id);

  std::unordered_map<std::string, int64_t> targets_;  ///< store|product|variant → target
  /// store|product → (variant → snapshot)
  std::unordered_map<std::string, std::map<std::string, int64_t>> snapshots_;
  std::unordered_map<int64_t, bool> webhooks_;
};

}  // namespace stockbell::server
