// PgTx: webhook endpoints, the delivery outbox and its attempt log.

#include "server/store/db_values.hpp"
#include "server/store/postgres/pg_tx.hpp"

namespace stockbell::server::pg {
namespace {

const int64_t kPending = db::value(DeliveryStatus::pending);

}  // namespace

int64_t PgTx::insert_webhook(const WebhookRecord& w) {
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

std::optional<WebhookRecord> PgTx::find_webhook(int64_t store_id, int64_t id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_WEBHOOK_COLUMNS
                             " FROM webhooks WHERE id = ? AND store_id = ?");
  st.bind(1, id).bind(2, store_id);
  return read_first(st, read_webhook<Statement>);
}

std::vector<WebhookRecord> PgTx::list_webhooks(int64_t store_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_WEBHOOK_COLUMNS
                             " FROM webhooks WHERE store_id = ? ORDER BY id");
  st.bind(1, store_id);
  return read_all(st, read_webhook<Statement>);
}

int64_t PgTx::count_webhooks(int64_t store_id) {
  Statement& st = db_.cached("SELECT count(*) FROM webhooks WHERE store_id = ?");
  st.bind(1, store_id);
  return single_int(st);
}

void PgTx::update_webhook(const WebhookRecord& w) {
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

bool PgTx::delete_webhook(int64_t store_id, int64_t id) {
  db_.cached("DELETE FROM webhooks WHERE id = ? AND store_id = ?")
      .bind(1, id)
      .bind(2, store_id)
      .run();
  const bool deleted = db_.changes() > 0;
  return deleted;
}

bool PgTx::has_enabled_webhooks(int64_t store_id) {
  Statement& st = db_.cached("SELECT 1 FROM webhooks WHERE store_id = ? AND enabled = 1 LIMIT 1");
  st.bind(1, store_id);
  const bool any = st.step();
  st.reset();
  return any;
}

int64_t PgTx::enqueue_deliveries(int64_t store_id, EventType type, int64_t first_event,
                                 int64_t last_event, int64_t now) {
  db_.cached(
         "INSERT INTO deliveries(webhook_id, event_id, status, next_attempt_at, due_since,"
         " created_at)"
         " SELECT w.id, e.id, ?6, ?1, ?1, ?1 FROM webhooks w JOIN events e ON e.store_id = "
         "w.store_id"
         " WHERE w.store_id = ?2 AND w.enabled = 1 AND (w.event_mask & ?3) != 0"
         " AND e.id BETWEEN ?4 AND ?5 AND e.xmin = xid(pg_current_xact_id())")
      .bind(1, now)
      .bind(2, store_id)
      .bind(3, static_cast<int64_t>(event_bit(type)))
      .bind(4, first_event)
      .bind(5, last_event)
      .bind(6, kPending)
      .run();
  const int64_t written = db_.changes();
  if (written > 0) outbox_written_ = true;
  return written;
}

std::vector<int64_t> PgTx::enabled_webhook_ids() {
  Statement& st = db_.cached("SELECT id FROM webhooks WHERE enabled = 1 ORDER BY id");
  std::vector<int64_t> ids;
  while (st.step()) ids.push_back(st.int64(0));
  st.reset();
  return ids;
}

std::vector<DueDelivery> PgTx::due_deliveries(int64_t webhook_id, int64_t now, int64_t limit) {
  Statement& st = db_.cached(
      "SELECT d.id, d.webhook_id, d.event_id, d.attempts, d.due_since, w.url, w.secret,"
      " CASE WHEN w.previous_secret_until > ?2 THEN w.previous_secret END, w.store_id"
      " FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id"
      " WHERE d.webhook_id = ?1 AND d.status = ?4 AND d.next_attempt_at <= ?2 AND w.enabled = 1"
      " AND (d.lease_until IS NULL OR d.lease_until <= ?2)"
      " ORDER BY d.next_attempt_at LIMIT ?3");
  st.bind(1, webhook_id).bind(2, now).bind(3, limit).bind(4, kPending);
  std::vector<DueDelivery> due;
  while (st.step())
    due.push_back(DueDelivery{st.int64(0), st.int64(1), st.int64(2), st.int64(3), st.int64(4),
                              st.string(5), st.string(6), st.optional_string(7), st.int64(8)});
  st.reset();
  return due;
}

std::optional<int64_t> PgTx::next_delivery_due_at() {
  Statement& st = db_.cached(
      "SELECT min(d.next_attempt_at) FROM webhooks w JOIN deliveries d ON d.webhook_id = w.id"
      " AND d.status = ?1 WHERE w.enabled = 1");
  st.bind(1, kPending);
  std::optional<int64_t> next;
  if (st.step()) next = st.optional_int64(0);
  st.reset();
  return next;
}

void PgTx::record_attempt(const AttemptRecord& a) {
  db_.cached(
         "INSERT INTO delivery_attempts(delivery_id, attempted_at, duration_ms, status_code, error)"
         " VALUES (?, ?, ?, ?, ?)")
      .bind(1, a.delivery_id)
      .bind(2, a.at)
      .bind(3, a.duration_ms)
      .bind(4, a.status_code)
      .bind(5, a.error)
      .run();
  db_.cached(
         "UPDATE deliveries SET attempts = attempts + 1, status = ?2, next_attempt_at = ?3,"
         " claimed_by = NULL, lease_until = NULL,"
         " delivered_at = CASE WHEN ?2 = ?5 THEN ?4 ELSE delivered_at END"
         " WHERE id = ?1 AND status = ?6")
      .bind(1, a.delivery_id)
      .bind(2, db::value(a.outcome))
      .bind(3, a.next_attempt_at)
      .bind(4, a.at)
      .bind(5, db::value(DeliveryStatus::delivered))
      .bind(6, kPending)
      .run();
}

std::vector<DeliveryRecord> PgTx::list_deliveries(int64_t webhook_id,
                                                  std::optional<DeliveryStatus> status,
                                                  const Page& page) {
  Statement& st = db_.cached("SELECT " STOCKBELL_DELIVERY_COLUMNS STOCKBELL_DELIVERY_JOINS
                             " WHERE d.webhook_id = ?1 AND (?2::BIGINT IS NULL OR d.status = ?2)"
                             " ORDER BY d.id DESC LIMIT ?3 OFFSET ?4");
  st.bind(1, webhook_id).bind(2, db::value(status)).bind(3, page.limit).bind(4, page.offset);
  std::vector<DeliveryRecord> rows = read_all(st, read_delivery<Statement>);
  for (DeliveryRecord& row : rows) read_attempt_log(db_, row);
  return rows;
}

int64_t PgTx::count_deliveries(int64_t webhook_id, std::optional<DeliveryStatus> status) {
  Statement& st = db_.cached(
      "SELECT count(*) FROM deliveries WHERE webhook_id = ?1 AND (?2::BIGINT IS NULL OR status = "
      "?2)");
  st.bind(1, webhook_id).bind(2, db::value(status));
  return single_int(st);
}

std::optional<DeliveryRecord> PgTx::find_delivery(int64_t webhook_id, int64_t id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_DELIVERY_COLUMNS STOCKBELL_DELIVERY_JOINS
                             " WHERE d.webhook_id = ? AND d.id = ?");
  st.bind(1, webhook_id).bind(2, id);
  std::optional<DeliveryRecord> row = read_first(st, read_delivery<Statement>);
  if (row) read_attempt_log(db_, *row);
  return row;
}

