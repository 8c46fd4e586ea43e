// The command line (README: Keys; README: Configuration): help, version, usage errors, `keys
// create|list|revoke`, and `serve` configured from flags and STOCKBELL_* environment variables.

#include <openssl/sha.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "core/version.hpp"
#include "http_checks.hpp"
#include "server/store/sqlite/schema.hpp"
#include "server/store/sqlite/sqlite.hpp"

using namespace stockbell::testing;

namespace {

constexpr const char* kKeyPattern = "(sk|pk)_[0-9A-Za-z]{40}";

std::string sha256_hex(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xf];
  }
  return hex;
}

}  // namespace

TEST_CASE("--help and --version") {
  for (const char* flag : {"--help", "-h"}) {
    INFO(std::string(flag));
    const RunResult help = run_stockbell({flag});
    CHECK(help.status == 0);
    CHECK(help.out.find("Usage:") != std::string::npos);
    CHECK(help.out.find("stockbell serve") != std::string::npos);
    CHECK(help.out.find("stockbell keys create") != std::string::npos);
    CHECK(help.out.find("--version") != std::string::npos);
    CHECK(help.out.find("STOCKBELL_PORT") != std::string::npos);
    CHECK(help.out.find("STOCKBELL_DB") != std::string::npos);
  }
  for (const char* flag : {"--version", "-V"}) {
    INFO(std::string(flag));
    const RunResult version = run_stockbell({flag});
    CHECK(version.status == 0);
    CHECK(version.out == std::string("stockbell ") + STOCKBELL_VERSION + "\n");
  }
}

TEST_CASE("usage errors exit 2 with the reason on stderr and nothing on stdout") {
  TempDir dir;
  const std::string db = dir.file("x.db");
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"frobnicate"},
      {"keys"},
      {"keys", "delete"},
      {"serve", "--bogus"},
      {"serve", "--port"},
      {"serve", "--port", "65536"},
      {"serve", "--port", "http"},
      {"serve", "--db", ""},
      {"keys", "create", "--store", "shop", "--kind", "secret"},  // no --db
      {"keys", "create", "--db", db, "--kind", "secret"},         // no --store
      {"keys", "create", "--db", db, "--store", "shop"},          // no --kind
      {"keys", "create", "--db", db, "--store", "shop", "--kind", "admin"},
      {"keys", "create", "--db", db, "--store", "Bad Store!", "--kind", "secret"},
      {"keys", "create", "--db", db, "--store", "shop", "--kind", "publishable", "--origin",
       "shop.example"},
      {"keys", "create", "--db", db, "--store", "shop", "--kind", "publishable", "--origin",
       "https://shop.example/path"},
      {"keys", "create", "--db", db, "--store", "shop", "--kind", "secret", "--origin",
       "https://shop.example"},
      {"keys", "create", "--db", db, "--store", "shop", "--kind", "secret", "--bogus", "x"},
      {"keys", "list"},                                           // no --db
      {"keys", "list", "--db", db, "--store", "Bad Store!"},
      {"keys", "list", "--db", db, "--bogus", "x"},
      {"keys", "revoke", "--db", db},                             // no --id
      {"keys", "revoke", "--id", "1"},                            // no --db
      {"keys", "revoke", "--db", db, "--id", "0"},
      {"keys", "revoke", "--db", db, "--id", "sk_x"},
  };
  for (const std::vector<std::string>& args : cases) {
    std::string shown;
    for (const std::string& a : args) shown += " " + a;
    INFO("stockbell" << shown);
    const RunResult r = run_stockbell(args);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("stockbell: ", 0) == 0);
  }
  const RunResult unknown = run_stockbell({"frobnicate"});
  CHECK(unknown.err.find("frobnicate") != std::string::npos);
}

