#include "server/mail/mail_dispatcher.hpp"

#include <algorithm>
#include <cstdio>

#include "server/app/clock.hpp"

namespace stockbell::server {
namespace {

constexpr int64_t kTickMs = 1000;  // longest sleep of the scheduler when nothing is due

}  // namespace

MailDispatcher::MailDispatcher(Storage& storage, Options options)
    : storage_(storage), options_(std::move(options)), random_(std::random_device{}()) {}

MailDispatcher::~MailDispatcher() { stop(); }

void MailDispatcher::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (running_) return;
  running_ = true;
  stopping_ = false;
  scheduler_ = std::thread([this] { schedule_loop(); });
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
}

void MailDispatcher::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  schedule_wake_.notify_one();
}

void MailDispatcher::schedule_loop() {
  while (true) {
    int64_t sleep_ms = kTickMs;
    try {
      const int64_t now = now_ms();
      size_t room;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        finished_since_read_.clear();
        // Keep every sender busy and one more batch ready behind them.
        const size_t want = options_.connections * 4;
        room = in_flight_.size() >= want ? 0 : want - in_flight_.size();
      }
      std::vector<DueMessage> picked;
      if (room > 0) {
        storage_.read([&](ReadTx& tx) {
          // Fetch past the ones in flight: they are still queued in the database.
          size_t in_flight;
          {
            std::lock_guard<std::mutex> lock(mutex_);
            in_flight = in_flight_.size();
          }
          picked = tx.due_messages(now, static_cast<int64_t>(room + in_flight));
          if (std::optional<int64_t> next = tx.next_message_due_at())
            sleep_ms = std::clamp<int64_t>(*next - now, 0, kTickMs);
        });
      }
      std::lock_guard<std::mutex> lock(mutex_);
      for (DueMessage& d : picked) {
        if (room == 0) break;
        // Finished while we were reading: what we read is older than its recorded attempt.
        if (in_flight_.count(d.id) || finished_since_read_.count(d.id)) continue;
        in_flight_.insert(d.id);
        ready_.push_back(d);
        --room;
      }
      if (!ready_.empty()) send_wake_.notify_all();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "stockbell: mail scheduler: %s\n", e.what());
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
  while (true) {
    DueMessage due;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      send_wake_.wait(lock, [&] { return !running_ || !ready_.empty(); });
      if (!running_) return;
      due = ready_.front();
      ready_.pop_front();
    }
    try {
      attempt(due, client);
    } catch (const std::exception& e) {
      // Not recorded (the store is stopping, or failed): the message is still queued and due.
      std::fprintf(stderr, "stockbell: sending message %lld: %s\n",
                   static_cast<long long>(due.id), e.what());
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      in_flight_.erase(due.id);
      finished_since_read_.insert(due.id);
    }
    wake();  // a sender is free again
  }
}

void MailDispatcher::attempt(const DueMessage& due, SmtpClient& client) {
  std::optional<OutgoingMessage> message =
      storage_.read([&](ReadTx& tx) { return tx.outgoing_message(due.id); });
  // Erased with its subscriber, or suppressed (unsubscribed) since it was picked: not sent.
  if (!message || message->status != MessageStatus::queued) return;
  MessageAttemptRecord record;
  record.message_id = due.id;
  record.at = now_ms();
  std::optional<ComposedMail> mail;
  try {
    mail = compose_mail(*message, options_.server, storage_.ids());
  } catch (const std::exception& e) {
    record.outcome = MessageStatus::failed;  // composing again would fail again
    record.error = e.what();
  }
  if (mail) {
    const SmtpResult result = client.send(mail->envelope_from, mail->rcpt, mail->bytes);
    if (result.cancelled) return;  // the server is stopping: still queued, tried after restart
    const int64_t now = now_ms();
    switch (result.outcome) {
      case SmtpResult::Outcome::sent: record.outcome = MessageStatus::sent; break;
      case SmtpResult::Outcome::permanent:
        record.outcome = MessageStatus::failed;
        record.error = result.reply;
        break;
      case SmtpResult::Outcome::temporary:
        record.error = result.reply;
        if (now - message->due_since >= options_.retry.give_up_after_ms) {
          record.outcome = MessageStatus::failed;
        } else {
          double unit;
          {
            std::lock_guard<std::mutex> lock(mutex_);
            unit = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
          }
          record.outcome = MessageStatus::queued;
          record.next_attempt_at =
              now + retry_delay_ms(options_.retry, message->attempts + 1, unit);
        }
        break;
    }
  }
  storage_.write([&](WriteTx& tx) { tx.record_message_attempt(record); });
}

}  // namespace stockbell::server
