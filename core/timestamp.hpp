#pragma once
// Timestamps in the API: RFC 3339 in UTC with milliseconds, e.g. `2026-11-27T23:37:45.123Z`.
// Stored as Unix milliseconds.

#include <cstdint>
#include <string>

namespace stockbell {

std::string format_timestamp(int64_t unix_ms);

}  // namespace stockbell
