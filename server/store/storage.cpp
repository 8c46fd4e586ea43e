// Choosing the backend from a `--db` value: the only place that knows there are two.

#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "server/ops/log.hpp"
#include "server/store/postgres/pg.hpp"
#include "server/store/postgres/pg_storage.hpp"
#include "server/store/sqlite/sqlite_storage.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

std::unique_ptr<Storage> open_storage(const std::string& location,
                                      const StorageOptions& options) {
  if (pg::is_postgres_url(location)) {
    pg::PoolOptions pool;
    pool.size = options.pool;
    pool.statement_timeout_ms = options.statement_timeout_ms;
    return std::make_unique<pg::PgStorage>(location, pool);
  }
  return std::make_unique<SqliteStorage>(location);
}

const std::string& outbox_owner() {
  static const std::string owner = [] {
    char host[256] = {0};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    const auto started = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    return std::string(host) + ":" + std::to_string(::getpid()) + ":" + std::to_string(started);
  }();
  return owner;
}

void give_back_claims(Storage& storage, const char* who) {
  try {
    storage.write([](WriteTx& tx) { tx.release_claims(outbox_owner()); });
  } catch (const std::exception& e) {  // the leases run out instead
    log_line("warn", std::string(who) + ": claims kept until their leases run out: " + e.what());
  }
}

bool storage_exists(const std::string& location) {
  if (pg::is_postgres_url(location)) return pg::postgres_has_schema(location);
  std::error_code ec;
  return std::filesystem::exists(location, ec);
}

}  // namespace stockbell::server
