#pragma once
// The single writer of the SQLite backend: one thread owns the write connection and runs every write job. Jobs that
// arrive while a commit is being synced wait together and share the next transaction (group
// commit): a failing job is rolled back alone, then one COMMIT with `synchronous = FULL` makes
// the whole group durable, and only then does any caller get its result. So a 200 always means
// "on disk", and throughput comes from batching the fsync, not from weaker syncing.

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

  void submit(std::function<void(Database&)> work);
  void loop();
  void checkpoint_loop(std::string path);
  struct PlainRun {
    std::exception_ptr error;  ///< the job's, BEGIN's or COMMIT's failure; null: committed
    bool job_threw = false;
  };
  PlainRun run_plain(std::deque<Pending*>& group);
  void rolled_back();
  std::exception_ptr run_one_by_one(std::deque<Pending*>& group);
  void run_group(std::deque<Pending*>& group);
  void truncate_wal_if_large();

  Options options_;
  std::function<void()> on_rollback_;
  std::unique_ptr<Database> db_;
  uint64_t id_key_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;  ///< one broadcast per committed group wakes its submitters
  std::deque<Pending*> queue_;
  bool stopping_ = false;
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
