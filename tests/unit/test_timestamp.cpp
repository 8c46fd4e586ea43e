// core/timestamp: RFC 3339 UTC with milliseconds from Unix milliseconds.

#include <doctest/doctest.h>

#include "core/timestamp.hpp"

using stockbell::format_timestamp;

TEST_CASE("the epoch and ordinary instants") {
  CHECK(format_timestamp(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_timestamp(1) == "1970-01-01T00:00:00.001Z");
  CHECK(format_timestamp(1795822665123) == "2026-11-27T23:37:45.123Z");
}

TEST_CASE("leap days") {
  CHECK(format_timestamp(1709210096789) == "2024-02-29T12:34:56.789Z");
  CHECK(format_timestamp(1709251200000) == "2024-03-01T00:00:00.000Z");
  CHECK(format_timestamp(1709251200000 - 1) == "2024-02-29T23:59:59.999Z");
  CHECK(format_timestamp(951782400000) == "2000-02-29T00:00:00.000Z");  // divisible by 400
  // 2100 is not a leap year: 28 February is followed by 1 March.
  CHECK(format_timestamp(4107542399999) == "2100-02-28T23:59:59.999Z");
  CHECK(format_timestamp(4107542400000) == "2100-03-01T00:00:00.000Z");
}

TEST_CASE("instants before the epoch") {
  CHECK(format_timestamp(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_timestamp(-1000) == "1969-12-31T23:59:59.000Z");
  CHECK(format_timestamp(-1001) == "1969-12-31T23:59:58.999Z");
  CHECK(format_timestamp(-86400000) == "1969-12-31T00:00:00.000Z");
  CHECK(format_timestamp(-2208988800000) == "1900-01-01T00:00:00.000Z");
}

TEST_CASE("the last millisecond of year 9999") {
  CHECK(format_timestamp(253402300799999) == "9999-12-31T23:59:59.999Z");
}

using stockbell::day_of;
using stockbell::format_date;
using stockbell::parse_timestamp;

TEST_CASE("parse_timestamp: RFC 3339 with an offset, as platforms write it") {
  CHECK(parse_timestamp("2026-11-27T23:37:45.123Z") == 1795822665123);
  CHECK(parse_timestamp("2026-11-27T23:37:45Z") == 1795822665000);
  CHECK(parse_timestamp("2026-11-27t23:37:45.123z") == 1795822665123);
  // Shopify: local time with its offset.
  CHECK(parse_timestamp("2025-06-12T10:03:51-04:00") == parse_timestamp("2025-06-12T14:03:51Z"));
  CHECK(parse_timestamp("2025-06-14T20:31:05+09:00") == parse_timestamp("2025-06-14T11:31:05Z"));
  // Digits past milliseconds are cut, fewer are scaled.
  CHECK(parse_timestamp("2026-11-27T23:37:45.1239999Z") == 1795822665123);
  CHECK(parse_timestamp("2026-11-27T23:37:45.1Z") == 1795822665100);
  CHECK(parse_timestamp("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_timestamp("1969-12-31T23:59:59.999Z") == -1);
  // Every instant format_timestamp writes comes back.
  for (int64_t ms : {int64_t{0}, int64_t{1709210096789}, int64_t{253402300799999}, int64_t{-2208988800000}})
    CHECK(parse_timestamp(stockbell::format_timestamp(ms)) == ms);
}

TEST_CASE("parse_timestamp: WooCommerce's *_gmt times have no offset: UTC only when asked") {
  CHECK_FALSE(parse_timestamp("2025-06-12T09:20:15").has_value());
  CHECK(parse_timestamp("2025-06-12T09:20:15", true) == parse_timestamp("2025-06-12T09:20:15Z"));
}

TEST_CASE("parse_timestamp: refuses what is not a date and time") {
  for (const char* bad : {"", "yesterday", "2025-06-12", "2025-06-12T09:20", "2025-02-30T00:00:00Z",
                          "2025-02-29T00:00:00Z", "2025-13-01T00:00:00Z", "2025-06-12T24:00:00Z",
                          "2025-06-12T09:60:00Z", "2025-06-12T09:20:15+5", "2025-06-12T09:20:15.Z",
                          "2025-06-12T09:20:15Zjunk", " 2025-06-12T09:20:15Z", "2025/06/12T09:20:15Z",
                          "2025-06-12T09:20:15+24:00"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_timestamp(bad).has_value());
  }
  CHECK(parse_timestamp("2024-02-29T00:00:00Z").has_value());  // a leap day
}

TEST_CASE("days: format_date and day_of") {
  CHECK(format_date(0) == "1970-01-01");
  CHECK(format_date(-1) == "1969-12-31");
  CHECK(format_date(day_of(1795822665123)) == "2026-11-27");
  CHECK(day_of(86'399'999) == 0);
  CHECK(day_of(86'400'000) == 1);
  CHECK(day_of(-1) == -1);
}