bool PgTx::resend_delivery(int64_t webhook_id, int64_t id, int64_t now) {
  db_.cached(
         "UPDATE deliveries SET status = ?4, next_attempt_at = ?3, due_since = ?3"
         " WHERE webhook_id = ?1 AND id = ?2")
      .bind(1, webhook_id)
      .bind(2, id)
      .bind(3, now)
      .bind(4, kPending)
      .run();
  const bool found = db_.changes() > 0;
  if (found) outbox_written_ = true;
  return found;
}

namespace {

// A PostgreSQL array literal of ids: `{1,2,3}`.
std::string id_array(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(ids[i]);
  }
  return out + "}";
}

std::vector<int64_t> read_ids(Statement& st) {
  std::vector<int64_t> ids;
  while (st.step()) ids.push_back(st.int64(0));
  st.reset();
  return ids;
}

}  // namespace

// SKIP LOCKED: a row another sender is claiming right now is simply not ours; a lease that ran
// out (its process died, or hung past it) can be taken over.
std::vector<int64_t> PgTx::claim_deliveries(const std::vector<int64_t>& ids,
                                            const std::string& owner, int64_t now,
                                            int64_t lease_until) {
  if (ids.empty()) return {};
  Statement& st = db_.cached(
      "WITH c AS (SELECT id FROM deliveries WHERE id = ANY(?1::BIGINT[]) AND status = ?5"
      " AND (lease_until IS NULL OR lease_until <= ?3) FOR UPDATE SKIP LOCKED)"
      " UPDATE deliveries d SET claimed_by = ?2, lease_until = ?4 FROM c WHERE d.id = c.id"
      " RETURNING d.id");
  st.bind(1, id_array(ids)).bind(2, owner).bind(3, now).bind(4, lease_until).bind(5, kPending);
  return read_ids(st);
}

std::vector<int64_t> PgTx::claim_messages(const std::vector<int64_t>& ids, const std::string& owner,
                                          int64_t now, int64_t lease_until) {
  if (ids.empty()) return {};
  Statement& st = db_.cached(
      "WITH c AS (SELECT id FROM messages WHERE id = ANY(?1::BIGINT[]) AND status = ?5"
      " AND (lease_until IS NULL OR lease_until <= ?3) FOR UPDATE SKIP LOCKED)"
      " UPDATE messages m SET claimed_by = ?2, lease_until = ?4 FROM c WHERE m.id = c.id"
      " RETURNING m.id");
  st.bind(1, id_array(ids))
      .bind(2, owner)
      .bind(3, now)
      .bind(4, lease_until)
      .bind(5, db::value(MessageStatus::queued));
  return read_ids(st);
}

void PgTx::release_claims(const std::string& owner) {
  db_.cached("UPDATE deliveries SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = ?")
      .bind(1, owner)
      .run();
  db_.cached("UPDATE messages SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = ?")
      .bind(1, owner)
      .run();
}

}  // namespace stockbell::server::pg
