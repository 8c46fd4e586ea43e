#include "server/store/db_values.hpp"

#include <stdexcept>
#include <string>

namespace stockbell::server::db {
namespace {

[[noreturn]] void unknown(const char* what, int64_t value) {
  throw std::runtime_error(std::string("unknown stored ") + what + " " + std::to_string(value));
}

}  // namespace

int64_t value(RequestStatus status) {
  switch (status) {
    case RequestStatus::waiting: return 0;
    case RequestStatus::notified: return 1;
    case RequestStatus::cancelled: return 2;
    case RequestStatus::pending: return 3;
    case RequestStatus::expired: return 4;
    case RequestStatus::purchased: return 5;
  }
  unknown("request status", static_cast<int64_t>(status));
}

RequestStatus request_status(int64_t value) {
  switch (value) {
    case 0: return RequestStatus::waiting;
    case 1: return RequestStatus::notified;
    case 2: return RequestStatus::cancelled;
    case 3: return RequestStatus::pending;
    case 4: return RequestStatus::expired;
    case 5: return RequestStatus::purchased;
  }
  unknown("request status", value);
}

int64_t value(EventType type) {
  switch (type) {
    case EventType::back_in_stock_requested: return 0;
    case EventType::back_in_stock: return 1;
  }
  unknown("event type", static_cast<int64_t>(type));
}

EventType event_type(int64_t value) {
  switch (value) {
    case 0: return EventType::back_in_stock_requested;
    case 1: return EventType::back_in_stock;
  }
  unknown("event type", value);
}

int64_t value(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::pending: return 0;
    case DeliveryStatus::delivered: return 1;
    case DeliveryStatus::failed: return 2;
  }
  unknown("delivery status", static_cast<int64_t>(status));
}

DeliveryStatus delivery_status(int64_t value) {
  switch (value) {
    case 0: return DeliveryStatus::pending;
    case 1: return DeliveryStatus::delivered;
    case 2: return DeliveryStatus::failed;
  }
  unknown("delivery status", value);
}

int64_t value(MessageStatus status) {
  switch (status) {
    case MessageStatus::queued: return 0;
    case MessageStatus::sent: return 1;
    case MessageStatus::failed: return 2;
    case MessageStatus::suppressed: return 3;
  }
  unknown("message status", static_cast<int64_t>(status));
}

MessageStatus message_status(int64_t value) {
  switch (value) {
    case 0: return MessageStatus::queued;
    case 1: return MessageStatus::sent;
    case 2: return MessageStatus::failed;
    case 3: return MessageStatus::suppressed;
  }
  unknown("message status", value);
}

int64_t value(MailKind kind) {
  switch (kind) {
    case MailKind::back_in_stock: return 0;
    case MailKind::confirm_request: return 1;
  }
  unknown("mail kind", static_cast<int64_t>(kind));
}

MailKind mail_kind(int64_t value) {
  switch (value) {
    case 0: return MailKind::back_in_stock;
    case 1: return MailKind::confirm_request;
  }
  unknown("mail kind", value);
}

int64_t value(RequestSource source) {
  switch (source) {
    case RequestSource::api: return 0;
    case RequestSource::widget: return 1;
  }
  unknown("request source", static_cast<int64_t>(source));
}

RequestSource request_source(int64_t value) {
  switch (value) {
    case 0: return RequestSource::api;
    case 1: return RequestSource::widget;
  }
  unknown("request source", value);
}

}  // namespace stockbell::server::db
