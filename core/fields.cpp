#include "core/fields.hpp"

#include <algorithm>

#include "core/currency.hpp"
#include "core/email.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"
#include "core/url.hpp"

namespace stockbell {

bool check_text(std::string_view text, const TextRule& rule, const std::string& path,
                Problems& problems) {
  if (has_control_chars(text, rule.allow_line_breaks)) {
    problems.add(path, FieldCode::control_character);
    return false;
  }
  if (rule.refuse_invisible && has_invisible_chars(text)) {
    problems.add(path, FieldCode::invisible_character);
    return false;
  }
  if (char_count(text) > rule.max_chars) {
    problems.add(path, FieldCode::too_long, static_cast<int64_t>(rule.max_chars));
    return false;
  }
  return true;
}

Result<Json> parse_body(std::string_view body) {
  JsonParseFailure failure;
  std::optional<Json> document = parse_json(body, failure);
  if (!document) return make_error(ApiCode::invalid_json, invalid_json_message(failure));
  return std::move(*document);
}

bool expect_object(const Json& value, const std::string& path, Problems& problems) {
  if (value.is_object()) return true;
  problems.add(path, FieldCode::invalid_type, std::nullopt, "an object");
  return false;
}

ObjectReader::ObjectReader(const Json& object, std::string path, Problems& problems)
    : object_(object), path_(std::move(path)), problems_(problems) {}

const Json* ObjectReader::member(std::string_view key) {
  known_.emplace_back(key);
  return object_.find(key);
}

std::optional<std::string> ObjectReader::required_text(std::string_view key,
                                                        const TextRule& rule) {
  const Json* value = member(key);
  const std::string path = field(key);
  if (value == nullptr || value->is_null()) {
    problems_.add(path, FieldCode::required);
    return std::nullopt;
  }
  if (!value->is_string()) {
    problems_.add(path, FieldCode::invalid_type, std::nullopt, "a string");
    return std::nullopt;
  }
  const std::string_view text = trim(value->as_string());
  if (text.empty()) {
    problems_.add(path, FieldCode::empty);
    return std::nullopt;
  }
  if (!check_text(text, rule, path, problems_)) return std::nullopt;
  return std::string(text);
}

Patch<std::string> ObjectReader::patch_text(std::string_view key, const TextRule& rule) {
  const Json* value = member(key);
  if (value == nullptr) return {};
  if (value->is_null()) return Patch<std::string>::null_patch();
  const std::string path = field(key);
  if (!value->is_string()) {
    problems_.add(path, FieldCode::invalid_type, std::nullopt, "a string or null");
    return {};
  }
  const std::string_view text = trim(value->as_string());
  if (text.empty()) return Patch<std::string>::null_patch();
  if (!check_text(text, rule, path, problems_)) return {};
  return Patch<std::string>::of(std::string(text));
}

std::optional<std::string> ObjectReader::optional_text(std::string_view key,
                                                        const TextRule& rule) {
  Patch<std::string> patch = patch_text(key, rule);
  if (!patch.has_value()) return std::nullopt;
  return std::move(patch.value);
}

Patch<std::string> ObjectReader::patch_url(std::string_view key) {
  Patch<std::string> patch = patch_text(key, TextRule{kMaxUrlChars});
  if (patch.has_value() && !is_valid_http_url(patch.value)) {
    problems_.add(field(key), FieldCode::invalid_url);
    return {};
  }
  return patch;
}

Patch<std::string> ObjectReader::patch_currency(std::string_view key) {
  const Json* value = member(key);
  if (value == nullptr) return {};
  if (value->is_null()) return Patch<std::string>::null_patch();
  if (!value->is_string()) {
    problems_.add(field(key), FieldCode::invalid_type, std::nullopt, "a string or null");
    return {};
  }
  std::string code(trim(value->as_string()));
  if (code.empty()) return Patch<std::string>::null_patch();
  for (char& c : code)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (!is_iso4217_currency(code)) {
    problems_.add(field(key), FieldCode::invalid_currency);
    return {};
  }
  return Patch<std::string>::of(std::move(code));
}

Patch<int64_t> ObjectReader::patch_timestamp(std::string_view key) {
  const Json* value = member(key);
  if (value == nullptr) return {};
  if (value->is_null()) return Patch<int64_t>::null_patch();
  if (!value->is_string()) {
    problems_.add(field(key), FieldCode::invalid_type, std::nullopt, "a string or null");
    return {};
  }
  const std::string_view text = trim(value->as_string());
  if (text.empty()) return Patch<int64_t>::null_patch();
  const std::optional<int64_t> ms = parse_timestamp(text);
  if (!ms) {
    problems_.add(field(key), FieldCode::invalid_timestamp);
    return {};
  }
  return Patch<int64_t>::of(*ms);
}

Patch<int64_t> ObjectReader::patch_integer(std::string_view key, int64_t min, int64_t max) {
  const Json* value = member(key);
  if (value == nullptr) return {};
  if (value->is_null()) return Patch<int64_t>::null_patch();
  const std::string path = field(key);
  const std::string range = std::to_string(min) + " and " + std::to_string(max);
  if (!value->is_number()) {
    problems_.add(path, FieldCode::invalid_type, std::nullopt, "a whole number or null");
    return {};
  }
  // The range first, exactly: -0.5 for a price is out_of_range, 12.5 is not_integer.
  if (value->compare(min) < 0 || value->compare(max) > 0) {
    problems_.add(path, FieldCode::out_of_range, std::nullopt, range);
    return {};
  }
  if (value->integrality() == Json::Integrality::fraction) {
    problems_.add(path, FieldCode::not_integer);
    return {};
  }
  return Patch<int64_t>::of(*value->as_integer());  // a whole number within int64 bounds
}

Patch<bool> ObjectReader::patch_bool(std::string_view key) {
  const Json* value = member(key);
  if (value == nullptr) return {};
  if (value->is_null()) return Patch<bool>::null_patch();
  if (!value->is_bool()) {
    problems_.add(field(key), FieldCode::invalid_type, std::nullopt, "a boolean or null");
    return {};
  }
  return Patch<bool>::of(value->as_bool());
}

std::optional<std::string> ObjectReader::required_email(std::string_view key) {
  const Json* value = member(key);
  const std::string path = field(key);
  if (value == nullptr || value->is_null()) {
    problems_.add(path, FieldCode::required);
    return std::nullopt;
  }
  if (!value->is_string()) {
    problems_.add(path, FieldCode::invalid_type, std::nullopt, "a string");
    return std::nullopt;
  }
  const std::string_view email = trim(value->as_string());
  if (email.empty()) {
    problems_.add(path, FieldCode::required);
    return std::nullopt;
  }
  if (char_count(email) > kMaxEmailLength) {
    problems_.add(path, FieldCode::too_long, static_cast<int64_t>(kMaxEmailLength));
    return std::nullopt;
  }
  if (!is_valid_email(email)) {
    problems_.add(path, FieldCode::invalid_email);
    return std::nullopt;
  }
  return email_identity(email);
}

void ObjectReader::reject_unknown() {
  // In key order (byte order), whatever the document's order: `"zeta","Alpha","beta"` are
  // listed Alpha, beta, zeta (tests/vectors "unknown fields are listed in key order").
  std::vector<const std::string*> unknown;
  for (const auto& member : object_.members()) {
    if (std::find(known_.begin(), known_.end(), member.first) == known_.end())
      unknown.push_back(&member.first);
  }
  std::sort(unknown.begin(), unknown.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  for (const std::string* key : unknown) problems_.add(field(*key), FieldCode::unknown_field);
}

}  // namespace stockbell
