#pragma once
// Timestamps in the API: RFC 3339 in UTC with milliseconds, e.g. `2026-11-27T23:37:45.123Z`.
// Stored as Unix milliseconds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stockbell {

std::string format_timestamp(int64_t unix_ms);

/// An RFC 3339 date-time as Unix milliseconds: `2026-11-27T23:37:45.123Z`,
/// `2025-06-12T10:03:51-04:00` (a lower-case `t`/`z` or a space instead of `T` too). Digits of a
/// fraction past milliseconds are cut. With `assume_utc`, a time without an offset
/// (`2025-06-12T09:20:15`, as WooCommerce's `*_gmt` fields are written) is read as UTC; without
/// it, such a time is refused. Years 0000–9999; nullopt for anything else (`2025-02-30T...`).
std::optional<int64_t> parse_timestamp(std::string_view text, bool assume_utc = false);

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (day 0), e.g. 20419 → `2025-11-27`.
std::string format_date(int64_t day);

/// The day (from 1970-01-01, UTC) an instant falls on: floor(unix_ms / 86,400,000).
int64_t day_of(int64_t unix_ms);

}  // namespace stockbell
