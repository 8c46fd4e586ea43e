// PgTx: webhook endpoints, the delivery outbox and its attempt log.

#include "server/store/db_values.hpp"
#include "server/store/postgres/pg_tx.hpp"

namespace stockbell::server::pg {
namespace {

const int64_t kPending = db::value(DeliveryStatus::pending);

}  // namespace

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