TEST_CASE("keys create prints exactly one line with the key, and the key works") {
  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  const RunResult secret =
      run_stockbell({"keys", "create", "--db", db, "--store", "shop", "--kind", "secret"});
  REQUIRE(secret.status == 0);
  CHECK(matches(secret.out, (std::string("sk_[0-9A-Za-z]{40}\n")).c_str()));
  const RunResult publishable =
      run_stockbell({"keys", "create", "--db", db, "--store", "shop", "--kind", "publishable",
                     "--origin", "https://a.example", "--origin=https://b.example"});
  REQUIRE(publishable.status == 0);
  CHECK(matches(publishable.out, "pk_[0-9A-Za-z]{40}\n"));
  // Keys are random.
  const std::string another = create_key(db, "shop", "secret");
  CHECK(matches(another, kKeyPattern));
  CHECK(another + "\n" != secret.out);

  ServerProcess server(db);
  const Api sk(server.host(), server.port(), secret.out.substr(0, secret.out.size() - 1));
  CHECK_STATUS(sk.get("/api/v1/products"), 200);
  const Api pk(server.host(), server.port(), publishable.out.substr(0, publishable.out.size() - 1));
  const json body = request_body("P", std::nullopt, "a@example.com");
  CHECK_STATUS(pk.register_request(body, {{"Origin", "https://a.example"}}), 200);
  CHECK_STATUS(pk.register_request(body, {{"Origin", "https://b.example"}}), 200);
  CHECK_ERROR(pk.register_request(body, {{"Origin", "https://c.example"}}), 403, "forbidden");
  CHECK(server.stop() == 0);

  // The database holds a hash of each key, never the key.
  std::ifstream file(db, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  CHECK(bytes.find(secret.out.substr(3, 40)) == std::string::npos);
}

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t start = 0; start < text.size();) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A `keys list` line: id, store, kind, created, revoked ("-" or a time), fingerprint (the first
// 12 hex digits of the key's SHA-256), origins ("-" or a comma list).
std::string key_line(int id, const char* store, const char* kind, bool revoked,
                     const std::string& key, const char* origins) {
  const std::string when = "20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z";
  return std::to_string(id) + " +" + store + " +" + kind + " +" + when + " +" +
         (revoked ? when : std::string("-")) + " +" + sha256_hex(key).substr(0, 12) + " +" +
         origins;
}

HttpResponse preflight(const Api& anonymous, const char* origin) {
  return anonymous.send("OPTIONS", "/api/v1/back-in-stock", {},
                        {{"Origin", origin}, {"Access-Control-Request-Method", "POST"}});
}

}  // namespace

