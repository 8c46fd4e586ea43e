// server/store/postgres/pg.hpp: the placeholders the PostgreSQL backend's SQL is written with
// (SQLite's `?N` and `?`) become PostgreSQL's `$N`, and nothing inside quoted text changes.

#include <doctest/doctest.h>

#include "server/store/postgres/pg.hpp"

using stockbell::server::pg::is_postgres_url;
using stockbell::server::pg::to_postgres_sql;

TEST_CASE("?N and ? become $N; quoted text and $N stay") {
  int params = 0;
  CHECK(to_postgres_sql("SELECT a FROM t WHERE x = ?2 AND y = ?1", params) ==
        "SELECT a FROM t WHERE x = $2 AND y = $1");
  CHECK(params == 2);
  CHECK(to_postgres_sql("INSERT INTO t(a, b, c) VALUES (?, ?, ?)", params) ==
        "INSERT INTO t(a, b, c) VALUES ($1, $2, $3)");
  CHECK(params == 3);
  CHECK(to_postgres_sql("SELECT '?' || ?1 || \"?x\" FROM t WHERE k = $3", params) ==
        "SELECT '?' || $1 || \"?x\" FROM t WHERE k = $3");
  CHECK(params == 3);
  CHECK(to_postgres_sql("SELECT ?12::TEXT IS NULL", params) == "SELECT $12::TEXT IS NULL");
  CHECK(params == 12);
  CHECK(to_postgres_sql("SELECT 1", params) == "SELECT 1");
  CHECK(params == 0);
}

TEST_CASE("postgres:// and postgresql:// locations are PostgreSQL, anything else a file") {
  CHECK(is_postgres_url("postgres://u@h/db"));
  CHECK(is_postgres_url("postgresql://u@h:5432/db?sslmode=require"));
  CHECK_FALSE(is_postgres_url("./stockbell.db"));
  CHECK_FALSE(is_postgres_url("/var/lib/postgres/stockbell.db"));
  CHECK_FALSE(is_postgres_url("postgres.db"));
}
