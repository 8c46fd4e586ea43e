#pragma once
// The SQLite schema and its versioned migrations.

#include <cstdint>

#include "server/store/sqlite/sqlite.hpp"

namespace stockbell::server {

/// The schema version this binary writes.
int schema_version();

/// Per-connection settings: foreign keys on, `synchronous = FULL` (a commit is on disk; the
/// writer turns its own connection to NORMAL and syncs the WAL itself: writer.hpp).
void configure_connection(Database& db);

/// Puts the database in WAL mode, migrates it to schema_version() in one transaction, and
/// returns its id key (random, created with the database). Refuses a newer schema.
uint64_t open_schema(Database& db);

}  // namespace stockbell::server
