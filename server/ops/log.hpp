#pragma once
// The server's log (stderr): one line per event, as text (`stockbell: message key=value ...`)
// or, with `--log-format json`, one JSON object per line:
//   {"time":"2026-12-01T05:40:00.123Z","level":"info","msg":"request","requestId":"…",
//    "method":"GET","route":"/api/v1/products/{}","status":200,"durationMs":"1.234",
//    "store":"shop"}
// Every line goes through one scrubber: anything shaped like an API key, a webhook secret, a
// session or link token (a word of 24+ characters mixing digits and letters of both cases) is
// cut to its first characters, and an e-mail address keeps only its first letter
// and its domain (`a***@example.com`). So a message that quotes an SMTP server's reply, or a
// path, can't put personal data or a secret into the log in full.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace stockbell::server {

enum class LogFormat { text, json };

/// Process-wide; set once at start, before any thread logs.
void set_log_format(LogFormat format);
LogFormat log_format();

struct LogField {
  LogField(const char* name, std::string value) : key(name), text(std::move(value)) {}
  LogField(const char* name, const char* value) : key(name), text(value) {}
  LogField(const char* name, int64_t value)
      : key(name), text(std::to_string(value)), number(true) {}
  LogField(const char* name, int value) : key(name), text(std::to_string(value)), number(true) {}
  /// A number that is not an integer, from its text (`"1.234"`).
  static LogField decimal(const char* name, std::string value) {
    LogField f(name, std::move(value));
    f.number = true;
    return f;
  }
  const char* key;
  std::string text;
  bool number = false;
};

/// Writes one line: `level` is info, warn or error.
void log_line(const char* level, const std::string& message,
              std::initializer_list<LogField> fields = {});

void log_line(const char* level, const std::string& message, const std::vector<LogField>& fields);

/// `text` with secrets and e-mail addresses masked (see above).
std::string scrub(const std::string& text);
/// `value` for a configuration print-out: `none` when empty, else `set (N characters)`.
std::string masked_secret(const std::string& value);

}  // namespace stockbell::server
