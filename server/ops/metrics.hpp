#pragma once
// The process's counters and histograms for `GET /metrics` (Prometheus text exposition format
// 0.0.4). HTTP requests are counted by method, route TEMPLATE (`/api/v1/webhooks/{}`, never the
// raw path: a label per id would grow without bound) and status; their latency by method and
// route. Delivery attempts are counted by the dispatchers as they record them. What the
// database knows (waiting requests, the outboxes) is read at scrape time (OpsSnapshot), so a
// gauge always equals the data, also after a restart.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "server/store/storage.hpp"

namespace stockbell::server {

/// What a webhook or e-mail attempt came to.
enum class AttemptOutcome {
  delivered,  ///< the receiver answered 2xx / the SMTP server took the message
  retry,      ///< a temporary failure: another attempt is scheduled
  failed,     ///< a failure for good (gave up, or a permanent refusal)
};

class Metrics {
 public:
  /// One answered request. `method` outside the HTTP methods the server knows counts as OTHER.
  void observe_request(const std::string& method, const std::string& route, int status,
                       double seconds);
  void count_webhook_attempt(AttemptOutcome outcome);
  void count_mail_attempt(AttemptOutcome outcome);
  /// A machinery failure of the database (answered 500/503).
  void count_database_error();

  struct ScrapeInput {
    OpsSnapshot data;
    WriteStats writes;
    int64_t now_ms = 0;
  };
  /// The whole exposition, with the process's own figures (/proc/self).
  std::string render(const ScrapeInput& input) const;

  static constexpr double kBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                        0.25,  0.5,    1,     2.5,  5,     10};

 private:
  struct Histogram {
    std::vector<uint64_t> buckets = std::vector<uint64_t>(std::size(kBuckets), 0);
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> latency_;
  uint64_t webhook_attempts_[3] = {0, 0, 0};
  uint64_t mail_attempts_[3] = {0, 0, 0};
  uint64_t database_errors_ = 0;
  double start_time_seconds_ =
      static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count()) /
      1000.0;
};

/// The process's metrics (one per process: the dispatchers and the HTTP layer count into it).
Metrics& metrics();

}  // namespace stockbell::server
