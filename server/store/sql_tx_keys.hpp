#pragma once
// SqlTx (sql_tx.hpp): stores and API keys, the same on both backends. Included only by the files
// that instantiate SqlTx (sqlite/sqlite_tx.cpp, postgres/pg_tx.cpp).

#include <openssl/rand.h>

#include <stdexcept>

#include "server/store/sql_tx.hpp"

namespace stockbell::server {

template <class Db>
void SqlTx<Db>::ping() {
  db_.cached("SELECT 1").run();
}

template <class Db>
std::optional<int64_t> SqlTx<Db>::find_store(const std::string& name) {
  Statement& st = db_.cached("SELECT id FROM stores WHERE name = ?");
  st.bind(1, name);
  std::optional<int64_t> id;
  if (st.step()) id = st.int64(0);
  st.reset();
  return id;
}

template <class Db>
int64_t SqlTx<Db>::create_store(const std::string& name, int64_t now) {
  db_.cached("INSERT INTO stores(name, created_at) VALUES (?, ?)").bind(1, name).bind(2, now).run();
  return db_.last_insert_rowid();
}

template <class Db>
std::optional<ApiKeyRecord> SqlTx<Db>::find_key(const KeyHash& hash) {
  Statement& st = db_.cached("SELECT " STOCKBELL_KEY_COLUMNS STOCKBELL_KEY_JOINS
                             " WHERE k.key_hash = ? AND k.revoked_at IS NULL");
  st.bind_blob(1, hash.data(), hash.size());
  std::optional<ApiKeyRecord> key = read_first(st, read_key<Statement>);
  if (key) read_key_origins(db_, *key);
  return key;
}

template <class Db>
bool SqlTx<Db>::revoke_key(int64_t key_id, int64_t now) {
  db_.cached("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
      .bind(1, now)
      .bind(2, key_id)
      .run();
  return db_.changes() > 0;
}

template <class Db>
bool SqlTx<Db>::origin_allowed_for_any_key(const std::string& origin) {
  Statement& st = db_.cached(
      "SELECT 1 FROM api_key_origins o JOIN api_keys k ON k.id = o.key_id"
      " WHERE o.origin = ? AND k.revoked_at IS NULL LIMIT 1");
  st.bind(1, origin);
  const bool found = st.step();
  st.reset();
  return found;
}

template <class Db>
std::string SqlTx<Db>::store_name(int64_t store_id) {
  Statement& st = db_.cached("SELECT name FROM stores WHERE id = ?");
  st.bind(1, store_id);
  std::string name;
  if (st.step()) name = st.string(0);
  st.reset();
  return name;
}

template <class Db>
std::optional<KeyHash> SqlTx<Db>::find_mail_key(int64_t store_id) {
  Statement& st = db_.cached("SELECT mail_key FROM stores WHERE id = ? AND mail_key IS NOT NULL");
  st.bind(1, store_id);
  std::optional<KeyHash> key;
  if (st.step()) key = key_hash_of(st.text(0));
  st.reset();
  return key;
}

template <class Db>
KeyHash SqlTx<Db>::mail_key(int64_t store_id) {
  if (std::optional<KeyHash> key = find_mail_key(store_id)) return *key;
  KeyHash key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
    throw std::runtime_error("no randomness available");
  db_.cached("UPDATE stores SET mail_key = ? WHERE id = ?")
      .bind_blob(1, key.data(), key.size())
      .bind(2, store_id)
      .run();
  return key;
}

template <class Db>
StoreSettings SqlTx<Db>::store_settings(int64_t store_id) {
  Statement& st = db_.cached("SELECT data FROM store_settings WHERE store_id = ?");
  st.bind(1, store_id);
  StoreSettings settings;
  if (st.step()) {
    std::optional<StoreSettings> stored = settings_from_storage(st.text(0));
    if (!stored) {
      st.reset();
      throw std::runtime_error("stored settings of store " + std::to_string(store_id) +
                               " are unreadable");
    }
    settings = std::move(*stored);
  }
  st.reset();
  return settings;
}

template <class Db>
void SqlTx<Db>::save_settings(int64_t store_id, const StoreSettings& settings, int64_t now) {
  db_.cached(
         "INSERT INTO store_settings(store_id, data, updated_at) VALUES (?1, ?2, ?3)"
         " ON CONFLICT(store_id) DO UPDATE SET data = excluded.data,"
         " updated_at = excluded.updated_at")
      .bind(1, store_id)
      .bind(2, dump(settings_json(settings)))
      .bind(3, now)
      .run();
}

// `CAST(?1 AS TEXT) IS NULL`: PostgreSQL needs the parameter's type; SQLite reads it the same.
template <class Db>
int64_t SqlTx<Db>::insert_key(int64_t store_id, KeyKind kind, const KeyHash& hash,
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

template <class Db>
std::vector<ApiKeyRecord> SqlTx<Db>::list_keys(const std::optional<std::string>& store_name) {
  Statement& st = db_.cached("SELECT " STOCKBELL_KEY_COLUMNS STOCKBELL_KEY_JOINS
                             " WHERE CAST(?1 AS TEXT) IS NULL OR s.name = ?1 ORDER BY k.id");
  st.bind(1, store_name);
  std::vector<ApiKeyRecord> keys = read_all(st, read_key<Statement>);
  for (ApiKeyRecord& key : keys) read_key_origins(db_, key);
  return keys;
}

}  // namespace stockbell::server
