#pragma once
// Timestamps in the API: RFC 3339 in UTC with milliseconds, e.g. `2026-11-27T23:37:45.123Z`.
// Stored as Unix milliseconds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stockbell {

std::string format_timestamp(int64_t unix_ms);

/// An ISO 8601 date and time as RFC 3339 profiles it, read as Unix milliseconds:
/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`, years 0000–9999, `T`/`Z` in either case.
/// Fractions beyond milliseconds are cut off (`.1239` is 123 ms); the offset is applied
/// (`2026-01-02T03:04:05+01:00` is `2026-01-02T02:04:05.000Z`). Calendar dates are checked
/// (`2026-02-29` is not one); a leap second `:60`, a missing zone, a date alone and week or
/// ordinal dates are refused: nullopt.
std::optional<int64_t> parse_timestamp(std::string_view text);

}  // namespace stockbell
