#include "core/request_status.hpp"

namespace stockbell {

std::string_view request_status_name(RequestStatus status) {
  switch (status) {
    case RequestStatus::waiting: return "waiting";
    case RequestStatus::notified: return "notified";
    case RequestStatus::cancelled: return "cancelled";
    case RequestStatus::pending: return "pending";
    case RequestStatus::expired: return "expired";
    case RequestStatus::purchased: return "purchased";
  }
  return "waiting";
}

std::optional<RequestStatus> parse_request_status(std::string_view name) {
  if (name == "waiting") return RequestStatus::waiting;
  if (name == "notified") return RequestStatus::notified;
  if (name == "cancelled") return RequestStatus::cancelled;
  if (name == "pending") return RequestStatus::pending;
  if (name == "expired") return RequestStatus::expired;
  if (name == "purchased") return RequestStatus::purchased;
  return std::nullopt;
}

}  // namespace stockbell
