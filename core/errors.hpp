#pragma once
// Error codes and their messages: the words the server answers with and the widget shows.
// Codes are part of the API (clients switch on them): never rename one, only add.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"

namespace stockbell {

/// What is wrong with one field of a body or a query parameter.
enum class FieldCode {
  required,                 ///< `customer.email` missing, or `"productId": null`
  invalid_type,             ///< `"productId": 42` where a string is expected
  empty,                    ///< `"productId": "   "`: nothing left after trimming
  too_long,                 ///< a 256-character `productId` (limit 255)
  control_character,        ///< `"productId": "SKU\u0007"`
  invalid_email,            ///< `"email": "buyer@@example.com"`
  unknown_field,            ///< `"emial": "..."`: a field this endpoint does not know
  too_few_items,            ///< `"products": []`
  too_many_items,           ///< 101 products in one upsert, 51 attributes
  invalid_attribute_name,   ///< `"attributes": {"first name": "x"}`
  invalid_attribute_value,  ///< `"attributes": {"tags": ["a"]}`
  not_integer,              ///< `"priceCents": 12.5`
  out_of_range,             ///< `"priceCents": -1`
  invalid_currency,         ///< `"currency": "EURO"`
  invalid_url,              ///< `"imageUrl": "javascript:alert(1)"`
  duplicate_id,             ///< two products with `"productId": "SKU-1"` in one batch
  invalid_value,            ///< `?status=pending`: not one of the allowed values
  invalid_origin,           ///< `--origin shop.example` (no scheme)
  private_address,          ///< a webhook to `http://127.0.0.1/` on a public-only server
  invalid_locale,           ///< `"defaultLocale": "english"`: not a language tag like `de-CH`
  unknown_parameter,        ///< `GET /api/v1/products?serach=x`: a query parameter the route lacks
  invalid_timestamp,        ///< `"providerCreatedAt"`/`"orderedAt": "yesterday"`: not RFC 3339
  invisible_character,      ///< `"firstName": "Ann\u202E"`: bidi override or invisible formatting
  invalid_amount,           ///< `"price": "19.995"` in a USD payload: finer than the minor unit
  not_in_catalog,           ///< an inventory item whose product or variant the catalog lacks
  invalid_shop_domain,      ///< `"shopDomain": "shop.example"`: not `name.myshopify.com`
  invalid_time_zone,        ///< `"timeZone": "Europe/Atlantis"`: not an IANA time zone
  template_syntax,          ///< `"html": "{{#price}}..."`: a section never closed (with line, column)
  unknown_variable,         ///< `"text": "Hi {{name}}"`: a variable the template can't have
};

/// What went wrong with a whole HTTP request; each maps to one HTTP status.
enum class ApiCode {
  bad_request,             ///< 400: not HTTP: a malformed request line, ambiguous framing
  invalid_json,            ///< 400: `{"productId": }`, duplicate keys, nesting deeper than 20
  validation_failed,       ///< 400: well-formed JSON with invalid fields (see `details`)
  unauthorized,            ///< 401: no `Authorization: Bearer`, or an unknown key
  forbidden,               ///< 403: a publishable key on a secret route or from a foreign origin
  not_found,               ///< 404: unknown route, product or request id
  method_not_allowed,      ///< 405: `PUT /api/v1/products`
  request_timeout,         ///< 408: the request did not arrive completely in time
  conflict,                ///< 409: cancelling a request that was already notified
  payload_too_large,       ///< 413: a 70 KiB back-in-stock body (limit 64 KiB)
  uri_too_long,            ///< 414: a request line over 8 KiB
  unsupported_media_type,  ///< 415: `Content-Type: text/plain` on a JSON route
  rate_limited,            ///< 429: too many storefront requests; see `Retry-After`
  headers_too_large,       ///< 431: more than 100 header lines, or a head over its byte limit
  internal,                ///< 500: the store failed; nothing was half-written
  unavailable,             ///< 503: the server is shutting down
};

std::string_view field_code_name(FieldCode code);
std::string_view api_code_name(ApiCode code);
int http_status(ApiCode code);

/// One problem with one field. `field` is a path like `products[3].variants[0].variantId`.
struct FieldError {
  std::string field;
  FieldCode code;
  std::string message;
  std::optional<int64_t> limit;  ///< the bound that was crossed, for too_long / too_many_items
  std::optional<int64_t> line = std::nullopt;    ///< where in a text (template_syntax), from 1
  std::optional<int64_t> column = std::nullopt;  ///< in characters, from 1