TEST_CASE("keys list shows every key but never the key; keys revoke stops a key in a running server") {
  // Shared by every subcase: shop A's secret key (id 1) and publishable key (id 2, two origins),
  // shop B's secret key (id 3).
  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  const std::string a_secret = create_key(db, "shop-a", "secret");
  const RunResult a_pk = run_stockbell({"keys", "create", "--db", db, "--store", "shop-a", "--kind",
                                        "publishable", "--origin", "https://b.example",
                                        "--origin", "https://a.example"});
  REQUIRE(a_pk.status == 0);
  const std::string a_publishable = a_pk.out.substr(0, a_pk.out.size() - 1);
  const std::string b_secret = create_key(db, "shop-b", "secret");
  const auto revoke_a_keys = [&] {
    for (const char* id : {"1", "2"}) {
      const RunResult revoke = run_stockbell({"keys", "revoke", "--db", db, "--id", id});
      REQUIRE(revoke.status == 0);
      CHECK(revoke.out == std::string("revoked key ") + id + "\n");
    }
  };

  SUBCASE("keys list: every key, by store, never the key itself") {
    const RunResult all = run_stockbell({"keys", "list", "--db", db});
    REQUIRE(all.status == 0);
    CHECK(all.err.empty());
    const std::vector<std::string> lines = lines_of(all.out);
    REQUIRE(lines.size() == 4);
    CHECK(matches(lines[0], "ID +STORE +KIND +CREATED +REVOKED +FINGERPRINT +ORIGINS"));
    CHECK(matches(lines[1], key_line(1, "shop-a", "secret", false, a_secret, "-").c_str()));
    CHECK(matches(lines[2], key_line(2, "shop-a", "publishable", false, a_publishable,
                                     "https://a.example,https://b.example")
                                .c_str()));
    CHECK(matches(lines[3], key_line(3, "shop-b", "secret", false, b_secret, "-").c_str()));
    for (const std::string& key : {a_secret, a_publishable, b_secret})
      CHECK(all.out.find(key.substr(3)) == std::string::npos);

    const RunResult only_b =
        run_stockbell({"keys", "list"}, {{"STOCKBELL_DB", db}, {"STOCKBELL_STORE", "shop-b"}});
    REQUIRE(only_b.status == 0);
    CHECK(lines_of(only_b.out).size() == 2);
    CHECK(matches(lines_of(only_b.out)[1],
                  key_line(3, "shop-b", "secret", false, b_secret, "-").c_str()));
  }

  SUBCASE("keys revoke stops a key in a running server within the cache time") {
    ServerProcess server(db);
    const Api a(server.host(), server.port(), a_secret);
    const Api pk(server.host(), server.port(), a_publishable);
    const Api b(server.host(), server.port(), b_secret);
    const Api anonymous(server.host(), server.port());
    const json body = request_body("P", std::nullopt, "a@example.com");
    // Both of shop A's keys work and are now in the server's key cache.
    CHECK_STATUS(a.get("/api/v1/products"), 200);
    CHECK_STATUS(pk.register_request(body, {{"Origin", "https://a.example"}}), 200);
    CHECK(preflight(anonymous, "https://a.example").status / 100 == 2);

    revoke_a_keys();
    // The running server stops accepting them once their cache entries expire (5 s).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline &&
           (a.get("/api/v1/products").status == 200 ||
            pk.register_request(body, {{"Origin", "https://a.example"}}).status == 200))
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    CHECK_ERROR(a.get("/api/v1/products"), 401, "unauthorized");
    CHECK_ERROR(pk.register_request(body, {{"Origin", "https://a.example"}}), 401, "unauthorized");
    // A revoked key's origins are no longer offered CORS.
    const HttpResponse pre = preflight(anonymous, "https://a.example");
    CHECK(pre.status >= 400);
    CHECK_FALSE(pre.has_header("Access-Control-Allow-Origin"));
    CHECK_STATUS(b.get("/api/v1/products"), 200);  // other keys are untouched
    CHECK(server.stop() == 0);
  }

  SUBCASE("revoked keys stay listed with their time; ids are never given to a new key") {
    revoke_a_keys();
    const RunResult again = run_stockbell({"keys", "revoke", "--db", db, "--id", "1"});
    CHECK(again.status == 1);
    CHECK(again.err.find("no live key with id 1") != std::string::npos);
    CHECK(run_stockbell({"keys", "revoke", "--db", db, "--id", "9"}).status == 1);
    const std::string c_secret = create_key(db, "shop-a", "secret");
    std::vector<std::string> lines = lines_of(run_stockbell({"keys", "list", "--db", db}).out);
    REQUIRE(lines.size() == 5);
    CHECK(matches(lines[1], key_line(1, "shop-a", "secret", true, a_secret, "-").c_str()));
    CHECK(matches(lines[2], key_line(2, "shop-a", "publishable", true, a_publishable,
                                     "https://a.example,https://b.example")
                                .c_str()));
    CHECK(matches(lines[3], key_line(3, "shop-b", "secret", false, b_secret, "-").c_str()));
    CHECK(matches(lines[4], key_line(4, "shop-a", "secret", false, c_secret, "-").c_str()));
    // Not even the newest id: revoked, it still holds its number.
    REQUIRE(run_stockbell({"keys", "revoke", "--db", db, "--id", "4"}).status == 0);
    const std::string d_secret = create_key(db, "shop-a", "secret");
    lines = lines_of(run_stockbell({"keys", "list", "--db", db, "--store", "shop-a"}).out);
    REQUIRE(lines.size() == 5);
    CHECK(matches(lines[3], key_line(4, "shop-a", "secret", true, c_secret, "-").c_str()));
    CHECK(matches(lines[4], key_line(5, "shop-a", "secret", false, d_secret, "-").c_str()));
  }

  SUBCASE("a mistyped database path is an error, not a new empty database") {
    const RunResult typo =
        run_stockbell({"keys", "revoke", "--db", dir.file("typo.db"), "--id", "1"});
    CHECK(typo.status == 1);
    CHECK(typo.err.find("no database at") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("typo.db")));
  }
}

