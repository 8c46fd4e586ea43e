// server/cli: the `--flag value` commands besides serve (dashboard-url, backup, restore, migrate,
// keys): each flag lands in its field, `--flag=value` too, and a wrong command line is a usage
// error that names the command and the flag. tests/http/test_cli.cpp runs the binary with them.

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "server/cli.hpp"

using namespace stockbell::server;

namespace {

const char* no_env(const char*) {
  return nullptr;
}
const char* env_db(const char* name) {
  return std::string(name) == "STOCKBELL_DB" ? "/var/lib/stockbell/env.db" : nullptr;
}

Command parse(const std::vector<std::string>& args, const char* (*env)(const char*) = no_env) {
  return parse_command_line(args, env);
}

std::string usage_error(const std::vector<std::string>& args) {
  const Command c = parse(args);
  REQUIRE(std::holds_alternative<UsageError>(c));
  return std::get<UsageError>(c).message;
}

}  // namespace

TEST_CASE("dashboard-url takes --db, --store and --base-url") {
  const Command c = parse(
      {"dashboard-url", "--db", "a.db", "--store=shop-a", "--base-url", "https://stock.example/"});
  REQUIRE(std::holds_alternative<DashboardUrlCommand>(c));
  const auto& d = std::get<DashboardUrlCommand>(c);
  CHECK(d.db == "a.db");
  CHECK(d.store == "shop-a");
  CHECK(d.base_url == "https://stock.example");  // the trailing slash dropped
  CHECK(usage_error({"dashboard-url", "--db", "a.db", "--stor", "x"}) ==
        "unknown option for dashboard-url: --stor");
  CHECK(usage_error({"dashboard-url", "--db", "a.db", "--store"}) == "--store needs a value");
  CHECK(usage_error({"dashboard-url", "--store", "shop-a"}) == "dashboard-url needs --db PATH");
}

TEST_CASE("backup and restore take --db and their file; STOCKBELL_DB is the default --db") {
  Command c = parse({"backup", "--db", "a.db", "--to", "copy.db"});
  REQUIRE(std::holds_alternative<BackupCommand>(c));
  CHECK(std::get<BackupCommand>(c).db == "a.db");
  CHECK(std::get<BackupCommand>(c).to == "copy.db");

  c = parse({"restore", "--from=copy.db"}, env_db);
  REQUIRE(std::holds_alternative<RestoreCommand>(c));
  CHECK(std::get<RestoreCommand>(c).from == "copy.db");
  CHECK(std::get<RestoreCommand>(c).db == "/var/lib/stockbell/env.db");

  CHECK(usage_error({"backup", "--db", "a.db", "--from", "copy.db"}) ==
        "unknown option for backup: --from");
  CHECK(usage_error({"restore", "--db", "a.db", "--to", "copy.db"}) ==
        "unknown option for restore: --to");
  CHECK(usage_error({"backup", "--db", "a.db"}) == "backup needs --to FILE");
  CHECK(usage_error({"restore", "--db", "a.db"}) == "restore needs --from FILE");
  CHECK(usage_error({"backup", "--to", "copy.db"}) == "backup needs --db PATH");
  CHECK(usage_error({"backup", "--db"}) == "--db needs a value");
}

TEST_CASE("migrate takes --from and a postgres:// --to") {
  const Command c = parse({"migrate", "--from", "a.db", "--to", "postgres://u@h/db"});
  REQUIRE(std::holds_alternative<MigrateCommand>(c));
  CHECK(std::get<MigrateCommand>(c).from == "a.db");
  CHECK(std::get<MigrateCommand>(c).to == "postgres://u@h/db");
  CHECK(usage_error({"migrate", "--from", "a.db", "--db", "b.db"}) ==
        "unknown option for migrate: --db");
  CHECK(usage_error({"migrate", "--from", "a.db", "--to", "b.db"}) ==
        "migrate needs --to postgres://... (the PostgreSQL database)");
  CHECK(usage_error({"migrate", "--to", "postgres://u@h/db"}) ==
        "migrate needs --from PATH (the SQLite database)");
}

TEST_CASE("keys commands name themselves in a usage error") {
  CHECK(usage_error({"keys", "list", "--db", "a.db", "--kind", "secret"}) ==
        "unknown option for keys list: --kind");
  CHECK(usage_error({"keys", "revoke", "--db", "a.db", "--id"}) == "--id needs a value");
  const Command c = parse({"keys", "list", "--db=a.db", "--store", "shop-a"});
  REQUIRE(std::holds_alternative<KeysListCommand>(c));
  CHECK(std::get<KeysListCommand>(c).db == "a.db");
  CHECK(std::get<KeysListCommand>(c).store == std::optional<std::string>("shop-a"));
}
