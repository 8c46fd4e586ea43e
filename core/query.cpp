#include "core/query.hpp"

#include <algorithm>

#include "core/email.hpp"
#include "core/fields.hpp"
#include "core/text.hpp"

namespace stockbell {
namespace {

// Query strings are percent-decoded bytes; anything that is not UTF-8 is rejected.
bool is_text(std::string_view text, const char* name, Problems& problems) {
  if (is_valid_utf8(text)) return true;
  problems.add(name, FieldCode::invalid_type, std::nullopt, "UTF-8 text");
  return false;
}

const std::string* find_param(const QueryParams& params, std::string_view name) {
  for (const auto& [key, value] : params)
    if (key == name) return &value;
  return nullptr;
}

std::optional<int64_t> read_int(const QueryParams& params, const char* name, int64_t min,
                                int64_t max, Problems& problems) {
  const std::string* raw = find_param(params, name);
  if (raw == nullptr) return std::nullopt;
  const std::string_view text = trim(*raw);
  const std::string range = std::to_string(min) + " and " + std::to_string(max);
  if (text.empty() || text.size() > 18) {
    problems.add(name, text.empty() ? FieldCode::not_integer : FieldCode::out_of_range,
                 std::nullopt, range);
    return std::nullopt;
  }
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      problems.add(name, FieldCode::not_integer);
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) {
    problems.add(name, FieldCode::out_of_range, std::nullopt, range);
    return std::nullopt;
  }
  return value;
}

// An id filter: same rules as ids in bodies.
std::optional<std::string> read_id(const QueryParams& params, const char* name,
                                   Problems& problems) {
  const std::string* raw = find_param(params, name);
  if (raw == nullptr) return std::nullopt;
  const std::string_view text = trim(*raw);
  if (text.empty()) {
    problems.add(name, FieldCode::empty);
    return std::nullopt;
  }
  if (!is_text(text, name, problems) || !check_text(text, kIdRule, name, problems))
    return std::nullopt;
  return std::string(text);
}

// A parameter's name as a field path: as sent (at most 64 characters); bytes that are not UTF-8
// percent-encoded, so the answer stays valid JSON.
std::string parameter_field(std::string_view name) {
  if (is_valid_utf8(name)) return truncate_chars(name, 64);
  std::string out;
  for (unsigned char c : name.substr(0, 64)) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      const char* hex = "0123456789ABCDEF";
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// Every parameter not in `known`, once per name, in the order given.
void reject_unknown_params(const QueryParams& params, std::initializer_list<std::string_view> known,
                           Problems& problems) {
  std::vector<std::string_view> reported;
  for (const auto& [key, value] : params) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    if (std::find(reported.begin(), reported.end(), key) != reported.end()) continue;
    reported.push_back(key);
    problems.add(parameter_field(key), FieldCode::unknown_parameter);
  }
}

std::optional<std::string> read_email(const QueryParams& params, Problems& problems) {
  const std::string* email = find_param(params, "email");
  if (email == nullptr) return std::nullopt;
  const std::string_view text = trim(*email);
  if (char_count(text) > kMaxEmailLength)
    problems.add("email", FieldCode::too_long, static_cast<int64_t>(kMaxEmailLength));
  else if (!is_valid_email(text))
    problems.add("email", FieldCode::invalid_email);
  else
    return email_identity(text);
  return std::nullopt;
}

Page read_page(const QueryParams& params, Problems& problems) {
  Page page;
  if (auto limit = read_int(params, "limit", 1, kMaxPageLimit, problems)) page.limit = *limit;
  if (auto offset = read_int(params, "offset", 0, kMaxOffset, problems)) page.offset = *offset;
  return page;
}

}  // namespace

const char* const kProviderNames[5] = {"api", "manual", "shopify", "stripe", "woocommerce"};

Result<ProductListQuery> parse_product_list_query(const QueryParams& params) {
  Problems problems;
  ProductListQuery query;
  reject_unknown_params(params, {"limit", "offset", "search", "provider"}, problems);
  query.page = read_page(params, problems);
  if (const std::string* search = find_param(params, "search")) {
    const std::string_view text = trim(*search);
    if (is_text(text, "search", problems) && check_text(text, kTitleRule, "search", problems) &&
        !text.empty()) {
      query.search = std::string(text);
    }
  }
  if (const std::string* provider = find_param(params, "provider")) {
    const std::string_view name = trim(*provider);
    for (const char* known : kProviderNames)
      if (name == known) query.provider = std::string(name);
    if (!query.provider) {
      std::string names;
      for (const char* known : kProviderNames) names += (names.empty() ? "" : ", ") + std::string(known);
      problems.add("provider", FieldCode::invalid_value, std::nullopt, names);
    }
  }
  if (!problems.empty()) return validation_error(problems);
  return query;
}

Result<RequestListQuery> parse_request_list_query(const QueryParams& params) {
  Problems problems;
  RequestListQuery query;
  reject_unknown_params(params, {"limit", "offset", "productId", "variantId", "status", "email", "format"},
                        problems);
  query.page = read_page(params, problems);
  query.product_id = read_id(params, "productId", problems);
  query.variant_id = read_id(params, "variantId", problems);
  if (const std::string* status = find_param(params, "status")) {
    query.status = parse_request_status(trim(*status));
    if (!query.status)
      problems.add("status", FieldCode::invalid_value, std::nullopt,
                   "pending, waiting, notified, cancelled, expired, purchased");
  }
  query.email = read_email(params, problems);
  if (!problems.empty()) return validation_error(problems);
  return query;
}

