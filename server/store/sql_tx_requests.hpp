#pragma once
// SqlTx (sql_tx.hpp): targets, catalog snapshots, requests and events, the same on both backends.
// Included only by the files that instantiate SqlTx (sqlite/sqlite_tx.cpp, postgres/pg_tx.cpp).

#include <stdexcept>

#include "server/store/db_values.hpp"
#include "server/store/sql_tx.hpp"

namespace stockbell::server {

template <class Db>
std::optional<int64_t> SqlTx<Db>::find_target(int64_t store_id, const std::string& product_id,
                                              const std::string& variant_id) {
  Statement& st =
      db_.cached("SELECT id FROM targets WHERE store_id = ? AND product_id = ? AND variant_id = ?");
  st.bind(1, store_id).bind(2, product_id).bind(3, variant_id);
  std::optional<int64_t> id;
  if (st.step()) id = st.int64(0);
  st.reset();
  return id;
}

template <class Db>
typename SqlTx<Db>::Statement& SqlTx<Db>::bind_request_filters(const char* sql, int64_t store_id,
                                                               const RequestListQuery& q) {
  Statement& st = db_.cached(sql);
  st.bind(1, store_id).bind(2, q.product_id).bind(3, q.variant_id).bind(4, db::value(q.status));
  st.bind(5, q.email);
  return st;
}

template <class Db>
const char* SqlTx<Db>::pick(const RequestListQuery& q, const char* by_email, const char* by_product,
                            const char* all) {
  if (q.email) return by_email;
  if (q.product_id) return by_product;
  return all;
}

template <class Db>
std::vector<WaitingTarget> SqlTx<Db>::waiting_targets(int64_t store_id,
                                                      const std::string& product_id) {
  Statement& st = db_.cached(
      "SELECT t.id, t.variant_id FROM targets t WHERE t.store_id = ?1 AND t.product_id = ?2"
      " AND EXISTS (SELECT 1 FROM requests r WHERE r.target_id = t.id AND r.status = ?3)");
  st.bind(1, store_id).bind(2, product_id).bind(3, db::value(RequestStatus::waiting));
  std::vector<WaitingTarget> targets;
  while (st.step()) targets.push_back(WaitingTarget{st.int64(0), st.string(1)});
  st.reset();
  return targets;
}

template <class Db>
int64_t SqlTx<Db>::snapshot_id(int64_t target_id, const ProductSnapshot& snapshot) {
  Statement& latest = db_.cached("SELECT id, " STOCKBELL_SNAPSHOT_COLUMNS
                                 " FROM snapshots WHERE target_id = ? ORDER BY id DESC LIMIT 1");
  latest.bind(1, target_id);
  std::optional<int64_t> reuse;
  if (latest.step() && read_snapshot(latest, 1) == snapshot) reuse = latest.int64(0);
  latest.reset();
  if (reuse) return *reuse;
  db_.cached(
         "INSERT INTO snapshots(target_id, product_title, variant_title, url, image_url,"
         " price_cents, currency) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, target_id)
      .bind(2, snapshot.product_title)
      .bind(3, snapshot.variant_title)
      .bind(4, snapshot.url)
      .bind(5, snapshot.image_url)
      .bind(6, snapshot.price_cents)
      .bind(7, snapshot.currency)
      .run();
  return db_.last_insert_rowid();
}

template <class Db>
std::optional<RequestRecord> SqlTx<Db>::find_waiting_request(int64_t target_id,
                                                             int64_t subscriber_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_REQUEST_COLUMNS STOCKBELL_REQUEST_JOINS
                             " WHERE r.subscriber_id = ?2 AND r.target_id = ?1 AND r.status = ?3");
  st.bind(1, target_id).bind(2, subscriber_id).bind(3, db::value(RequestStatus::waiting));
  return read_first(st, read_request<Statement>);
}

template <class Db>
int64_t SqlTx<Db>::insert_request(int64_t target_id, int64_t subscriber_id,
                                  const std::optional<std::string>& product_title,
                                  const std::optional<std::string>& variant_title, int64_t now,
                                  const NewRequestDetails& details) {
  db_.cached(
         "INSERT INTO requests(target_id, subscriber_id, status, product_title, variant_title,"
         " created_at, locale, source, client_address, user_agent, consent_text, confirmed_at)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, target_id)
      .bind(2, subscriber_id)
      .bind(3, db::value(details.status))
      .bind(4, product_title)
      .bind(5, variant_title)
      .bind(6, now)
      .bind(7, details.locale)
      .bind(8, db::value(details.consent.source))
      .bind(9, details.consent.client_address)
      .bind(10, details.consent.user_agent)
      .bind(11, details.consent.text)
      .bind(12, details.consent.confirmed_at)
      .run();
  return db_.last_insert_rowid();
}

template <class Db>
std::optional<RequestRecord> SqlTx<Db>::find_open_request(int64_t target_id,
                                                          int64_t subscriber_id) {
  Statement& st =
      db_.cached("SELECT " STOCKBELL_REQUEST_COLUMNS STOCKBELL_REQUEST_JOINS
                 " WHERE r.subscriber_id = ?2 AND r.target_id = ?1 AND r.status IN (?3, ?4)");
  st.bind(1, target_id)
      .bind(2, subscriber_id)
      .bind(3, db::value(RequestStatus::waiting))
      .bind(4, db::value(RequestStatus::pending));
  return read_first(st, read_request<Statement>);
}

template <class Db>
std::vector<RequestRecord> SqlTx<Db>::subscriber_requests(int64_t subscriber_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_REQUEST_COLUMNS STOCKBELL_REQUEST_JOINS
                             " WHERE r.subscriber_id = ? ORDER BY r.id DESC");
  st.bind(1, subscriber_id);
  return read_all(st, read_request<Statement>);
}

template <class Db>
std::vector<RequestRecord> SqlTx<Db>::confirm_pending_requests(int64_t subscriber_id, int64_t now) {
  Statement& st = db_.cached("SELECT " STOCKBELL_REQUEST_COLUMNS STOCKBELL_REQUEST_JOINS
                             " WHERE r.subscriber_id = ?1 AND r.status = ?2 ORDER BY r.id");
  st.bind(1, subscriber_id).bind(2, db::value(RequestStatus::pending));
  std::vector<RequestRecord> rows = read_all(st, read_request<Statement>);
  db_.cached(
         "UPDATE requests SET status = ?3, confirmed_at = ?4 WHERE subscriber_id = ?1"
         " AND status = ?2")
      .bind(1, subscriber_id)
      .bind(2, db::value(RequestStatus::pending))
      .bind(3, db::value(RequestStatus::waiting))
      .bind(4, now)
      .run();
  for (RequestRecord& row : rows) {
    row.status = RequestStatus::waiting;
    row.consent.confirmed_at = now;
  }
  return rows;
}

template <class Db>
std::optional<int64_t> SqlTx<Db>::notify_request(int64_t store_id, int64_t request_id,
                                                 int64_t snapshot_id, int64_t now) {
  db_.cached("UPDATE requests SET status = ?3, notified_at = ?2 WHERE id = ?1 AND status = ?4")
      .bind(1, request_id)
      .bind(2, now)
      .bind(3, db::value(RequestStatus::notified))
      .bind(4, db::value(RequestStatus::waiting))
      .run();
  if (db_.changes() == 0) return std::nullopt;
  return insert_event(store_id, EventType::back_in_stock, request_id, snapshot_id, now);
}

template <class Db>
int64_t SqlTx<Db>::cancel_open_requests(int64_t subscriber_id, int64_t now) {
  db_.cached(
         "UPDATE requests SET status = ?2, cancelled_at = ?3 WHERE subscriber_id = ?1"
         " AND status IN (?4, ?5)")
      .bind(1, subscriber_id)
      .bind(2, db::value(RequestStatus::cancelled))
      .bind(3, now)
      .bind(4, db::value(RequestStatus::waiting))
      .bind(5, db::value(RequestStatus::pending))
      .run();
  return db_.changes();
}

template <class Db>
int64_t SqlTx<Db>::expire_pending_requests(int64_t created_before) {
  db_.cached("UPDATE requests SET status = ?2 WHERE status = ?1 AND created_at < ?3")
      .bind(1, db::value(RequestStatus::pending))
      .bind(2, db::value(RequestStatus::expired))
      .bind(3, created_before)
      .run();
  return db_.changes();
}

template <class Db>
void SqlTx<Db>::update_request_titles(int64_t id, const std::optional<std::string>& product_title,
                                      const std::optional<std::string>& variant_title) {
  db_.cached(
         "UPDATE requests SET product_title = coalesce(?, product_title),"
         " variant_title = coalesce(?, variant_title) WHERE id = ?")
      .bind(1, product_title)
      .bind(2, variant_title)
      .bind(3, id)
      .run();
}

template <class Db>
std::optional<RequestRecord> SqlTx<Db>::find_request(int64_t store_id, int64_t id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_REQUEST_COLUMNS STOCKBELL_REQUEST_JOINS
                             " WHERE r.id = ? AND t.store_id = ?");
  st.bind(1, id).bind(2, store_id);
  return read_first(st, read_request<Statement>);
}

