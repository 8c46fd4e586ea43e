#pragma once
// The PostgreSQL backend of Storage (server/store/storage.hpp), chosen by a `postgres://` or
// `postgresql://` --db. A bounded pool of connections (--db-pool) serves reads and writes alike;
// every write is a READ COMMITTED transaction committed with synchronous_commit on (a 200
// means PostgreSQL has it on disk), run again when PostgreSQL reports a serialization failure,
// a deadlock or a unique-key collision with a concurrent transaction (write() allows replays).
//
// Group commit: at most `write_leaders` write transactions run at once per process. A write that
// finds them all busy queues; the next free leader takes up to `max_batch` queued writes and runs
// them in one transaction, one after the other, with one COMMIT for all (registrations for one
// product, which serialize on its row locks through each COMMIT, then share a disk flush). No
// savepoints: when any write of a group fails (its own error, a deadlock, a collision) or the
// COMMIT fails, the group is rolled back whole and each of its writes is run again alone, in its
// own transaction with the retries above, so each gets its own answer. A lost connection fails
// every write of the group (503; nothing of it was answered 200).
// Several server processes may share one database: the SQL takes the row locks it needs
// (pg_tx_*.cpp). When the database can't be reached, read()/write() throw StorageUnavailable
// (503 with Retry-After); broken connections are dropped and new ones made at the next use, so
// the server recovers by itself when PostgreSQL is back.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/store/postgres/pg.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server::pg {

struct PoolOptions {
  size_t size = 8;  ///< connections at most
  int64_t statement_timeout_ms = 30000;
  int64_t acquire_timeout_ms = 5000;  ///< waiting for a free connection
  /// Write transactions under way at once; more writes queue and share transactions (group
  /// commit). Two: registrations ran 1.06-2.5x faster than with one transaction per write (hot
  /// product or spread, 1 or 2 processes, 16 or 32 connections; README "Scaling out"), one did
  /// as well, four worse on spread products (more cross-group deadlocks); two so that one slow
  /// write (a large fan-out) doesn't hold up every other.
  size_t write_leaders = 2;
  size_t max_batch = 32;  ///< writes per transaction at most
};

class PgStorage final : public Storage {
 public:
  /// Connects and migrates; throws if PostgreSQL can't be reached at start.
  PgStorage(const std::string& url, PoolOptions options);
  ~PgStorage() override;

  const IdCodec& ids() const override { return ids_; }
  void on_outbox_written(std::function<void()> listener) override;
  WriteStats write_stats() const override;
  void stop() override;
  std::optional<Unavailable> problem() override;
  /// Writes waiting for a leader (tests).
  size_t queued() const;

 protected:
  void run_read(const std::function<void(ReadTx&)>& job) override;
  void run_write(const std::function<void(WriteTx&)>& job) override;

 private:
  /// What became of a queued write.
  enum class WriteState {
    queued,     ///< waiting for a leader
    running,    ///< in a group under way
    committed,  ///< its group committed
    alone,      ///< its group was rolled back: its caller runs it again in its own transaction
    failed,     ///< the error is its answer (a lost connection; its own error when alone)
  };
  struct Pending;
  std::unique_ptr<Database> acquire();
  void release(std::unique_ptr<Database> db, bool healthy);
  /// Runs `body(db)` on a pooled connection; a lost connection becomes StorageUnavailable.
  void with_connection(const std::function<void(Database&)>& body);
  /// One write in its own transaction, retried on collisions; true when it wrote outbox rows.
  bool run_alone(const std::function<void(WriteTx&)>& job);
  /// Runs `group` in one transaction; what became of its writes (`error`: their answer when
  /// they failed).
  WriteState run_group(const std::vector<Pending*>& group, std::exception_ptr& error);
  void notify_outbox();

  std::string url_;
  PoolOptions options_;
  IdCodec ids_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Database>> idle_;
  size_t open_ = 0;  ///< connections handed out or idle
  std::atomic<bool> stopping_{false};
  std::atomic<bool> unreachable_{false};
  std::atomic<size_t> commits_{0};
  std::atomic<size_t> writes_{0};
  mutable std::mutex queue_mutex_;
  std::condition_variable settled_;  ///< a group was settled, or a leader's place freed
  std::deque<Pending*> queue_;
  size_t leaders_ = 0;
  std::vector<std::function<void()>> outbox_listeners_;
};

/// Whether the database at `url` has Stockbell's schema.
bool postgres_has_schema(const std::string& url);

}  // namespace stockbell::server::pg