TEST_CASE("keys create reads STOCKBELL_DB, STOCKBELL_STORE, STOCKBELL_KIND and STOCKBELL_ORIGINS") {
  TempDir dir;
  const std::string db = dir.file("env.db");
  const RunResult r = run_stockbell({"keys", "create"},
                                    {{"STOCKBELL_DB", db},
                                     {"STOCKBELL_STORE", "envshop"},
                                     {"STOCKBELL_KIND", "publishable"},
                                     {"STOCKBELL_ORIGINS", "https://a.example,https://b.example"}});
  REQUIRE(r.status == 0);
  REQUIRE(matches(r.out, "pk_[0-9A-Za-z]{40}\n"));
  // A flag wins over its variable.
  const RunResult flag = run_stockbell(
      {"keys", "create", "--kind", "secret"},
      {{"STOCKBELL_DB", db}, {"STOCKBELL_STORE", "envshop"}, {"STOCKBELL_KIND", "publishable"}});
  REQUIRE(flag.status == 0);
  REQUIRE(matches(flag.out, "sk_[0-9A-Za-z]{40}\n"));

  ServerProcess server(db);
  const Api pk(server.host(), server.port(), r.out.substr(0, r.out.size() - 1));
  CHECK_STATUS(pk.register_request(request_body("P", std::nullopt, "a@example.com"),
                                   {{"Origin", "https://b.example"}}),
               200);
  CHECK_ERROR(pk.register_request(request_body("P", std::nullopt, "a@example.com"),
                                  {{"Origin", "https://c.example"}}),
              403, "forbidden");
  // Both keys are the same store's.
  const Api sk(server.host(), server.port(), flag.out.substr(0, flag.out.size() - 1));
  CHECK(sk.get("/api/v1/back-in-stock").json()["pagination"]["total"] == 1);
}

TEST_CASE("serve reads STOCKBELL_PORT and STOCKBELL_DB; flags win over them") {
  TempDir dir;
  const std::string db = dir.file("from-env.db");
  const std::string key = create_key(db, "shop", "secret");
  {
    ServerProcess server(ServerProcess::Options{
        {}, {{"STOCKBELL_PORT", "0"}, {"STOCKBELL_DB", db}}, dir.file("env.log"), 10s});
    CHECK(server.banner() == std::string("stockbell ") + STOCKBELL_VERSION +
                                 " listening on http://127.0.0.1:" + std::to_string(server.port()) +
                                 " (database " + db + ")");
    const Api api(server.host(), server.port(), key);
    CHECK_STATUS(api.get("/api/v1/products"), 200);  // the key is in that database
    const HttpResponse health = api.get("/healthz");
    REQUIRE_STATUS(health, 200);
    CHECK(health.json()["version"] == STOCKBELL_VERSION);
    CHECK(server.stop() == 0);
  }
  {
    const std::string other = dir.file("other.db");
    ServerProcess server(ServerProcess::Options{{"--db", db, "--port=0"},
                                                {{"STOCKBELL_PORT", "1"}, {"STOCKBELL_DB", other}},
                                                dir.file("flags.log"),
                                                10s});
    CHECK(server.banner().find("(database " + db + ")") != std::string::npos);
    CHECK_STATUS(Api(server.host(), server.port(), key).get("/api/v1/products"), 200);
  }
  // A bad value from the environment is a usage error too.
  const RunResult bad =
      run_stockbell({"serve"}, {{"STOCKBELL_PORT", "eighty"}, {"STOCKBELL_DB", db}});
  CHECK(bad.status == 2);
  CHECK(bad.err.find("--port") != std::string::npos);
}

// Two servers must never share a port: with SO_REUSEPORT the kernel would split the clients
// between two databases (a store's requests answered 401 or stored in the wrong file at random).
TEST_CASE("serve on a port already taken fails with exit 1") {
  TestServer s;
  RunResult r;
  bool exited = true;
  try {
    r = run_stockbell(
        {"serve", "--db", s.dir.file("second.db"), "--port", std::to_string(s.server.port())}, {},
        3s);
  } catch (const std::exception&) {
    exited = false;  // run_stockbell killed it: it was serving on the taken port
  }
  REQUIRE_MESSAGE(
      exited, "a second `stockbell serve` on the taken port started listening instead of failing");
  CHECK(r.status == 1);
  CHECK(r.out.find("listening") == std::string::npos);
  CHECK(r.err.find("cannot listen") != std::string::npos);
  CHECK_STATUS(s.api().get("/healthz"), 200);  // the first one is unaffected
}

