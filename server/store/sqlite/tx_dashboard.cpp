// SqliteTx: dashboard sign-in links and sessions, and the demand and activity counters (kept by
// the triggers of migration 7, server/store/sqlite/schema.cpp).

#include "server/store/db_values.hpp"
#include "server/store/sqlite/sqlite_tx.hpp"

namespace stockbell::server {

void SqliteTx::touch_session(const KeyHash& hash, int64_t now) {
  db_.cached("UPDATE sessions SET last_seen_at = max(last_seen_at, ?) WHERE token_hash = ?")
      .bind(1, now)
      .bind_blob(2, hash.data(), hash.size())
      .run();
}

void SqliteTx::count_activity(int64_t store_id, Activity kind, int64_t at) {
  db_.cached(
         "INSERT INTO activity(store_id, bucket, kind, count) VALUES (?, ?, ?, 1)"
         " ON CONFLICT(store_id, bucket, kind) DO UPDATE SET count = count + 1")
      .bind(1, store_id)
      .bind(2, at / kActivityBucketMs)
      .bind(3, db::value(kind))
      .run();
}

}  // namespace stockbell::server
