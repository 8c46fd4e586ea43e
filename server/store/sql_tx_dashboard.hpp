#pragma once
// SqlTx (sql_tx.hpp): dashboard sign-in links and sessions, demand and activity counters, the same
// on both backends. Included only by the files that instantiate SqlTx (sqlite/sqlite_tx.cpp,
// postgres/pg_tx.cpp).

#include "server/store/db_values.hpp"
#include "server/store/sql_tx.hpp"

namespace stockbell::server {

template <class Db>
std::optional<SessionRecord> SqlTx<Db>::find_session(const KeyHash& hash) {
  Statement& st = db_.cached("SELECT " STOCKBELL_SESSION_COLUMNS STOCKBELL_SESSION_JOINS
                             " WHERE x.token_hash = ?");
  st.bind_blob(1, hash.data(), hash.size());
  return read_first(st, read_session<Statement>);
}

template <class Db>
std::vector<DemandRow> SqlTx<Db>::demand_page(int64_t store_id, const Page& page) {
  // demand_ranked (store_id, waiting DESC, oldest_at) gives the order; the titles are the
  // requests' (the catalog's, when it has the product, replace them upstairs).
  Statement& st = db_.cached("SELECT " STOCKBELL_DEMAND_COLUMNS STOCKBELL_DEMAND_JOINS
                             " WHERE d.store_id = ?1 AND d.waiting > 0"
                             " ORDER BY d.waiting DESC, d.oldest_at LIMIT ?2 OFFSET ?3");
  st.bind(1, store_id).bind(2, page.limit).bind(3, page.offset);
  return read_all(st, read_demand<Statement>);
}

template <class Db>
std::pair<int64_t, int64_t> SqlTx<Db>::demand_totals(int64_t store_id) {
  Statement& st = db_.cached(
      "SELECT COUNT(*), COALESCE(SUM(waiting), 0) FROM demand WHERE store_id = ? AND waiting > 0");
  st.bind(1, store_id);
  std::pair<int64_t, int64_t> totals{0, 0};
  if (st.step()) totals = {st.int64(0), st.int64(1)};
  st.reset();
  return totals;
}

template <class Db>
int64_t SqlTx<Db>::count_target_notified(int64_t target_id, int64_t since) {
  return single_int(
      db_.cached("SELECT COUNT(*) FROM requests WHERE target_id = ? AND notified_at >= ?")
          .bind(1, target_id)
          .bind(2, since));
}

template <class Db>
std::vector<ActivityCount> SqlTx<Db>::activity_counts(int64_t store_id, int64_t first_bucket,
                                                      int64_t last_bucket) {
  Statement& st = db_.cached(
      "SELECT bucket, kind, count FROM activity WHERE store_id = ? AND bucket BETWEEN ? AND ?");
  st.bind(1, store_id).bind(2, first_bucket).bind(3, last_bucket);
  std::vector<ActivityCount> counts;
  while (st.step()) {
    if (std::optional<Activity> kind = db::activity(st.int64(1)))
      counts.push_back(ActivityCount{*kind, st.int64(0), st.int64(2)});
  }
  st.reset();
  return counts;
}

template <class Db>
void SqlTx<Db>::insert_sign_in_link(const KeyHash& hash, int64_t store_id, int64_t now,
                                    int64_t expires_at) {
  db_.cached(
         "INSERT INTO sign_in_links(token_hash, store_id, created_at, expires_at)"
         " VALUES (?, ?, ?, ?)")
      .bind_blob(1, hash.data(), hash.size())
      .bind(2, store_id)
      .bind(3, now)
      .bind(4, expires_at)
      .run();
}

template <class Db>
std::optional<int64_t> SqlTx<Db>::use_sign_in_link(const KeyHash& hash, int64_t now) {
  Statement& st = db_.cached(
      "UPDATE sign_in_links SET used_at = ?2"
      " WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2 RETURNING store_id");
  st.bind_blob(1, hash.data(), hash.size()).bind(2, now);
  std::optional<int64_t> store;
  if (st.step()) store = st.int64(0);
  while (st.step()) {
  }
  st.reset();
  return store;
}

template <class Db>
void SqlTx<Db>::insert_session(const KeyHash& hash, int64_t store_id, int64_t now) {
  db_.cached(
         "INSERT INTO sessions(token_hash, store_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)")
      .bind_blob(1, hash.data(), hash.size())
      .bind(2, store_id)
      .bind(3, now)
      .bind(4, now)
      .run();
}

template <class Db>
void SqlTx<Db>::end_session(const KeyHash& hash, int64_t now) {
  db_.cached("UPDATE sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL")
      .bind(1, now)
      .bind_blob(2, hash.data(), hash.size())
      .run();
}

}  // namespace stockbell::server
