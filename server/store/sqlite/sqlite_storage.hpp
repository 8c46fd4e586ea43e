#pragma once
// The SQLite backend of Storage (server/store/storage.hpp): one writer thread with group commit
// (writer.hpp) owns the write connection and the write cache; reads run on pooled read-only
// connections (read_pool.hpp), each inside a deferred transaction, so one read sees one
// snapshot. WAL mode: readers never block the writer nor each other, and see every committed
// write, so a read after a 200 sees that write. A read returns only once every write it may have
// seen is on disk (the writer's durability watermark).

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <mutex>
#include <string>
#include <vector>

#include "server/store/sqlite/read_pool.hpp"
#include "server/store/sqlite/write_cache.hpp"
#include "server/store/sqlite/writer.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

class SqliteStorage final : public Storage {
 public:
  /// Opens (creating if needed) and migrates the database file at `path`.
  explicit SqliteStorage(const std::string& path);
  ~SqliteStorage() override;

  const IdCodec& ids() const override { return ids_; }
  void on_outbox_written(std::function<void()> listener) override;
  WriteStats write_stats() const override;
  void stop() override;
  std::optional<Unavailable> problem() override;

 protected:
  void run_read(const std::function<void(ReadTx&)>& job) override;
  void run_write(const std::function<void(WriteTx&)>& job) override;

 private:
  Writer writer_;
  ReadPool reads_;
  IdCodec ids_;
  WriteCache cache_;  ///< the writer thread's only
  std::vector<std::function<void()>> outbox_listeners_;

  // The file opened at start: a different one (or none) at `path_` means it was replaced.
  std::string path_;
  uint64_t device_ = 0;
  uint64_t inode_ = 0;
  std::atomic<bool> replaced_{false};
  std::atomic<bool> disk_full_{false};
  /// Throws StorageUnavailable(database_replaced) if the file at path_ is not the one opened.
  void check_file();
};

}  // namespace stockbell::server
