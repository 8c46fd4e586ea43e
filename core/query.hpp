#pragma once
// Query parameters of the read endpoints (README "API": lists, requests and events): defaults, bounds and their errors.
// Unknown parameters are ignored (cache busters are common); a repeated one uses its first value.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/event.hpp"
#include "core/message.hpp"
#include "core/request_status.hpp"
#include "core/webhook.hpp"

namespace stockbell {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

constexpr int64_t kDefaultPageLimit = 50;
constexpr int64_t kMaxPageLimit = 100;
constexpr int64_t kDefaultEventLimit = 100;
constexpr int64_t kMaxEventLimit = 1000;
constexpr int64_t kMaxOffset = 1000000000;

struct Page {
  int64_t limit = kDefaultPageLimit;
  int64_t offset = 0;
};

/// `GET /api/v1/products?limit=&offset=&search=`; `search` matches product id or title,
/// case-insensitively, as a substring.
struct ProductListQuery {
  Page page;
  std::optional<std::string> search;
};
Result<ProductListQuery> parse_product_list_query(const QueryParams& params);

/// `GET /api/v1/back-in-stock?productId=&variantId=&status=&email=&limit=&offset=`.
struct RequestListQuery {
  Page page;
  std::optional<std::string> product_id;
  std::optional<std::string> variant_id;
  std::optional<RequestStatus> status;
  std::optional<std::string> email;  ///< normalised like the request's (trimmed, lower case)
};
Result<RequestListQuery> parse_request_list_query(const QueryParams& params);

/// `GET /api/v1/events?type=&after=&limit=`; `after` is an event id (the cursor is one).
struct EventListQuery {
  std::optional<EventType> type;
  std::optional<std::string> after;
  int64_t limit = kDefaultEventLimit;
};
Result<EventListQuery> parse_event_list_query(const QueryParams& params);

/// `GET /api/v1/storefront/availability?productId=&variantId=` (variantId defaults to productId).
struct AvailabilityQuery {
  std::string product_id;
  std::string variant_id;
};
Result<AvailabilityQuery> parse_availability_query(const QueryParams& params);

/// `GET /api/v1/webhooks/{id}/deliveries?status=&limit=&offset=`.
struct DeliveryListQuery {
  Page page;
  std::optional<DeliveryStatus> status;
};
Result<DeliveryListQuery> parse_delivery_list_query(const QueryParams& params);

/// `GET /api/v1/messages?status=&email=&template=&limit=&offset=`.
struct MessageListQuery {
  Page page;
  std::optional<MessageStatus> status;
  std::optional<std::string> email;  ///< normalised like a request's (trimmed, lower case)
  std::optional<MailKind> kind;      ///< `template=back_in_stock|confirm_request`
};
Result<MessageListQuery> parse_message_list_query(const QueryParams& params);

/// `{"count","hasMore","limit","offset","total"}`.
Json pagination_json(size_t count, const Page& page, int64_t total);

}  // namespace stockbell
