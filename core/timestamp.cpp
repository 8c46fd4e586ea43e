#include "core/timestamp.hpp"

#include <cstdio>

namespace stockbell {
namespace {

constexpr int64_t kDayMs = 86'400'000;

struct Civil {
  int64_t year, month, day;
};

// Civil date from days since 1970-01-01 and back (H. Hinnant's algorithms).
Civil civil_from_days(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

int64_t days_from_civil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t days_in_month(int64_t year, int64_t month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// `count` digits at text[at...] as a number, or -1.
int64_t digits(std::string_view text, size_t at, size_t count) {
  if (at + count > text.size()) return -1;
  int64_t value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::string format_timestamp(int64_t unix_ms) {
  int64_t seconds = unix_ms / 1000;
  int64_t millis = unix_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  const Civil c = civil_from_days(days);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(c.year), static_cast<long long>(c.month),
                static_cast<long long>(c.day), static_cast<long long>(rem / 3600),
                static_cast<long long>(rem % 3600 / 60), static_cast<long long>(rem % 60),
                static_cast<long long>(millis));
  return buffer;
}

std::optional<int64_t> parse_timestamp(std::string_view text, bool assume_utc) {
  // YYYY-MM-DDTHH:MM:SS
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[13] != ':' ||
      text[16] != ':')
    return std::nullopt;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  const int64_t year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  const int64_t hour = digits(text, 11, 2), minute = digits(text, 14, 2);
  const int64_t second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60)  // 60: a leap second, read as the next instant
    return std::nullopt;
  if (day > days_in_month(year, month)) return std::nullopt;
  size_t at = 19;
  int64_t millis = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    const size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (at - start < 3) millis = millis * 10 + (text[at] - '0');
      ++at;
    }
    if (at == start) return std::nullopt;
    for (size_t n = at - start; n < 3; ++n) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (at == text.size()) {
    if (!assume_utc) return std::nullopt;
  } else if (text[at] == 'Z' || text[at] == 'z') {
    if (++at != text.size()) return std::nullopt;
  } else if (text[at] == '+' || text[at] == '-') {
    const int64_t oh = digits(text, at + 1, 2), om = digits(text, at + 4, 2);
    if (at + 6 != text.size() || text[at + 3] != ':' || oh < 0 || oh > 23 || om < 0 || om > 59)
      return std::nullopt;
    offset_minutes = (oh * 60 + om) * (text[at] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  const int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                          second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::string format_date(int64_t day) {
  const Civil c = civil_from_days(day);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lld", static_cast<long long>(c.year),
                static_cast<long long>(c.month), static_cast<long long>(c.day));
  return buffer;
}

int64_t day_of(int64_t unix_ms) {
  return unix_ms >= 0 ? unix_ms / kDayMs : -((-unix_ms + kDayMs - 1) / kDayMs);
}

}  // namespace stockbell
