#include "server/app/release.hpp"

#include <algorithm>
#include <cstdio>

#include "core/event.hpp"
#include "core/release.hpp"
#include "server/ops/log.hpp"

namespace stockbell::server {
namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t notify(WriteTx& tx, int64_t store_id, int64_t target_id, const Product& product,
               const std::string& variant_id, std::optional<int64_t> limit, int64_t now,
               Mail mail) {
  if (limit && *limit <= 0) return 0;
  const int64_t snapshot = tx.snapshot_id(target_id, snapshot_of(&product, variant_id));
  const EventRange events = tx.notify_target(store_id, target_id, snapshot, now, limit);
  if (events.count == 0) return 0;
  tx.enqueue_deliveries(store_id, EventType::back_in_stock, events.first, events.last, now);
  if (sends_mail(tx, store_id, mail)) queue_back_in_stock(tx, store_id, events, now);
  return events.count;
}

int64_t apply_step(WriteTx& tx, int64_t store_id, int64_t target_id, const Product& product,
                   const std::string& variant_id, const ReleaseStep& step,
                   const std::optional<ReleaseSchedule>& stored, int64_t now, Mail mail) {
  const int64_t notified =
      notify(tx, store_id, target_id, product, variant_id, step.limit, now, mail);
  const std::optional<ReleaseSchedule> next = schedule_after(step, notified);
  if (next) {
    if (!(stored && *stored == *next)) tx.save_release_schedule(store_id, target_id, *next);
  } else if (stored) {
    tx.delete_release_schedule(target_id);
  }
  return notified;
}

}  // namespace

int64_t release_target(WriteTx& tx, int64_t store_id, int64_t target_id, const Product& product,
                       const std::string& variant_id, const ReleasePolicy& policy, int64_t now,
                       Mail mail) {
  const TargetState state = resolve_target(product, variant_id);
  if (policy.mode == ReleaseMode::all)  // today's path: no schedule to read or write
    return state.in_stock
               ? notify(tx, store_id, target_id, product, variant_id, std::nullopt, now, mail)
               : 0;
  const std::optional<ReleaseSchedule> stored = tx.release_schedule(target_id);
  const ReleaseStep step =
      plan_release(policy, state.in_stock, target_quantity(product, variant_id), stored, now);
  return apply_step(tx, store_id, target_id, product, variant_id, step, stored, now, mail);
}

int64_t run_due_release(WriteTx& tx, const DueRelease& due, int64_t now, Mail mail) {
  const std::optional<ReleaseSchedule> stored = tx.release_schedule(due.target_id);
  if (!stored || stored->next_batch_at > now) return 0;  // taken already
  const std::optional<ProductRecord> product = tx.find_product(due.store_id, due.product_id);
  if (!product) {  // deleted: nothing is in stock
    tx.delete_release_schedule(due.target_id);
    return 0;
  }
  const TargetState state = resolve_target(product->product, due.variant_id);
  const ReleaseStep step =
      plan_release(tx.store_settings(due.store_id).release, state.in_stock,
                   target_quantity(product->product, due.variant_id), stored, now);
  return apply_step(tx, due.store_id, due.target_id, product->product, due.variant_id, step, stored,
                    now, mail);
}

int64_t expire_old_requests(WriteTx& tx, int64_t store_id, int64_t now, int64_t limit) {
  const int64_t days = tx.store_settings(store_id).request_ttl_days;
  if (days <= 0) return 0;
  return tx.expire_requests(store_id, now - days * kDayMs, now, limit);
}

ReleaseScheduler::ReleaseScheduler(Storage& storage, Options options, Now now)
    : storage_(storage), options_(options), now_(std::move(now)) {}

ReleaseScheduler::~ReleaseScheduler() {
  stop();
}

void ReleaseScheduler::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (running_) return;
  running_ = true;
  thread_ = std::thread([this] { loop(); });
}

void ReleaseScheduler::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
    running_ = false;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t ReleaseScheduler::run_once() {
  int64_t done = 0;
  // Due batches: each read is an index range on next_batch_at; each batch its own transaction,
  // which checks again that it is due (exactly once, whoever else runs it).
  while (true) {
    const int64_t now = now_();
    const std::vector<DueRelease> due =
        storage_.read([&](ReadTx& tx) { return tx.due_releases(now, options_.batch_targets); });
    for (const DueRelease& d : due)
      done += storage_.write(
          [&](WriteTx& tx) { return run_due_release(tx, d, now, options_.mail); });
    if (static_cast<int64_t>(due.size()) < options_.batch_targets) break;
  }
  // Expiry: only stores with a requestTtlDays, and a write only when something is to expire.
  const int64_t now = now_();
  const auto stores = storage_.read([&](ReadTx& tx) {
    std::vector<int64_t> out;
    for (const auto& [store, settings] : tx.saved_settings())
      if (settings.request_ttl_days > 0 &&
          tx.has_waiting_before(store, now - settings.request_ttl_days * kDayMs))
        out.push_back(store);
    return out;
  });
  for (int64_t store : stores) {
    while (true) {
      const int64_t expired = storage_.write(
          [&](WriteTx& tx) { return expire_old_requests(tx, store, now, options_.expire_per_tx); });
      done += expired;
      if (expired < options_.expire_per_tx) break;
    }
  }
  return done;
}

void ReleaseScheduler::loop() {
  while (true) {
    int64_t sleep_ms = options_.tick_ms;
    try {
      run_once();
      const int64_t now = now_();
      if (std::optional<int64_t> next =
              storage_.read([](ReadTx& tx) { return tx.next_release_due_at(); }))
        sleep_ms = std::clamp<int64_t>(*next - now, 1, options_.tick_ms);
    } catch (const StorageUnavailable& e) {
      if (e.why() == Unavailable::shutting_down) return;
      // The database can't be reached (PostgreSQL restarting): try again at the next tick.
      std::fprintf(stderr, "stockbell: release scheduler: %s\n", e.what());
    } catch (const std::exception& e) {
      log_line("error", std::string("release scheduler: ") + e.what());
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(sleep_ms), [&] { return !running_; });
    if (!running_) return;
  }
}

}  // namespace stockbell::server
