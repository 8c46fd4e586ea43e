// SqliteTx: webhook endpoints, the delivery outbox and its attempt log.

#include "server/store/db_values.hpp"
#include "server/store/sqlite/sqlite_tx.hpp"

namespace stockbell::server {
namespace {

const int64_t kPending = db::value(DeliveryStatus::pending);

}  // namespace

// The write cache forgets what it knew of the store's webhooks when SqlTx writes one.
int64_t SqliteTx::insert_webhook(const WebhookRecord& w) {
  const int64_t id = SqlTx::insert_webhook(w);
  if (cache_ != nullptr) cache_->webhooks_changed(w.store_id);
  return id;
}

void SqliteTx::update_webhook(const WebhookRecord& w) {
  SqlTx::update_webhook(w);
  if (cache_ != nullptr) cache_->webhooks_changed(w.store_id);
}

bool SqliteTx::delete_webhook(int64_t store_id, int64_t id) {
  const bool deleted = SqlTx::delete_webhook(store_id, id);
  if (cache_ != nullptr) cache_->webhooks_changed(store_id);
  return deleted;
}

bool SqliteTx::has_enabled_webhooks(int64_t store_id) {
  if (cache_ != nullptr)
    if (std::optional<bool> any = cache_->has_webhooks(store_id)) return *any;
  const bool any = SqlTx::has_enabled_webhooks(store_id);
  if (cache_ != nullptr) cache_->put_has_webhooks(store_id, any);
  return any;
}

int64_t SqliteTx::enqueue_deliveries(int64_t store_id, EventType type, int64_t first_event,
                                     int64_t last_event, int64_t now) {
  db_.cached(
         "INSERT INTO deliveries(webhook_id, event_id, status, next_attempt_at, due_since,"
         " created_at)"
         " SELECT w.id, e.id, ?6, ?1, ?1, ?1 FROM webhooks w JOIN events e ON e.store_id = "
         "w.store_id"
         " WHERE w.store_id = ?2 AND w.enabled = 1 AND (w.event_mask & ?3) != 0"
         " AND e.id BETWEEN ?4 AND ?5")
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

std::vector<DueDelivery> SqliteTx::due_deliveries(int64_t webhook_id, int64_t now, int64_t limit) {
  Statement& st = db_.cached(
      "SELECT d.id, d.webhook_id, d.event_id, d.attempts, d.due_since, w.url, w.secret,"
      " CASE WHEN w.previous_secret_until > ?2 THEN w.previous_secret END, w.store_id"
      " FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id"
      " WHERE d.webhook_id = ?1 AND d.status = ?4 AND d.next_attempt_at <= ?2 AND w.enabled = 1"
      " ORDER BY d.next_attempt_at LIMIT ?3");
  st.bind(1, webhook_id).bind(2, now).bind(3, limit).bind(4, kPending);
  std::vector<DueDelivery> due;
  while (st.step())
    due.push_back(DueDelivery{st.int64(0), st.int64(1), st.int64(2), st.int64(3), st.int64(4),
                              st.string(5), st.string(6), st.optional_string(7), st.int64(8)});
  st.reset();
  return due;
}

void SqliteTx::record_attempt(const AttemptRecord& a) {
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

// One process sends everything: nothing to claim from anyone (its dispatchers keep what is in
// flight in memory).
std::vector<int64_t> SqliteTx::claim_deliveries(const std::vector<int64_t>& ids,
                                                const std::string& /*owner*/, int64_t /*now*/,
                                                int64_t /*lease_until*/) {
  return ids;
}

std::vector<int64_t> SqliteTx::claim_messages(const std::vector<int64_t>& ids,
                                              const std::string& /*owner*/, int64_t /*now*/,
                                              int64_t /*lease_until*/) {
  return ids;
}

void SqliteTx::release_claims(const std::string& /*owner*/) {}  // nothing was claimed

}  // namespace stockbell::server
