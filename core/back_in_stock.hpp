#pragma once
// The back-in-stock request (README "Register a back-in-stock request"): parsing, validation and normalisation. The widget runs
// this same code (compiled to WebAssembly) before it sends anything.

#include <optional>
#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "core/json.hpp"

namespace stockbell {

/// The shopper asking. `email` is trimmed and lower-cased (it is the subscriber's identity);
/// optional texts are trimmed, and empty ones count as not provided.
struct Customer {
  std::string email;
  std::optional<std::string> external_id;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  /// An object of at most 50 keys; values are strings, numbers, booleans or null
  /// (null removes the attribute from the subscriber).
  Json attributes = Json::object();
};

constexpr size_t kMaxConsentTextChars = 1000;

/// A normalised `POST /api/v1/back-in-stock` body. `variant_id` defaults to `product_id`.
struct BackInStockRequest {
  std::string product_id;
  std::string variant_id;
  std::optional<std::string> product_title;
  std::optional<std::string> variant_title;
  Customer customer;
  /// The shopper's language for e-mails (the widget sends the page's `lang`), normalised
  /// (`DE-ch` → `de-CH`); picks the template: exact → language → store default → `en`.
  std::optional<std::string> locale;
  /// The consent wording the widget showed (≤ 1000 characters, line breaks allowed), kept with
  /// the request as part of its consent record.
  std::optional<std::string> consent_text;
};

/// Parses and validates a body. On failure the error lists every problem:
/// `invalid_json` for text that is not JSON, else `validation_failed` with field details.
Result<BackInStockRequest> parse_back_in_stock_request(std::string_view body);
/// The same, for an already parsed document.
Result<BackInStockRequest> read_back_in_stock_request(const Json& document);

/// The normalised request as JSON (fixed key order, absent optionals as null; `locale` and
/// `consentText`, which came later, only when given, so the shared vectors of the fields before
/// them read as they always did).
Json back_in_stock_request_json(const BackInStockRequest& request);

/// The widget's and the test vectors' entry point: `{"ok":true,"request":{...}}` or
/// `{"ok":false,"status":400,"error":{<the exact error body the server would send>}}`.
/// `language`: a language's messages (MessageTable::from_json); empty: English, the server's words.
std::string validate_back_in_stock_json(std::string_view body, std::string_view language = {});

}  // namespace stockbell
