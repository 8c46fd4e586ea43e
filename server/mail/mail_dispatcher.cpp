#include "server/mail/mail_dispatcher.hpp"

#include <algorithm>
#include <climits>
#include <cstdio>

#include "server/app/clock.hpp"
#include "server/ops/log.hpp"
#include "server/ops/metrics.hpp"

namespace stockbell::server {
namespace {

constexpr int64_t kTickMs = 1000;  // longest sleep of the scheduler when nothing is due
constexpr size_t kPerConnection = 8;  // handed out (sending or being recorded) per sender
constexpr size_t kRecordBatch = 16;   // results the recorder likes to write in one transaction
constexpr auto kRecordWait = std::chrono::milliseconds(5);  // ...and how long it waits for them
// A claimed message stays this process's for one SMTP exchange (its timeout) and this much more
// (recording the attempt); a process that dies holding it gives it up when that runs out.
constexpr int64_t kLeaseMarginMs = 10'000;

}  // namespace

MailDispatcher::MailDispatcher(Storage& storage, Options options)
    : storage_(storage), options_(std::move(options)), random_(std::random_device{}()) {}

MailDispatcher::~MailDispatcher() { stop(); }

void MailDispatcher::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (running_) return;
  running_ = true;
  recording_ = true;
  stopping_ = false;
  scheduler_ = std::thread([this] { schedule_loop(); });
  recorder_ = std::thread([this] { record_loop(); });
  for (size_t i = 0; i < options_.connections; ++i)
    senders_.emplace_back([this] { send_loop(); });
}

void MailDispatcher::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
    running_ = false;
    stopping_ = true;
    ready_.clear();  // handed out, not started: they stay queued in the database
  }
  schedule_wake_.notify_all();
  send_wake_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  for (std::thread& t : senders_)
    if (t.joinable()) t.join();
  senders_.clear();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    recording_ = false;  // after the senders: their last results are recorded first
  }
  record_wake_.notify_all();
  if (recorder_.joinable()) recorder_.join();
  give_back_claims(storage_, "mail dispatcher");
}

void MailDispatcher::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  schedule_wake_.notify_one();
}

void MailDispatcher::schedule_loop() {
  const size_t capacity = options_.connections * kPerConnection;
  // Where the last read ended, in the order of (next attempt, id): the next read goes on from
  // there rather than read again the messages handed out already; a read that reaches the end
  // starts the next one from the beginning (retries, and messages an attempt cut short).
  int64_t after_due = INT64_MIN, after_id = 0;
  while (true) {
    int64_t sleep_ms = kTickMs;
    try {
      const int64_t now = now_ms();
      size_t room;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        finished_since_read_.clear();
        room = in_flight_.size() >= capacity ? 0 : capacity - in_flight_.size();
      }
      std::vector<OutgoingMessage> picked;
      if (room > 0) {
        storage_.read([&](ReadTx& tx) {
          picked = tx.due_messages(now, after_due, after_id, static_cast<int64_t>(room));
          if (std::optional<int64_t> next = tx.next_message_due_at())
            sleep_ms = std::clamp<int64_t>(*next - now, 0, kTickMs);
        });
      }
      if (room > 0) {
        if (picked.size() < room) {
          after_due = INT64_MIN;
          after_id = 0;
        } else {
          after_due = picked.back().due_at;
          after_id = picked.back().id;
        }
      }
      std::vector<OutgoingMessage> chosen;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        for (OutgoingMessage& m : picked) {
          if (room == 0) break;
          // Recorded while we were reading: what we read is older than its recorded attempt.
          if (in_flight_.count(m.id) || finished_since_read_.count(m.id)) continue;
          in_flight_.insert(m.id);
          chosen.push_back(std::move(m));
          --room;
        }
      }
      // Other server processes on the same database send too: each message is claimed before
      // it is sent (the claim runs out if this process dies before recording the attempt).
      std::set<int64_t> claimed;
      if (!chosen.empty()) {
        std::vector<int64_t> ids;
        for (const OutgoingMessage& m : chosen) ids.push_back(m.id);
        try {
          for (int64_t id : storage_.write([&](WriteTx& tx) {
                 return tx.claim_messages(ids, outbox_owner(), now,
                                         now + options_.smtp.timeout_ms + kLeaseMarginMs);
               }))
            claimed.insert(id);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mutex_);
          for (const OutgoingMessage& m : chosen) in_flight_.erase(m.id);
          throw;
        }
      }
      std::lock_guard<std::mutex> lock(mutex_);
      for (OutgoingMessage& m : chosen) {
        if (claimed.count(m.id))
          ready_.push_back(std::move(m));
        else
          in_flight_.erase(m.id);  // another process has it
      }
      if (!ready_.empty()) send_wake_.notify_all();
    } catch (const std::exception& e) {
      log_line("error", std::string("mail scheduler: ") + e.what());
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (sleep_ms == 0) sleep_ms = 50;  // due now but every sender is busy: look again soon
    schedule_wake_.wait_for(lock, std::chrono::milliseconds(sleep_ms),
                            [&] { return !running_ || woken_; });
    woken_ = false;
    if (!running_) return;
  }
}

