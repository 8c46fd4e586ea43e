#pragma once
// What `stockbell serve` is configured with (flags, else STOCKBELL_* environment variables).

#include <cstdint>
#include <string>
#include <vector>

namespace stockbell::server {

struct ServeConfig {
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0 picks a free port (printed at start)
  std::string db = "./stockbell.db";
  std::string web_root;  ///< the widget and demo files; empty: the built-in default
  bool demo = false;
  int threads = 32;  ///< HTTP worker threads (each serves one keep-alive connection at a time)
  bool log_requests = false;

  // Webhooks (see core/webhook.hpp for the retry schedule).
  bool webhooks_public_only = false;  ///< refuse loopback/private targets (multi-store hosts)
  int64_t webhook_timeout_ms = 10'000;
  int64_t webhook_retry_first_ms = 10'000;
  int64_t webhook_retry_max_ms = 3'600'000;
  int64_t webhook_give_up_ms = 86'400'000;
};

}  // namespace stockbell::server
