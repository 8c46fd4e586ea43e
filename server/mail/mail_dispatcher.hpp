#pragma once
// Sends the message outbox (README "E-mail"), the way the webhook dispatcher delivers its own: a
// scheduler thread reads due messages and hands them to sender threads, each with one SMTP
// connection it keeps open, so a slow or dead SMTP server only ever holds these threads, never
// an HTTP answer. Every attempt's result is recorded through the writer; a message stays queued
// in the database until an attempt is recorded as sent or failed, so a crash at any point means
// another attempt after restart (at least once; the Message-ID is the same each time). One the
// server accepted and whose result was recorded is never sent again.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "core/webhook.hpp"
#include "server/mail/compose.hpp"
#include "server/mail/smtp_client.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

class MailDispatcher {
 public:
  struct Options {
    SmtpConfig smtp;
    MailServerSetup server;
    size_t connections = 4;  ///< sender threads, one SMTP connection each
    RetryPolicy retry;       ///< temporary failures (4xx, connections): ServeConfig's defaults
  };

  MailDispatcher(Storage& storage, Options options);
  ~MailDispatcher();
  MailDispatcher(const MailDispatcher&) = delete;
  MailDispatcher& operator=(const MailDispatcher&) = delete;

  void start();
  /// Stops taking messages and cuts the attempts under way short (within about a second);
  /// those and the queued ones stay queued in the database, for the next start.
  void stop();
  /// New messages were committed: look now instead of at the next tick.
  void wake();

 private:
  void schedule_loop();
  void send_loop();
  void attempt(const DueMessage& due, SmtpClient& client);

  Storage& storage_;
  Options options_;
  std::mutex mutex_;
  std::condition_variable schedule_wake_;
  std::condition_variable send_wake_;
  bool running_ = false;
  std::atomic<bool> stopping_{false};  ///< cuts SMTP exchanges under way short
  bool woken_ = false;
  std::deque<DueMessage> ready_;
  std::set<int64_t> in_flight_;            ///< message ids being sent or queued
  std::set<int64_t> finished_since_read_;  ///< finished after the scheduler's last read began
  std::mt19937_64 random_;
  std::thread scheduler_;
  std::vector<std::thread> senders_;
};

}  // namespace stockbell::server