void MailDispatcher::send_loop() {
  SmtpClient client(options_.smtp, &stopping_);
  ParsedTemplates parsed;  // this sender's: the same few templates, message after message
  while (true) {
    OutgoingMessage message;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      send_wake_.wait(lock, [&] { return !running_ || !ready_.empty(); });
      if (!running_) return;
      message = std::move(ready_.front());
      ready_.pop_front();
    }
    std::optional<MessageAttemptRecord> result;
    try {
      result = attempt(message, client, parsed);
    } catch (const std::exception& e) {
      log_line("error", "sending message " + std::to_string(message.id) + ": " + e.what());
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (result) {
      results_.push_back(*result);
      record_wake_.notify_one();
    } else {
      in_flight_.erase(message.id);  // nothing to record: still queued, tried again later
    }
  }
}

void MailDispatcher::record_loop() {
  while (true) {
    std::vector<MessageAttemptRecord> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      record_wake_.wait(lock, [&] { return !recording_ || !results_.empty(); });
      if (results_.empty()) return;  // stopping, and everything is recorded
      // Results that come in within a few milliseconds share the transaction and its sync.
      if (recording_ && results_.size() < kRecordBatch)
        record_wake_.wait_for(lock, kRecordWait,
                              [&] { return !recording_ || results_.size() >= kRecordBatch; });
      batch.swap(results_);
    }
    try {
      storage_.write([&](WriteTx& tx) {
        for (const MessageAttemptRecord& r : batch) tx.record_message_attempt(r);
      });
    } catch (const std::exception& e) {
      // Not recorded: the messages are still queued and due, so they will be tried again.
      log_line("error", "recording " + std::to_string(batch.size()) +
                            " mail attempts failed: " + e.what());
    }
    for (const MessageAttemptRecord& r : batch)
      metrics().count_mail_attempt(r.outcome == MessageStatus::sent     ? AttemptOutcome::delivered
                                   : r.outcome == MessageStatus::queued ? AttemptOutcome::retry
                                                                        : AttemptOutcome::failed);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (const MessageAttemptRecord& r : batch) {
        in_flight_.erase(r.message_id);
        finished_since_read_.insert(r.message_id);
      }
    }
    wake();  // room for more
  }
}

std::optional<MessageAttemptRecord> MailDispatcher::attempt(const OutgoingMessage& message,
                                                           SmtpClient& client,
                                                           ParsedTemplates& parsed) {
  MessageAttemptRecord record;
  record.message_id = message.id;
  record.at = now_ms();
  std::optional<ComposedMail> mail;
  try {
    mail = compose_mail(message, options_.server, storage_.ids(), &parsed);
  } catch (const std::exception& e) {
    record.outcome = MessageStatus::failed;  // composing again would fail again
    record.error = e.what();
    return record;
  }
  // What was read may be a batch old: a message suppressed (the shopper unsubscribed) or erased
  // (with its subscriber) since then is not sent. Nothing to record: it is no longer queued.
  if (!storage_.read([&](ReadTx& tx) { return tx.is_message_queued(message.id); }))
    return std::nullopt;
  const SmtpResult result = client.send(mail->envelope_from, mail->rcpt, mail->bytes);
  if (result.cancelled) return std::nullopt;  // the server is stopping: tried after restart
  const int64_t now = now_ms();
  switch (result.outcome) {
    case SmtpResult::Outcome::sent: record.outcome = MessageStatus::sent; break;
    case SmtpResult::Outcome::permanent:
      record.outcome = MessageStatus::failed;
      record.error = result.reply;
      break;
    case SmtpResult::Outcome::temporary:
      record.error = result.reply;
      if (now - message.due_since >= options_.retry.give_up_after_ms) {
        record.outcome = MessageStatus::failed;
      } else {
        double unit;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          unit = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
        }
        record.outcome = MessageStatus::queued;
        record.next_attempt_at = now + retry_delay_ms(options_.retry, message.attempts + 1, unit);
      }
      break;
  }
  return record;
}

}  // namespace stockbell::server
