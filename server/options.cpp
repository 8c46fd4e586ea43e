#include "server/options.hpp"

namespace stockbell::server {
namespace {

using K = ServeOption::Kind;

std::optional<bool> parse_bool(const std::string& text) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off" || text.empty()) return false;
  return std::nullopt;
}

ServeOption text(const char* flag, const char* env, const char* value_name, const char* help,
                 std::string& (*field)(ServeConfig&), const char* default_text = nullptr) {
  ServeOption o{flag, env, value_name, help, K::text};
  o.text = field;
  o.default_text = default_text;
  return o;
}

ServeOption number(const char* flag, const char* env, const char* value_name, const char* help,
                   int64_t& (*field)(ServeConfig&), int64_t min, int64_t max) {
  ServeOption o{flag, env, value_name, help, K::number};
  o.number = field;
  o.min = min;
  o.max = max;
  return o;
}

ServeOption boolean(const char* flag, const char* env, const char* help,
                    bool& (*field)(ServeConfig&)) {
  ServeOption o{flag, env, "", help, K::boolean};
  o.boolean = field;
  return o;
}

constexpr int64_t kDayMs = 86'400'000;

std::vector<ServeOption> make_options() {
  using C = ServeConfig;
  return {
      text("--host", "STOCKBELL_HOST", "ADDR", "address to listen on",
           [](C& c) -> std::string& { return c.host; }),
      number("--port", "STOCKBELL_PORT", "PORT", "port to listen on; 0 picks a free one (printed)",
             [](C& c) -> int64_t& { return c.port; }, 0, 65535),
      text("--db", "STOCKBELL_DB", "PATH|URL",
           "the SQLite database file, or a postgres:// URL (created and migrated at start)",
           [](C& c) -> std::string& { return c.db; }),
      number("--db-pool", "STOCKBELL_DB_POOL", "N",
             "PostgreSQL: connections at most (0: --threads + --smtp-connections + 4)",
             [](C& c) -> int64_t& { return c.db_pool; }, 0, 10'000),
      number("--db-statement-timeout-ms", "STOCKBELL_DB_STATEMENT_TIMEOUT_MS", "MS",
             "PostgreSQL: a statement running longer is cancelled (the request fails)",
             [](C& c) -> int64_t& { return c.db_statement_timeout_ms; }, 100, 3'600'000),
      text("--web-root", "STOCKBELL_WEB_ROOT", "DIR",
           "the widget and demo files served under /widget/ and /",
           [](C& c) -> std::string& { return c.web_root; }, "build-wasm/web of the build"),
      boolean("--demo", "STOCKBELL_DEMO", "seed the demo store and serve the demo storefront at /",
              [](C& c) -> bool& { return c.demo; }),
      number("--threads", "STOCKBELL_THREADS", "N",
             "HTTP worker threads: complete requests handled at once",
             [](C& c) -> int64_t& { return c.threads; }, 1, 1024),
      number("--max-connections", "STOCKBELL_MAX_CONNECTIONS", "N",
             "open connections in all; idle ones are closed first to make room",
             [](C& c) -> int64_t& { return c.max_connections; }, 16, 1'000'000),
      number("--max-connections-per-client", "STOCKBELL_MAX_CONNECTIONS_PER_CLIENT", "N",
             "open connections per client address (IPv6: per /64; trusted proxies exempt; 0: off)",
             [](C& c) -> int64_t& { return c.max_connections_per_client; }, 0, 1'000'000),
      number("--listen-backlog", "STOCKBELL_LISTEN_BACKLOG", "N",
             "connections the kernel queues before they are accepted",
             [](C& c) -> int64_t& { return c.listen_backlog; }, 16, 65535),
      boolean("--log-requests", "STOCKBELL_LOG_REQUESTS",
              "one line per request (method, path, status, duration, request id; never keys or "
              "queries)",
              [](C& c) -> bool& { return c.log_requests; }),
      number("--head-timeout-ms", "STOCKBELL_HEAD_TIMEOUT_MS", "MS",
             "time for a request's head to arrive once begun (408)",
             [](C& c) -> int64_t& { return c.head_timeout_ms; }, 100, 600'000),
      number("--body-timeout-ms", "STOCKBELL_BODY_TIMEOUT_MS", "MS",
             "time for a request's body to arrive after its head (408)",
             [](C& c) -> int64_t& { return c.body_timeout_ms; }, 100, 600'000),
      number("--rate-ip-per-minute", "STOCKBELL_RATE_IP_PER_MINUTE", "N",
             "storefront requests per client address and store (0: off)",
             [](C& c) -> int64_t& { return c.rate_ip_per_minute; }, 0, 1'000'000),
      number("--rate-ip-burst", "STOCKBELL_RATE_IP_BURST", "N",
             "burst of the per-address storefront limit",
             [](C& c) -> int64_t& { return c.rate_ip_burst; }, 1, 1'000'000),
      number("--rate-email-per-hour", "STOCKBELL_RATE_EMAIL_PER_HOUR", "N",
             "storefront registrations per e-mail and store (0: off)",
             [](C& c) -> int64_t& { return c.rate_email_per_hour; }, 0, 1'000'000),
      number("--rate-email-burst", "STOCKBELL_RATE_EMAIL_BURST", "N",
             "burst of the per-e-mail storefront limit",
             [](C& c) -> int64_t& { return c.rate_email_burst; }, 1, 1'000'000),
      number("--rate-store-per-minute", "STOCKBELL_RATE_STORE_PER_MINUTE", "N",
             "storefront registrations per store and minute, from all clients together (0: off)",
             [](C& c) -> int64_t& { return c.rate_store_per_minute; }, 0, 1'000'000),
      text("--trusted-proxies", "STOCKBELL_TRUSTED_PROXIES", "ADDR[/BITS],...",
           "addresses/CIDRs whose X-Forwarded-For names the client",
           [](C& c) -> std::string& { return c.trusted_proxies; }),
      text("--test-clock-file", "STOCKBELL_TEST_CLOCK_FILE", "FILE",
           "tests only: the clock is wall time plus the milliseconds in FILE (refused unless "
           "STOCKBELL_ENABLE_TEST_CLOCK=1)",
           [](C& c) -> std::string& { return c.test_clock_file; }),
      boolean("--webhooks-public-only", "STOCKBELL_WEBHOOKS_PUBLIC_ONLY",
              "refuse webhook targets on loopback and private networks",
              [](C& c) -> bool& { return c.webhooks_public_only; }),
      number("--webhook-timeout-ms", "STOCKBELL_WEBHOOK_TIMEOUT_MS", "MS",
             "a webhook receiver's time to answer",
             [](C& c) -> int64_t& { return c.webhook_timeout_ms; }, 100, 60'000),
      number("--webhook-retry-first-ms", "STOCKBELL_WEBHOOK_RETRY_FIRST_MS", "MS",
             "the first delay before a failed webhook delivery is retried",
             [](C& c) -> int64_t& { return c.webhook_retry.first_delay_ms; }, 10, kDayMs),
      number("--webhook-retry-max-ms", "STOCKBELL_WEBHOOK_RETRY_MAX_MS", "MS",
             "the longest delay between webhook attempts",
             [](C& c) -> int64_t& { return c.webhook_retry.max_delay_ms; }, 10, kDayMs),
      number("--webhook-give-up-ms", "STOCKBELL_WEBHOOK_GIVE_UP_MS", "MS",
             "when a webhook delivery fails for good, after it was first due",
             [](C& c) -> int64_t& { return c.webhook_retry.give_up_after_ms; }, 0, 30 * kDayMs),
      text("--smtp-url", "STOCKBELL_SMTP_URL", "URL",
           "send shoppers e-mail through this server: smtp://HOST:PORT or smtps://HOST:PORT",
           [](C& c) -> std::string& { return c.smtp_url; }),
      text("--smtp-user", "STOCKBELL_SMTP_USER", "NAME", "the SMTP login's user name",
           [](C& c) -> std::string& { return c.smtp_user; }),
      text("--smtp-password-file", "STOCKBELL_SMTP_PASSWORD_FILE", "PATH",
           "a file holding the SMTP password (its first line)",
           [](C& c) -> std::string& { return c.smtp_password_file; }),
      text("--smtp-ca-file", "STOCKBELL_SMTP_CA_FILE", "PATH",
           "PEM certificate authorities to trust for the SMTP server (default: the system's)",
           [](C& c) -> std::string& { return c.smtp_ca_file; }),
      text("--public-url", "STOCKBELL_PUBLIC_URL", "URL",
           "this server as shoppers and platforms reach it: the base of e-mail links and webhookUrl",
           [](C& c) -> std::string& { return c.public_url; }),
      text("--mail-from", "STOCKBELL_MAIL_FROM", "ADDR",
           "the sender of stores without email.from (default: noreply@ the public URL's host)",
           [](C& c) -> std::string& { return c.mail_from; }),
      number("--smtp-connections", "STOCKBELL_SMTP_CONNECTIONS", "N",
             "sender threads, each with its own SMTP connection",
             [](C& c) -> int64_t& { return c.smtp_connections; }, 1, 64),
      number("--mail-retry-first-ms", "STOCKBELL_MAIL_RETRY_FIRST_MS", "MS",
             "the first delay before a temporarily failed e-mail is retried",
             [](C& c) -> int64_t& { return c.mail_retry.first_delay_ms; }, 10, kDayMs),
      number("--mail-retry-max-ms", "STOCKBELL_MAIL_RETRY_MAX_MS", "MS",
             "the longest delay between e-mail attempts",
             [](C& c) -> int64_t& { return c.mail_retry.max_delay_ms; }, 10, kDayMs),
      number("--mail-give-up-ms", "STOCKBELL_MAIL_GIVE_UP_MS", "MS",
             "when an e-mail fails for good, after it was first due",
             [](C& c) -> int64_t& { return c.mail_retry.give_up_after_ms; }, 0, 30 * kDayMs),
      text("--config", "STOCKBELL_CONFIG", "FILE",
           "a TOML file of these options, keys without '--' (the environment and flags win)",
           [](C& c) -> std::string& { return c.config_file; }),
      text("--log-format", "STOCKBELL_LOG_FORMAT", "text|json",
           "the log on stderr: text lines, or one JSON object per line",
           [](C& c) -> std::string& { return c.log_format; }),
      text("--metrics-token", "STOCKBELL_METRICS_TOKEN", "TOKEN",
           "a bearer token (16+ characters) that opens /metrics beyond loopback",
           [](C& c) -> std::string& { return c.metrics_token; }),
  };
}

}  // namespace

std::optional<int64_t> parse_number(const std::string& text, int64_t min, int64_t max) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

std::string ServeOption::shown(const ServeConfig& config) const {
  if (default_text != nullptr) return default_text;
  ServeConfig c = config;  // the accessors take a mutable config
  switch (kind) {
    case Kind::text: return text(c).empty() ? "none" : text(c);
    case Kind::number: return std::to_string(number(c));
    case Kind::boolean: return boolean(c) ? "on" : "off";
  }
  return "";
}

std::optional<std::string> ServeOption::assign(ServeConfig& config, const std::string& value) const {
  switch (kind) {
    case Kind::text:
      text(config) = value;
      return std::nullopt;
    case Kind::number:
      if (std::optional<int64_t> n = parse_number(value, min, max)) {
        number(config) = *n;
        return std::nullopt;
      }
      return std::string(flag) + " must be a number from " + std::to_string(min) + " to " +
             std::to_string(max) + ", not '" + value + "'";
    case Kind::boolean:
      if (std::optional<bool> b = parse_bool(value)) {
        boolean(config) = *b;
        return std::nullopt;
      }
      return std::string(flag) + " must be true or false, not '" + value + "'";
  }
  return std::nullopt;
}

const std::vector<ServeOption>& serve_options() {
  static const std::vector<ServeOption> options = make_options();
  return options;
}

std::string serve_options_help() {
  const ServeConfig defaults;
  std::string out;
  for (const ServeOption& o : serve_options()) {
    std::string left = std::string("  ") + o.flag;
    if (*o.value_name != '\0') left += std::string(" ") + o.value_name;
    if (left.size() < 34) left.resize(34, ' ');
    else left += "\n" + std::string(34, ' ');
    out += left + o.help + "\n" + std::string(34, ' ') + "(default " + o.shown(defaults);
    if (o.kind == ServeOption::Kind::number)
      out += "; " + std::to_string(o.min) + " to " + std::to_string(o.max);
    out += std::string("; ") + o.env + ")\n";
  }
  return out;
}

}  // namespace stockbell::server
