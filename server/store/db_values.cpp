#include "server/store/db_values.hpp"

#include <stdexcept>
#include <string>

namespace stockbell::server::db {
namespace {

[[noreturn]] void unknown(const char* what, int64_t value) {
  throw std::runtime_error(std::string("unknown stored ") + what + " " + std::to_string(value));
}

}  // namespace

int64_t value(Activity kind) {
  switch (kind) {
    case Activity::requested: return 0;
    case Activity::notified: return 1;
    case Activity::cancelled: return 2;
    case Activity::expired: return 4;
    case Activity::purchased: return 5;
    case Activity::mail_sent: return 6;
  }
  unknown("activity", static_cast<int64_t>(kind));
}

std::optional<Activity> activity(int64_t value) {
  switch (value) {
    case 0: return Activity::requested;
    case 1: return Activity::notified;
    case 2: return Activity::cancelled;
    case 4: return Activity::expired;
    case 5: return Activity::purchased;
    case 6: return Activity::mail_sent;
    default: return std::nullopt;  // a kind a newer version counts
  }
}

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
    case EventType::order_placed: return 2;
    case EventType::order_cancelled: return 3;
    case EventType::order_fulfilled: return 4;
    case EventType::order_refunded: return 5;
  }
  unknown("event type", static_cast<int64_t>(type));
}

EventType event_type(int64_t value) {
  switch (value) {
    case 0: return EventType::back_in_stock_requested;
    case 1: return EventType::back_in_stock;
    case 2: return EventType::order_placed;
    case 3: return EventType::order_cancelled;
    case 4: return EventType::order_fulfilled;
    case 5: return EventType::order_refunded;
  }
  unknown("event type", value);
}

int64_t value(OrderStatus status) {
  switch (status) {
    case OrderStatus::placed: return 0;
    case OrderStatus::cancelled: return 1;
    case OrderStatus::fulfilled: return 2;
    case OrderStatus::refunded: return 3;
  }
  unknown("order status", static_cast<int64_t>(status));
}

OrderStatus order_status(int64_t value) {
  switch (value) {
    case 0: return OrderStatus::placed;
    case 1: return OrderStatus::cancelled;
    case 2: return OrderStatus::fulfilled;
    case 3: return OrderStatus::refunded;
  }
  unknown("order status", value);
}

int64_t value(PurchaseEffect effect) {
  switch (effect) {
    case PurchaseEffect::ended: return 0;
    case PurchaseEffect::converted: return 1;
  }
  unknown("purchase effect", static_cast<int64_t>(effect));
}

PurchaseEffect purchase_effect(int64_t value) {
  switch (value) {
    case 0: return PurchaseEffect::ended;
    case 1: return PurchaseEffect::converted;
  }
  unknown("purchase effect", value);
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