TEST_CASE("SIGTERM: a clean stop, exit 0") {
  TestServer s;
  CHECK_STATUS(s.api().get("/healthz"), 200);
  CHECK(s.server.stop() == 0);
  CHECK_FALSE(s.server.running());
  CHECK(s.server.stderr_text().find("stockbell: stopped") != std::string::npos);
  s.server.start();
  CHECK(s.server.running());
  CHECK_STATUS(s.api().get("/healthz"), 200);
}

// The listening line is printed (and a supervisor may send SIGTERM) before the accept loop
// runs; a signal in that window must still stop the server, not be lost.
TEST_CASE("SIGTERM right after the listening line stops the server") {
  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  for (int i = 0; i < 5; ++i) {
    INFO("attempt " << i);
    ServerProcess server(db);
    int status = -1;
    try {
      status = server.stop(3s);
    } catch (const std::exception& e) {
      FAIL_CHECK("SIGTERM sent right after the listening line was lost: " << std::string(e.what()));
      break;
    }
    CHECK(status == 0);
  }
}

namespace {

int64_t user_version(const std::string& db_path) {
  stockbell::server::Database db(db_path, stockbell::server::Database::Mode::read_only);
  auto& st = db.cached("PRAGMA user_version");
  REQUIRE(st.step());
  const int64_t v = st.int64(0);
  st.reset();
  return v;
}

}  // namespace

