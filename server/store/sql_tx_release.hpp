#pragma once
// SqlTx (sql_tx.hpp): release schedules, places in line, expiry, the same on both backends.
// Included only by the files that instantiate SqlTx (sqlite/sqlite_tx.cpp, postgres/pg_tx.cpp).

#include <stdexcept>

#include "server/store/db_values.hpp"
#include "server/store/sql_tx.hpp"

namespace stockbell::server {

template <class Db>
std::optional<int64_t> SqlTx<Db>::next_release_due_at() {
  Statement& st = db_.cached("SELECT min(next_batch_at) FROM release_schedules");
  std::optional<int64_t> at;
  if (st.step() && !st.is_null(0)) at = st.int64(0);
  st.reset();
  return at;
}

template <class Db>
std::vector<DueRelease> SqlTx<Db>::due_releases(int64_t now, int64_t limit) {
  Statement& st = db_.cached(
      "SELECT r.target_id, r.store_id, t.product_id, t.variant_id, r.next_batch_at"
      " FROM release_schedules r JOIN targets t ON t.id = r.target_id"
      " WHERE r.next_batch_at <= ?1 ORDER BY r.next_batch_at LIMIT ?2");
  st.bind(1, now).bind(2, limit);
  std::vector<DueRelease> due;
  while (st.step())
    due.push_back(DueRelease{st.int64(0), st.int64(1), st.string(2), st.string(3), st.int64(4)});
  st.reset();
  return due;
}

template <class Db>
std::vector<int64_t> SqlTx<Db>::waiting_positions(int64_t target_id,
                                                  const std::vector<int64_t>& ids) {
  // Waiting requests of the target in (after, id]: walks the index (target_id, status, id)
  // once over the whole range up to the last id, however many ids are asked for.
  Statement& st = db_.cached(
      "SELECT count(*) FROM requests WHERE target_id = ?1 AND status = ?2 AND id > ?3"
      " AND id <= ?4");
  std::vector<int64_t> positions;
  positions.reserve(ids.size());
  int64_t after = 0;
  int64_t position = 0;
  for (int64_t id : ids) {
    if (id < after) throw std::invalid_argument("waiting_positions: ids must be ascending");
    position += single_int(st.bind(1, target_id)
                               .bind(2, db::value(RequestStatus::waiting))
                               .bind(3, after)
                               .bind(4, id));
    positions.push_back(position);
    after = id;
  }
  return positions;
}

template <class Db>
std::vector<std::pair<int64_t, StoreSettings>> SqlTx<Db>::saved_settings() {
  Statement& st = db_.cached("SELECT store_id FROM store_settings ORDER BY store_id");
  std::vector<int64_t> stores;
  while (st.step()) stores.push_back(st.int64(0));
  st.reset();
  std::vector<std::pair<int64_t, StoreSettings>> out;
  for (int64_t store : stores) out.emplace_back(store, store_settings(store));
  return out;
}

template <class Db>
bool SqlTx<Db>::has_waiting_before(int64_t store_id, int64_t cutoff) {
  Statement& st = db_.cached(
      "SELECT 1 FROM requests r JOIN targets t ON t.id = r.target_id"
      " WHERE r.status = ?1 AND r.created_at < ?2 AND t.store_id = ?3 LIMIT 1");
  st.bind(1, db::value(RequestStatus::waiting)).bind(2, cutoff).bind(3, store_id);
  const bool found = st.step();
  st.reset();
  return found;
}

template <class Db>
void SqlTx<Db>::save_release_schedule(int64_t store_id, int64_t target_id,
                                      const ReleaseSchedule& schedule) {
  db_.cached(
         "INSERT INTO release_schedules(target_id, store_id, next_batch_at, released)"
         " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(target_id) DO UPDATE SET"
         " next_batch_at = excluded.next_batch_at, released = excluded.released")
      .bind(1, target_id)
      .bind(2, store_id)
      .bind(3, schedule.next_batch_at)
      .bind(4, schedule.released)
      .run();
}

template <class Db>
void SqlTx<Db>::delete_release_schedule(int64_t target_id) {
  db_.cached("DELETE FROM release_schedules WHERE target_id = ?").bind(1, target_id).run();
}

template <class Db>
int64_t SqlTx<Db>::expire_requests(int64_t store_id, int64_t cutoff, int64_t now, int64_t limit) {
  db_.cached(
         "UPDATE requests SET status = ?5, cancelled_at = ?4 WHERE id IN ("
         " SELECT r.id FROM requests r JOIN targets t ON t.id = r.target_id"
         " WHERE r.status = ?1 AND r.created_at < ?2 AND t.store_id = ?3"
         " ORDER BY r.created_at LIMIT ?6)")
      .bind(1, db::value(RequestStatus::waiting))
      .bind(2, cutoff)
      .bind(3, store_id)
      .bind(4, now)
      .bind(5, db::value(RequestStatus::expired))
      .bind(6, limit)
      .run();
  return db_.changes();
}

}  // namespace stockbell::server
