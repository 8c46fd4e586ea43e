#pragma once
// The dashboard's figures (README "Dashboard"): what shoppers wait for, and what happened per
// day. `GET /api/v1/stats/demand` ranks targets (product, variant) by waiting shoppers, then by
// the oldest wait ("what to restock first"); `GET /api/v1/stats/timeline` counts per day of the
// store's time zone. Both read maintained counters (server/store/sqlite/schema.cpp, migration 7),
// never every request.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/query.hpp"

namespace stockbell {

constexpr int64_t kDemandNotifiedDays = 30;  ///< "notified in the last 30 days"
/// What the activity counters count, per store and quarter hour (`GET /api/v1/stats/timeline`).
enum class Activity {
  requested,  ///< a request was created (pending or waiting)
  notified,   ///< waiting → notified
  cancelled,  ///< waiting → cancelled
  expired,    ///< waiting → expired
  purchased,  ///< waiting → purchased
  mail_sent,  ///< a shopper e-mail was sent (counted by the e-mail sender with count_activity)
};
/// Activity counters are kept per quarter hour (every UTC offset in use is a multiple of 15
/// minutes), so days of any time zone add up from them.
constexpr int64_t kActivityBucketMs = 15 * 60 * 1000;
/// Stock state of a target now, from the catalog.
enum class StockState {
  in_stock,      ///< the catalog says in stock (a release may be under way)
  out_of_stock,  ///< the catalog says out of stock
  unknown,       ///< the catalog does not have the product or variant
};
std::string_view stock_state_name(StockState state);

/// One target with waiting shoppers.
struct DemandItem {
  std::string product_id;
  std::string variant_id;
  std::optional<std::string> product_title;  ///< the catalog's, else the latest request's
  std::optional<std::string> variant_title;
  int64_t waiting = 0;
  std::optional<int64_t> oldest_waiting_at;  ///< Unix ms of the oldest waiting request
  StockState stock = StockState::unknown;
  int64_t notified_last_30_days = 0;
};

/// `{"success":true,"demand":[{"productId","variantId","productTitle","variantTitle","waiting",
/// "oldestWaitingAt","stock","notifiedLast30Days"}],"waitingTotal":N,"pagination":{...}}`.
std::string demand_response_json(const std::vector<DemandItem>& items, int64_t waiting_total,
                                 const Page& page, int64_t total);
/// The CSV header row and one row per item (same columns as the JSON, in that order).
void demand_csv_header(CsvWriter& out);
void demand_csv_row(CsvWriter& out, const DemandItem& item);

/// One day of the store's time zone.
struct TimelineDay {
  std::string date;  ///< `2026-11-27`
  int64_t requested = 0;
  int64_t notified = 0;
  int64_t cancelled = 0;
  int64_t expired = 0;
  int64_t mails_sent = 0;  ///< shopper e-mails sent (0 until the server sends e-mail)
};

/// `{"success":true,"timeline":{"days":N,"timeZone":"Europe/Berlin","series":[{"date",
/// "requested","notified","cancelled","expired","mailsSent"}]}}`, oldest day first, every day
/// listed (zeros included) so a chart's axis has no gaps.
std::string timeline_response_json(int64_t days, const std::string& time_zone,
                                   const std::vector<TimelineDay>& series);

/// `GET /api/v1/session`: `{"success":true,"session":{"store":"demo","csrfToken":"..."}}`
/// (`csrfToken` null when a key, not the dashboard's cookie, made the call).
std::string session_response_json(const std::optional<std::string>& store,
                                  const std::optional<std::string>& csrf_token);

struct RequestRecord;
/// The requests list as CSV: id, email, productId, variantId, productTitle, variantTitle,
/// status, createdAt, notifiedAt, cancelledAt (RFC 3339, empty when none).
void requests_csv_header(CsvWriter& out);
void request_csv_row(CsvWriter& out, const RequestRecord& request, const std::string& public_id);

}  // namespace stockbell