// Turns a database this build wrote back into what an earlier release wrote: version 8 had no
// e-mail (migration 9: consent columns, the one-open-request index, templates, the message
// outbox); version 7 had no release schedules (migration 8); version 6 had no dashboard
// tables, counters or their triggers (migration 7); version 5 had no orders, purchases or store
// platform tables, events only of requests (types 0 and 1) and webhook masks of 1..3
// (migration 6); version 3 had the first requests table (CHECK status IN (0, 1, 2)), no store
// settings (migration 5) and partial indexes `WHERE status = 0` (migration 4 replaced them);
// version 2 also had no revoked_at.
void downgrade(const std::string& db, int64_t version) {
  stockbell::server::Database old(db, stockbell::server::Database::Mode::read_write_create);
  old.exec(
      "DROP TRIGGER requests_erased;"
      "DROP TABLE messages; DROP TABLE mail_setups; DROP TABLE mail_templates;"
      "DROP TABLE suppressions;"
      "ALTER TABLE stores DROP COLUMN mail_key;"
      "ALTER TABLE subscribers DROP COLUMN confirmed_at;"
      "ALTER TABLE subscribers DROP COLUMN suppressed_at;"
      "DROP INDEX requests_one_open;"
      "ALTER TABLE requests DROP COLUMN locale; ALTER TABLE requests DROP COLUMN source;"
      "ALTER TABLE requests DROP COLUMN client_address;"
      "ALTER TABLE requests DROP COLUMN user_agent;"
      "ALTER TABLE requests DROP COLUMN consent_text;"
      "ALTER TABLE requests DROP COLUMN confirmed_at;"
      "CREATE UNIQUE INDEX requests_one_waiting"
      " ON requests(target_id, (CASE WHEN status = 0 THEN subscriber_id END));"
      "PRAGMA user_version = 8");
  if (version >= 8) return;
  // Version 7 had no release schedules and no index of requests by age (migration 8).
  old.exec(
      "DROP TABLE release_schedules; DROP INDEX requests_by_age;"
      "PRAGMA user_version = 7");
  if (version >= 7) return;
  old.exec(
      "PRAGMA foreign_keys = OFF;"
      "DROP TRIGGER requests_counted; DROP TRIGGER requests_start_waiting;"
      "DROP TRIGGER requests_stop_waiting; DROP TRIGGER requests_titled;"
      "DROP INDEX requests_notified;"
      "DROP TABLE activity; DROP TABLE demand; DROP TABLE sessions; DROP TABLE sign_in_links;"
      "DROP TABLE inventory_levels; DROP TABLE inventory_tracking; DROP TABLE platform_items;"
      "DROP TABLE platform_versions; DROP TABLE platform_deliveries; DROP TABLE integrations;"
      "DROP TABLE purchases;"
      "CREATE TABLE events_v5 (id INTEGER PRIMARY KEY,"
      " store_id INTEGER NOT NULL REFERENCES stores(id),"
      " type INTEGER NOT NULL CHECK (type IN (0, 1)),"
      " request_id INTEGER NOT NULL REFERENCES requests(id),"
      " snapshot_id INTEGER NOT NULL REFERENCES snapshots(id), created_at INTEGER NOT NULL);"
      "INSERT INTO events_v5 SELECT id, store_id, type, request_id, snapshot_id, created_at"
      " FROM events WHERE request_id IS NOT NULL;"
      "DROP TABLE events;"
      "ALTER TABLE events_v5 RENAME TO events;"
      "CREATE INDEX events_by_store ON events(store_id, id);"
      "CREATE UNIQUE INDEX events_once ON events(request_id, type);"
      "DROP TABLE orders;"
      "CREATE TABLE webhooks_v5 (id INTEGER PRIMARY KEY AUTOINCREMENT,"
      " store_id INTEGER NOT NULL REFERENCES stores(id), url TEXT NOT NULL, description TEXT,"
      " event_mask INTEGER NOT NULL CHECK (event_mask BETWEEN 1 AND 3),"
      " enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)), secret TEXT NOT NULL,"
      " previous_secret TEXT, previous_secret_until INTEGER, created_at INTEGER NOT NULL,"
      " updated_at INTEGER NOT NULL);"
      "INSERT INTO webhooks_v5 SELECT id, store_id, url, description, event_mask & 3, enabled,"
      " secret, previous_secret, previous_secret_until, created_at, updated_at FROM webhooks;"
      "INSERT INTO sqlite_sequence(name, seq) SELECT 'webhooks_v5', 0"
      " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'webhooks_v5');"
      "UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence"
      " WHERE name = 'webhooks'), 0)) WHERE name = 'webhooks_v5';"
      "DROP TABLE webhooks;"
      "ALTER TABLE webhooks_v5 RENAME TO webhooks;"
      "CREATE INDEX webhooks_by_store ON webhooks(store_id);"
      "PRAGMA user_version = 5");
  if (version >= 5) return;
  old.exec(
      "PRAGMA foreign_keys = OFF;"
      "DROP TABLE store_settings;"
      "CREATE TABLE requests_v1 (id INTEGER PRIMARY KEY,"
      " target_id INTEGER NOT NULL REFERENCES targets(id),"
      " subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),"
      " status INTEGER NOT NULL CHECK (status IN (0, 1, 2)), product_title TEXT,"
      " variant_title TEXT, created_at INTEGER NOT NULL, notified_at INTEGER,"
      " cancelled_at INTEGER);"
      "INSERT INTO requests_v1 SELECT id, target_id, subscriber_id, status, product_title,"
      " variant_title, created_at, notified_at, cancelled_at FROM requests;"
      "DROP TABLE requests;"
      "ALTER TABLE requests_v1 RENAME TO requests;"
      "CREATE UNIQUE INDEX requests_one_waiting"
      " ON requests(target_id, (CASE WHEN status = 0 THEN subscriber_id END));"
      "CREATE INDEX requests_by_target ON requests(target_id, status);"
      "CREATE INDEX requests_by_subscriber ON requests(subscriber_id, target_id, status);"
      "PRAGMA user_version = 4");
  if (version >= 4) return;
  old.exec(
      "DROP INDEX requests_one_waiting;"
      "CREATE UNIQUE INDEX requests_one_waiting ON requests(target_id, subscriber_id)"
      " WHERE status = 0;"
      "DROP INDEX requests_by_subscriber;"
      "CREATE INDEX requests_by_subscriber ON requests(subscriber_id);"
      "DROP INDEX deliveries_due;"
      "CREATE INDEX deliveries_due ON deliveries(webhook_id, next_attempt_at) WHERE status = 0;"
      "PRAGMA user_version = 3");
  if (version >= 3) return;
  old.exec("ALTER TABLE api_keys DROP COLUMN revoked_at; PRAGMA user_version = 2");
}

