#include "core/settings.hpp"

#include "core/fields.hpp"
#include "core/locale.hpp"
#include "core/text.hpp"

namespace stockbell {
namespace {

constexpr TextRule kStoreNameRule{kMaxStoreNameChars};

// `key` of the object at `reader` as an object to merge into, or nullptr when absent or null
// (`*reset` tells null apart). Wrong types are reported.
const Json* nested(ObjectReader& reader, std::string_view key, bool* reset) {
  const Json* value = reader.member(key);
  *reset = value != nullptr && value->is_null();
  if (value == nullptr || value->is_null()) return nullptr;
  if (!expect_object(*value, reader.field(key), reader.problems())) return nullptr;
  return value;
}

void read_mailbox(ObjectReader& reader, std::string_view key, std::optional<Mailbox>& target) {
  const Json* value = reader.member(key);
  if (value == nullptr) return;
  if (value->is_null()) {
    target.reset();
    return;
  }
  if (!value->is_string()) {
    reader.problems().add(reader.field(key), FieldCode::invalid_type, std::nullopt,
                          "a string or null");
    return;
  }
  if (trim(value->as_string()).empty()) {
    target.reset();
    return;
  }
  std::optional<Mailbox> mailbox = parse_mailbox(value->as_string());
  if (!mailbox) {
    reader.problems().add(reader.field(key), FieldCode::invalid_email);
    return;
  }
  target = std::move(*mailbox);
}

template <class T>
void apply(const Patch<T>& patch, T& target, const T& default_value) {
  if (patch.is_null()) target = default_value;
  if (patch.has_value()) target = patch.value;
}

void read_email(ObjectReader& parent, EmailSettings& email) {
  bool reset = false;
  const Json* value = nested(parent, "email", &reset);
  if (reset) email = EmailSettings{};
  if (value == nullptr) return;
  const EmailSettings defaults;
  ObjectReader reader(*value, parent.field("email"), parent.problems());
  apply(reader.patch_bool("enabled"), email.enabled, defaults.enabled);
  read_mailbox(reader, "from", email.from);
  read_mailbox(reader, "replyTo", email.reply_to);
  apply(reader.patch_bool("doubleOptIn"), email.double_opt_in, defaults.double_opt_in);
  const Patch<std::string> locale = reader.patch_text("defaultLocale", TextRule{kMaxLocaleChars});
  if (locale.has_value()) {
    if (std::optional<std::string> normal = normalize_locale(locale.value))
      email.default_locale = *normal;
    else
      reader.problems().add(reader.field("defaultLocale"), FieldCode::invalid_locale);
  } else if (locale.is_null()) {
    email.default_locale = defaults.default_locale;
  }
  reader.reject_unknown();
}

void read_release(ObjectReader& parent, ReleasePolicy& release) {
  bool reset = false;
  const Json* value = nested(parent, "release", &reset);
  if (reset) release = ReleasePolicy{};
  if (value == nullptr) return;
  const ReleasePolicy defaults;
  ObjectReader reader(*value, parent.field("release"), parent.problems());
  if (const Json* mode = reader.member("mode")) {
    if (mode->is_null())
      release.mode = defaults.mode;
    else if (mode->is_string() && mode->as_string() == "all")
      release.mode = ReleaseMode::all;
    else if (mode->is_string() && mode->as_string() == "proportional")
      release.mode = ReleaseMode::proportional;
    else if (!mode->is_string())
      reader.problems().add(reader.field("mode"), FieldCode::invalid_type, std::nullopt,
                            "a string or null");
    else
      reader.problems().add(reader.field("mode"), FieldCode::invalid_value, std::nullopt,
                            "all, proportional");
  }
  apply(reader.patch_integer("perUnit", 1, kMaxPerUnit), release.per_unit, defaults.per_unit);
  apply(reader.patch_integer("batchIntervalSeconds", kMinBatchIntervalSeconds,
                             kMaxBatchIntervalSeconds),
        release.batch_interval_seconds, defaults.batch_interval_seconds);
  reader.reject_unknown();
}

Json nullable_mailbox(const std::optional<Mailbox>& mailbox) {
  return mailbox ? Json(mailbox_text(*mailbox)) : Json(nullptr);
}

}  // namespace

bool is_time_zone_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxTimeZoneChars) return false;
  size_t part = 0;  // characters of the current part
  for (char c : name) {
    const bool word = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '+' || c == '-';
    if (c == '/') {
      if (part == 0) return false;
      part = 0;
    } else if (word) {
      ++part;
    } else {
      return false;
    }
  }
  return part > 0 && name.front() != '-' && name.front() != '+';
}

std::string_view release_mode_name(ReleaseMode mode) {
  return mode == ReleaseMode::proportional ? "proportional" : "all";
}

Result<StoreSettings> apply_settings_patch(const StoreSettings& current, std::string_view body,
                                           const ZoneExists& zone_exists) {
  Result<Json> document = parse_body(body);
  if (!document.ok()) return document.error();
  Problems problems;
  if (!expect_object(document.value(), "", problems)) return validation_error(problems);
  const StoreSettings defaults;
  StoreSettings next = current;
  ObjectReader reader(document.value(), "", problems);
  const Patch<std::string> name = reader.patch_text("storeName", kStoreNameRule);
  if (name.is_null()) next.store_name.reset();
  if (name.has_value()) next.store_name = name.value;
  read_email(reader, next.email);
  read_release(reader, next.release);
  apply(reader.patch_integer("requestTtlDays", 0, kMaxRequestTtlDays), next.request_ttl_days,
        defaults.request_ttl_days);
  apply(reader.patch_integer("attributionWindowDays", 0, kMaxAttributionWindowDays),
        next.attribution_window_days, defaults.attribution_window_days);
  const Patch<std::string> zone = reader.patch_text("timeZone", TextRule{kMaxTimeZoneChars});
  if (zone.is_null()) next.time_zone = defaults.time_zone;
  if (zone.has_value()) {
    if (is_time_zone_name(zone.value) && (!zone_exists || zone_exists(zone.value)))
      next.time_zone = zone.value;
    else
      problems.add(reader.field("timeZone"), FieldCode::invalid_time_zone);
  }
  reader.reject_unknown();
  if (!problems.empty()) return validation_error(problems);
  return next;
}

Json settings_json(const StoreSettings& s) {
  Json email;
  email["enabled"] = s.email.enabled;
  email["from"] = nullable_mailbox(s.email.from);
  email["replyTo"] = nullable_mailbox(s.email.reply_to);
  email["doubleOptIn"] = s.email.double_opt_in;
  email["defaultLocale"] = s.email.default_locale;
  Json release;
  release["mode"] = release_mode_name(s.release.mode);
  release["perUnit"] = s.release.per_unit;
  release["batchIntervalSeconds"] = s.release.batch_interval_seconds;
  Json out;
  out["storeName"] = s.store_name ? Json(*s.store_name) : Json(nullptr);
  out["email"] = std::move(email);
  out["release"] = std::move(release);
  out["requestTtlDays"] = s.request_ttl_days;
  out["attributionWindowDays"] = s.attribution_window_days;
  out["timeZone"] = s.time_zone;
  return out;
}

std::optional<StoreSettings> settings_from_storage(std::string_view text) {
  // What settings_json wrote is a valid PATCH onto the defaults.
  Result<StoreSettings> settings = apply_settings_patch(StoreSettings{}, text);
  if (!settings.ok()) return std::nullopt;
  return std::move(settings.value());
}

}  // namespace stockbell
