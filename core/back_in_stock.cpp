#include "core/back_in_stock.hpp"

#include "core/attributes.hpp"
#include "core/fields.hpp"
#include "core/locale.hpp"
#include "core/text.hpp"

namespace stockbell {
namespace {

constexpr TextRule kLocaleRule{kMaxLocaleChars};
constexpr TextRule kConsentRule{kMaxConsentTextChars, true};

std::optional<Customer> read_customer(const Json* value, Problems& problems) {
  const std::string path = "customer";
  if (value == nullptr || value->is_null()) {
    problems.add(path, FieldCode::required);
    return std::nullopt;
  }
  if (!expect_object(*value, path, problems)) return std::nullopt;
  const size_t before = problems.size();
  ObjectReader reader(*value, path, problems);
  Customer customer;
  std::optional<std::string> email = reader.required_email("email");
  customer.external_id = reader.optional_text("externalId", kIdRule);
  customer.first_name = reader.optional_text("firstName", kNameRule);
  customer.last_name = reader.optional_text("lastName", kNameRule);
  if (const Json* attributes = reader.member("attributes"))
    customer.attributes = read_attributes(*attributes, reader.field("attributes"), problems);
  reader.reject_unknown();
  if (!email || problems.size() != before) return std::nullopt;
  customer.email = std::move(*email);
  return customer;
}

}  // namespace

Result<BackInStockRequest> read_back_in_stock_request(const Json& document) {
  Problems problems;
  if (!expect_object(document, "", problems)) return validation_error(problems);
  ObjectReader reader(document, "", problems);
  BackInStockRequest request;
  std::optional<std::string> product_id = reader.required_text("productId", kIdRule);
  std::optional<std::string> variant_id;
  if (const Json* v = reader.member("variantId"); v != nullptr && !v->is_null())
    variant_id = reader.required_text("variantId", kIdRule);
  request.product_title = reader.optional_text("productTitle", kTitleRule);
  request.variant_title = reader.optional_text("variantTitle", kTitleRule);
  std::optional<Customer> customer = read_customer(reader.member("customer"), problems);
  if (std::optional<std::string> locale = reader.optional_text("locale", kLocaleRule)) {
    request.locale = normalize_locale(*locale);
    if (!request.locale) problems.add(reader.field("locale"), FieldCode::invalid_locale);
  }
  request.consent_text = reader.optional_text("consentText", kConsentRule);
  reader.reject_unknown();
  if (!problems.empty() || !product_id || !customer) return validation_error(problems);
  request.product_id = std::move(*product_id);
  request.variant_id = variant_id ? std::move(*variant_id) : request.product_id;
  request.customer = std::move(*customer);
  return request;
}

Result<BackInStockRequest> parse_back_in_stock_request(std::string_view body) {
  Result<Json> document = parse_body(body);
  if (!document.ok()) return document.error();
  return read_back_in_stock_request(document.value());
}

Json back_in_stock_request_json(const BackInStockRequest& request) {
  auto text_or_null = [](const std::optional<std::string>& v) {
    return v ? Json(*v) : Json(nullptr);
  };
  Json customer;
  customer["email"] = request.customer.email;
  customer["externalId"] = text_or_null(request.customer.external_id);
  customer["firstName"] = text_or_null(request.customer.first_name);
  customer["lastName"] = text_or_null(request.customer.last_name);
  customer["attributes"] = request.customer.attributes;
  Json out;
  out["productId"] = request.product_id;
  out["variantId"] = request.variant_id;
  out["productTitle"] = text_or_null(request.product_title);
  out["variantTitle"] = text_or_null(request.variant_title);
  out["customer"] = std::move(customer);
  if (request.locale) out["locale"] = *request.locale;
  if (request.consent_text) out["consentText"] = *request.consent_text;
  return out;
}

std::string validate_back_in_stock_json(std::string_view body, std::string_view language) {
  Result<BackInStockRequest> result = parse_back_in_stock_request(body);
  if (!result.ok() && !language.empty()) {
    ApiError error = result.error();
    MessageTable::from_json(language).reword(error);
    result = Result<BackInStockRequest>(std::move(error));
  }
  return validation_outcome_json(result, back_in_stock_request_json, "request");
}

}  // namespace stockbell
