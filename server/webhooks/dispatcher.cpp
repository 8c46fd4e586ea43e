#include "server/webhooks/dispatcher.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/net_address.hpp"
#include "core/url.hpp"
#include "core/version.hpp"
#include "server/app/clock.hpp"
#include "server/webhooks/signing.hpp"
#include "server/webhooks/target_check.hpp"
#include "server/ops/log.hpp"
#include "server/ops/metrics.hpp"

namespace stockbell::server {
namespace {

constexpr int64_t kTickMs = 1000;  // longest sleep of the scheduler when nothing is due
// A claim lasts the attempt's timeout and this much more (connecting, recording the attempt).
constexpr int64_t kLeaseMarginMs = 5'000;

// httplib's error names (`Read`, `Connection`) in the words the attempt log promises.
std::string describe(httplib::Error error, bool timed_out) {
  using E = httplib::Error;
  switch (error) {
    case E::Connection: return "connection refused or host unreachable";
    case E::ConnectionTimeout: return "timeout while connecting";
    case E::Read:
      return timed_out ? "timeout waiting for the answer" : "connection closed while reading the answer";
    case E::Write: return timed_out ? "timeout while sending" : "connection closed while sending";
    case E::SSLConnection: return "TLS handshake failed";
    case E::SSLServerVerification: return "TLS certificate not trusted";
    case E::SSLLoadingCerts: return "cannot load the CA certificates";
    case E::Canceled: return "cancelled";
    default: return "HTTP client error: " + httplib::to_string(error);
  }
}

}  // namespace

AttemptWatchdog::AttemptWatchdog() : thread_([this] { loop(); }) {}

AttemptWatchdog::~AttemptWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

uint64_t AttemptWatchdog::watch(httplib::Client& client,
                                std::chrono::steady_clock::time_point deadline) {
  std::lock_guard<std::mutex> lock(mutex_);
  const uint64_t token = ++next_token_;
  watched_[token] = Watched{&client, deadline, false};
  wake_.notify_all();
  return token;
}

bool AttemptWatchdog::unwatch(uint64_t token) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = watched_.find(token);
  const bool cut = it != watched_.end() && it->second.cut;
  if (it != watched_.end()) watched_.erase(it);
  return cut;
}

void AttemptWatchdog::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    auto next = std::chrono::steady_clock::time_point::max();
    const auto now = std::chrono::steady_clock::now();
    for (auto& [token, w] : watched_) {
      if (w.cut) continue;
      if (w.deadline <= now) {
        w.client->stop();  // thread-safe in httplib: shuts the socket down under the sender
        w.cut = true;
      } else {
        next = std::min(next, w.deadline);
      }
    }
    if (next == std::chrono::steady_clock::time_point::max())
      wake_.wait(lock);
    else
      wake_.wait_until(lock, next);
  }
}

WebhookDispatcher::WebhookDispatcher(Storage& storage, Options options)
    : storage_(storage), options_(options), random_(std::random_device{}()) {}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

void WebhookDispatcher::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (running_) return;
  running_ = true;
  scheduler_ = std::thread([this] { schedule_loop(); });
  for (size_t i = 0; i < options_.senders; ++i) senders_.emplace_back([this] { send_loop(); });
}

void WebhookDispatcher::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
    running_ = false;
    ready_.clear();  // queued, not started: they stay pending in the database
  }
  schedule_wake_.notify_all();
  send_wake_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  for (std::thread& t : senders_)
    if (t.joinable()) t.join();
  senders_.clear();
  give_back_claims(storage_, "webhook dispatcher");
}

void WebhookDispatcher::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  schedule_wake_.notify_one();
}

void WebhookDispatcher::release_slot(const DueDelivery& d) {
  in_flight_.erase(d.id);
  if (--per_endpoint_[d.webhook_id] == 0) per_endpoint_.erase(d.webhook_id);
  if (--per_store_[d.store_id] == 0) per_store_.erase(d.store_id);
}

