// libFuzzer target: back-in-stock request parsing and validation (core/back_in_stock.hpp).
// Checks beyond "no crash": the outcome is valid JSON; an accepted request is normalised
// (trimmed ids within limits, lower-cased valid e-mail) and re-validating its normalised form
// accepts it again with the same result. In the page's language (a message table as the widget
// injects it) the outcome is JSON too, with the same codes and fields, only other words.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/back_in_stock.hpp"
#include "core/email.hpp"
#include "core/fields.hpp"
#include "core/text.hpp"

using namespace stockbell;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  const std::string outcome = validate_back_in_stock_json(body);
  JsonParseFailure failure;
  if (!parse_json(outcome, failure)) __builtin_trap();  // the outcome must always be JSON

  // The German table's shape (i18n/de.json): every detail reworded, codes and fields unchanged.
  static const char kGerman[] =
      R"({"field":{"invalid_type":"Muss {expected} sein.","too_long":"Höchstens {limit} Zeichen.",)"
      R"("required":"Erforderlich.","invalid_email":"Ungültig.","unknown_field":"Unbekannt."},)"
      R"("expected":{"a string":"eine Zeichenkette","{min} and {max}":"{min} und {max}"}})";
  const std::optional<Json> english = parse_json(outcome, failure);
  const std::optional<Json> german = parse_json(validate_back_in_stock_json(body, kGerman), failure);
  if (!german) __builtin_trap();
  const Json* en_error = english->find("error");
  const Json* de_error = german->find("error");
  if ((en_error == nullptr) != (de_error == nullptr)) __builtin_trap();
  if (en_error != nullptr) {
    const Json* en_details = en_error->find("details");
    const Json* de_details = de_error->find("details");
    if ((en_details == nullptr) != (de_details == nullptr)) __builtin_trap();
    if (en_details != nullptr) {
      if (en_details->size() != de_details->size()) __builtin_trap();
      for (size_t i = 0; i < en_details->size(); ++i)
        if (*(*en_details)[i].find("code") != *(*de_details)[i].find("code") ||
            *(*en_details)[i].find("field") != *(*de_details)[i].find("field"))
          __builtin_trap();
    }
  }

  Result<BackInStockRequest> parsed = parse_back_in_stock_request(body);
  if (!parsed.ok()) {
    if (parsed.error().code == ApiCode::validation_failed && parsed.error().details.empty())
      __builtin_trap();  // a validation failure always says what failed
    return 0;
  }
  const BackInStockRequest& r = parsed.value();
  if (r.product_id.empty() || char_count(r.product_id) > kMaxIdChars) __builtin_trap();
  if (r.variant_id.empty() || char_count(r.variant_id) > kMaxIdChars) __builtin_trap();
  if (trim(r.product_id) != r.product_id || has_control_chars(r.product_id)) __builtin_trap();
  if (!is_valid_email(r.customer.email) || email_identity(r.customer.email) != r.customer.email)
    __builtin_trap();
  // Normalising is idempotent: the normalised request validates to itself.
  const std::string again = validate_back_in_stock_json(dump(back_in_stock_request_json(r)));
  if (again != outcome) __builtin_trap();
  return 0;
}
