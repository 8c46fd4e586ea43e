#include "server/ops/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/json.hpp"
#include "server/http/log.hpp"

namespace stockbell::server {
namespace {

std::atomic<LogFormat> g_format{LogFormat::text};

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool local_char(char c) {
  return word_char(c) || c == '.' || c == '+' || c == '%';
}

// A token: at least two of digits, lower-case and upper-case letters (a random base62 or base64
// word of 24+ characters always has), unlike a long identifier like STOCKBELL_ENABLE_TEST_CLOCK.
bool looks_random(const std::string& word) {
  bool digit = false, lower = false, upper = false;
  for (char c : word) {
    digit = digit || (c >= '0' && c <= '9');
    lower = lower || (c >= 'a' && c <= 'z');
    upper = upper || (c >= 'A' && c <= 'Z');
  }
  return int(digit) + int(lower) + int(upper) >= 2;
}

// The time as RFC 3339 UTC with milliseconds.
std::string now_text() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buffer;
}

// Our own request ids (checked or made by request_scope.cpp) would look like tokens.
bool verbatim(const LogField& f) {
  return std::string(f.key) == "requestId";
}

}  // namespace

void set_log_format(LogFormat format) {
  g_format = format;
}
LogFormat log_format() {
  return g_format;
}

std::string scrub(const std::string& text) {
  std::string out = text;
  // Keys (`sk_`, `pk_`), webhook secrets (`whsec_`) and session or link tokens: a long word.
  for (size_t i = 0; i < out.size();) {
    if (!word_char(out[i]) || (i > 0 && word_char(out[i - 1]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < out.size() && word_char(out[end])) ++end;
    const std::string word = out.substr(i, end - i);
    const bool key = word.rfind("sk_", 0) == 0 || word.rfind("pk_", 0) == 0 ||
                     word.rfind("whsec_", 0) == 0 || word.rfind("sbl_", 0) == 0 ||
                     word.rfind("sbs_", 0) == 0;
    if ((key && word.size() > 8) || (word.size() >= 24 && looks_random(word))) {
      const size_t keep = key ? word.find('_') + 1 : 4;
      out.replace(i + keep, word.size() - keep, "***");
      end = i + keep + 3;
    }
    i = end;
  }
  // E-mail addresses: the local part's first character stays.
  for (size_t at = out.find('@'); at != std::string::npos; at = out.find('@', at + 1)) {
    size_t begin = at;
    while (begin > 0 && local_char(out[begin - 1])) --begin;
    if (begin == at || at + 1 >= out.size() || !word_char(out[at + 1])) continue;
    if (at - begin > 1) {
      out.replace(begin + 1, at - begin - 1, "***");
      at = begin + 4;
    }
  }
  return out;
}

std::string masked_secret(const std::string& value) {
  if (value.empty()) return "none";
  return "set (" + std::to_string(value.size()) + " characters)";
}

void log_line(const char* level, const std::string& message,
              std::initializer_list<LogField> fields) {
  log_line(level, message, std::vector<LogField>(fields));
}

void log_line(const char* level, const std::string& message, const std::vector<LogField>& fields) {
  std::string line;
  if (g_format == LogFormat::json) {
    Json out;
    out["time"] = now_text();
    out["level"] = level;
    out["msg"] = scrub(message);
    for (const LogField& f : fields) {
      if (f.number)
        out[f.key] = Json::number_from_text(f.text);
      else
        out[f.key] = verbatim(f) ? f.text : scrub(f.text);
    }
    line = dump(out);
  } else {
    line = "stockbell: " + scrub(printable(message));
    for (const LogField& f : fields)
      line += std::string(" ") + f.key + "=" + (verbatim(f) ? f.text : scrub(printable(f.text)));
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);  // one write: lines of threads don't mix
}

}  // namespace stockbell::server
