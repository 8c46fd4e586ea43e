#pragma once
// The release policy at work (README "Release"; the rules are core/release.hpp). Two halves:
//  - release_target(): what one write does to one target with waiting requests, in the caller's
//    transaction: notify (all, or a batch of the oldest) and store, move or remove the target's
//    schedule. notify_in_stock() (upserts, stock pushes, platform receivers) and the scheduler
//    both go through it, so a batch and an upsert release in exactly the same way.
//  - ReleaseScheduler: a thread that runs the due batches (one transaction per target and batch)
//    and expires old waiting requests. It keeps nothing in memory that matters: the schedule is
//    in the database, so after a restart or kill -9 the batches go on where they were.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/product.hpp"
#include "core/settings.hpp"
#include "server/app/notify.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

/// Releases the waiting requests of target `target_id` ((product, variant_id) of `product`, as
/// stored now) under `policy` at `now`, queueing their webhook deliveries and (when the store
/// sends mail) their back_in_stock messages; returns how many were notified. Under mode `all` a stored
/// schedule is left alone (the scheduler removes it when it comes due).
int64_t release_target(WriteTx& tx, int64_t store_id, int64_t target_id, const Product& product,
                       const std::string& variant_id, const ReleasePolicy& policy, int64_t now,
                       Mail mail);

/// Runs the batch of one due schedule, if it is still due at `now` (a racing upsert or an earlier
/// run may have taken it: then nothing happens). Re-reads stock and settings. Returns how many
/// were notified.
int64_t run_due_release(WriteTx& tx, const DueRelease& due, int64_t now, Mail mail);

/// Expires up to `limit` waiting requests of a store older than its requestTtlDays at `now`.
int64_t expire_old_requests(WriteTx& tx, int64_t store_id, int64_t now, int64_t limit);

class ReleaseScheduler {
 public:
  using Now = std::function<int64_t()>;
  struct Options {
    int64_t tick_ms = 1000;         ///< longest sleep when nothing is due
    int64_t batch_targets = 64;     ///< due schedules read per round
    int64_t expire_per_tx = 5'000;  ///< requests expired per transaction
    Mail mail = Mail::off;          ///< whether a batch queues its shoppers' e-mail
  };
  /// `now` is injected (tests move it; serve passes the process clock of server/app/clock.hpp).
  ReleaseScheduler(Storage& storage, Options options, Now now);
  ~ReleaseScheduler();
  void start();
  /// Finishes the transaction under way; the rest stays due in the database.
  void stop();
  /// One round: every due batch, then expiry. Returns the requests notified and expired.
  int64_t run_once();

 private:
  void loop();

  Storage& storage_;
  Options options_;
  Now now_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool running_ = false;
  std::thread thread_;
};

}  // namespace stockbell::server
