// server/app/time_zone: offsets and local days from the system's zone database (tzdata).

#include <doctest/doctest.h>

#include "server/app/time_zone.hpp"

using namespace stockbell::server;

namespace {
constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t k20260615T2230Z = 1'781'562'600'000;  // a summer evening
constexpr int64_t k20260115T1200Z = 1'768'478'400'000;  // a winter noon
}  // namespace

TEST_CASE("Berlin: +1 in winter, +2 in summer; days change at local midnight") {
  TimeZones zones;
  const auto berlin = zones.find("Europe/Berlin");
  REQUIRE(berlin.get() != nullptr);
  CHECK(berlin->offset_ms(k20260115T1200Z) == 1 * kHourMs);
  CHECK(berlin->offset_ms(k20260615T2230Z) == 2 * kHourMs);
  // 22:30Z on June 15 is 00:30 on June 16 in Berlin (day 20619 is 2026-06-15).
  CHECK(berlin->local_day(k20260615T2230Z) == 20619 + 1);
  CHECK(zones.find("UTC")->local_day(k20260615T2230Z) == 20619);
  CHECK(zones.find("America/New_York")->offset_ms(k20260615T2230Z) == -4 * kHourMs);
  CHECK(zones.find("Asia/Kathmandu")->offset_ms(k20260615T2230Z) == 5 * kHourMs + 45 * 60'000);
  // Before the 1970 epoch (negative instants) days still floor.
  CHECK(zones.find("UTC")->local_day(-1) == -1);
}

TEST_CASE("names that are no zone, or no file of the zone directory, are refused") {
  TimeZones zones;
  CHECK(zones.exists("UTC"));
  CHECK(zones.exists("Europe/Berlin"));
  for (const char* bad :
       {"Europe/Atlantis", "Europe", "../zoneinfo/UTC", "zone.tab", "", "/etc/passwd"})
    CHECK_MESSAGE(!zones.exists(bad), bad);
  CHECK(TimeZone::parse("not a tzif file").get() == nullptr);
  CHECK(TimeZone::parse("TZif2").get() == nullptr);
}
