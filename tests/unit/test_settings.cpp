// core/settings: the store settings, their merge PATCH, and how they are stored.

#include <doctest/doctest.h>

#include "core/settings.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::problem_list;
using stockbell::test::value_of;

TEST_CASE("the defaults, as the API shows them") {
  CHECK(dump(settings_json(StoreSettings{})) ==
        R"({"storeName":null,"email":{"enabled":true,"from":null,"replyTo":null,)"
        R"("doubleOptIn":false,"defaultLocale":"en"},"release":{"mode":"all","perUnit":1,)"
        R"("batchIntervalSeconds":900},"requestTtlDays":0,"attributionWindowDays":7,"timeZone":"UTC"})");
}

TEST_CASE("a PATCH merges: omitted members keep their value, nested objects merge") {
  StoreSettings s = value_of(apply_settings_patch(
      StoreSettings{}, R"({"storeName":" Linen & Co ","email":{"from":"Linen & Co <shop@linen.example>",
      "doubleOptIn":true,"defaultLocale":"DE-ch"},"release":{"mode":"proportional","perUnit":2}})"));
  CHECK(*s.store_name == "Linen & Co");
  CHECK(s.email.from->display_name == "Linen & Co");
  CHECK(s.email.from->address == "shop@linen.example");
  CHECK(s.email.double_opt_in);
  CHECK(s.email.enabled);  // kept
  CHECK(s.email.default_locale == "de-CH");
  CHECK(s.release.mode == ReleaseMode::proportional);
  CHECK(s.release.per_unit == 2);
  CHECK(s.release.batch_interval_seconds == 900);  // kept

  s = value_of(apply_settings_patch(s, R"({"release":{"batchIntervalSeconds":60},"requestTtlDays":30})"));
  CHECK(s.release.mode == ReleaseMode::proportional);
  CHECK(s.release.per_unit == 2);
  CHECK(s.release.batch_interval_seconds == 60);
  CHECK(s.request_ttl_days == 30);
  CHECK(s.email.double_opt_in);
}

TEST_CASE("null puts the default back, for a member or a whole object") {
  StoreSettings s = value_of(apply_settings_patch(
      StoreSettings{}, R"({"storeName":"X","email":{"from":"a@b.example","doubleOptIn":true},
      "release":{"mode":"proportional","perUnit":5},"attributionWindowDays":30})"));
  StoreSettings back = value_of(apply_settings_patch(
      s, R"({"storeName":null,"email":{"from":null},"release":null,"attributionWindowDays":null})"));
  CHECK_FALSE(back.store_name.has_value());
  CHECK_FALSE(back.email.from.has_value());
  CHECK(back.email.double_opt_in);  // not named: kept
  CHECK(back.release == ReleasePolicy{});
  CHECK(back.attribution_window_days == 7);
}

TEST_CASE("every problem, by path, and nothing applied") {
  const auto r = apply_settings_patch(
      StoreSettings{}, R"({"storeName":5,"email":{"from":"not an address","replyTo":"A <b@c",
      "enabled":"yes","defaultLocale":"english","colour":"red"},"release":{"mode":"some",
      "perUnit":0,"batchIntervalSeconds":86401},"requestTtlDays":-1,"attributionWindowDays":1.5,
      "theme":"dark"})");
  CHECK(problem_list(r) ==
        "storeName:invalid_type, email.enabled:invalid_type, email.from:invalid_email, "
        "email.replyTo:invalid_email, email.defaultLocale:invalid_locale, "
        "email.colour:unknown_field, release.mode:invalid_value, release.perUnit:out_of_range, "
        "release.batchIntervalSeconds:out_of_range, requestTtlDays:out_of_range, "
        "attributionWindowDays:not_integer, theme:unknown_field");
  CHECK(problem_list(apply_settings_patch(StoreSettings{}, R"({"email":[]})")) ==
        "email:invalid_type");
  CHECK(problem_list(apply_settings_patch(StoreSettings{}, "[]")) == ":invalid_type");
  CHECK(apply_settings_patch(StoreSettings{}, "{").error().code == ApiCode::invalid_json);
}

TEST_CASE("a sender's display name can't carry a header: control characters are refused") {
  CHECK(problem_list(apply_settings_patch(
            StoreSettings{}, "{\"email\":{\"from\":\"Shop\\r\\nBcc: x@evil.example <s@shop.example>\"}}")) ==
        "email.from:invalid_email");
  CHECK(problem_list(apply_settings_patch(
            StoreSettings{}, R"({"email":{"from":"\"Shop, Inc.\" <s@shop.example>"}})")) == "ok");
}

TEST_CASE("stored settings read back as they were; older rows get new defaults") {
  const StoreSettings s = value_of(apply_settings_patch(
      StoreSettings{}, R"({"storeName":"Ü-Shop","email":{"replyTo":"help@shop.example",
      "enabled":false},"release":{"mode":"proportional"},"requestTtlDays":90})"));
  CHECK(settings_from_storage(dump(settings_json(s))) == s);
  CHECK(settings_from_storage(R"({"storeName":"Old"})")->attribution_window_days == 7);
  CHECK_FALSE(settings_from_storage("{\"theme\":1}").has_value());
  CHECK_FALSE(settings_from_storage("").has_value());
}

TEST_CASE("timeZone: an IANA name, checked by the host's zone database when one is given") {
  const ZoneExists known = [](std::string_view name) {
    return name == "Europe/Berlin" || name == "America/Argentina/Buenos_Aires";
  };
  CHECK(value_of(apply_settings_patch(StoreSettings{}, R"({"timeZone":"Europe/Berlin"})", known))
            .time_zone == "Europe/Berlin");
  CHECK(value_of(apply_settings_patch(StoreSettings{},
                                      R"({"timeZone":"America/Argentina/Buenos_Aires"})", known))
            .time_zone == "America/Argentina/Buenos_Aires");
  StoreSettings berlin;
  berlin.time_zone = "Europe/Berlin";
  CHECK(value_of(apply_settings_patch(berlin, R"({"timeZone":null})")).time_zone == "UTC");
  CHECK(problem_list(apply_settings_patch(StoreSettings{}, R"({"timeZone":"Europe/Atlantis"})",
                                          known)) == "timeZone:invalid_time_zone");
  for (const char* bad : {"../../etc/passwd", "/UTC", "Europe//Berlin", "Europe/", "UTC ", "-05"})
    CHECK_MESSAGE(!is_time_zone_name(bad), bad);
  for (const char* good : {"UTC", "Etc/GMT+5", "America/Port-au-Prince", "Europe/Berlin"})
    CHECK_MESSAGE(is_time_zone_name(good), good);
  CHECK(problem_list(apply_settings_patch(StoreSettings{}, R"({"timeZone":"../etc/passwd"})")) ==
        "timeZone:invalid_time_zone");
  CHECK(settings_from_storage(dump(settings_json(berlin)))->time_zone == "Europe/Berlin");
}
