#include "core/webhook.hpp"

#include <algorithm>
#include <cmath>

#include "core/text.hpp"
#include "core/timestamp.hpp"

namespace stockbell {
namespace {

constexpr TextRule kDescriptionRule{kMaxWebhookDescriptionChars};
constexpr const char* kStatusEnabled = "enabled";
constexpr const char* kStatusDisabled = "disabled";

Patch<EventMask> read_events(ObjectReader& reader) {
  const Json* value = reader.member("events");
  if (value == nullptr) return {};
  if (value->is_null()) return Patch<EventMask>::of(kAllEvents);
  const std::string path = reader.field("events");
  Problems& problems = reader.problems();
  if (!value->is_array()) {
    problems.add(path, FieldCode::invalid_type, std::nullopt, "an array of event types");
    return {};
  }
  if (value->empty()) {
    problems.add(path, FieldCode::too_few_items);
    return {};
  }
  EventMask mask = 0;
  bool ok = true;
  for (size_t i = 0; i < value->size(); ++i) {
    const Json& item = (*value)[i];
    const std::string item_path = index_path(path, i);
    if (!item.is_string()) {
      problems.add(item_path, FieldCode::invalid_type, std::nullopt, "a string");
      ok = false;
      continue;
    }
    const std::string& name = item.as_string();
    if (name == "*") {
      mask = kAllEvents;
      continue;
    }
    std::optional<EventType> type = parse_event_type(name);
    if (!type) {
      problems.add(item_path, FieldCode::invalid_value, std::nullopt, event_type_names() + ", *");
      ok = false;
      continue;
    }
    mask |= event_bit(*type);
  }
  if (!ok) return {};
  return Patch<EventMask>::of(mask);
}

Result<WebhookPatch> read_webhook(std::string_view body, bool create) {
  Result<Json> document = parse_body(body);
  if (!document.ok()) return document.error();
  Problems problems;
  if (!expect_object(document.value(), "", problems)) return validation_error(problems);
  ObjectReader reader(document.value(), "", problems);
  WebhookPatch patch;
  const Json* url = reader.member("url");
  patch.url = reader.patch_url("url");
  // A webhook always has a URL: required on create, and null or blank never clears it.
  if ((create && url == nullptr) || patch.url.is_null()) problems.add("url", FieldCode::required);
  patch.events = read_events(reader);
  patch.description = reader.patch_text("description", kDescriptionRule);
  // Sequenzy's `name` is the same label: either may be sent, both only if they agree.
  const Patch<std::string> name = reader.patch_text("name", kDescriptionRule);
  if (!name.absent()) {
    if (patch.description.absent())
      patch.description = name;
    else if (name.state != patch.description.state || name.value != patch.description.value)
      problems.add("name", FieldCode::invalid_value, std::nullopt,
                   patch.description.has_value() ? quote(patch.description.value) : "null");
  }
  if (const Json* enabled = reader.member("enabled")) {
    if (enabled->is_bool())
      patch.enabled = Patch<bool>::of(enabled->as_bool());
    else
      problems.add("enabled", FieldCode::invalid_type, std::nullopt, "a boolean");
  }
  // Sequenzy's `status` says the same as `enabled`: either may be sent, both only if they agree.
  if (const Json* status = reader.member("status")) {
    std::optional<bool> on;
    if (!status->is_string())
      problems.add("status", FieldCode::invalid_type, std::nullopt, "a string");
    else if (trim(status->as_string()) == kStatusEnabled)
      on = true;
    else if (trim(status->as_string()) == kStatusDisabled)
      on = false;
    else
      problems.add("status", FieldCode::invalid_value, std::nullopt, "enabled, disabled");
    if (on && patch.enabled.has_value() && patch.enabled.value != *on)
      problems.add("status", FieldCode::invalid_value, std::nullopt,
                   patch.enabled.value ? kStatusEnabled : kStatusDisabled);
    else if (on)
      patch.enabled = Patch<bool>::of(*on);
  }
  reader.reject_unknown();
  if (!problems.empty()) return validation_error(problems);
  return patch;
}

template <class T>
Json nullable(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json nullable_time(const std::optional<int64_t>& ms) {
  return ms ? Json(format_timestamp(*ms)) : Json(nullptr);
}

}  // namespace

EventMask event_bit(EventType type) {
  switch (type) {
    case EventType::back_in_stock_requested: return 1u;
    case EventType::back_in_stock: return 2u;
    case EventType::order_placed: return 4u;
    case EventType::order_cancelled: return 8u;
    case EventType::order_fulfilled: return 16u;
    case EventType::order_refunded: return 32u;
  }
  return 0u;
}

std::vector<EventType> event_types_of(EventMask mask) {
  std::vector<EventType> types;
  for (EventType t : all_event_types())
    if (mask & event_bit(t)) types.push_back(t);
  return types;
}

Result<WebhookPatch> parse_webhook_create(std::string_view body) { return read_webhook(body, true); }

Result<WebhookPatch> parse_webhook_update(std::string_view body) {
  return read_webhook(body, false);
}

Json webhook_json(const WebhookRecord& w, const IdCodec& ids,
                  const std::optional<std::string>& secret) {
  Json out;
  out["id"] = ids.format(IdKind::webhook, w.id);
  out["url"] = w.url;
  out["name"] = nullable(w.description);
  out["description"] = nullable(w.description);
  Json events = Json::array();
  for (EventType t : event_types_of(w.events)) events.push_back(event_type_name(t));
  out["events"] = std::move(events);
  out["enabled"] = w.enabled;
  out["status"] = w.enabled ? kStatusEnabled : kStatusDisabled;
  out["createdAt"] = format_timestamp(w.created_at);
  out["updatedAt"] = format_timestamp(w.updated_at);
  if (secret) out["secret"] = *secret;
  return out;
}

std::string_view delivery_status_name(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::pending: return "pending";
    case DeliveryStatus::delivered: return "delivered";
    case DeliveryStatus::failed: return "failed";
  }
  return "pending";
}

Json delivery_json(const DeliveryRecord& d, const IdCodec& ids) {
  Json out;
  out["id"] = ids.format(IdKind::delivery, d.id);
  out["eventId"] = ids.format(IdKind::event, d.event_id);
  out["eventType"] = event_type_name(d.event_type);
  out["status"] = delivery_status_name(d.status);
  out["attempts"] = d.attempts;
  out["nextAttemptAt"] = nullable_time(d.next_attempt_at);
  out["createdAt"] = format_timestamp(d.created_at);
  out["deliveredAt"] = nullable_time(d.delivered_at);
  Json log = Json::array();
  for (const DeliveryAttempt& a : d.attempt_log) {
    Json item;
    item["at"] = format_timestamp(a.at_ms);
    item["durationMs"] = a.duration_ms;
    item["statusCode"] = nullable(a.status_code);
    item["error"] = nullable(a.error);
    log.push_back(std::move(item));
  }
  out["attemptLog"] = std::move(log);
  return out;
}

int64_t retry_delay_ms(const RetryPolicy& policy, int64_t attempts_made, double unit_random) {
  double delay = static_cast<double>(policy.first_delay_ms);
  for (int64_t i = 1; i < attempts_made && delay < static_cast<double>(policy.max_delay_ms); ++i)
    delay *= static_cast<double>(policy.factor);
  delay = std::min(delay, static_cast<double>(policy.max_delay_ms));
  const double spread = 1.0 + policy.jitter * (2.0 * unit_random - 1.0);
  return std::max<int64_t>(1, static_cast<int64_t>(std::llround(delay * spread)));
}

std::string signature_payload(int64_t timestamp_seconds, std::string_view body) {
  std::string payload = std::to_string(timestamp_seconds);
  payload += '.';
  payload += body;
  return payload;
}

}  // namespace stockbell
