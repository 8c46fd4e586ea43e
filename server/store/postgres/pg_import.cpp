#include "server/store/postgres/pg_import.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "server/store/postgres/pg.hpp"
#include "server/store/postgres/pg_schema.hpp"
#include "server/store/sqlite/schema.hpp"
#include "server/store/sqlite/sqlite.hpp"

namespace stockbell::server::pg {
namespace {

// Every table, parents before children (foreign keys hold after each insert).
constexpr const char* kTables[] = {
    "meta", "stores", "api_keys", "api_key_origins", "subscribers", "products", "targets",
    "snapshots", "requests", "store_settings", "orders", "purchases", "events", "webhooks",
    "deliveries", "delivery_attempts", "integrations", "platform_deliveries", "platform_versions",
    "platform_items", "inventory_tracking", "inventory_levels", "sign_in_links", "sessions",
    "demand", "activity", "release_schedules", "suppressions", "mail_templates", "mail_setups",
    "messages"};
// Tables whose `id` PostgreSQL numbers (an identity column) after the copy.
constexpr const char* kIdentityTables[] = {
    "stores", "api_keys", "subscribers", "products", "targets", "snapshots", "requests", "orders",
    "events", "webhooks", "deliveries", "delivery_attempts", "integrations", "mail_setups",
    "messages"};

// Table names come from the fixed list above, never from input: safe to splice into SQL.
int64_t sqlite_count(stockbell::server::Database& db, const std::string& table) {
  stockbell::server::Statement st = db.prepare("SELECT count(*) FROM " + table);
  st.step();
  return st.int64(0);
}

int64_t pg_count(Database& db, const std::string& table) {
  Statement st(db, "SELECT count(*) FROM " + table);
  st.step();
  const int64_t n = st.int64(0);
  st.reset();
  return n;
}

std::vector<std::string> sqlite_columns(stockbell::server::Database& db, const std::string& table) {
  stockbell::server::Statement st = db.prepare("PRAGMA table_info(" + table + ")");
  std::vector<std::string> columns;
  while (st.step()) columns.push_back(st.string(1));
  return columns;
}

// The highest id SQLite ever gave in the table: an AUTOINCREMENT table remembers deleted rows'
// ids, which must not come back either.
int64_t sqlite_high_water(stockbell::server::Database& db, const std::string& table) {
  int64_t high = 0;
  stockbell::server::Statement max_id = db.prepare("SELECT coalesce(max(id), 0) FROM " + table);
  if (max_id.step()) high = max_id.int64(0);
  stockbell::server::Statement seq =
      db.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?");
  seq.bind(1, table);
  if (seq.step()) high = std::max(high, seq.int64(0));
  return high;
}

void copy_table(stockbell::server::Database& from, Database& to, const std::string& table,
                const ImportProgress& progress) {
  const std::vector<std::string> columns = sqlite_columns(from, table);
  std::string names, params;
  for (size_t i = 0; i < columns.size(); ++i) {
    names += (i ? ", " : "") + columns[i];
    params += (i ? ", $" : "$") + std::to_string(i + 1);
  }
  const int64_t total = sqlite_count(from, table);
  stockbell::server::Statement rows = from.prepare("SELECT " + names + " FROM " + table);
  Statement insert(to, "INSERT INTO " + table + "(" + names + ") VALUES (" + params + ")");
  int64_t done = 0;
  if (total > 0) progress(table, 0, total);
  while (rows.step()) {
    for (size_t i = 0; i < columns.size(); ++i) {
      const int c = static_cast<int>(i);
      switch (rows.type(c)) {
        case SQLITE_NULL: insert.bind_null(c + 1); break;
        case SQLITE_INTEGER: insert.bind(c + 1, rows.int64(c)); break;
        case SQLITE_BLOB: {
          const std::string_view blob = rows.text(c);
          insert.bind_blob(c + 1, blob.data(), blob.size());
          break;
        }
        default: insert.bind(c + 1, rows.text(c)); break;
      }
    }
    insert.run();
    if (++done % 1000 == 0) progress(table, done, total);
  }
  progress(table, done, total);
}

}  // namespace

std::vector<TableCopy> import_sqlite(const std::string& sqlite_path, const std::string& url,
                                     const ImportProgress& progress) {
  // The source, migrated to this version's schema first (as `serve` would).
  stockbell::server::Database from(sqlite_path, stockbell::server::Database::Mode::read_write_create);
  stockbell::server::open_schema(from);
  {
    std::set<std::string> known(std::begin(kTables), std::end(kTables));
    stockbell::server::Statement st = from.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (st.step())
      if (!known.count(st.string(0)))
        throw std::runtime_error("the SQLite database has a table this version can't copy: " +
                                 st.string(0));
  }
  Database to(url, 0);
  open_schema(to);
  for (const char* table : kTables)
    if (std::string(table) != "meta" && pg_count(to, table) > 0)
      throw std::runtime_error(std::string("the PostgreSQL database is not empty (table ") +
                               table + " has rows): refusing to copy into it");

  // One snapshot of the source, one transaction on the target.
  stockbell::server::Transaction snapshot(from, stockbell::server::Transaction::Mode::deferred);
  to.exec("BEGIN");
  try {
    // The dashboard counters are copied as they are: the triggers that keep them must not count
    // the copied requests again.
    to.exec("ALTER TABLE requests DISABLE TRIGGER USER");
    to.exec("DELETE FROM meta");  // the source's id key replaces the one made a moment ago
    for (const char* table : kTables) copy_table(from, to, table, progress);
    to.exec("ALTER TABLE requests ENABLE TRIGGER USER");
    for (const char* table : kIdentityTables) {
      const int64_t high = sqlite_high_water(from, table);
      if (high > 0)
        to.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table + "', 'id'), " +
                std::to_string(high) + ")");
    }
    std::vector<TableCopy> copied;
    for (const char* table : kTables) {
      const int64_t source = sqlite_count(from, table);
      const int64_t target = pg_count(to, table);
      if (source != target)
        throw std::runtime_error(std::string("table ") + table + ": " + std::to_string(source) +
                                 " rows in SQLite but " + std::to_string(target) +
                                 " in PostgreSQL; nothing was kept");
      copied.push_back(TableCopy{table, target});
    }
    to.exec("COMMIT");
    snapshot.commit();
    return copied;
  } catch (...) {
    try {
      to.exec("ROLLBACK");
    } catch (...) {
    }
    throw;
  }
}

}  // namespace stockbell::server::pg
