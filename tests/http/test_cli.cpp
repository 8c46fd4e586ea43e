// The command line (SPEC §2): help, version, usage errors, `keys create`, and `serve`
// configured from flags and STOCKBELL_* environment variables.

#include <fstream>
#include <iterator>

#include "core/version.hpp"
#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

constexpr const char* kKeyPattern = "(sk|pk)_[0-9A-Za-z]{40}";

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
