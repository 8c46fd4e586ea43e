#pragma once
// What `stockbell serve` is configured with. The defaults here are the only ones: the option
// table (server/options.cpp) reads them for `--help`, and a test checks the README's
// Configuration table against that table.

#include <cstdint>
#include <string>

#include "core/webhook.hpp"

namespace stockbell::server {

struct ServeConfig {
  std::string host = "127.0.0.1";
  int64_t port = 8080;  ///< 0 picks a free port (printed at start)
  std::string db = "./stockbell.db";  ///< a SQLite file, or a postgres:// URL
  int64_t db_pool = 0;  ///< PostgreSQL connections at most; 0: threads + SMTP connections + 4
  int64_t db_statement_timeout_ms = 30'000;  ///< PostgreSQL: a query running longer is cancelled
  std::string web_root;  ///< the widget and demo files; empty: the built-in default
  bool demo = false;
  int64_t threads = 32;  ///< HTTP worker threads: complete requests handled at once
  int64_t max_connections = 10'000;   ///< open connections in all (capped by the file limit)
  int64_t max_connections_per_client = 256;  ///< per client address or IPv6 /64; 0: no cap
  int64_t listen_backlog = 4096;      ///< connections the kernel queues before accept
  bool log_requests = false;
  int64_t head_timeout_ms = 5'000;   ///< time for a request's head to arrive, once it has begun
  int64_t body_timeout_ms = 30'000;  ///< time for its body to arrive after the head

  // Webhooks.
  bool webhooks_public_only = false;  ///< refuse loopback/private targets (multi-store hosts)
  int64_t webhook_timeout_ms = 10'000;
  RetryPolicy webhook_retry;  ///< core/webhook.hpp: 10 s, ×3, at most 1 h apart, for 24 h

  // Shopper e-mail (README "E-mail"). Without an SMTP URL no e-mail is sent or queued.
  std::string smtp_url;            ///< smtp://HOST:PORT (STARTTLS when offered) or smtps://...
  std::string smtp_user;
  std::string smtp_password_file;  ///< the password's only way in: never a flag
  std::string smtp_ca_file;        ///< PEM certificate authorities for the SMTP server's TLS
  std::string public_url;          ///< base of every link in an e-mail; required with smtp_url
  std::string mail_from;           ///< sender of stores without email.from; none: noreply@host
  int64_t smtp_connections = 4;    ///< sender threads, one SMTP connection each
  RetryPolicy mail_retry;          ///< core/webhook.hpp: 10 s, ×3, at most 1 h apart, for 24 h

  // Storefront (publishable-key) rate limits; 0 disables one.
  int64_t rate_ip_per_minute = 120;  ///< requests per client address and store
  int64_t rate_ip_burst = 60;
  int64_t rate_email_per_hour = 10;  ///< back-in-stock requests per e-mail and store
  int64_t rate_email_burst = 5;
  int64_t rate_store_per_minute = 0;  ///< storefront registrations per store, all clients; 0: off
  std::string trusted_proxies;  ///< comma-separated addresses/CIDRs whose X-Forwarded-For counts

  // Operations (README "Operations").
  std::string config_file;       ///< a TOML file of these options (server/ops/config_file.hpp)
  std::string log_format = "text";  ///< text | json (server/ops/log.hpp)
  std::string metrics_token;     ///< opens /metrics to non-loopback clients as a bearer token

  // Tests only (server/app/clock.hpp): refused unless STOCKBELL_ENABLE_TEST_CLOCK=1.
  std::string test_clock_file;  ///< the clock is wall time plus the milliseconds in this file
};

}  // namespace stockbell::server
