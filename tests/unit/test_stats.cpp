// core/stats: the conversion figures' JSON (golden).

#include <doctest/doctest.h>

#include "core/stats.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;

TEST_CASE("conversion figures (golden)") {
  ConversionStats s;
  s.days = 30;
  s.from = 1795822665123 - 30LL * 86'400'000;
  s.to = 1795822665123;
  s.notified = 12;
  s.purchased_while_waiting = 2;
  s.totals = {{"EUR", 1, 2600}, {"USD", 3, 26700}};
  s.products = {{"SWEATER", "USD", 2, 17800}, {"TOTE", "USD", 1, 8900}, {"510", "EUR", 1, 2600}};
  s.timeline = {{20783, "USD", 1, 8900}, {20784, "EUR", 1, 2600}, {20784, "USD", 2, 17800}};
  const std::string json = conversion_stats_response_json(s);
  stockbell::test::check_golden("conversion_stats.json", json);
  CHECK(json.find(R"("date":"2026-11-27")") != std::string::npos);
}

TEST_CASE("no conversions: empty lists, zeros") {
  ConversionStats s;
  s.days = 1;
  CHECK(conversion_stats_response_json(s) ==
        R"({"success":true,"stats":{"days":1,"from":"1970-01-01T00:00:00.000Z",)"
        R"("to":"1970-01-01T00:00:00.000Z","notified":0,"purchasedWhileWaiting":0,"totals":[],)"
        R"("products":[],"timeline":[]}})");
}
