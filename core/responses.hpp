#pragma once
// Success bodies of the API, each with a fixed key order. Error bodies are in errors.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/query.hpp"
#include "core/request_status.hpp"

namespace stockbell {

/// `POST /api/v1/back-in-stock` → `{"success":true,"subscriberId","requestId","status","created"}`.
struct RegisterOutcome {
  std::string subscriber_id;
  std::string request_id;
  RequestStatus status = RequestStatus::waiting;
  bool created = false;
};
std::string register_response_json(const RegisterOutcome& outcome);

/// A request as listed by `GET /api/v1/back-in-stock` and returned by its `DELETE`.
struct RequestView {
  std::string id;
  std::string product_id;
  std::string variant_id;
  std::optional<std::string> product_title;
  std::optional<std::string> variant_title;
  RequestStatus status = RequestStatus::waiting;
  std::string subscriber_id;
  std::string email;
  int64_t created_at_ms = 0;
  std::optional<int64_t> notified_at_ms;
  std::optional<int64_t> cancelled_at_ms;
};
Json request_json(const RequestView& request);

/// `{"success":true,"<key>":[...],"pagination":{...}}`.
std::string list_response_json(const char* key, Json items, size_t count, const Page& page,
                               int64_t total);

/// `{"success":true,"upserted","backInStockEventsTriggered","products"}`.
std::string upsert_response_json(size_t upserted, int64_t events_triggered, Json products);

/// `{"success":true,"events":[...],"nextCursor","hasMore"}`.
std::string events_response_json(Json events, const std::optional<std::string>& next_cursor,
                                  bool has_more);

/// `{"success":true,"inStock","known"}`: an unknown target is reported as not known and not in
/// stock; the widget shows nothing for it unless the page says `available="false"`.
std::string availability_response_json(bool in_stock, bool known);

/// `{"success":true,"<key>":<value>}`.
std::string success_json(const char* key, Json value);

}  // namespace stockbell
