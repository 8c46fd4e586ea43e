#pragma once
// Delivers the webhook outbox. A scheduler thread walks the enabled endpoints and hands due
// deliveries to a pool of sender threads, at most `per_endpoint` at a time for one endpoint and
// `per_store` for all of one store's endpoints, so a slow or dead receiver only ever occupies
// its own share, and a store with many dead receivers only its store's share: another store's
// deliveries always find a free sender. Every attempt is recorded through
// the writer; a delivery stays pending in the database until an attempt succeeds, so a crash at
// any point means another attempt after restart (at-least-once; receivers dedupe on the event
// id). API requests never wait for any of this.

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/webhook.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

/// Cuts webhook attempts off at their deadline, whatever the receiver does (httplib's own
/// timeouts bound each read, so a receiver trickling its answer would otherwise never end).
class AttemptWatchdog {
 public:
  AttemptWatchdog();
  ~AttemptWatchdog();
  /// Stops `client` (shuts its socket down) if it is still watched at `deadline`.
  uint64_t watch(httplib::Client& client, std::chrono::steady_clock::time_point deadline);
  /// Stops watching; true if the watchdog had to cut the attempt.
  bool unwatch(uint64_t token);

 private:
  struct Watched {
    httplib::Client* client;
    std::chrono::steady_clock::time_point deadline;
    bool cut;
  };
  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<uint64_t, Watched> watched_;
  uint64_t next_token_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

class WebhookDispatcher {
 public:
  struct Options {
    size_t senders = 16;       ///< sender threads in all
    size_t per_endpoint = 2;   ///< concurrent attempts to one endpoint
    size_t per_store = 4;      ///< concurrent attempts to all endpoints of one store
    int64_t timeout_ms = 0;    ///< a 2xx must arrive within this (ServeConfig has the default)
    bool public_only = false;  ///< refuse loopback and private addresses (multi-store hosts)
    RetryPolicy retry;
  };

  WebhookDispatcher(Storage& storage, Options options);
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  void start();
  /// Stops taking new deliveries and waits for the attempts under way.
  void stop();
  /// New deliveries were committed: look now instead of at the next tick.
  void wake();

 private:
  struct Attempt {
    std::optional<int64_t> status_code;
    std::optional<std::string> error;
    bool delivered = false;
  };

  void schedule_loop();
  /// Gives back the in-flight slot of a delivery that will not be sent now (mutex_ held).
  void release_slot(const DueDelivery& d);
  void send_loop();
  Attempt send(const DueDelivery& delivery, std::string_view event_type,
               const std::string& body);
  void finish(const DueDelivery& delivery, const Attempt& attempt, int64_t started,
              int64_t duration_ms);

  Storage& storage_;
  Options options_;
  std::mutex mutex_;
  std::condition_variable schedule_wake_;
  std::condition_variable send_wake_;
  bool running_ = false;
  bool woken_ = false;
  std::deque<DueDelivery> ready_;
  std::set<int64_t> in_flight_;              ///< delivery ids being sent or queued
  std::set<int64_t> finished_since_read_;    ///< finished after the scheduler's last read began
  std::map<int64_t, size_t> per_endpoint_;  ///< webhook id → in flight
  std::map<int64_t, size_t> per_store_;     ///< store id → in flight
  std::mt19937_64 random_;
  AttemptWatchdog watchdog_;
  std::thread scheduler_;
  std::vector<std::thread> senders_;
};

}  // namespace stockbell::server
