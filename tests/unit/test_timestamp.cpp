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
