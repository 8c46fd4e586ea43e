#pragma once
// The single writer of the SQLite backend: one thread owns the write connection and runs every
// write job. Jobs that arrive while a group is being run wait together and share the next
// transaction (group commit): a failing job is rolled back alone, then one COMMIT.
//
// The COMMIT itself does not sync (`synchronous = NORMAL`, WAL mode): a second thread, the
// syncer, `fdatasync`s the WAL file after it, and only then does any caller of that group get
// its result. Meanwhile the writer already runs the next group, so the sync overlaps work
// instead of stalling it. Each group has a sequence number; `durable()` is the highest one whose
// WAL frames are on disk (the durability watermark). Readers see committed frames before they
// are synced, so a read waits, after it ran, until everything that was committed when it ended
// is durable (wait_durable): nothing anybody acts on, and no 200, rests on a write that a power
// cut could still take back. Checkpoints with `synchronous = NORMAL` sync the WAL before they
// copy frames into the database file (and the database file after), and SQLite syncs the WAL
// header when the WAL starts over, so neither can put unsynced frames ahead of synced ones.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>

#include "server/store/sqlite/sqlite.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

/// The WAL's bounds (see truncate_wal_if_large): past kWalCheckpointBytes the writer checkpoints
/// it so it starts over; a WAL that starts over is cut back to kWalLimitBytes.
constexpr uint64_t kWalCheckpointBytes = 32 * 1024 * 1024;
constexpr int64_t kWalLimitBytes = 32 * 1024 * 1024;
constexpr int kRestartWaitMs = 100;

class Writer {
 public:
  struct Options {
    size_t max_batch = 256;  ///< jobs per transaction
    /// Committed groups still waiting for their sync when the writer may start another one.
    size_t max_unsynced = 1;
  };

  /// Opens the write connection (migrating the schema) and starts the writer thread.
  Writer(const std::string& path, Options options);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  /// Runs `job(db)` inside the writer's transaction and returns its result once the
  /// transaction is committed. A job that throws is rolled back alone and the exception is
  /// rethrown here; a failed COMMIT fails every job of the group. A job may run more than once
  /// (when a neighbour throws, the group is replayed job by job): it must write only through
  /// `db`, and anything it accumulates outside must be reset when it starts.
  template <class F>
  auto run(F job) -> std::invoke_result_t<F, Database&> {
    using R = std::invoke_result_t<F, Database&>;
    if constexpr (std::is_void_v<R>) {
      submit([&](Database& db) { job(db); });
    } else {
      std::optional<R> result;
      submit([&](Database& db) { result.emplace(job(db)); });
      return std::move(*result);
    }
  }

  /// Called on the writer thread whenever a job or a commit is rolled back (for caches of what
  /// the writer wrote). Set before the first job.
  void on_rollback(std::function<void()> listener) { on_rollback_ = std::move(listener); }

  /// The database's id key (see core/ids.hpp).
  uint64_t id_key() const { return id_key_; }

  /// The sequence number of the last group whose COMMIT has started (assigned before COMMIT, so
  /// any snapshot that sees a group's writes reads a number at least as high afterwards).
  uint64_t committed() const { return committed_.load(); }
  /// The durability watermark: every group up to this number is on disk (or failed).
  uint64_t durable() const { return durable_.load(); }
  /// Returns once durable() >= seq (at once when nothing is in flight).
  void wait_durable(uint64_t seq);

  /// Finishes the queued jobs, then stops the thread. Later run() calls throw StorageUnavailable.
  void stop();

  /// Number of transactions committed, jobs run, and jobs waiting for their group (for
  /// benchmarks and tests).
  size_t commits() const;
  size_t jobs() const;
  size_t queued() const;

 private:
  // Lives on the submitting thread's stack until its group is committed.
  struct Pending {
    std::function<void(Database&)> work;
    std::exception_ptr error;
    bool done = false;
  };

  // A group committed (or failed) by the writer, waiting for the syncer.
  struct Committed {
    uint64_t seq = 0;
    std::deque<Pending*> jobs;
    std::exception_ptr error;  ///< the COMMIT's failure: every job fails
  };

  void submit(std::function<void(Database&)> work);
  void loop();
  void sync_loop();
  void checkpoint_loop(std::string path);
  struct PlainRun {
    std::exception_ptr error;  ///< the job's, BEGIN's or COMMIT's failure; null: committed
    bool job_threw = false;
  };
  PlainRun run_plain(std::deque<Pending*>& group);
  void rolled_back();
  std::exception_ptr run_one_by_one(std::deque<Pending*>& group);
  std::exception_ptr run_group(std::deque<Pending*>& group);
  void truncate_wal_if_large();

  Options options_;
  std::function<void()> on_rollback_;
  std::unique_ptr<Database> db_;
  uint64_t id_key_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;  ///< one broadcast per sync wakes submitters and readers
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  std::deque<Committed> unsynced_;  ///< in commit order, for the syncer
  std::condition_variable sync_wake_;
  std::condition_variable synced_;  ///< wakes the writer waiting for room (max_unsynced)
  bool writer_done_ = false;
  std::atomic<uint64_t> committed_{0};
  std::atomic<uint64_t> durable_{0};
  int wal_fd_ = -1;  ///< the WAL file, for the syncer's fdatasync
  std::thread syncer_;
  size_t commits_ = 0;
  size_t jobs_ = 0;
  size_t commits_since_checkpoint_ = 0;
  std::condition_variable checkpoint_wake_;
  std::thread thread_;
  std::thread checkpointer_;
  // The writer thread's only.
  uint64_t page_size_ = 4096;
  uint64_t wal_bytes_ = 0;  ///< after the last commit (the WAL hook)
  std::chrono::steady_clock::time_point next_truncate_{};
};

}  // namespace stockbell::server
