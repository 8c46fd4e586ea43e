#pragma once
// The PostgreSQL backend of Storage (server/store/storage.hpp), chosen by a `postgres://` or
// `postgresql://` --db. A bounded pool of connections (--db-pool) serves reads and writes alike;
// every write is one READ COMMITTED transaction committed with synchronous_commit on (a 200
// means PostgreSQL has it on disk), run again when PostgreSQL reports a serialization failure,
// a deadlock or a unique-key collision with a concurrent transaction (write() allows replays).
// Several server processes may share one database: the SQL takes the row locks it needs
// (pg_tx_*.cpp). When the database can't be reached, read()/write() throw StorageUnavailable
// (503 with Retry-After); broken connections are dropped and new ones made at the next use, so
// the server recovers by itself when PostgreSQL is back.

#include <atomic>
#include <condition_variable>
#include <cstdint>
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
  size_t size = 8;                    ///< connections at most
  int64_t statement_timeout_ms = 30000;
  int64_t acquire_timeout_ms = 5000;  ///< waiting for a free connection
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

 protected:
  void run_read(const std::function<void(ReadTx&)>& job) override;
  void run_write(const std::function<void(WriteTx&)>& job) override;

 private:
  class Lease;
  std::unique_ptr<Database> acquire();
  void release(std::unique_ptr<Database> db, bool healthy);
  /// Runs `body(db)` on a pooled connection; a lost connection becomes StorageUnavailable.
  void with_connection(const std::function<void(Database&)>& body);

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
  std::vector<std::function<void()>> outbox_listeners_;
};

/// Whether the database at `url` has Stockbell's schema.
bool postgres_has_schema(const std::string& url);

}  // namespace stockbell::server::pg
