#include "core/message.hpp"

#include "core/timestamp.hpp"

namespace stockbell {
namespace {

Json nullable_time(const std::optional<int64_t>& ms) {
  return ms ? Json(format_timestamp(*ms)) : Json(nullptr);
}

}  // namespace

std::string_view message_status_name(MessageStatus status) {
  switch (status) {
    case MessageStatus::queued: return "queued";
    case MessageStatus::sent: return "sent";
    case MessageStatus::failed: return "failed";
    case MessageStatus::suppressed: return "suppressed";
  }
  return "queued";
}

std::optional<MessageStatus> parse_message_status(std::string_view name) {
  if (name == "queued") return MessageStatus::queued;
  if (name == "sent") return MessageStatus::sent;
  if (name == "failed") return MessageStatus::failed;
  if (name == "suppressed") return MessageStatus::suppressed;
  return std::nullopt;
}

Json message_json(const MessageRecord& m, const IdCodec& ids) {
  Json out;
  out["id"] = ids.format(IdKind::message, m.id);
  out["template"] = mail_kind_name(m.kind);
  out["status"] = message_status_name(m.status);
  out["to"] = m.to;
  out["subscriberId"] = ids.format(IdKind::subscriber, m.subscriber_id);
  out["requestId"] = ids.format(IdKind::request, m.request_id);
  out["locale"] = m.locale ? Json(*m.locale) : Json(nullptr);
  out["attempts"] = m.attempts;
  out["lastError"] = m.last_error ? Json(*m.last_error) : Json(nullptr);
  out["createdAt"] = format_timestamp(m.created_at);
  out["nextAttemptAt"] = nullable_time(m.next_attempt_at);
  out["sentAt"] = nullable_time(m.sent_at);
  return out;
}

}  // namespace stockbell