template <class Db>
bool SqlTx<Db>::cancel_request(int64_t store_id, int64_t id, int64_t now) {
  db_.cached(
         "UPDATE requests SET status = ?4, cancelled_at = ?3 WHERE id = ?1"
         " AND status IN (?5, ?6) AND target_id IN (SELECT id FROM targets WHERE store_id = ?2)")
      .bind(1, id)
      .bind(2, store_id)
      .bind(3, now)
      .bind(4, db::value(RequestStatus::cancelled))
      .bind(5, db::value(RequestStatus::waiting))
      .bind(6, db::value(RequestStatus::pending))
      .run();
  return db_.changes() > 0;
}

template <class Db>
std::vector<EventRecord> SqlTx<Db>::subscriber_events(int64_t subscriber_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_EVENT_COLUMNS STOCKBELL_EVENT_JOINS
                             "WHERE r.subscriber_id = ?1 ORDER BY e.id DESC");
  st.bind(1, subscriber_id);
  return read_all(st, read_event<Statement>);
}

template <class Db>
std::optional<EventRecord> SqlTx<Db>::find_event(int64_t id) {
  Statement& st =
      db_.cached("SELECT " STOCKBELL_EVENT_COLUMNS STOCKBELL_EVENT_JOINS "WHERE e.id = ?1");
  st.bind(1, id);
  return read_first(st, read_event<Statement>);
}

template <class Db>
int64_t SqlTx<Db>::current_snapshot_id(int64_t store_id, int64_t target_id,
                                       const std::string& product_id,
                                       const std::string& variant_id) {
  std::optional<ProductRecord> product = find_product(store_id, product_id);
  const int64_t id =
      snapshot_id(target_id, snapshot_of(product ? &product->product : nullptr, variant_id));
  return id;
}

}  // namespace stockbell::server