TEST_CASE("databases of earlier schemas are migrated at start, their data kept") {
  for (const int64_t version :
       {int64_t{2}, int64_t{3}, int64_t{4}, int64_t{5}, int64_t{7}, int64_t{8}}) {
    CAPTURE(version);
    TempDir dir;
    const std::string db = dir.file("stockbell.db");
    const std::string key = create_key(db, "shop", "secret");
    const int64_t current = user_version(db);
    REQUIRE(current == stockbell::server::schema_version());
    std::string kept_hook, deleted_hook;
    {
      // A waiting request and two webhook endpoints (one deleted), written by this build,
      // before going back in time.
      ServerProcess server(db);
      const Api api(server.host(), server.port(), key);
      REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@shop.example")), 200);
      const HttpResponse kept = api.post("/api/v1/webhooks", {{"url", "https://hooks.example/a"},
                                                              {"events", {"ecommerce.back_in_stock"}}});
      const HttpResponse gone = api.post("/api/v1/webhooks", {{"url", "https://hooks.example/b"}});
      REQUIRE_STATUS(kept, 200);
      REQUIRE_STATUS(gone, 200);
      kept_hook = kept.json()["webhook"]["id"];
      deleted_hook = gone.json()["webhook"]["id"];
      REQUIRE_STATUS(api.del("/api/v1/webhooks/" + deleted_hook), 200);
      CHECK(server.stop() == 0);
    }
    downgrade(db, version);
    REQUIRE(user_version(db) == version);

    ServerProcess server(db);
    const Api api(server.host(), server.port(), key);
    CHECK_STATUS(api.get("/api/v1/products"), 200);  // the old key still works
    // The request is still waiting, and still one: a repeat finds it.
    const HttpResponse again = api.register_request(request_body("P", std::nullopt, "a@shop.example"));
    REQUIRE_STATUS(again, 200);
    CHECK(again.json()["created"] == false);
    CHECK(api.get("/api/v1/back-in-stock?status=waiting").json()["pagination"]["total"] == 1);
    // The events and the webhook came through the rebuilt tables; a deleted endpoint's id is
    // never given again.
    CHECK(api.events().json()["events"].size() == 1);
    const HttpResponse hooks = api.get("/api/v1/webhooks");
    REQUIRE(hooks.json()["webhooks"].size() == 1);
    CHECK(hooks.json()["webhooks"][0]["id"] == kept_hook);
    CHECK(hooks.json()["webhooks"][0]["events"] == json::array({"ecommerce.back_in_stock"}));
    const HttpResponse fresh = api.post("/api/v1/webhooks", {{"url", "https://hooks.example/c"}});
    REQUIRE_STATUS(fresh, 200);
    CHECK(fresh.json()["webhook"]["id"] != deleted_hook);
    CHECK(fresh.json()["webhook"]["id"] != kept_hook);
    // The dashboard's counters were filled from the requests already there.
    const json demand = api.get("/api/v1/stats/demand").json();
    REQUIRE(demand["demand"].size() == 1);
    CHECK(demand["demand"][0]["waiting"] == 1);
    CHECK(demand["waitingTotal"] == 1);
    // And the new tables work: an order is taken, the message outbox and templates answer.
    CHECK_STATUS(api.post("/api/v1/orders", {{"orderId", "1"}, {"totalCents", 1}, {"currency", "EUR"}}), 202);
    CHECK_STATUS(api.get("/api/v1/messages"), 200);
    CHECK(api.get("/api/v1/templates").json()["templates"].size() == 8);
    CHECK(server.stop() == 0);
    CHECK(user_version(db) == current);
    CHECK(run_stockbell({"keys", "revoke", "--db", db, "--id", "1"}).status == 0);
    const std::vector<std::string> lines = lines_of(run_stockbell({"keys", "list", "--db", db}).out);
    REQUIRE(lines.size() == 2);
    CHECK(matches(lines[1], key_line(1, "shop", "secret", true, key, "-").c_str()));
  }
}

TEST_CASE("a database written by a newer Stockbell is refused, and left as it is") {
  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  create_key(db, "shop", "secret");
  {
    stockbell::server::Database newer(db, stockbell::server::Database::Mode::read_write_create);
    newer.exec("PRAGMA user_version = 99");
  }
  const RunResult serve = run_stockbell({"serve", "--db", db, "--port", "0"}, {}, 5s);
  CHECK(serve.status == 1);
  CHECK(serve.err.find("written by a newer Stockbell (schema version 99)") != std::string::npos);
  CHECK(user_version(db) == 99);
}