Result<EventListQuery> parse_event_list_query(const QueryParams& params) {
  Problems problems;
  EventListQuery query;
  reject_unknown_params(params, {"limit", "type", "after"}, problems);
  if (auto limit = read_int(params, "limit", 1, kMaxEventLimit, problems)) query.limit = *limit;
  if (const std::string* type = find_param(params, "type")) {
    query.type = parse_event_type(trim(*type));
    if (!query.type)
      problems.add("type", FieldCode::invalid_value, std::nullopt, event_type_names());
  }
  if (const std::string* after = find_param(params, "after")) {
    const std::string_view text = trim(*after);
    if (!text.empty()) query.after = std::string(text);
  }
  if (!problems.empty()) return validation_error(problems);
  return query;
}

Result<WebhookListQuery> parse_webhook_list_query(const QueryParams& params) {
  Problems problems;
  reject_unknown_params(params, {}, problems);
  if (!problems.empty()) return validation_error(problems);
  return WebhookListQuery{};
}

Result<AvailabilityQuery> parse_availability_query(const QueryParams& params) {
  Problems problems;
  AvailabilityQuery query;
  std::optional<std::string> product_id = read_id(params, "productId", problems);
  std::optional<std::string> variant_id = read_id(params, "variantId", problems);
  if (!product_id && find_param(params, "productId") == nullptr)
    problems.add("productId", FieldCode::required);
  if (!problems.empty()) return validation_error(problems);
  query.product_id = std::move(*product_id);
  query.variant_id = variant_id ? std::move(*variant_id) : query.product_id;
  return query;
}

Result<DeliveryListQuery> parse_delivery_list_query(const QueryParams& params) {
  Problems problems;
  DeliveryListQuery query;
  reject_unknown_params(params, {"limit", "offset", "status"}, problems);
  query.page = read_page(params, problems);
  if (const std::string* status = find_param(params, "status")) {
    const std::string_view name = trim(*status);
    for (DeliveryStatus s : {DeliveryStatus::pending, DeliveryStatus::delivered, DeliveryStatus::failed})
      if (name == delivery_status_name(s)) query.status = s;
    if (!query.status)
      problems.add("status", FieldCode::invalid_value, std::nullopt, "pending, delivered, failed");
  }
  if (!problems.empty()) return validation_error(problems);
  return query;
}

Result<ConversionStatsQuery> parse_conversion_stats_query(const QueryParams& params) {
  Problems problems;
  ConversionStatsQuery query;
  reject_unknown_params(params, {"days", "limit"}, problems);
  if (auto days = read_int(params, "days", 1, kMaxStatsDays, problems)) query.days = *days;
  if (auto limit = read_int(params, "limit", 1, kMaxPageLimit, problems)) query.limit = *limit;
  if (!problems.empty()) return validation_error(problems);
  return query;
}

Result<MessageListQuery> parse_message_list_query(const QueryParams& params) {
  Problems problems;
  MessageListQuery query;
  reject_unknown_params(params, {"limit", "offset", "status", "email", "template"}, problems);
  query.page = read_page(params, problems);
  if (const std::string* status = find_param(params, "status")) {
    query.status = parse_message_status(trim(*status));
    if (!query.status)
      problems.add("status", FieldCode::invalid_value, std::nullopt,
                   "queued, sent, failed, suppressed");
  }
  query.email = read_email(params, problems);
  if (const std::string* kind = find_param(params, "template")) {
    query.kind = parse_mail_kind(trim(*kind));
    if (!query.kind)
      problems.add("template", FieldCode::invalid_value, std::nullopt,
                   "back_in_stock, confirm_request");
  }
  if (!problems.empty()) return validation_error(problems);
  return query;
}

Result<IntegrationListQuery> parse_integration_list_query(const QueryParams& params) {
  Problems problems;
  reject_unknown_params(params, {"includeInactive"}, problems);
  if (const std::string* value = find_param(params, "includeInactive")) {
    const std::string_view text = trim(*value);
    if (text != "true" && text != "false")
      problems.add("includeInactive", FieldCode::invalid_value, std::nullopt,
                   "true, false");
  }
  if (!problems.empty()) return validation_error(problems);
  return IntegrationListQuery{};
}

Result<ListFormat> parse_list_format(const QueryParams& params) {
  const std::string* raw = find_param(params, "format");
  if (raw == nullptr) return ListFormat::json;
  const std::string_view text = trim(*raw);
  if (text == "json") return ListFormat::json;
  if (text == "csv") return ListFormat::csv;
  Problems problems;
  problems.add("format", FieldCode::invalid_value, std::nullopt, "json, csv");
  return validation_error(problems);
}

Result<DemandQuery> parse_demand_query(const QueryParams& params) {
  Problems problems;
  DemandQuery query;
  reject_unknown_params(params, {"limit", "offset", "format"}, problems);
  query.page = read_page(params, problems);
  Result<ListFormat> format = parse_list_format(params);
  if (format.ok())
    query.format = format.value();
  else
    problems.add("format", FieldCode::invalid_value, std::nullopt, "json, csv");
  if (!problems.empty()) return validation_error(problems);
  return query;
}

Result<TimelineQuery> parse_timeline_query(const QueryParams& params) {
  Problems problems;
  TimelineQuery query;
  reject_unknown_params(params, {"days"}, problems);
  if (auto days = read_int(params, "days", 1, kMaxTimelineDays, problems)) query.days = *days;
  if (!problems.empty()) return validation_error(problems);
  return query;
}

Json pagination_json(size_t count, const Page& page, int64_t total) {
  Json out;
  out["count"] = count;
  out["hasMore"] = page.offset + static_cast<int64_t>(count) < total;
  out["limit"] = page.limit;
  out["offset"] = page.offset;
  out["total"] = total;
  return out;
}

}  // namespace stockbell
