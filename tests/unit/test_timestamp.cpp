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

TEST_CASE("parse: RFC 3339 date-times, to Unix milliseconds") {
  using stockbell::parse_timestamp;
  CHECK(parse_timestamp("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_timestamp("2026-11-27T23:37:45.123Z") == 1795822665123);
  CHECK(parse_timestamp("2026-11-27t23:37:45.123z") == 1795822665123);
  CHECK(parse_timestamp("2024-02-29T12:34:56.789Z") == 1709210096789);
  CHECK(parse_timestamp("1969-12-31T23:59:59.999Z") == -1);
  CHECK(parse_timestamp("9999-12-31T23:59:59.999Z") == 253402300799999);
  CHECK(parse_timestamp("0000-01-01T00:00:00Z") == -62167219200000);
  // Fractions: one to any number of digits, cut off at milliseconds.
  CHECK(parse_timestamp("1970-01-01T00:00:00.5Z") == 500);
  CHECK(parse_timestamp("1970-01-01T00:00:00.12Z") == 120);
  CHECK(parse_timestamp("1970-01-01T00:00:00.123999999Z") == 123);
  // Offsets are applied.
  CHECK(parse_timestamp("2026-01-02T03:04:05+01:00") == *parse_timestamp("2026-01-02T02:04:05Z"));
  CHECK(parse_timestamp("2026-01-02T03:04:05-05:30") == *parse_timestamp("2026-01-02T08:34:05Z"));
  CHECK(parse_timestamp("2026-01-02T03:04:05+00:00") == *parse_timestamp("2026-01-02T03:04:05Z"));
}

TEST_CASE("parse then format: the canonical UTC form") {
  using stockbell::format_timestamp;
  using stockbell::parse_timestamp;
  for (const char* text : {"2026-11-30T12:00:00.000Z", "2000-02-29T00:00:00.000Z",
                           "1900-01-01T00:00:00.000Z", "2100-02-28T23:59:59.999Z"})
    CHECK(format_timestamp(*parse_timestamp(text)) == text);
  CHECK(format_timestamp(*parse_timestamp("2026-01-02T03:04:05+01:00")) ==
        "2026-01-02T02:04:05.000Z");
}

TEST_CASE("parse: what is not an ISO 8601 date and time") {
  using stockbell::parse_timestamp;
  for (const char* text :
       {"", "yesterday", "2026-01-02", "2026-01-02T03:04:05", "2026-01-02T03:04Z",
        "2026-1-02T03:04:05Z", "26-01-02T03:04:05Z", "2026-01-02T03:04:05.Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-00T00:00:00Z",
        "2026-01-02T24:00:00Z", "2026-01-02T23:60:00Z",
        "2026-01-02T03:04:05+1:00", "2026-01-02T03:04:05+0100", "2026-01-02T03:04:05+24:00",
        "2026-01-02T03:04:05+01:60", "2026-01-02T03:04:05ZZ", "2026-01-02T03:04:05Z ",
        " 2026-01-02T03:04:05Z", "2026-W01-1T00:00:00Z", "2026-002T00:00:00Z",
        "+12026-01-02T03:04:05Z", "-2026-01-02T03:04:05Z", "2026-01-02T03:04:05UTC",
        "1767323045", "２０２６-01-02T03:04:05Z"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_timestamp(text).has_value());
  }
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