  bool operator==(const FieldError& o) const {
    return field == o.field && code == o.code && message == o.message && limit == o.limit &&
           line == o.line && column == o.column;
  }
};

/// The error of a whole request, rendered as the error envelope (README "Errors").
struct ApiError {
  ApiCode code;
  std::string message;
  std::vector<FieldError> details;
};

/// The message for a field problem. `limit` fills "{limit}" in the template;
/// `expected` fills "{expected}" (invalid_type: "a string"; invalid_value: "waiting, notified").
std::string field_message(FieldCode code, std::optional<int64_t> limit = std::nullopt,
                          std::string_view expected = {});

/// The field messages of one language, injected at run time: the widget downloads its page's
/// language (build-wasm/web/widget/i18n/<lang>.json, generated from core/i18n/messages.json) and
/// hands it to the core, so the module carries no translations (four languages would add ~7 KB
/// to it). The JSON is a language's object of messages.json: `field` maps each FieldCode name to
/// its template, `expected` maps the core's English `{expected}` phrases ("a string") to the
/// language's, and its entry "{min} and {max}" words a range. Anything missing stays English.
class MessageTable {
 public:
  /// English: the core's own words.
  MessageTable() = default;
  /// The table in `language_json`; English for whatever it lacks (also when it is not JSON).
  static MessageTable from_json(std::string_view language_json);

  std::string field_message(FieldCode code, std::optional<int64_t> limit,
                            std::string_view expected) const;
  /// Words every detail of `error`, and the first one inside its summary, in this language. The
  /// `{expected}` of a detail is read back from its English message.
  void reword(ApiError& error) const;

 private:
  std::vector<std::string> field_;  ///< by FieldCode; empty: English
  std::vector<std::pair<std::string, std::string>> expected_;
};
/// `template_syntax` at `line`, `column` (from 1): "Mustache syntax error at line 3, column 7:
/// the section \"price\" is never closed." (`what` without its full stop).
FieldError template_syntax_error(std::string field, int64_t line, int64_t column,
                                 std::string_view what);

/// The default message for an API error without a more specific one.
std::string_view default_message(ApiCode code);

ApiError make_error(ApiCode code, std::string message = {});

// ---- the errors the server answers with, each with its words -------------------------------
// Every message that goes with a code is written here, so the widget, the server and the docs
// say the same thing.

/// What a 404 is about.
enum class Resource {
  product,   ///< `GET /api/v1/products/SKU-404`: "No product with that productId."
  request,   ///< `DELETE /api/v1/back-in-stock/bisr_...` of another store
  webhook,   ///< `GET /api/v1/webhooks/we_...` that does not exist
  delivery,  ///< `POST .../deliveries/whd_.../retry` for a delivery of another endpoint
  integration,  ///< `DELETE /api/v1/integrations/shopify` when no Shopify store is connected,
                ///< or a platform webhook to an address no connection has
  subscriber,     ///< `GET /api/v1/subscribers/sub_...` of another store, or erased
  mail_template,  ///< `PUT /api/v1/templates/welcome/en`: not back_in_stock or confirm_request
};
ApiError not_found(Resource resource);
/// `GET /api/v2/x` → "No such endpoint: GET /api/v2/x."
ApiError no_such_endpoint(std::string_view method, std::string_view path);
/// A static path that is not served → "Not found: /x".
ApiError no_such_file(std::string_view path);
/// `/api/v1/products/%zz` → "Malformed percent-encoding in the path."
ApiError malformed_path();
/// `PUT /api/v1/products` → "Method PUT not allowed here. Allowed: GET, POST." (`allowed` empty:
/// the default message).
ApiError method_not_allowed(std::string_view method = {}, std::string_view allowed = {});
/// "The request body is larger than 65536 bytes."
ApiError payload_too_large(size_t limit_bytes);
/// Which part of a request did not arrive in time.
enum class Late { head, body };
/// "The request head did not arrive within 5000 ms."
ApiError request_timeout(Late part, int64_t limit_ms);
/// "More than 100 header lines."
ApiError too_many_header_lines(size_t limit);
/// Framing a proxy in front might read differently.
enum class Framing {
  conflicting_lengths,  ///< `Content-Length: 5` and `Content-Length: 6`
  length_and_chunked,   ///< `Content-Length` together with `Transfer-Encoding`
  invalid_length,       ///< `Content-Length: 0x38`, `+5`, `5, 5`: not one decimal number
  unsupported_coding,   ///< `Transfer-Encoding: gzip, chunked`: only `chunked` alone is read
  malformed_chunk,      ///< `zz\r\n` as a chunk size, a chunk longer than declared
};
ApiError ambiguous_framing(Framing framing);
/// 415: "Send the body uncompressed: Content-Encoding gzip is not accepted." (no body is ever
/// inflated: a small compressed body can expand to gigabytes).
ApiError unsupported_content_encoding(std::string_view encoding);
/// "Too many requests. Retry in 30 seconds." (`Retry-After` carries the same number).
ApiError rate_limited(int64_t retry_after_seconds);
/// Why the store can't take requests now (503 `unavailable`, with `Retry-After`).
enum class Unavailable {
  shutting_down,      ///< SIGTERM: requests under way finish, new ones are refused
  disk_full,          ///< the database's disk is full: nothing was stored; space must be freed
  database_replaced,  ///< the database file was deleted or replaced under the running server
  database_unreachable,  ///< the database did not answer (its server is down or restarting)
};
ApiError unavailable(Unavailable why);
/// Seconds a client should wait before it retries (`Retry-After`).
int64_t retry_after_seconds(Unavailable why);
/// Why a key was refused with 401. A malformed key and an unknown one are both `invalid`: nothing
/// about a guess is told.
enum class KeyProblem {
  missing,         ///< no `Authorization` header and no dashboard session cookie
  invalid,         ///< an unknown or malformed key
  session_ended,   ///< a dashboard cookie whose session expired or was signed out
};
ApiError unauthorized(KeyProblem problem);
/// Why a request with a valid key was refused with 403.
enum class Refusal {
  publishable_key,      ///< a publishable key on a secret route
  origin_not_for_key,   ///< a publishable key used from an origin it does not list
  origin_not_allowed,   ///< a CORS preflight from an origin no key lists
  store_not_connected,  ///< the WooCommerce capture for a `storeUrl` no store connected
  origin_not_for_store, ///< the WooCommerce capture from a page of another site
  csrf_token,           ///< a change made with the dashboard's cookie without its X-CSRF-Token
  sign_in_link,         ///< a dashboard sign-in link used already, expired or unknown
};
ApiError forbidden(Refusal refusal);
/// Cancelling a request that was already notified.
ApiError already_notified();
/// A WooCommerce `storeUrl` another Stockbell store has connected already (409).
ApiError already_connected();
/// What is wrong with a store platform's webhook signature (401; nothing was changed).
enum class SignatureProblem {
  missing,   ///< no `X-Shopify-Hmac-Sha256` / `X-WC-Webhook-Signature` header
  mismatch,  ///< the HMAC of the raw body under the connection's secret differs
};
/// "The X-Shopify-Hmac-Sha256 signature does not match this body." (`header` names the header.)
ApiError bad_signature(SignatureProblem problem, std::string_view header);
/// `POST /api/v1/inventory` naming items the catalog lacks (404): every one in `details`
/// (`items[3].variantId` not_in_catalog); nothing was changed.
ApiError unknown_items(std::vector<FieldError> details);
/// `validation_failed` with a summary message naming the first problem and how many follow.
/// `found` counts problems not kept in `details` too (see Problems::kMaxProblems).
ApiError validation_error(std::vector<FieldError> details, size_t found = 0);
class Problems;
/// The same, from everything `problems` collected.
ApiError validation_error(Problems& problems);

/// `{"success":false,"error":...,"code":...,"details":[...]}`, keys in that order.
Json error_envelope(const ApiError& error);
std::string error_envelope_json(const ApiError& error);

/// Reading the value of a failed Result (or the error of a successful one) is a bug; it stops
/// the program in every build rather than read an empty optional. Tests check with REQUIRE_OK
/// (tests/unit/support.hpp), which prints the error first.
[[noreturn]] void result_misuse();

/// A value or the error that prevented it: the one error convention of the use cases. An
/// expected failure a client must hear about (not found, conflict, invalid input) is a Result
/// holding an ApiError; exceptions are kept for failures of the machinery itself (the database,
/// shutting down), which the HTTP layer answers with 500 or 503.
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}
  Result(ApiError error) : error_(std::move(error)) {}
  bool ok() const { return value_.has_value(); }
  T& value() {
    if (!value_) result_misuse();
    return *value_;
  }
  const T& value() const {
    if (!value_) result_misuse();
    return *value_;
  }
  const ApiError& error() const {
    if (!error_) result_misuse();
    return *error_;
  }

 private:
  std::optional<T> value_;
  std::optional<ApiError> error_;
};

