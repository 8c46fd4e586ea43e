#pragma once
// The lifecycle of a back-in-stock request: waiting → notified, or waiting → cancelled.

#include <optional>
#include <string_view>

namespace stockbell {

enum class RequestStatus {
  waiting = 0,    ///< registered, the target is not in stock (or no push said so yet)
  notified = 1,   ///< an upsert put the target in stock; `ecommerce.back_in_stock` fired
  cancelled = 2,  ///< cancelled with `DELETE /api/v1/back-in-stock/{id}` before notification
};

std::string_view request_status_name(RequestStatus status);
std::optional<RequestStatus> parse_request_status(std::string_view name);

}  // namespace stockbell
