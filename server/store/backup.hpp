#pragma once
// `stockbell backup`: a consistent copy of a database while a server may be writing to it.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace stockbell::server {

struct BackupProgress {
  int64_t done = 0;   ///< pages copied
  int64_t total = 0;  ///< pages in the snapshot being copied
};

/// Copies the database at `location` into the NEW file `to` (which must not exist) as one
/// snapshot: every write committed before the copy began is in it, none that began after.
/// The SQLite backend copies with the online backup API in steps of a few hundred pages, inside
/// one read transaction (WAL: writers go on meanwhile), makes the copy a self-contained file
/// (no WAL), checks it (`PRAGMA integrity_check`) and syncs it to disk. `progress` is called
/// after every step. Throws with the reason on failure or when `cancel` becomes true; `to` may
/// then be left behind for the caller to remove.
void backup_database(const std::string& location, const std::string& to,
                     const std::function<void(const BackupProgress&)>& progress,
                     const std::atomic<bool>& cancel);

/// Throws unless the SQLite file at `path` passes `PRAGMA integrity_check` (restore checks a
/// backup before it puts it in place).
void verify_database_file(const std::string& path);

/// Whether `location` names a database `backup` can copy itself (not a PostgreSQL URL).
bool backup_supported(const std::string& location);

}  // namespace stockbell::server
