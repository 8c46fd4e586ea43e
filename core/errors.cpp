#include "core/errors.hpp"
#include "core/error_codes.hpp"

#include <algorithm>
#include <cstdlib>
#include <iterator>

#include "core/json.hpp"
#include "core/text.hpp"

namespace stockbell {
namespace {

struct FieldCodeInfo {
  std::string_view name;
  std::string_view message;  // "{limit}" and "{expected}" are filled in
};

// One row per FieldCode, in declaration order. Translations of these live in the widget's string
// table, keyed by the same names.
constexpr FieldCodeInfo kFieldCodes[] = {
    {"required", "This field is required."},
    {"invalid_type", "Must be {expected}."},
    {"empty", "Must not be empty."},
    {"too_long", "Must be at most {limit} characters."},
    {"control_character", "Must not contain control characters."},
    {"invalid_email", "Enter a valid email address, like name@example.com."},
    {"unknown_field", "Unknown field."},
    {"too_few_items", "Must contain at least one item."},
    {"too_many_items", "Must contain at most {limit} items."},
    {"invalid_attribute_name", "Attribute names are 1 to 64 letters, digits, '_', '.' or '-'."},
    {"invalid_attribute_value", "Attribute values must be a string, number, boolean or null."},
    {"not_integer", "Must be a whole number."},
    {"out_of_range", "Must be between {expected}."},
    {"invalid_currency", "Must be an ISO 4217 currency code, like USD."},
    {"invalid_url", "Must be an absolute http or https URL."},
    {"duplicate_id", "Appears more than once in this request."},
    {"invalid_value", "Must be one of: {expected}."},
    {"invalid_origin", "Must be an origin like https://shop.example or http://localhost:8080."},
    {"private_address", "Must not point at this server's own or private network addresses."},
    {"invalid_locale", "Must be a language tag, like en or de-CH."},
    {"unknown_parameter", "Unknown query parameter."},
    {"invalid_timestamp", "Must be an ISO 8601 date and time, like 2026-11-30T12:00:00Z."},
    {"invisible_character", "Must not contain invisible formatting characters."},
    {"invalid_amount",
     "Must be a decimal amount like 19.99, with no more decimal places than the currency has."},
    {"not_in_catalog", "No such product or variant in the catalog."},
    {"invalid_shop_domain", "Must be a Shopify shop domain, like my-shop.myshopify.com."},
    {"invalid_time_zone", "Must be a time zone name, like UTC or Europe/Berlin."},
    {"template_syntax", "Mustache syntax error at line {line}, column {column}: {expected}."},
    {"unknown_variable", "Unknown template variable {expected}."},
};

struct ApiCodeInfo {
  std::string_view name;
  int status;
  std::string_view message;
};

constexpr ApiCodeInfo kApiCodes[] = {
    {"bad_request", 400, "The HTTP request is malformed."},
    {"invalid_json", 400, "The request body is not valid JSON."},
    {"validation_failed", 400, "The request has invalid fields."},
    {"unauthorized", 401, "Missing or invalid API key. Send 'Authorization: Bearer <key>'."},
    {"forbidden", 403, "This key may not do that."},
    {"not_found", 404, "Not found."},
    {"method_not_allowed", 405, "Method not allowed."},
    {"request_timeout", 408, "The request did not arrive in time."},
    {"conflict", 409, "The resource is not in a state that allows this."},
    {"payload_too_large", 413, "The request body is too large."},
    {"uri_too_long", 414, "The request URI is too long."},
    {"unsupported_media_type", 415, "Send the body as JSON with 'Content-Type: application/json'."},
    {"rate_limited", 429, "Too many requests. Retry later."},
    {"headers_too_large", 431, "The request headers are too large."},
    {"internal", 500, "Internal error. Nothing was changed."},
    {"unavailable", 503, "The server is shutting down. Retry shortly."},
};

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

bool is_plain_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string_view field_code_name(FieldCode code) {
  return kFieldCodes[static_cast<size_t>(code)].name;
}

std::string_view api_code_name(ApiCode code) { return kApiCodes[static_cast<size_t>(code)].name; }

int http_status(ApiCode code) { return kApiCodes[static_cast<size_t>(code)].status; }

std::vector<FieldCode> all_field_codes() {
  std::vector<FieldCode> codes;
  for (size_t i = 0; i < std::size(kFieldCodes); ++i) codes.push_back(static_cast<FieldCode>(i));
  return codes;
}

std::vector<ApiCode> all_api_codes() {
  std::vector<ApiCode> codes;
  for (size_t i = 0; i < std::size(kApiCodes); ++i) codes.push_back(static_cast<ApiCode>(i));
  return codes;
}

std::string_view default_message(ApiCode code) {
  return kApiCodes[static_cast<size_t>(code)].message;
}

std::string field_message(FieldCode code, std::optional<int64_t> limit, std::string_view expected) {
  std::string text(kFieldCodes[static_cast<size_t>(code)].message);
  if (limit) replace_all(text, "{limit}", std::to_string(*limit));
  replace_all(text, "{expected}", expected);
  return text;
}

MessageTable MessageTable::from_json(std::string_view language_json) {
  MessageTable table;
  JsonParseFailure failure;
  const std::optional<Json> json = parse_json(language_json, failure);
  if (!json || !json->is_object()) return table;
  if (const Json* field = json->find("field"); field != nullptr && field->is_object()) {
    table.field_.resize(std::size(kFieldCodes));
    for (size_t i = 0; i < std::size(kFieldCodes); ++i)
      if (const Json* text = field->find(kFieldCodes[i].name); text != nullptr && text->is_string())
        table.field_[i] = text->as_string();
  }
  if (const Json* expected = json->find("expected"); expected != nullptr && expected->is_object())
    for (const auto& [phrase, text] : expected->members())
      if (text.is_string()) table.expected_.emplace_back(phrase, text.as_string());
  return table;
}

std::string MessageTable::field_message(FieldCode code, std::optional<int64_t> limit,
                                        std::string_view expected) const {
  const size_t index = static_cast<size_t>(code);
  if (index >= field_.size() || field_[index].empty())
    return stockbell::field_message(code, limit, expected);
  std::string text = field_[index];
  if (limit) replace_all(text, "{limit}", std::to_string(*limit));
  std::string value(expected);
  const auto phrase = [&](std::string_view english) -> const std::string* {
    for (const auto& [from, to] : expected_)
      if (from == english) return &to;
    return nullptr;
  };
  if (const std::string* said = phrase(expected)) {
    value = *said;
  } else if (const size_t at = value.find(" and "); at != std::string::npos) {
    // A range from the core ("0 and 10"): its numbers in the language's "{min} and {max}".
    if (const std::string* range = phrase("{min} and {max}")) {
      std::string worded = *range;
      replace_all(worded, "{min}", value.substr(0, at));
      replace_all(worded, "{max}", value.substr(at + 5));
      value = worded;
    }
  }
  replace_all(text, "{expected}", value);
  return text;
}

// What filled `{expected}` in an English message of `code`: the text between the template's parts
// around it ("Must be a string." → "a string"); empty when the template has none.
static std::string expected_in(FieldCode code, std::optional<int64_t> limit, const std::string& message) {
  const std::string text = field_message(code, limit, "\x01");
  const size_t at = text.find('\x01');
  if (at == std::string::npos) return {};
  const size_t suffix = text.size() - at - 1;
  if (message.size() < at + suffix || message.compare(0, at, text, 0, at) != 0 ||
      message.compare(message.size() - suffix, suffix, text, at + 1) != 0)
    return {};
  return message.substr(at, message.size() - at - suffix);
}

void MessageTable::reword(ApiError& error) const {
  for (size_t i = 0; i < error.details.size(); ++i) {
    FieldError& d = error.details[i];
    std::string worded = field_message(d.code, d.limit, expected_in(d.code, d.limit, d.message));
    if (i == 0) {
      const std::string before = ": " + d.message;
      if (const size_t at = error.message.find(before); at != std::string::npos)
        error.message.replace(at + 2, d.message.size(), worded);
    }
    d.message = std::move(worded);
  }
}

FieldError template_syntax_error(std::string field, int64_t line, int64_t column,
                                 std::string_view what) {
  std::string text(kFieldCodes[static_cast<size_t>(FieldCode::template_syntax)].message);
  replace_all(text, "{line}", std::to_string(line));
  replace_all(text, "{column}", std::to_string(column));
  replace_all(text, "{expected}", what);
  return FieldError{std::move(field), FieldCode::template_syntax, std::move(text), std::nullopt,
                    line, column};
}

ApiError make_error(ApiCode code, std::string message) {
  if (message.empty()) message = std::string(default_message(code));
  return ApiError{code, std::move(message), {}};
}

void result_misuse() { std::abort(); }

ApiError not_found(Resource resource) {
  switch (resource) {
    case Resource::product: return make_error(ApiCode::not_found, "No product with that productId.");
    case Resource::request:
      return make_error(ApiCode::not_found, "No back-in-stock request with that id.");
    case Resource::webhook: return make_error(ApiCode::not_found, "No webhook endpoint with that id.");
    case Resource::delivery: return make_error(ApiCode::not_found, "No such delivery.");
    case Resource::integration:
      return make_error(ApiCode::not_found, "No store platform is connected here.");
    case Resource::subscriber:
      return make_error(ApiCode::not_found, "No subscriber with that id.");
    case Resource::mail_template:
      return make_error(ApiCode::not_found,
                        "No such template. The templates are back_in_stock and confirm_request.");
  }
  return make_error(ApiCode::not_found);
}

ApiError no_such_endpoint(std::string_view method, std::string_view path) {
  return make_error(ApiCode::not_found,
                    "No such endpoint: " + std::string(method) + " " + std::string(path) + ".");
}

ApiError no_such_file(std::string_view path) {
  return make_error(ApiCode::not_found, "Not found: " + std::string(path));
}

ApiError malformed_path() {
  return make_error(ApiCode::not_found, "Malformed percent-encoding in the path.");
}

ApiError method_not_allowed(std::string_view method, std::string_view allowed) {
  if (allowed.empty()) return make_error(ApiCode::method_not_allowed);
  return make_error(ApiCode::method_not_allowed, "Method " + std::string(method) +
                                                     " not allowed here. Allowed: " +
                                                     std::string(allowed) + ".");
}

ApiError payload_too_large(size_t limit_bytes) {
  return make_error(ApiCode::payload_too_large,
                    "The request body is larger than " + std::to_string(limit_bytes) + " bytes.");
}

ApiError request_timeout(Late part, int64_t limit_ms) {
  return make_error(ApiCode::request_timeout,
                    std::string(part == Late::head ? "The request head" : "The request body") +
                        " did not arrive within " + std::to_string(limit_ms) + " ms.");
}

ApiError too_many_header_lines(size_t limit) {
  return make_error(ApiCode::headers_too_large,
                    "More than " + std::to_string(limit) + " header lines.");
}

ApiError ambiguous_framing(Framing framing) {
  switch (framing) {
    case Framing::conflicting_lengths:
      return make_error(ApiCode::bad_request, "Conflicting Content-Length headers.");
    case Framing::length_and_chunked:
      return make_error(ApiCode::bad_request,
                        "Both Content-Length and Transfer-Encoding: the body's length is ambiguous.");
    case Framing::invalid_length:
      return make_error(ApiCode::bad_request, "Content-Length must be one decimal number.");
    case Framing::unsupported_coding:
      return make_error(ApiCode::bad_request,
                        "Only 'Transfer-Encoding: chunked' is supported, on its own.");
    case Framing::malformed_chunk:
      return make_error(ApiCode::bad_request, "Malformed chunked body.");
  }
  return make_error(ApiCode::bad_request);
}

ApiError unsupported_content_encoding(std::string_view encoding) {
  std::string shown;
  for (char c : encoding.substr(0, 40))
    shown += (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) ? '?' : c;
  return make_error(ApiCode::unsupported_media_type,
                    "Send the body uncompressed: Content-Encoding '" + shown + "' is not accepted.");
}

ApiError rate_limited(int64_t retry_after_seconds) {
  return make_error(ApiCode::rate_limited, "Too many requests. Retry in " +
                                               std::to_string(retry_after_seconds) + " seconds.");
}

ApiError unavailable(Unavailable why) {
  switch (why) {
    case Unavailable::shutting_down: return make_error(ApiCode::unavailable);
    case Unavailable::disk_full:
      return make_error(ApiCode::unavailable,
                        "The server's disk is full: nothing was stored. Retry later.");
    case Unavailable::database_replaced:
      return make_error(ApiCode::unavailable,
                        "The database file was deleted or replaced while the server ran: nothing "
                        "more is answered until it is restarted.");
    case Unavailable::database_unreachable:
      return make_error(ApiCode::unavailable,
                        "The database can't be reached just now. Retry shortly.");
  }
  return make_error(ApiCode::unavailable);
}

int64_t retry_after_seconds(Unavailable why) {
  switch (why) {
    case Unavailable::shutting_down: return 1;
    case Unavailable::disk_full: return 30;
    case Unavailable::database_replaced: return 300;
    case Unavailable::database_unreachable: return 5;
  }
  return 1;
}

ApiError unauthorized(KeyProblem problem) {
  return make_error(ApiCode::unauthorized,
                    problem == KeyProblem::missing
                        ? "Missing API key. Send 'Authorization: Bearer <key>'."
                    : problem == KeyProblem::session_ended
                        ? "Your dashboard session has ended. Sign in again with a new link."
                        : "Invalid API key.");
}

ApiError forbidden(Refusal refusal) {
  switch (refusal) {
    case Refusal::publishable_key:
      return make_error(ApiCode::forbidden,
                        "A publishable key can't use this endpoint; use a secret key.");
    case Refusal::origin_not_for_key:
      return make_error(ApiCode::forbidden, "This key is not allowed from this origin.");
    case Refusal::origin_not_allowed:
      return make_error(ApiCode::forbidden, "This origin is not allowed.");
    case Refusal::store_not_connected:
      return make_error(ApiCode::forbidden, "This store is not connected to Stockbell.");
    case Refusal::origin_not_for_store:
      return make_error(ApiCode::forbidden, "Requests for this store must come from its own pages.");
    case Refusal::csrf_token:
      return make_error(ApiCode::forbidden,
                        "Changes made with the dashboard's session need its X-CSRF-Token header.");
    case Refusal::sign_in_link:
      return make_error(ApiCode::forbidden,
                        "This sign-in link was used already or has expired. Run stockbell "
                        "dashboard-url for a new one.");
  }
  return make_error(ApiCode::forbidden);
}

ApiError already_notified() {
  return make_error(ApiCode::conflict,
                    "The request was already notified and can no longer be cancelled.");
}

ApiError already_connected() {
  return make_error(ApiCode::conflict, "This storeUrl is connected to another Stockbell store.");
}

ApiError bad_signature(SignatureProblem problem, std::string_view header) {
  return make_error(ApiCode::unauthorized,
                    problem == SignatureProblem::missing
                        ? "Missing " + std::string(header) + " signature."
                        : "The " + std::string(header) + " signature does not match this body.");
}

ApiError unknown_items(std::vector<FieldError> details) {
  std::string message = "Not in the catalog: ";
  for (size_t i = 0; i < details.size() && i < 5; ++i) {
    if (i > 0) message += ", ";
    message += details[i].field;
  }
  if (details.size() > 5) message += " (and " + std::to_string(details.size() - 5) + " more)";
  message += ". Nothing was changed.";
  return ApiError{ApiCode::not_found, std::move(message), std::move(details)};
}

std::string invalid_json_message(const JsonParseFailure& failure) {
  std::string message = std::string(default_message(ApiCode::invalid_json));
  message.pop_back();  // the full stop
  message += ": " + failure.message;
  if (!message.empty() && message.back() != '.') message += '.';
  return message;
}

ApiError validation_error(std::vector<FieldError> details, size_t found) {
  std::string message = "Validation failed";
  if (!details.empty()) {
    const FieldError& first = details.front();
    message += ": " + (first.field.empty() ? std::string("body") : first.field) + ": " +
               first.message;
    const size_t more = std::max(found, details.size()) - 1;
    if (more > 0) message += " (and " + std::to_string(more) + " more)";
  }
  return ApiError{ApiCode::validation_failed, std::move(message), std::move(details)};
}

ApiError validation_error(Problems& problems) {
  const size_t found = problems.size();
  return validation_error(problems.take(), found);
}

std::string error_envelope_json(const ApiError& error) { return dump(error_envelope(error)); }

Json error_envelope(const ApiError& error) {
  Json out;
  out["success"] = false;
  out["error"] = error.message;
  out["code"] = api_code_name(error.code);
  if (!error.details.empty()) {
    Json details = Json::array();
    for (const FieldError& d : error.details) {
      Json item;
      item["field"] = d.field;
      item["code"] = field_code_name(d.code);
      item["message"] = d.message;
      if (d.limit) item["limit"] = *d.limit;
      if (d.line) item["line"] = *d.line;
      if (d.column) item["column"] = *d.column;
      details.push_back(std::move(item));
    }
    out["details"] = std::move(details);
  }
  return out;
}

void Problems::add(std::string field, FieldCode code, std::optional<int64_t> limit,
                   std::string_view expected) {
  ++found_;
  if (list_.size() >= kMaxProblems) return;
  list_.push_back(FieldError{std::move(field), code, field_message(code, limit, expected), limit});
}

void Problems::add(FieldError error) {
  ++found_;
  if (list_.size() >= kMaxProblems) return;
  list_.push_back(std::move(error));
}

std::string join_path(std::string_view base, std::string_view key) {
  const std::string shown = truncate_chars(key, 64);
  std::string out(base);
  if (is_plain_key(key)) {
    if (!out.empty()) out += '.';
    out += shown;
  } else {
    out += '[';
    out += quote(shown);
    out += ']';
  }
  return out;
}

std::string index_path(std::string_view base, size_t index) {
  return std::string(base) + "[" + std::to_string(index) + "]";
}

}  // namespace stockbell
