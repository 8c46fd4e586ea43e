#include "core/request_status.hpp"

namespace stockbell {

std::string_view request_status_name(RequestStatus status) {
  switch (status) {
    case RequestStatus::waiting: return "waiting";
    case RequestStatus::notified: return "notified";
    case RequestStatus::cancelled: return "cancelled";
  }
  return "waiting";
}

std::optional<RequestStatus> parse_request_status(std::string_view name) {
  if (name == "waiting") return RequestStatus::waiting;
  if (name == "notified") return RequestStatus::notified;
  if (name == "cancelled") return RequestStatus::cancelled;
  return std::nullopt;
}

}  // namespace stockbell
