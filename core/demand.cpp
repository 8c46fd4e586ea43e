#include "core/demand.hpp"

#include "core/responses.hpp"
#include "core/timestamp.hpp"

namespace stockbell {
namespace {

Json nullable(const std::optional<std::string>& text) {
  return text ? Json(*text) : Json(nullptr);
}

std::string time_cell(const std::optional<int64_t>& unix_ms) {
  return unix_ms ? format_timestamp(*unix_ms) : std::string();
}

}  // namespace

std::string_view stock_state_name(StockState state) {
  switch (state) {
    case StockState::in_stock:
      return "in_stock";
    case StockState::out_of_stock:
      return "out_of_stock";
    case StockState::unknown:
      break;
  }
  return "unknown";
}

std::string demand_response_json(const std::vector<DemandItem>& items, int64_t waiting_total,
                                 const Page& page, int64_t total) {
  Json list = Json::array();
  for (const DemandItem& d : items) {
    Json item;
    item["productId"] = d.product_id;
    item["variantId"] = d.variant_id;
    item["productTitle"] = nullable(d.product_title);
    item["variantTitle"] = nullable(d.variant_title);
    item["waiting"] = d.waiting;
    item["oldestWaitingAt"] =
        d.oldest_waiting_at ? Json(format_timestamp(*d.oldest_waiting_at)) : Json(nullptr);
    item["stock"] = stock_state_name(d.stock);
    item["notifiedLast30Days"] = d.notified_last_30_days;
    list.push_back(std::move(item));
  }
  Json out;
  out["success"] = true;
  out["demand"] = std::move(list);
  out["waitingTotal"] = waiting_total;
  out["pagination"] = pagination_json(items.size(), page, total);
  return dump(out);
}

void demand_csv_header(CsvWriter& out) {
  out.text_row({"productId", "variantId", "productTitle", "variantTitle", "waiting",
                "oldestWaitingAt", "stock", "notifiedLast30Days"});
}

void demand_csv_row(CsvWriter& out, const DemandItem& d) {
  out.row({csv_cell(d.product_id), csv_cell(d.variant_id), csv_cell(d.product_title.value_or("")),
           csv_cell(d.variant_title.value_or("")), csv_number(d.waiting),
           csv_cell(time_cell(d.oldest_waiting_at)), csv_cell(stock_state_name(d.stock)),
           csv_number(d.notified_last_30_days)});
}

std::string timeline_response_json(int64_t days, const std::string& time_zone,
                                   const std::vector<TimelineDay>& series) {
  Json list = Json::array();
  for (const TimelineDay& d : series) {
    Json item;
    item["date"] = d.date;
    item["requested"] = d.requested;
    item["notified"] = d.notified;
    item["cancelled"] = d.cancelled;
    item["expired"] = d.expired;
    item["mailsSent"] = d.mails_sent;
    list.push_back(std::move(item));
  }
  Json timeline;
  timeline["days"] = days;
  timeline["timeZone"] = time_zone;
  timeline["series"] = std::move(list);
  Json out;
  out["success"] = true;
  out["timeline"] = std::move(timeline);
  return dump(out);
}

std::string session_response_json(const std::optional<std::string>& store,
                                  const std::optional<std::string>& csrf_token) {
  Json session;
  session["store"] = nullable(store);
  session["csrfToken"] = nullable(csrf_token);
  Json out;
  out["success"] = true;
  out["session"] = std::move(session);
  return dump(out);
}

void requests_csv_header(CsvWriter& out) {
  out.text_row({"id", "email", "productId", "variantId", "productTitle", "variantTitle", "status",
                "createdAt", "notifiedAt", "cancelledAt"});
}

void request_csv_row(CsvWriter& out, const RequestRecord& r, const std::string& public_id) {
  out.row({csv_cell(public_id), csv_cell(r.email), csv_cell(r.product_id), csv_cell(r.variant_id),
           csv_cell(r.product_title.value_or("")), csv_cell(r.variant_title.value_or("")),
           csv_cell(request_status_name(r.status)), csv_cell(format_timestamp(r.created_at)),
           csv_cell(time_cell(r.notified_at)), csv_cell(time_cell(r.cancelled_at))});
}

}  // namespace stockbell