void WebhookDispatcher::schedule_loop() {
  while (true) {
    int64_t sleep_ms = kTickMs;
    try {
      const int64_t now = now_ms();
      std::vector<DueDelivery> picked;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        finished_since_read_.clear();
      }
      storage_.read([&](ReadTx& tx) {
        for (int64_t webhook : tx.enabled_webhook_ids()) {
          size_t busy;
          {
            std::lock_guard<std::mutex> lock(mutex_);
            busy = per_endpoint_[webhook];
          }
          if (busy >= options_.per_endpoint) continue;
          // Fetch past the ones already in flight (they are still pending in the database).
          const auto limit = static_cast<int64_t>(busy + options_.per_endpoint);
          for (DueDelivery& d : tx.due_deliveries(webhook, now, limit)) picked.push_back(std::move(d));
        }
        if (std::optional<int64_t> next = tx.next_delivery_due_at())
          sleep_ms = std::clamp<int64_t>(*next - now, 0, kTickMs);
      });
      std::vector<DueDelivery> chosen;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        for (DueDelivery& d : picked) {
          // Finished while we were reading: what we read is older than its recorded attempt.
          if (in_flight_.count(d.id) || finished_since_read_.count(d.id) ||
              per_endpoint_[d.webhook_id] >= options_.per_endpoint ||
              per_store_[d.store_id] >= options_.per_store)
            continue;
          in_flight_.insert(d.id);
          ++per_endpoint_[d.webhook_id];
          ++per_store_[d.store_id];
          chosen.push_back(std::move(d));
        }
      }
      // Other server processes on the same database send too: each delivery is claimed before
      // it is sent, for the longest an attempt can take (its lease runs out if we die).
      std::set<int64_t> claimed;
      if (!chosen.empty()) {
        std::vector<int64_t> ids;
        for (const DueDelivery& d : chosen) ids.push_back(d.id);
        const int64_t lease_until = now + options_.timeout_ms + kLeaseMarginMs;
        try {
          for (int64_t id : storage_.write([&](WriteTx& tx) {
                 return tx.claim_deliveries(ids, outbox_owner(), now, lease_until);
               }))
            claimed.insert(id);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mutex_);
          for (const DueDelivery& d : chosen) release_slot(d);
          throw;
        }
      }
      std::lock_guard<std::mutex> lock(mutex_);
      for (DueDelivery& d : chosen) {
        if (claimed.count(d.id))
          ready_.push_back(std::move(d));
        else
          release_slot(d);  // another process has it
      }
      if (!ready_.empty()) send_wake_.notify_all();
    } catch (const std::exception& e) {
      log_line("error", std::string("webhook scheduler: ") + e.what());
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (sleep_ms == 0) sleep_ms = 50;  // due now but every endpoint is busy: look again soon
    schedule_wake_.wait_for(lock, std::chrono::milliseconds(sleep_ms),
                            [&] { return !running_ || woken_; });
    woken_ = false;
    if (!running_) return;
  }
}

void WebhookDispatcher::send_loop() {
  while (true) {
    DueDelivery delivery;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      send_wake_.wait(lock, [&] { return !running_ || !ready_.empty(); });
      if (!running_) return;
      delivery = std::move(ready_.front());
      ready_.pop_front();
    }
    const int64_t started = now_ms();
    Attempt attempt;
    try {
      std::optional<EventRecord> event =
          storage_.read([&](ReadTx& tx) { return tx.find_event(delivery.event_id); });
      if (!event) throw std::runtime_error("event " + std::to_string(delivery.event_id) + " is gone");
      attempt = send(delivery, event_type_name(event->type),
                     dump(event_json(*event, storage_.ids())));
    } catch (const std::exception& e) {
      attempt.error = e.what();
    }
    finish(delivery, attempt, started, now_ms() - started);
  }
}

