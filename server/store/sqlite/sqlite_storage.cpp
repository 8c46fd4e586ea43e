#include "server/store/sqlite/sqlite_storage.hpp"

#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <cstdio>

#include "server/store/sqlite/sqlite_tx.hpp"
#include "server/ops/log.hpp"

namespace stockbell::server {
namespace {

// Free space below which a disk that filled up is still reported full.
constexpr uint64_t kDiskRoomBytes = 1024 * 1024;

}  // namespace

SqliteStorage::SqliteStorage(const std::string& path)
    : writer_(path, Writer::Options{}), reads_(path), ids_(writer_.id_key()), path_(path) {
  writer_.on_rollback([this] { cache_.clear(); });
  struct stat file {};
  if (::stat(path.c_str(), &file) == 0) {
    device_ = static_cast<uint64_t>(file.st_dev);
    inode_ = static_cast<uint64_t>(file.st_ino);
  }
}

// Deleting or replacing the database file under a running server would send every later write
// into a file nobody can open again: acknowledged writes lost at the next restart. Checked
// around every read and write (one stat, ~1 µs); once seen, the store refuses everything.
void SqliteStorage::check_file() {
  if (!replaced_.load(std::memory_order_relaxed)) {
    struct stat file {};
    if (::stat(path_.c_str(), &file) == 0 && static_cast<uint64_t>(file.st_dev) == device_ &&
        static_cast<uint64_t>(file.st_ino) == inode_)
      return;
    if (!replaced_.exchange(true))
      log_line("error", "the database file " + path_ +
                            " was deleted or replaced; refusing every request until a restart");
  }
  throw StorageUnavailable(Unavailable::database_replaced);
}

std::optional<Unavailable> SqliteStorage::problem() {
  try {
    check_file();
  } catch (const StorageUnavailable& e) {
    return e.why();
  }
  if (disk_full_.load()) {
    // Until a write succeeds again, or the disk has room again (nobody may be writing).
    struct statvfs fs {};
    if (::statvfs(path_.c_str(), &fs) == 0 &&
        static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize >= kDiskRoomBytes)
      disk_full_ = false;
    else
      return Unavailable::disk_full;
  }
  return std::nullopt;
}

SqliteStorage::~SqliteStorage() { stop(); }

void SqliteStorage::on_outbox_written(std::function<void()> listener) {
  outbox_listeners_.push_back(std::move(listener));
}

WriteStats SqliteStorage::write_stats() const { return WriteStats{writer_.commits(), writer_.jobs()}; }

void SqliteStorage::stop() { writer_.stop(); }

void SqliteStorage::run_read(const std::function<void(ReadTx&)>& job) {
  check_file();
  auto db = reads_.acquire();
  Transaction snapshot(*db, Transaction::Mode::deferred);
  SqliteTx tx(*db, nullptr);
  job(tx);
  snapshot.commit();
  // The snapshot may have seen groups committed but not yet synced (writer.hpp): nothing read
  // may leave this function before they are on disk. Free when no group is in flight.
  writer_.wait_durable(writer_.committed());
}

void SqliteStorage::run_write(const std::function<void(WriteTx&)>& job) {
  check_file();
  bool outbox = false;
  try {
    writer_.run([&](Database& db) {
      SqliteTx tx(db, &cache_);
      job(tx);
      outbox = tx.outbox_written();  // the last run of the job decides (it may be replayed)
    });
  } catch (const SqliteError& e) {
    // SQLITE_FULL: the transaction was rolled back, nothing of it is stored. A 503 the client
    // may retry, not a 500.
    if ((e.code() & 0xFF) == SQLITE_FULL) {
      disk_full_ = true;
      throw StorageUnavailable(Unavailable::disk_full);
    }
    throw;
  }
  disk_full_ = false;
  check_file();  // committed into a file that is no longer the database: not a 200
  if (outbox)
    for (const auto& listener : outbox_listeners_) listener();
}

}  // namespace stockbell::server
