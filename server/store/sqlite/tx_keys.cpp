// SqliteTx: stores and API keys.

#include "server/store/sqlite/sqlite_tx.hpp"

namespace stockbell::server {

int64_t SqliteTx::insert_key(int64_t store_id, KeyKind kind, const KeyHash& hash,
                             const std::vector<std::string>& origins, int64_t now) {
  db_.cached("INSERT INTO api_keys(store_id, kind, key_hash, created_at) VALUES (?, ?, ?, ?)")
      .bind(1, store_id)
      .bind(2, key_kind_name(kind))
      .bind_blob(3, hash.data(), hash.size())
      .bind(4, now)
      .run();
  const int64_t key_id = db_.last_insert_rowid();
  for (const std::string& origin : origins)
    db_.cached("INSERT OR IGNORE INTO api_key_origins(key_id, origin) VALUES (?, ?)")
        .bind(1, key_id)
        .bind(2, origin)
        .run();
  return key_id;
}

std::vector<ApiKeyRecord> SqliteTx::list_keys(const std::optional<std::string>& store_name) {
  Statement& st = db_.cached("SELECT " STOCKBELL_KEY_COLUMNS STOCKBELL_KEY_JOINS
                             " WHERE ?1 IS NULL OR s.name = ?1 ORDER BY k.id");
  st.bind(1, store_name);
  std::vector<ApiKeyRecord> keys = read_all(st, read_key<Statement>);
  for (ApiKeyRecord& key : keys) read_key_origins(db_, key);
  return keys;
}

// The write cache in front of SqlTx's reads and writes of the settings.
StoreSettings SqliteTx::store_settings(int64_t store_id) {
  if (cache_ != nullptr)
    if (const StoreSettings* cached = cache_->settings(store_id)) return *cached;
  StoreSettings settings = SqlTx::store_settings(store_id);
  if (cache_ != nullptr) cache_->put_settings(store_id, settings);
  return settings;
}

void SqliteTx::save_settings(int64_t store_id, const StoreSettings& settings, int64_t now) {
  SqlTx::save_settings(store_id, settings, now);
  if (cache_ != nullptr) cache_->put_settings(store_id, settings);
}

}  // namespace stockbell::server
