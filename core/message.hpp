#pragma once
// E-mails to shoppers as the store reads them (`GET /api/v1/messages`, README "E-mail"): each
// message's status, attempts and last error.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/mail_kind.hpp"

namespace stockbell {

enum class MessageStatus {
  queued,      ///< waiting for its next attempt (at first, or after a temporary failure)
  sent,        ///< the SMTP server accepted it (250 after DATA)
  failed,      ///< a permanent refusal (5xx), or temporary ones until the give-up time
  suppressed,  ///< not sent: the shopper unsubscribed before it went out
};
std::string_view message_status_name(MessageStatus status);
std::optional<MessageStatus> parse_message_status(std::string_view name);

/// A stored message (row ids, Unix milliseconds).
struct MessageRecord {
  int64_t id = 0;  ///< `msg_...`
  MailKind kind = MailKind::back_in_stock;
  MessageStatus status = MessageStatus::queued;
  std::string to;
  int64_t subscriber_id = 0;
  int64_t request_id = 0;
  std::optional<std::string> locale;  ///< the request's (the template was chosen by it)
  int64_t attempts = 0;
  std::optional<std::string> last_error;  ///< `connection refused`, `550 5.1.1 no such user`, ...
  int64_t created_at = 0;
  std::optional<int64_t> next_attempt_at;  ///< while queued
  std::optional<int64_t> sent_at;
};

/// `{"id","template","status","to","subscriberId","requestId","locale","attempts","lastError",
/// "createdAt","nextAttemptAt","sentAt"}`, fixed key order, absent values as null.
Json message_json(const MessageRecord& message, const IdCodec& ids);

}  // namespace stockbell
