// The SQLite backend's `backup` (server/store/backup.hpp).

#include "server/store/backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "server/store/sqlite/sqlite.hpp"

namespace stockbell::server {
namespace {

constexpr int kPagesPerStep = 256;  // 1 MiB of 4 KiB pages: short steps, a progress line each

void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot sync " + path);
  }
  ::close(fd);
}

}  // namespace

bool backup_supported(const std::string& location) {
  return location.rfind("postgres://", 0) != 0 && location.rfind("postgresql://", 0) != 0;
}

void backup_database(const std::string& location, const std::string& to,
                     const std::function<void(const BackupProgress&)>& progress,
                     const std::atomic<bool>& cancel) {
  Database source(location, Database::Mode::read_write_create);
  // One read transaction across every step: each step reads the same snapshot, so a write
  // committed meanwhile neither restarts the copy nor gets half into it.
  Transaction snapshot(source, Transaction::Mode::deferred);
  source.exec("SELECT COUNT(*) FROM sqlite_schema");
  {
    Database target(to, Database::Mode::read_write_create);
    sqlite3_backup* copy = sqlite3_backup_init(target.handle(), "main", source.handle(), "main");
    if (copy == nullptr)
      throw std::runtime_error(std::string("cannot start the backup: ") +
                               sqlite3_errmsg(target.handle()));
    int rc = SQLITE_OK;
    while (true) {
      if (cancel) {
        sqlite3_backup_finish(copy);
        throw std::runtime_error("interrupted");
      }
      rc = sqlite3_backup_step(copy, kPagesPerStep);
      const int total = sqlite3_backup_pagecount(copy);
      progress({total - sqlite3_backup_remaining(copy), total});
      if (rc == SQLITE_DONE) break;
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      if (rc != SQLITE_OK) break;
    }
    sqlite3_backup_finish(copy);
    if (rc != SQLITE_DONE)
      throw std::runtime_error(std::string("the copy failed: ") + sqlite3_errstr(rc));
    // A backup is one file: the copy came in WAL mode like its source.
    target.exec("PRAGMA journal_mode = DELETE");
  }
  verify_database_file(to);
  sync_file(to);
}

void verify_database_file(const std::string& path) {
  Database db(path, Database::Mode::read_only);
  Statement check = db.prepare("PRAGMA integrity_check");
  std::string verdict;
  while (check.step()) verdict += (verdict.empty() ? "" : "; ") + check.string(0);
  if (verdict != "ok") throw std::runtime_error(path + " fails its integrity check: " + verdict);
}

}  // namespace stockbell::server
