#pragma once
// A thin RAII layer over libpq, shaped like server/store/sqlite/sqlite.hpp (Statement,
// Database) so the PostgreSQL backend's queries read like the SQLite ones: `db.cached(SQL)`
// returns a prepared statement (prepared once per connection and parameter types), bind, step,
// read columns. Parameters are `$1`..`$n` or SQLite's `?N` / `?` (rewritten to `$N` once, when
// the statement is first prepared). Values travel as text, blobs as binary; results as text
// (bytea columns are decoded from their hex form).
//
// Failures throw PgError carrying the SQLSTATE; a lost connection is PgError with
// `connection_lost()` true (the pool drops that connection and the caller answers 503).

#include <libpq-fe.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace stockbell::server::pg {

class PgError : public std::runtime_error {
 public:
  PgError(std::string sqlstate, const std::string& what, bool connection_lost)
      : std::runtime_error(what), sqlstate_(std::move(sqlstate)), lost_(connection_lost) {}
  const std::string& sqlstate() const { return sqlstate_; }
  /// The connection is gone (or the server is shutting down / starting): retry elsewhere later.
  bool connection_lost() const { return lost_; }
  /// A serialization failure or deadlock: the transaction may simply be run again.
  bool retryable() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }
  bool unique_violation() const { return sqlstate_ == "23505"; }

 private:
  std::string sqlstate_;
  bool lost_;
};

class Database;

/// A prepared statement of one connection. Bind indexes start at 1, column indexes at 0.
class Statement {
 public:
  Statement(Database& db, std::string sql) : db_(&db), sql_(std::move(sql)) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind_blob(int index, const void* data, size_t size);
  Statement& bind_null(int index);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  /// Runs the statement at the first call; true while there is a row to read.
  bool step();
  /// Runs a statement that returns no rows (or ignores them) and resets it.
  void run();
  /// Forgets the result and the bindings.
  void reset();
  /// Rows changed by the last run (INSERT/UPDATE/DELETE).
  int64_t changes() const { return changes_; }

  bool is_null(int column) const;
  int64_t int64(int column) const;
  std::string_view text(int column) const;
  std::string string(int column) const { return std::string(text(column)); }
  std::optional<std::string> optional_string(int column) const;
  std::optional<int64_t> optional_int64(int column) const;

 private:
  void execute();
  void clear_result();
  Statement& set(int index, std::optional<std::string> value, int format, unsigned type);

  Database* db_;
  std::string sql_;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
  std::vector<unsigned> types_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  int64_t changes_ = 0;
  mutable std::map<int, std::string> decoded_;  ///< bytea columns of the current row
};

/// One connection. Not thread-safe: one thread at a time (the pool hands it out).
class Database {
 public:
  /// Connects (throws PgError with connection_lost() if it can't) and sets the session up:
  /// synchronous_commit on, statement_timeout `statement_timeout_ms`, UTC.
  Database(const std::string& url, int64_t statement_timeout_ms);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  /// Runs SQL without parameters (several statements allowed).
  void exec(const std::string& sql);
  /// A statement cached on this connection by its SQL text; reset before it is returned.
  Statement& cached(const char* sql);
  /// What the last statement run on this connection changed (see Statement::changes).
  int64_t changes() const { return changes_; }
  /// The id the last INSERT into a table with an identity column got in this session.
  int64_t last_insert_rowid();
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  PGconn* handle() const { return conn_; }

  /// Throws PgError for a failed result (and clears it); returns it otherwise.
  PGresult* check(PGresult* result, const std::string& what);
  /// The name of the server-side prepared statement for `sql` with parameter types `types`,
  /// preparing it on first use.
  const std::string& prepared(const std::string& sql, const std::vector<unsigned>& types,
                              int params);
  void set_changes(int64_t n) { changes_ = n; }

 private:
  PGconn* conn_ = nullptr;
  std::unordered_map<const char*, std::unique_ptr<Statement>> cache_;
  std::map<std::pair<std::string, std::vector<unsigned>>, std::string> prepared_;
  int64_t changes_ = 0;
};

/// `?N` and `?` placeholders rewritten to `$N` (outside quoted text); `$N` left as they are.
/// Sets `params` to the highest parameter number.
std::string to_postgres_sql(std::string_view sql, int& params);

/// True for `postgres://` and `postgresql://` locations.
bool is_postgres_url(std::string_view location);

}  // namespace stockbell::server::pg
