#pragma once
// The PostgreSQL schema: versioned migrations (table schema_version), run under an advisory lock
// so several processes starting together migrate once.

#include <cstdint>

#include "server/store/postgres/pg.hpp"

namespace stockbell::server::pg {

/// The version a migrated database has.
int schema_version();
/// Migrates the database `db` is connected to (creating the schema if it is empty) and returns
/// its id key (core/ids.hpp), made at creation.
uint64_t open_schema(Database& db);

}  // namespace stockbell::server::pg
