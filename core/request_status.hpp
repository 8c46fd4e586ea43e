#pragma once
// The lifecycle of a back-in-stock request (README "Requests and events"):
//   pending → waiting           the shopper confirmed (double opt-in)
//   waiting → notified          a restock released it (`ecommerce.back_in_stock`)
//   waiting → cancelled         cancelled through the API, or the shopper unsubscribed
//   waiting → expired           older than the store's requestTtlDays
//   waiting → purchased         the shopper bought the item (a pushed order) before a restock

#include <optional>
#include <string_view>

namespace stockbell {

enum class RequestStatus {
  waiting = 0,    ///< registered, the target is not in stock (or no push said so yet)
  notified = 1,   ///< an upsert put the target in stock; `ecommerce.back_in_stock` fired
  cancelled = 2,  ///< cancelled with `DELETE /api/v1/back-in-stock/{id}` before notification
  pending = 3,    ///< waits for the shopper to confirm the address (double opt-in)
  expired = 4,    ///< waited longer than the store's requestTtlDays; never notified
  purchased = 5,  ///< the shopper bought the item while waiting; never notified
};

std::string_view request_status_name(RequestStatus status);
std::optional<RequestStatus> parse_request_status(std::string_view name);

}  // namespace stockbell
