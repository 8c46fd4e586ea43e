#pragma once
// Query parameters of the read endpoints (README "API": lists, requests and events): defaults, bounds and their errors.
// A list route refuses a parameter it does not know (`unknown_parameter`, keyed by the
// parameter's name): a misspelt filter must never look as if it had filtered. A repeated
// parameter uses its first value.

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

/// `GET /api/v1/products?limit=&offset=&search=&provider=`; `search` matches product id or
/// title, case-insensitively, as a substring; `provider` is one of kProviderNames (every stored
/// product's is kProductProvider, core/product.hpp).
struct ProductListQuery {
  Page page;
  std::optional<std::string> search;
  std::optional<std::string> provider;
};
/// The providers Sequenzy's product lists know: `api`, `manual`, `shopify`, `stripe`,
/// `woocommerce`.
extern const char* const kProviderNames[5];
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

/// `GET /api/v1/webhooks`: no parameters at all.
struct WebhookListQuery {};
Result<WebhookListQuery> parse_webhook_list_query(const QueryParams& params);

/// `GET /api/v1/storefront/availability?productId=&variantId=` (variantId defaults to productId).
/// Not a list: called from storefront pages, where cache busters (`_=1732...`) are common, it
/// ignores parameters it does not know.
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

/// `GET /api/v1/stats/conversions?days=&limit=`: the last `days` days (1..365, default 30),
/// the `limit` products with most revenue (1..100, default 10).
constexpr int64_t kDefaultStatsDays = 30;
constexpr int64_t kMaxStatsDays = 365;
constexpr int64_t kDefaultStatsProducts = 10;
struct ConversionStatsQuery {
  int64_t days = kDefaultStatsDays;
  int64_t limit = kDefaultStatsProducts;
};
Result<ConversionStatsQuery> parse_conversion_stats_query(const QueryParams& params);

/// `GET /api/v1/integrations?includeInactive=true|false` (Sequenzy's list_integrations sends
/// it): a disconnected integration is deleted, so there is never an inactive one to include and
/// both values list the same connections.
struct IntegrationListQuery {};
Result<IntegrationListQuery> parse_integration_list_query(const QueryParams& params);

constexpr int64_t kDefaultTimelineDays = 30;
constexpr int64_t kMaxTimelineDays = 365;

/// How a list answers: `?format=json` (the default) or `?format=csv` (core/csv.hpp).
enum class ListFormat { json, csv };
/// `format` of a list route; `invalid_value` for anything but json or csv.
Result<ListFormat> parse_list_format(const QueryParams& params);

/// `GET /api/v1/stats/demand?limit=&offset=&format=`.
struct DemandQuery {
  Page page;
  ListFormat format = ListFormat::json;
};
Result<DemandQuery> parse_demand_query(const QueryParams& params);

/// `GET /api/v1/stats/timeline?days=` (1..365, default 30).
struct TimelineQuery {
  int64_t days = kDefaultTimelineDays;
};
Result<TimelineQuery> parse_timeline_query(const QueryParams& params);

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
