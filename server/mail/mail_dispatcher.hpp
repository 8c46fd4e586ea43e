#pragma once
// Sends the message outbox (README "E-mail"), the way the webhook dispatcher delivers its own: a
// scheduler thread reads due messages (with everything sending them needs, a batch per read)
// and hands them to sender threads, each with one SMTP connection it keeps open, so a slow or
// dead SMTP server only ever holds these threads, never an HTTP answer. A recorder thread writes
// the senders' results through the writer, as many as have finished in one transaction, while
// the senders go on. A message stays queued in the database until its result is recorded, and
// the scheduler never hands out a message whose result is not recorded yet, so a crash at any
// point means another attempt after restart (at least once; the Message-ID is the same each
// time; at most connections × 8 messages are handed out and unrecorded at any moment). One the
// server accepted and whose result was recorded is never sent again. Just before sending, a
// sender checks that the message is still queued: one suppressed (unsubscribed) or erased
// after the batch was read is not sent.

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
  /// Stops taking messages and cuts the exchanges under way short (within about a second);
  /// results already in are recorded, and every other message stays queued in the database for
  /// the next start.
  void stop();
  /// New messages were committed: look now instead of at the next tick.
  void wake();

 private:
  void schedule_loop();
  void send_loop();
  void record_loop();
  /// The result of one attempt, or nullopt when there is nothing to record (cut short by stop,
  /// or no longer queued).
  std::optional<MessageAttemptRecord> attempt(const OutgoingMessage& message, SmtpClient& client,
                                              ParsedTemplates& parsed);

  Storage& storage_;
  Options options_;
  std::mutex mutex_;
  std::condition_variable schedule_wake_;
  std::condition_variable send_wake_;
  std::condition_variable record_wake_;
  bool running_ = false;
  bool recording_ = false;
  std::atomic<bool> stopping_{false};  ///< cuts SMTP exchanges under way short
  bool woken_ = false;
  std::deque<OutgoingMessage> ready_;
  std::vector<MessageAttemptRecord> results_;  ///< finished, to be recorded
  std::set<int64_t> in_flight_;            ///< handed out and not recorded yet
  std::set<int64_t> finished_since_read_;  ///< recorded after the scheduler's last read began
  std::mt19937_64 random_;
  std::thread scheduler_;
  std::thread recorder_;
  std::vector<std::thread> senders_;
};

}  // namespace stockbell::server
