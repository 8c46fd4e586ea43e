// Choosing the backend from a `--db` value. Today every location is a SQLite file path.

#include <filesystem>

#include "server/store/sqlite/sqlite_storage.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

std::unique_ptr<Storage> open_storage(const std::string& location) {
  return std::make_unique<SqliteStorage>(location);
}

bool storage_exists(const std::string& location) {
  std::error_code ec;
  return std::filesystem::exists(location, ec);
}

}  // namespace stockbell::server
