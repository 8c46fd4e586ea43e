#pragma once
// Webhook endpoints (automations): the create/update bodies, their JSON, the delivery JSON, the
// retry schedule and the string that gets signed. No I/O: the server signs and sends.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/event.hpp"
#include "core/fields.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"

namespace stockbell {

constexpr size_t kMaxWebhookDescriptionChars = 500;
constexpr size_t kMaxWebhooksPerStore = 20;

/// Event types as a bit set: bit 0 `ecommerce.back_in_stock_requested`, bit 1
/// `ecommerce.back_in_stock`, bits 2–5 `ecommerce.order_placed|cancelled|fulfilled|refunded`.
/// `*` (and the default) stores every type known at that moment: an endpoint created before a
/// type existed keeps its mask and does not start receiving the new type (PATCH `["*"]` to).
using EventMask = uint32_t;
constexpr EventMask kAllEvents = 0b111111;
EventMask event_bit(EventType type);
std::vector<EventType> event_types_of(EventMask mask);

/// `POST /api/v1/webhooks`: `url` (required, absolute http(s)), `events` (event type names,
/// default all; `["*"]` means all), `description`, `enabled` (default true).
/// `PATCH /api/v1/webhooks/{id}`: the same fields, all optional; omitted ones keep their value.
/// Sequenzy's names are accepted too: `name` is the label `description` holds, and
/// `status: "enabled" | "disabled"` is `enabled: true | false`; a body that gives both names of
/// one field gets `invalid_value` on Sequenzy's unless they agree. An event type Stockbell does
/// not have (Sequenzy's `email.sent`, ...) is `invalid_value` listing the ones it has.
struct WebhookPatch {
  Patch<std::string> url;
  Patch<EventMask> events;
  Patch<std::string> description;
  Patch<bool> enabled;
};
Result<WebhookPatch> parse_webhook_create(std::string_view body);
Result<WebhookPatch> parse_webhook_update(std::string_view body);

/// A stored webhook endpoint (row ids, Unix milliseconds). The signing secret is kept in clear:
/// the server signs with it.
struct WebhookRecord {
  int64_t id = 0;  ///< `we_...`
  int64_t store_id = 0;
  std::string url;
  std::optional<std::string> description;
  EventMask events = kAllEvents;
  bool enabled = true;
  std::string secret;
  std::optional<std::string> previous_secret;  ///< still signs until previous_secret_until
  std::optional<int64_t> previous_secret_until;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};
/// `{"id","url","name","description","events","enabled","status","createdAt","updatedAt"}`
/// (`name` = `description`, `status` = `enabled` in Sequenzy's words), plus `"secret"` when
/// given (only at creation and rotation: it is never shown again).
Json webhook_json(const WebhookRecord& webhook, const IdCodec& ids,
                  const std::optional<std::string>& secret = std::nullopt);

enum class DeliveryStatus {
  pending = 0,    ///< waiting for its next attempt
  delivered = 1,  ///< a 2xx answer arrived within the timeout
  failed = 2,     ///< gave up after the retry window; can be re-sent on demand
};
std::string_view delivery_status_name(DeliveryStatus status);

struct DeliveryAttempt {
  int64_t at_ms = 0;
  int64_t duration_ms = 0;
  std::optional<int64_t> status_code;  ///< the receiver's HTTP status, if it answered
  std::optional<std::string> error;    ///< `timeout`, `connection refused`, `HTTP 500`, ...
};

/// A stored delivery of one event to one endpoint, with its attempt log.
struct DeliveryRecord {
  int64_t id = 0;        ///< `whd_...`
  int64_t event_id = 0;  ///< `evt_...`
  EventType event_type = EventType::back_in_stock;
  DeliveryStatus status = DeliveryStatus::pending;
  int64_t attempts = 0;
  std::optional<int64_t> next_attempt_at;
  int64_t created_at = 0;
  std::optional<int64_t> delivered_at;
  std::vector<DeliveryAttempt> attempt_log;  ///< oldest first
};
Json delivery_json(const DeliveryRecord& delivery, const IdCodec& ids);

/// When to try again. Attempt n (1-based, n ≥ 1 attempts made) waits
/// `min(first_delay * factor^(n-1), max_delay)`, spread by ±`jitter` (uniform), and the delivery
/// fails once `give_up_after` has passed since it was first due.
/// Defaults: 10 s, ×3, capped at 1 h, ±20 %, give up after 24 h (about 30 attempts).
struct RetryPolicy {
  int64_t first_delay_ms = 10'000;
  int64_t factor = 3;
  int64_t max_delay_ms = 3'600'000;
  double jitter = 0.2;
  int64_t give_up_after_ms = 86'400'000;
};
/// `unit_random` in [0, 1) picks the point in the jitter band.
int64_t retry_delay_ms(const RetryPolicy& policy, int64_t attempts_made, double unit_random);

/// What a receiver verifies: `<timestamp>.<body>` signed with HMAC-SHA256 under the endpoint
/// secret; the header is `Stockbell-Signature: v1=<hex>` (two `v1=` entries while a rotated
/// secret's grace period runs).
std::string signature_payload(int64_t timestamp_seconds, std::string_view body);

}  // namespace stockbell
