#pragma once
// Success bodies of the API, each with a fixed key order. Error bodies are in errors.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/query.hpp"
#include "core/request_status.hpp"
#include "core/subscriber.hpp"

namespace stockbell {

/// `POST /api/v1/back-in-stock` →
/// `{"success":true,"subscriberId","requestId","status","created","position"}`; `position` is
/// the request's place in line (1 = next) while it is waiting, else null.
struct RegisterOutcome {
  int64_t subscriber_id = 0;  ///< row ids; the codec formats them
  int64_t request_id = 0;
  RequestStatus status = RequestStatus::waiting;
  bool created = false;
  std::optional<int64_t> position;
};
/// `{"success","subscriberId","requestId","status","created","position"}`. For a publishable key
/// (anyone on the storefront) there is no `created`: a page must not learn whether an address
/// was already waiting (SPEC §5), and a repeat answers the status a new request gets.
/// `position` is the place in line (1 = next) while waiting, else null; through a publishable
/// key it is the back of the line, where a new request lands (server/app/requests.cpp).
std::string register_response_json(const RegisterOutcome& outcome, const IdCodec& ids,
                                   Trust trust = Trust::secret);

/// Where a request came from: a publishable key (the storefront widget) or a secret key (the
/// store's backend, `api`).
enum class RequestSource { api, widget };
std::string_view request_source_name(RequestSource source);

/// What a request's consent rests on (README "Consent"): who sent it, from where, the words the
/// shopper agreed to and when the address was confirmed. Requests stored before consent records
/// existed have no source.
struct RequestConsent {
  std::optional<RequestSource> source;
  std::optional<std::string> client_address;  ///< publishable-key requests only
  std::optional<std::string> user_agent;      ///< publishable-key requests only
  std::optional<std::string> text;            ///< `consentText` as the widget showed it
  std::optional<int64_t> confirmed_at;        ///< double opt-in: when the shopper confirmed
};

/// A stored back-in-stock request, as the store reads it: listed by `GET /api/v1/back-in-stock`
/// and returned by its `DELETE`. Times are Unix milliseconds.
struct RequestRecord {
  int64_t id = 0;
  int64_t target_id = 0;
  int64_t subscriber_id = 0;
  std::string product_id;
  std::string variant_id;
  std::optional<std::string> product_title;  ///< the request's own snapshot, if it sent one
  std::optional<std::string> variant_title;
  RequestStatus status = RequestStatus::waiting;
  /// Place in line among the waiting requests of its target (1 = next), when waiting.
  std::optional<int64_t> position;
  std::string email;
  int64_t created_at = 0;
  std::optional<int64_t> notified_at;
  std::optional<int64_t> cancelled_at;
  /// The order that bought the item (`purchased`) or converted the notification; none once a
  /// conversion was reversed (refund, cancellation).
  std::optional<std::string> order_id;
  std::optional<int64_t> converted_at;  ///< when the converting purchase was made
  std::optional<int64_t> revenue_cents;
  std::optional<std::string> revenue_currency;
  std::optional<std::string> locale;  ///< the shopper's language for e-mails
  RequestConsent consent;
};
/// `{"id","productId","variantId","productTitle","variantTitle","status","subscriberId","email",
/// "createdAt","notifiedAt","cancelledAt","locale","consent":{"source","at","clientAddress",
/// "userAgent","text","confirmedAt"}}`; `consent.at` is the request's creation.
Json request_json(const RequestRecord& request, const IdCodec& ids);

/// `{"success":true,"<key>":[...],"pagination":{...}}`.
std::string list_response_json(const char* key, Json items, size_t count, const Page& page,
                               int64_t total);

/// `{"success":true,"upserted","created","updated","backInStockEventsTriggered","products"}`:
/// `upserted` is `created + updated` (Sequenzy's answer names the two counts).
std::string upsert_response_json(size_t created, size_t updated, int64_t events_triggered,
                                 Json products);

/// `{"success":true,"deleted":true,"<key>":<id>}`: what was deleted, named as the client named
/// it (`productId`) or as Stockbell made it (`webhookId`).
std::string deleted_response_json(const char* key, const std::string& id);

/// `POST /api/v1/inventory` → `{"success":true,"updated","backInStockEventsTriggered","items"}`.
std::string inventory_response_json(size_t updated, int64_t events_triggered, Json items);

/// `{"success":true,"events":[...],"nextCursor","hasMore"}`.
std::string events_response_json(Json events, const std::optional<std::string>& next_cursor,
                                  bool has_more);

/// `{"success":true,"inStock","known"}`: an unknown target is reported as not known and not in
/// stock; the widget shows nothing for it unless the page says `available="false"`.
std::string availability_response_json(bool in_stock, bool known);

/// `{"success":true,"<key>":<value>}`.
std::string success_json(const char* key, Json value);

}  // namespace stockbell
