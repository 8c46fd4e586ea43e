#include "server/ops/metrics.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace stockbell::server {
namespace {

const char* const kOutcomes[] = {"delivered", "retry", "failed"};

std::string label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

// Six decimals, trailing zeros cut: exact for a start time in seconds, short for the rest.
std::string number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string number(uint64_t value) {
  return std::to_string(value);
}
std::string number(int64_t value) {
  return std::to_string(value);
}

void head(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

const char* activity_label(Activity kind) {
  switch (kind) {
    case Activity::requested:
      return "requested";
    case Activity::notified:
      return "notified";
    case Activity::cancelled:
      return "cancelled";
    case Activity::expired:
      return "expired";
    case Activity::purchased:
      return "purchased";
    case Activity::mail_sent:
      return "mail_sent";
  }
  return "other";
}

// The process's resident memory (bytes) and open descriptors, from /proc/self.
int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

int64_t open_fds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  int64_t count = 0;
  while (dirent* entry = readdir(dir))
    if (entry->d_name[0] != '.') ++count;
  closedir(dir);
  return count - 1;  // the directory's own descriptor
}

}  // namespace

Metrics& metrics() {
  static Metrics instance;
  return instance;
}

void Metrics::observe_request(const std::string& method, const std::string& route, int status,
                              double seconds) {
  static const char* const kMethods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                         "PATCH", "DELETE", "OPTIONS"};
  std::string m = "OTHER";
  for (const char* known : kMethods)
    if (method == known) m = known;
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{m, route, status}];
  Histogram& h = latency_[{m, route}];
  for (size_t i = 0; i < std::size(kBuckets); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::count_webhook_attempt(AttemptOutcome outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++webhook_attempts_[static_cast<int>(outcome)];
}

void Metrics::count_mail_attempt(AttemptOutcome outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++mail_attempts_[static_cast<int>(outcome)];
}

void Metrics::count_database_error() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++database_errors_;
}

std::string Metrics::render(const ScrapeInput& in) const {
  std::string out;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    head(out, "stockbell_http_requests_total", "counter",
         "HTTP requests answered, by method, route template and status.");
    for (const auto& [key, count] : requests_)
      out += "stockbell_http_requests_total{method=\"" + std::get<0>(key) + "\",route=\"" +
             label(std::get<1>(key)) + "\",status=\"" + std::to_string(std::get<2>(key)) + "\"} " +
             number(count) + "\n";
    head(out, "stockbell_http_request_duration_seconds", "histogram",
         "Time from a request's parse to its answer, by method and route template.");
    for (const auto& [key, h] : latency_) {
      const std::string labels = "method=\"" + key.first + "\",route=\"" + label(key.second) + "\"";
      for (size_t i = 0; i < std::size(kBuckets); ++i)
        out += "stockbell_http_request_duration_seconds_bucket{" + labels + ",le=\"" +
               number(kBuckets[i]) + "\"} " + number(h.buckets[i]) + "\n";
      out += "stockbell_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
             number(h.count) + "\n";
      out += "stockbell_http_request_duration_seconds_sum{" + labels + "} " + number(h.sum) + "\n";
      out +=
          "stockbell_http_request_duration_seconds_count{" + labels + "} " + number(h.count) + "\n";
    }
    head(out, "stockbell_webhook_attempts_total", "counter",
         "Webhook delivery attempts since start, by outcome.");
    for (int i = 0; i < 3; ++i)
      out += std::string("stockbell_webhook_attempts_total{outcome=\"") + kOutcomes[i] + "\"} " +
             number(webhook_attempts_[i]) + "\n";
    head(out, "stockbell_mail_attempts_total", "counter",
         "Shopper e-mail sending attempts since start, by outcome.");
    for (int i = 0; i < 3; ++i)
      out += std::string("stockbell_mail_attempts_total{outcome=\"") + kOutcomes[i] + "\"} " +
             number(mail_attempts_[i]) + "\n";
    head(out, "stockbell_database_errors_total", "counter",
         "Requests that failed on the database (answered 500 or 503).");
    out += "stockbell_database_errors_total " + number(database_errors_) + "\n";
  }

  head(out, "stockbell_waiting_requests", "gauge", "Requests waiting for stock, by store.");
  for (const auto& [store, waiting] : in.data.waiting_by_store)
    out += "stockbell_waiting_requests{store=\"" + label(store) + "\"} " + number(waiting) + "\n";
  head(out, "stockbell_request_activity_total", "counter",
       "Requests created and their transitions (notified: the back-in-stock notifications), by "
       "store and kind.");
  for (const OpsSnapshot::ActivityTotal& a : in.data.activity)
    out += "stockbell_request_activity_total{store=\"" + label(a.store) + "\",kind=\"" +
           activity_label(a.kind) + "\"} " + number(a.count) + "\n";
  const std::pair<const char*, const OutboxBacklog*> outboxes[] = {{"webhooks", &in.data.webhooks},
                                                                   {"mail", &in.data.mail}};
  head(out, "stockbell_outbox_depth", "gauge",
       "Outbox rows not yet sent: pending webhook deliveries, queued e-mail.");
  for (const auto& [kind, backlog] : outboxes)
    out += std::string("stockbell_outbox_depth{outbox=\"") + kind + "\"} " +
           number(backlog->depth) + "\n";
  head(out, "stockbell_outbox_oldest_age_seconds", "gauge",
       "How long the oldest unsent outbox row has been due (0 when empty).");
  for (const auto& [kind, backlog] : outboxes) {
    const std::optional<int64_t> since = backlog->oldest_due_since;
    const double age =
        since && in.now_ms > *since ? static_cast<double>(in.now_ms - *since) / 1000.0 : 0.0;
    out += std::string("stockbell_outbox_oldest_age_seconds{outbox=\"") + kind + "\"} " +
           number(age) + "\n";
  }
  head(out, "stockbell_db_writes_total", "counter", "Writes run by the database writer.");
  out += "stockbell_db_writes_total " + number(static_cast<uint64_t>(in.writes.writes)) + "\n";
  head(out, "stockbell_db_commits_total", "counter",
       "Transactions committed (group commit: writes_total / commits_total writes per commit).");
  out += "stockbell_db_commits_total " + number(static_cast<uint64_t>(in.writes.commits)) + "\n";

  head(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  out += "process_resident_memory_bytes " + number(resident_bytes()) + "\n";
  head(out, "process_open_fds", "gauge", "Number of open file descriptors.");
  out += "process_open_fds " + number(open_fds()) + "\n";
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    head(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.");
    out += "process_max_fds " + number(static_cast<uint64_t>(limit.rlim_cur)) + "\n";
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  head(out, "process_cpu_seconds_total", "counter", "Total user and system CPU time in seconds.");
  out += "process_cpu_seconds_total " + number(cpu) + "\n";
  head(out, "process_start_time_seconds", "gauge", "Start time of the process since the epoch.");
  out += "process_start_time_seconds " + number(start_time_seconds_) + "\n";
  return out;
}

}  // namespace stockbell::server
