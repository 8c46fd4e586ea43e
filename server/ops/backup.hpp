#pragma once
// `stockbell backup --db PATH --to FILE` and `stockbell restore --from FILE --db PATH`
// (README "Backup and restore").
//
// backup: a consistent copy while the server runs and writes (store/backup.hpp), written to
// `FILE.partial-PID` and renamed to FILE only once it is complete, checked and synced, so an
// interrupted backup (Ctrl-C, SIGTERM, a full disk) never leaves a FILE that looks whole. On a
// terminal it shows a progress line (pages, rate, time left); otherwise it prints only its final
// line. A PostgreSQL --db is not copied: the command explains pg_dump instead.
//
// restore: checks the backup, then puts a copy of it in place of PATH (the old database's WAL
// and shared-memory files are removed first: they belong to the old file). Run it with the
// server stopped; a server still running on PATH notices the replaced file and refuses every
// request until it is restarted.

#include <string>

namespace stockbell::server {

struct BackupCommand {
  std::string db;
  std::string to;
};
struct RestoreCommand {
  std::string from;
  std::string db;
};

/// The exit status: 0 done, 1 failed, 2 not possible here (PostgreSQL), 130 interrupted.
int run_backup(const BackupCommand& command);
int run_restore(const RestoreCommand& command);

}  // namespace stockbell::server
