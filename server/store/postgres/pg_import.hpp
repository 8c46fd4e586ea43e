#pragma once
// `stockbell migrate --from PATH --to postgres://...`: copies a SQLite database, table by table
// and row by row with the same ids (and the same id key, so every public id and every key keeps
// working: keys are stored as hashes and move as they are), into an empty PostgreSQL database,
// in one transaction, then counts every table on both sides.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace stockbell::server::pg {

struct TableCopy {
  std::string table;
  int64_t rows = 0;  ///< copied, and counted on both sides
};

/// Called as rows are copied: the table, rows copied of it so far, and its rows in all.
using ImportProgress = std::function<void(const std::string& table, int64_t done, int64_t total)>;

/// Throws std::runtime_error when the target is not empty (nothing is written), a table is
/// unknown to this version, or the counts differ at the end (the copy is rolled back).
std::vector<TableCopy> import_sqlite(const std::string& sqlite_path, const std::string& url,
                                     const ImportProgress& progress);

}  // namespace stockbell::server::pg
