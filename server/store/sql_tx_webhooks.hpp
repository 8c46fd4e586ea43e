#pragma once
// SqlTx (sql_tx.hpp): webhook endpoints, the delivery outbox, the same on both backends. Included
// only by the files that instantiate SqlTx (sqlite/sqlite_tx.cpp, postgres/pg_tx.cpp).

#include "server/store/db_values.hpp"
#include "server/store/sql_tx.hpp"

namespace stockbell::server {

template <class Db>
std::optional<WebhookRecord> SqlTx<Db>::find_webhook(int64_t store_id, int64_t id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_WEBHOOK_COLUMNS
                             " FROM webhooks WHERE id = ? AND store_id = ?");
  st.bind(1, id).bind(2, store_id);
  return read_first(st, read_webhook<Statement>);
}

template <class Db>
std::vector<WebhookRecord> SqlTx<Db>::list_webhooks(int64_t store_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_WEBHOOK_COLUMNS
                             " FROM webhooks WHERE store_id = ? ORDER BY id");
  st.bind(1, store_id);
  return read_all(st, read_webhook<Statement>);
}

template <class Db>
int64_t SqlTx<Db>::count_webhooks(int64_t store_id) {
  Statement& st = db_.cached("SELECT count(*) FROM webhooks WHERE store_id = ?");
  st.bind(1, store_id);
  return single_int(st);
}

template <class Db>
std::vector<int64_t> SqlTx<Db>::enabled_webhook_ids() {
  Statement& st = db_.cached("SELECT id FROM webhooks WHERE enabled = 1 ORDER BY id");
  std::vector<int64_t> ids;
  while (st.step()) ids.push_back(st.int64(0));
  st.reset();
  return ids;
}

template <class Db>
std::optional<int64_t> SqlTx<Db>::next_delivery_due_at() {
  Statement& st = db_.cached(
      "SELECT min(d.next_attempt_at) FROM webhooks w JOIN deliveries d ON d.webhook_id = w.id"
      " AND d.status = ?1 WHERE w.enabled = 1");
  st.bind(1, db::value(DeliveryStatus::pending));
  std::optional<int64_t> next;
  if (st.step()) next = st.optional_int64(0);
  st.reset();
  return next;
}

template <class Db>
std::optional<DeliveryRecord> SqlTx<Db>::find_delivery(int64_t webhook_id, int64_t id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_DELIVERY_COLUMNS STOCKBELL_DELIVERY_JOINS
                             " WHERE d.webhook_id = ? AND d.id = ?");
  st.bind(1, webhook_id).bind(2, id);
  std::optional<DeliveryRecord> row = read_first(st, read_delivery<Statement>);
  if (row) read_attempt_log(db_, *row);
  return row;
}

template <class Db>
bool SqlTx<Db>::resend_delivery(int64_t webhook_id, int64_t id, int64_t now) {
  db_.cached(
         "UPDATE deliveries SET status = ?4, next_attempt_at = ?3, due_since = ?3"
         " WHERE webhook_id = ?1 AND id = ?2")
      .bind(1, webhook_id)
      .bind(2, id)
      .bind(3, now)
      .bind(4, db::value(DeliveryStatus::pending))
      .run();
  const bool found = db_.changes() > 0;
  if (found) outbox_written_ = true;
  return found;
}

template <class Db>
int64_t SqlTx<Db>::insert_webhook(const WebhookRecord& w) {
  db_.cached(
         "INSERT INTO webhooks(store_id, url, description, event_mask, enabled, secret,"
         " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, w.store_id)
      .bind(2, w.url)
      .bind(3, w.description)
      .bind(4, static_cast<int64_t>(w.events))
      .bind(5, static_cast<int64_t>(w.enabled))
      .bind(6, w.secret)
      .bind(7, w.created_at)
      .bind(8, w.updated_at)
      .run();
  return db_.last_insert_rowid();
}

template <class Db>
void SqlTx<Db>::update_webhook(const WebhookRecord& w) {
  db_.cached(
         "UPDATE webhooks SET url = ?, description = ?, event_mask = ?, enabled = ?, secret = ?,"
         " previous_secret = ?, previous_secret_until = ?, updated_at = ? WHERE id = ?")
      .bind(1, w.url)
      .bind(2, w.description)
      .bind(3, static_cast<int64_t>(w.events))
      .bind(4, static_cast<int64_t>(w.enabled))
      .bind(5, w.secret)
      .bind(6, w.previous_secret)
      .bind(7, w.previous_secret_until)
      .bind(8, w.updated_at)
      .bind(9, w.id)
      .run();
}

template <class Db>
bool SqlTx<Db>::delete_webhook(int64_t store_id, int64_t id) {
  db_.cached("DELETE FROM webhooks WHERE id = ? AND store_id = ?")
      .bind(1, id)
      .bind(2, store_id)
      .run();
  const bool deleted = db_.changes() > 0;
  return deleted;
}

template <class Db>
bool SqlTx<Db>::has_enabled_webhooks(int64_t store_id) {
  Statement& st = db_.cached("SELECT 1 FROM webhooks WHERE store_id = ? AND enabled = 1 LIMIT 1");
  st.bind(1, store_id);
  const bool any = st.step();
  st.reset();
  return any;
}

// `CAST(?2 AS BIGINT) IS NULL`: PostgreSQL needs the parameter's type; SQLite reads it the same.
template <class Db>
std::vector<DeliveryRecord> SqlTx<Db>::list_deliveries(int64_t webhook_id,
                                                       std::optional<DeliveryStatus> status,
                                                       const Page& page) {
  Statement& st = db_.cached("SELECT " STOCKBELL_DELIVERY_COLUMNS STOCKBELL_DELIVERY_JOINS
                             " WHERE d.webhook_id = ?1 AND (CAST(?2 AS BIGINT) IS NULL"
                             " OR d.status = ?2) ORDER BY d.id DESC LIMIT ?3 OFFSET ?4");
  st.bind(1, webhook_id).bind(2, db::value(status)).bind(3, page.limit).bind(4, page.offset);
  std::vector<DeliveryRecord> rows = read_all(st, read_delivery<Statement>);
  for (DeliveryRecord& row : rows) read_attempt_log(db_, row);
  return rows;
}

template <class Db>
int64_t SqlTx<Db>::count_deliveries(int64_t webhook_id, std::optional<DeliveryStatus> status) {
  Statement& st = db_.cached(
      "SELECT count(*) FROM deliveries WHERE webhook_id = ?1"
      " AND (CAST(?2 AS BIGINT) IS NULL OR status = ?2)");
  st.bind(1, webhook_id).bind(2, db::value(status));
  return single_int(st);
}

}  // namespace stockbell::server
