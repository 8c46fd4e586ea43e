// `stockbell`: see server/cli.hpp for the commands.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "core/version.hpp"
#include "server/app/keys.hpp"
#include "server/app/sessions.hpp"
#include "server/cli.hpp"
#include "server/serve.hpp"
#include "server/store/postgres/pg_import.hpp"
#include "server/store/storage.hpp"

#include <unistd.h>

namespace {

using namespace stockbell;
using namespace stockbell::server;

const char* system_getenv(const char* name) { return std::getenv(name); }

int keys_create(const KeysCreateCommand& cmd) {
  std::unique_ptr<Storage> storage = open_storage(cmd.db);
  const std::string key = KeyService(*storage).create(cmd.store, cmd.kind, cmd.origins);
  storage->stop();
  std::printf("%s\n", key.c_str());
  return 0;
}

std::string fingerprint(const KeyHash& hash) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < 6; ++i) {
    out += kHex[hash[i] >> 4];
    out += kHex[hash[i] & 0xf];
  }
  return out;
}

// A mistyped path must not become a new database.
bool database_exists(const std::string& location) {
  if (storage_exists(location)) return true;
  std::fprintf(stderr, "stockbell: no database at %s\n", location.c_str());
  return false;
}

int keys_list(const KeysListCommand& cmd) {
  if (!database_exists(cmd.db)) return 1;
  std::unique_ptr<Storage> storage = open_storage(cmd.db);
  const std::vector<ApiKeyRecord> keys = KeyService(*storage).list(cmd.store);
  storage->stop();
  std::printf("%-6s %-24s %-12s %-25s %-25s %-13s %s\n", "ID", "STORE", "KIND", "CREATED",
              "REVOKED", "FINGERPRINT", "ORIGINS");
  for (const ApiKeyRecord& key : keys) {
    std::string origins;
    for (const std::string& origin : key.origins) origins += (origins.empty() ? "" : ",") + origin;
    const std::string revoked =
        key.revoked_at ? format_timestamp(*key.revoked_at) : std::string("-");
    std::printf("%-6lld %-24s %-12s %-25s %-25s %-13s %s\n", static_cast<long long>(key.id),
                key.store_name.c_str(), std::string(key_kind_name(key.kind)).c_str(),
                format_timestamp(key.created_at).c_str(), revoked.c_str(),
                fingerprint(key.hash).c_str(), origins.empty() ? "-" : origins.c_str());
  }
  return 0;
}

int keys_revoke(const KeysRevokeCommand& cmd) {
  if (!database_exists(cmd.db)) return 1;
  std::unique_ptr<Storage> storage = open_storage(cmd.db);
  const bool revoked = KeyService(*storage).revoke(cmd.id);
  storage->stop();
  if (!revoked) {
    std::fprintf(stderr, "stockbell: no live key with id %lld (see keys list)\n",
                 static_cast<long long>(cmd.id));
    return 1;
  }
  std::printf("revoked key %lld\n", static_cast<long long>(cmd.id));
  return 0;
}

int dashboard_url(const DashboardUrlCommand& cmd) {
  if (!database_exists(cmd.db)) return 1;
  std::unique_ptr<Storage> storage = open_storage(cmd.db);
  const std::optional<std::string> token = SessionService(*storage).create_link(cmd.store);
  storage->stop();
  if (!token) {
    std::fprintf(stderr, "stockbell: no store named %s (see keys list)\n", cmd.store.c_str());
    return 1;
  }
  std::printf("%s/dashboard/sign-in?token=%s\n", cmd.base_url.c_str(), token->c_str());
  std::fprintf(stderr, "The link signs in once, within 15 minutes.\n");
  return 0;
}

int migrate(const MigrateCommand& cmd) {
  if (!storage_exists(cmd.from)) {
    std::fprintf(stderr, "stockbell: no database at %s\n", cmd.from.c_str());
    return 1;
  }
  // A progress line rewritten in place on a terminal; one line per table otherwise (logs).
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  const auto progress = [tty](const std::string& table, int64_t done, int64_t total) {
    if (tty)
      std::fprintf(stderr, "\r\033[Kcopying %s: %lld of %lld rows", table.c_str(),
                   static_cast<long long>(done), static_cast<long long>(total));
    else if (done == total)  // a table's last call
      std::fprintf(stderr, "copied %s: %lld rows\n", table.c_str(), static_cast<long long>(done));
  };
  try {
    const std::vector<pg::TableCopy> copied = pg::import_sqlite(cmd.from, cmd.to, progress);
    if (tty) std::fputs("\r\033[K", stderr);
    int64_t rows = 0;
    for (const pg::TableCopy& t : copied) rows += t.rows;
    std::printf("migrated %lld rows in %zu tables; every table's count matches the source\n",
                static_cast<long long>(rows), copied.size());
    return 0;
  } catch (const std::exception& e) {
    if (tty) std::fputs("\n", stderr);
    std::fprintf(stderr, "stockbell: migrate: %s\n", e.what());
    return 1;
  }
}

struct Runner {
  int operator()(const ServeCommand& c) const { return serve(c.config); }
  int operator()(const KeysCreateCommand& c) const { return keys_create(c); }
  int operator()(const KeysListCommand& c) const { return keys_list(c); }
  int operator()(const KeysRevokeCommand& c) const { return keys_revoke(c); }
  int operator()(const DashboardUrlCommand& c) const { return dashboard_url(c); }
  int operator()(const BackupCommand& c) const { return run_backup(c); }
  int operator()(const RestoreCommand& c) const { return run_restore(c); }
  int operator()(const MigrateCommand& c) const { return migrate(c); }
  int operator()(const HelpCommand&) const {
    std::fputs(usage_text().c_str(), stdout);
    return 0;
  }
  int operator()(const VersionCommand&) const {
    std::printf("stockbell %s\n", STOCKBELL_VERSION);
    return 0;
  }
  int operator()(const UsageError& e) const {
    std::fprintf(stderr, "stockbell: %s\n\n%s", e.message.c_str(), usage_text().c_str());
    return 2;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return std::visit(Runner{}, parse_command_line(args, system_getenv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stockbell: %s\n", e.what());
    return 1;
  }
}
