#pragma once
// The command line (README "Set-up", "Keys", "Configuration"). Every flag can also come from an
// environment variable (STOCKBELL_PORT, STOCKBELL_DB, ...); a flag wins over the environment.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/api_key.hpp"
#include "server/config.hpp"
#include "server/ops/backup.hpp"

namespace stockbell::server {

struct KeysCreateCommand {
  std::string db;
  std::string store;
  KeyKind kind = KeyKind::secret;
  std::vector<std::string> origins;  ///< normalised
};
/// Lists keys (never the keys themselves: their id, store, kind, times, fingerprint, origins).
struct KeysListCommand {
  std::string db;
  std::optional<std::string> store;  ///< only this store's keys
};
/// Revokes a key by the id `keys list` shows.
struct KeysRevokeCommand {
  std::string db;
  int64_t id = 0;
};
/// Prints a one-time dashboard sign-in link (server/app/sessions.hpp).
struct DashboardUrlCommand {
  std::string db;
  std::string store;
  std::string base_url = "http://127.0.0.1:8080";  ///< where browsers reach the server
};
/// Copies a SQLite database into an empty PostgreSQL one (server/store/postgres/pg_import.hpp).
struct MigrateCommand {
  std::string from;  ///< the SQLite file
  std::string to;    ///< a postgres:// or postgresql:// URL
};
struct ServeCommand {
  ServeConfig config;
};
struct HelpCommand {};
struct VersionCommand {};
/// A usage error: the message to print (exit status 2).
struct UsageError {
  std::string message;
};

using Command = std::variant<ServeCommand, KeysCreateCommand, KeysListCommand, KeysRevokeCommand,
                             DashboardUrlCommand, BackupCommand, RestoreCommand, MigrateCommand,
                             HelpCommand, VersionCommand, UsageError>;

/// `getenv` is injected so tests can pass their own environment.
Command parse_command_line(const std::vector<std::string>& args,
                           const char* (*getenv_fn)(const char*));

std::string usage_text();

}  // namespace stockbell::server