/// The `invalid_json` message for a parse failure:
/// `The request body is not valid JSON: line 1, column 9: unexpected end of input.`
std::string invalid_json_message(const JsonParseFailure& failure);

/// The outcome object the widget and the test vectors see: `{"ok":true,"<key>":<to_json(value)>}`
/// or `{"ok":false,"status":400,"error":<the error envelope>}`.
template <class T, class ToJson>
std::string validation_outcome_json(const Result<T>& result, ToJson to_json, const char* key) {
  Json out;
  out["ok"] = result.ok();
  if (result.ok()) {
    out[key] = to_json(result.value());
  } else {
    out["status"] = http_status(result.error().code);
    out["error"] = error_envelope(result.error());
  }
  return dump(out);
}

/// Collects every problem of one body, keyed by field path.
class Problems {
 public:
  /// At most this many problems are kept; a 1 MiB body cannot drown its answer.
  static constexpr size_t kMaxProblems = 1000;

  void add(std::string field, FieldCode code, std::optional<int64_t> limit = std::nullopt,
           std::string_view expected = {});
  /// A problem already worded (template_syntax, with its line and column).
  void add(FieldError error);
  bool empty() const { return found_ == 0; }
  /// Every problem found, also those past kMaxProblems that were not kept: readers compare it
  /// before and after reading a part to know whether that part was valid.
  size_t size() const { return found_; }
  std::vector<FieldError> take() { return std::move(list_); }
  const std::vector<FieldError>& list() const { return list_; }

 private:
  std::vector<FieldError> list_;
  size_t found_ = 0;
};

/// Field paths: `join_path("customer", "email")` is `customer.email`;
/// a key that is not a plain identifier is quoted: `customer.attributes["first name"]`.
std::string join_path(std::string_view base, std::string_view key);
std::string index_path(std::string_view base, size_t index);

}  // namespace stockbell
