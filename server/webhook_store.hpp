#pragma once
// The SQL of webhooks: endpoints, the delivery outbox and its attempt log.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/query.hpp"
#include "core/webhook.hpp"
#include "server/sqlite.hpp"

namespace stockbell::server::store {

struct WebhookRow {
  int64_t id = 0;
  int64_t store_id = 0;
  std::string url;
  std::optional<std::string> description;
  EventMask events = kAllEvents;
  bool enabled = true;
  std::string secret;
  std::optional<std::string> previous_secret;  ///< still signed with until previous_secret_until
  std::optional<int64_t> previous_secret_until;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

int64_t insert_webhook(Database& db, const WebhookRow& row);
std::optional<WebhookRow> find_webhook(Database& db, int64_t store_id, int64_t id);
std::vector<WebhookRow> list_webhooks(Database& db, int64_t store_id);
int64_t count_webhooks(Database& db, int64_t store_id);
void update_webhook(Database& db, const WebhookRow& row);
bool delete_webhook(Database& db, int64_t store_id, int64_t id);

/// True if the store has an enabled endpoint (of any event type).
bool has_enabled_webhooks(Database& db, int64_t store_id);

/// Writes one pending delivery per enabled endpoint of the store that takes `type`, for the
/// events first..last. Returns how many deliveries were written.
int64_t enqueue_deliveries(Database& db, int64_t store_id, EventType type, int64_t first_event,
                           int64_t last_event, int64_t now);

/// A pending delivery that is due, with what sending it needs.
struct DueDelivery {
  int64_t id = 0;
  int64_t webhook_id = 0;
  int64_t event_id = 0;
  int64_t attempts = 0;
  int64_t due_since = 0;
  std::string url;
  std::string secret;
  std::optional<std::string> previous_secret;  ///< only while its grace period runs
};

/// Enabled endpoints, for the dispatcher's round over them.
std::vector<int64_t> enabled_webhook_ids(Database& db);
/// Up to `limit` due deliveries of one endpoint, oldest due first.
std::vector<DueDelivery> due_deliveries(Database& db, int64_t webhook_id, int64_t now,
                                        int64_t limit);
/// The earliest next attempt of any pending delivery of an enabled endpoint.
std::optional<int64_t> next_due_at(Database& db);

/// The result of one attempt: logged, and the delivery updated.
struct AttemptRecord {
  int64_t delivery_id = 0;
  int64_t at = 0;
  int64_t duration_ms = 0;
  std::optional<int64_t> status_code;
  std::optional<std::string> error;
  DeliveryStatus outcome = DeliveryStatus::pending;  ///< delivered, failed, or pending (retry)
  std::optional<int64_t> next_attempt_at;            ///< when pending
};
void record_attempt(Database& db, const AttemptRecord& attempt);

struct DeliveryRow {
  int64_t id = 0;
  int64_t event_id = 0;
  EventType event_type = EventType::back_in_stock;
  DeliveryStatus status = DeliveryStatus::pending;
  int64_t attempts = 0;
  std::optional<int64_t> next_attempt_at;
  int64_t created_at = 0;
  std::optional<int64_t> delivered_at;
  std::vector<DeliveryAttemptView> attempt_log;
};
/// Newest first.
std::vector<DeliveryRow> list_deliveries(Database& db, int64_t webhook_id,
                                         std::optional<DeliveryStatus> status, const Page& page);
int64_t count_deliveries(Database& db, int64_t webhook_id, std::optional<DeliveryStatus> status);
std::optional<DeliveryRow> find_delivery(Database& db, int64_t webhook_id, int64_t id);
/// Makes a delivery pending and due now, with a fresh retry window. False if unknown.
bool resend_delivery(Database& db, int64_t webhook_id, int64_t id, int64_t now);

}  // namespace stockbell::server::store
