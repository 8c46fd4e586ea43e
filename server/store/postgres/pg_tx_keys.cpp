// PgTx: stores and API keys.

#include "server/store/postgres/pg_tx.hpp"

namespace stockbell::server::pg {

int64_t PgTx::insert_key(int64_t store_id, KeyKind kind, const KeyHash& hash,
                         const std::vector<std::string>& origins, int64_t now) {
  db_.cached("INSERT INTO api_keys(store_id, kind, key_hash, created_at) VALUES (?, ?, ?, ?)")
      .bind(1, store_id)
      .bind(2, key_kind_name(kind))
      .bind_blob(3, hash.data(), hash.size())
      .bind(4, now)
      .run();
  const int64_t key_id = db_.last_insert_rowid();
  for (const std::string& origin : origins)
    db_.cached("INSERT INTO api_key_origins(key_id, origin) VALUES (?, ?) ON CONFLICT DO NOTHING")
        .bind(1, key_id)
        .bind(2, origin)
        .run();
  return key_id;
}

std::vector<ApiKeyRecord> PgTx::list_keys(const std::optional<std::string>& store_name) {
  Statement& st = db_.cached("SELECT " STOCKBELL_KEY_COLUMNS STOCKBELL_KEY_JOINS
                             " WHERE ?1::TEXT IS NULL OR s.name = ?1 ORDER BY k.id");
  st.bind(1, store_name);
  std::vector<ApiKeyRecord> keys = read_all(st, read_key<Statement>);
  for (ApiKeyRecord& key : keys) read_key_origins(db_, key);
  return keys;
}

}  // namespace stockbell::server::pg
