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

}  // namespace stockbell::server::db
