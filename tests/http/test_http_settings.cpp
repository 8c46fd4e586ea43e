// GET and PATCH /api/v1/settings (README "Settings"): the store's settings, a merge PATCH applied
// whole or not at all, every problem by path, and settings that survive a restart.

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

HttpResponse patch_settings(const Api& api, const json& body) {
  return api.send("PATCH", "/api/v1/settings", body.dump(), {}, "application/json");
}

json settings_of(const Api& api) {
  const HttpResponse r = api.get("/api/v1/settings");
  REQUIRE_STATUS(r, 200);
  return r.json()["settings"];
}

}  // namespace

TEST_CASE("a new store has the default settings") {
  TestServer s;
  const json settings = settings_of(s.api());
  CHECK(settings == json::parse(R"({"storeName":null,"email":{"enabled":true,"from":null,
      "replyTo":null,"doubleOptIn":false,"defaultLocale":"en"},"release":{"mode":"all",
      "perUnit":1,"batchIntervalSeconds":900},"requestTtlDays":0,"attributionWindowDays":7,
      "timeZone":"UTC"})"));
}

TEST_CASE("a PATCH merges, answers the new settings, and they survive a restart") {
  TestServer s;
  const Api api = s.api();
  const HttpResponse r = patch_settings(
      api, {{"storeName", "Linen & Co"},
            {"email", {{"from", "Linen & Co <shop@linen.example>"}, {"defaultLocale", "de-ch"}}},
            {"release", {{"mode", "proportional"}, {"perUnit", 2}}}});
  REQUIRE_STATUS(r, 200);
  const json answered = r.json()["settings"];
  CHECK(answered["storeName"] == "Linen & Co");
  CHECK(answered["email"]["from"] == "Linen & Co <shop@linen.example>");
  CHECK(answered["email"]["defaultLocale"] == "de-CH");
  CHECK(answered["email"]["enabled"] == true);
  CHECK(answered["release"] == json{{"mode", "proportional"}, {"perUnit", 2},
                                    {"batchIntervalSeconds", 900}});
  REQUIRE_STATUS(patch_settings(api, {{"release", {{"batchIntervalSeconds", 60}}}}), 200);
  s.server.restart();
  const Api again = s.api();
  const json stored = settings_of(again);
  CHECK(stored["storeName"] == "Linen & Co");
  CHECK(stored["release"] == json{{"mode", "proportional"}, {"perUnit", 2},
                                  {"batchIntervalSeconds", 60}});
  // null puts a default back.
  REQUIRE_STATUS(patch_settings(again, {{"release", nullptr}, {"storeName", nullptr}}), 200);
  CHECK(settings_of(again)["release"]["mode"] == "all");
  CHECK(settings_of(again)["storeName"].is_null());
  CHECK(settings_of(again)["email"]["defaultLocale"] == "de-CH");
}

TEST_CASE("an invalid PATCH lists every problem by path and changes nothing") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(patch_settings(api, {{"storeName", "Before"}}), 200);
  const json before = settings_of(api);
  const HttpResponse r = patch_settings(
      api, {{"storeName", "After"},
            {"email", {{"from", "not an address"}, {"doubleOptIn", "yes"}}},
            {"release", {{"perUnit", 0}}},
            {"colour", "red"}});
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_fields(r.json()) == std::vector<std::string>{"email.from", "email.doubleOptIn",
                                                            "release.perUnit", "colour"});
  CHECK(detail_code(r.json(), "email.from") == "invalid_email");
  CHECK(detail_code(r.json(), "colour") == "unknown_field");
  CHECK(settings_of(api) == before);
  CHECK_ERROR(api.send("PATCH", "/api/v1/settings", "{", {}, "application/json"), 400,
              "invalid_json");
  CHECK_ERROR(api.send("PATCH", "/api/v1/settings", "{}", {}, "text/plain"), 415,
              "unsupported_media_type");
  CHECK_ERROR(api.send("PATCH", "/api/v1/settings",
                       json{{"storeName", std::string(20000, 'x')}}.dump(), {}, "application/json"),
              413, "payload_too_large");
}