WebhookDispatcher::Attempt WebhookDispatcher::send(const DueDelivery& delivery,
                                                   std::string_view event_type,
                                                   const std::string& body) {
  Attempt attempt;
  std::optional<UrlParts> url = split_http_url(delivery.url);
  if (!url) {
    attempt.error = "invalid URL";
    return attempt;
  }
  const bool ipv6_literal = url->host.find(':') != std::string::npos;
  httplib::Client client(url->scheme + "://" + (ipv6_literal ? "[" + url->host + "]" : url->host) +
                         ":" + std::to_string(url->port));
  if (options_.public_only) {
    if (is_localhost_name(url->host)) {
      attempt.error = "refused: " + url->host + " is this machine";
      return attempt;
    }
    const ResolvedHost resolved = resolve_public(url->host);
    if (!resolved.address) {
      attempt.error = resolved.error;
      return attempt;
    }
    client.set_hostname_addr_map({{url->host, *resolved.address}});
  }
  const time_t seconds = static_cast<time_t>(options_.timeout_ms / 1000);
  const time_t micros = static_cast<time_t>(options_.timeout_ms % 1000 * 1000);
  client.set_connection_timeout(seconds, micros);
  client.set_read_timeout(seconds, micros);
  client.set_write_timeout(seconds, micros);
  client.set_follow_location(false);
  client.set_keep_alive(false);
  const int64_t timestamp = now_ms() / 1000;
  const IdCodec& ids = storage_.ids();
  const std::string event_id = ids.format(IdKind::event, delivery.event_id);
  httplib::Headers headers = {
      {"User-Agent", "Stockbell/" STOCKBELL_VERSION " (webhooks)"},
      {"Stockbell-Event-Id", event_id},
      {"Stockbell-Event-Type", std::string(event_type)},
      {"Stockbell-Delivery-Id", ids.format(IdKind::delivery, delivery.id)},
      {"Stockbell-Timestamp", std::to_string(timestamp)},
      {"Stockbell-Signature",
       signature_header(delivery.secret, delivery.previous_secret, timestamp, body)},
  };
  // httplib's timeouts bound each read and write, not the whole answer: a receiver trickling
  // a body byte by byte would hold this sender for ever. The watchdog cuts it at the deadline.
  const auto started = std::chrono::steady_clock::now();
  const uint64_t watch =
      watchdog_.watch(client, started + std::chrono::milliseconds(options_.timeout_ms));
  httplib::Result result = client.Post(url->target, headers, body, "application/json");
  const bool cut = watchdog_.unwatch(watch);
  if (!result || cut) {
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started).count();
    attempt.error = cut ? "timeout: no complete answer within " +
                              std::to_string(options_.timeout_ms) + " ms"
                        : describe(result.error(), waited >= options_.timeout_ms);
    return attempt;
  }
  attempt.status_code = result->status;
  attempt.delivered = result->status >= 200 && result->status < 300;
  if (!attempt.delivered) attempt.error = "HTTP " + std::to_string(result->status);
  return attempt;
}

void WebhookDispatcher::finish(const DueDelivery& delivery, const Attempt& attempt,
                               int64_t started, int64_t duration_ms) {
  AttemptRecord record;
  record.delivery_id = delivery.id;
  record.at = started;
  record.duration_ms = duration_ms;
  record.status_code = attempt.status_code;
  record.error = attempt.error;
  const int64_t now = now_ms();
  if (attempt.delivered) {
    record.outcome = DeliveryStatus::delivered;
  } else if (now - delivery.due_since >= options_.retry.give_up_after_ms) {
    record.outcome = DeliveryStatus::failed;
  } else {
    double unit;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      unit = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
    }
    record.outcome = DeliveryStatus::pending;
    record.next_attempt_at = now + retry_delay_ms(options_.retry, delivery.attempts + 1, unit);
  }
  try {
    storage_.write([&](WriteTx& tx) { tx.record_attempt(record); });
  } catch (const std::exception& e) {
    // Not recorded: the delivery is still pending and due, so it will be attempted again.
    log_line("error", std::string("recording webhook attempt failed: ") + e.what());
  }
  metrics().count_webhook_attempt(
      record.outcome == DeliveryStatus::delivered ? AttemptOutcome::delivered
      : record.outcome == DeliveryStatus::failed  ? AttemptOutcome::failed
                                                  : AttemptOutcome::retry);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    in_flight_.erase(delivery.id);
    finished_since_read_.insert(delivery.id);
    if (--per_endpoint_[delivery.webhook_id] == 0) per_endpoint_.erase(delivery.webhook_id);
    if (--per_store_[delivery.store_id] == 0) per_store_.erase(delivery.store_id);
  }
  wake();  // the endpoint has room again
}

}  // namespace stockbell::server
