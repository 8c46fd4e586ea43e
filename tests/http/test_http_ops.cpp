// Running it as a service (README "Operations"): request ids, the JSON log, /metrics (checked by
// Prometheus' own promtool, and against known traffic), /readyz, `serve --config`, `backup` and
// `restore` under write load, and the systemd unit (systemd-analyze verify).

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "http_checks.hpp"
#include "server/store/sqlite/sqlite.hpp"

using namespace stockbell::testing;

namespace {

namespace fs = std::filesystem;

std::vector<std::string> with_no_limits(std::vector<std::string> flags) {
  flags.insert(flags.end(), kNoRateLimits.begin(), kNoRateLimits.end());
  return flags;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

/// Runs a shell command; its exit status and everything it wrote (stdout and stderr).
std::pair<int, std::string> shell(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string repo_root() {
  return fs::path(STOCKBELL_README_PATH).parent_path().string();
}

/// The samples of a Prometheus exposition: `name{labels}` → value.
std::map<std::string, double> samples(const std::string& exposition) {
  std::map<std::string, double> out;
  for (const std::string& line : lines_of(exposition)) {
    if (line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

/// `promtool check metrics` on `exposition`: its status and output.
std::pair<int, std::string> promtool_check(const TempDir& dir, const std::string& exposition) {
  const std::string file = dir.file("metrics.txt");
  write_text(file, exposition);
  return shell("promtool check metrics < '" + file + "'");
}

void register_waiting(const Api& api, const std::string& product, const std::string& email) {
  REQUIRE_STATUS(api.register_request(request_body(product, std::nullopt, email)), 200);
}

const std::regex kGeneratedId("[0-9a-f]{32}");
const std::string kToken = "Tok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3n";  // like a link token

}  // namespace

TEST_CASE("every answer carries X-Request-Id: the client's when sane, else a new one") {
  TestServer s(with_no_limits({"--log-requests"}));
  const Api api = s.api();
  const Api anonymous = s.api("");

  // A sane id is kept, in the header and in an error body's envelope.
  const HttpResponse kept = anonymous.get("/api/v1/products", {{"X-Request-Id", "trace-42.a:b_c"}});
  CHECK_ERROR(kept, 401, "unauthorized");
  CHECK(kept.header("X-Request-Id") == "trace-42.a:b_c");
  CHECK(kept.json()["requestId"] == "trace-42.a:b_c");

  // Anything else is replaced: too long, or characters a log line or a header must not get.
  for (const std::string& bad :
       {std::string(65, 'a'), std::string("a b"), std::string("x\"y"), std::string("<script>")}) {
    const HttpResponse r = api.get("/healthz", {{"X-Request-Id", bad}});
    CHECK_STATUS(r, 200);
    CHECK(std::regex_match(r.header("X-Request-Id"), kGeneratedId));
  }
  // Without one, every answer gets its own, successes and errors alike.
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    const HttpResponse ok = api.get("/api/v1/products");
    CHECK_STATUS(ok, 200);
    REQUIRE(std::regex_match(ok.header("X-Request-Id"), kGeneratedId));
    ids.insert(ok.header("X-Request-Id"));
    const HttpResponse missing = api.get("/api/v1/products/nope");
    CHECK_ERROR(missing, 404, "not_found");
    CHECK(missing.json()["requestId"] == missing.header("X-Request-Id"));
    ids.insert(missing.header("X-Request-Id"));
  }
  CHECK(ids.size() == 10);
  // A static file served as it is has none (README: the widget's budget on the wire); a static
  // path's error has one.
  const HttpResponse file = anonymous.get("/widget/stockbell.js");
  CHECK_STATUS(file, 200);
  CHECK_FALSE(file.has_header("X-Request-Id"));
  const HttpResponse no_file = anonymous.get("/widget/nope.js", {{"X-Request-Id", "static-404"}});
  CHECK(no_file.status == 404);
  CHECK(no_file.header("X-Request-Id") == "static-404");
  const HttpResponse availability = api.get("/api/v1/storefront/availability?productId=SKU-1");
  CHECK_STATUS(availability, 200);
  CHECK_FALSE(availability.has_header("X-Request-Id"));
  const HttpResponse bad_availability = api.get("/api/v1/storefront/availability");
  CHECK(bad_availability.status == 400);
  CHECK(bad_availability.json()["requestId"] == bad_availability.header("X-Request-Id"));

  // Answers the connection front gives from the head alone carry one too: a key refused before
  // the body is read, and a declared body over the route's limit.
  const HttpResponse refused = anonymous.post_raw("/api/v1/products", "{}", "application/json",
                                                  {{"X-Request-Id", "front-1"}});
  CHECK_ERROR(refused, 401, "unauthorized");
  CHECK(refused.header("X-Request-Id") == "front-1");
  CHECK(refused.json()["requestId"] == "front-1");
  const HttpResponse too_large = api.post_raw("/api/v1/back-in-stock", std::string(70 * 1024, ' '),
                                              "application/json", {{"X-Request-Id", "front-2"}});
  CHECK_ERROR(too_large, 413, "payload_too_large");
  CHECK(too_large.header("X-Request-Id") == "front-2");
  CHECK(too_large.json()["requestId"] == "front-2");

  // The log line of each request names its id.
  CHECK(s.server.stop() == 0);
  const std::string log = s.server.stderr_text();
  INFO(log);
  for (const char* id : {"trace-42.a:b_c", "front-1", "front-2"}) {
    bool found = false;
    for (const std::string& line : lines_of(log))
      if (line.find(id) != std::string::npos) found = true;
    CHECK_MESSAGE(found, "no log line names " << id);
  }
  CHECK(log.find(*ids.begin()) != std::string::npos);
}

TEST_CASE("--log-format json: one JSON object per line, nothing secret or personal in full") {
  const std::string token = "metrics-token-0123456789";
  TestServer s(
      with_no_limits({"--log-format", "json", "--log-requests", "--metrics-token", token}));
  const Api api = s.api();
  const std::string pk = s.create_key("shop", "publishable");
  register_waiting(api, "SKU-1", "ann.lee@example.com");
  REQUIRE_STATUS(s.api(pk).register_request(request_body("SKU-1", std::nullopt, "bob@example.org")),
                 200);
  REQUIRE_STATUS(api.upsert(json::array({{{"productId", "SKU-1"}, {"title", "One"}}})), 200);
  // A path that carries a token, a query that carries an e-mail, a refusal from the front.
  api.get("/u/" + kToken);
  api.get("/api/v1/back-in-stock?email=ann.lee%40example.com");
  s.api("").post_raw("/api/v1/products", "{}");
  api.get("/api/v1/products", {{"X-Request-Id", "json-trace-1"}});
  CHECK(s.server.stop() == 0);

  const std::string log = s.server.stderr_text();
  INFO(log);
  size_t requests = 0;
  bool configuration = false;
  for (const std::string& line : lines_of(log)) {
    const json entry = json::parse(line, nullptr, false);
    REQUIRE_MESSAGE(entry.is_object(), "not a JSON object: " << line);
    CHECK(matches(entry.value("time", ""), "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    CHECK(matches(entry.value("level", ""), "info|warn|error"));
    CHECK(entry["msg"].is_string());
    if (entry["msg"] == "request") {
      ++requests;
      CHECK(entry["requestId"].is_string());
      CHECK(entry["route"].is_string());
      CHECK(entry["status"].is_number_integer());
      CHECK(entry["durationMs"].is_number());
      CHECK(entry["store"].is_string());
      CHECK(entry.contains("method"));
      if (entry["requestId"] == "json-trace-1") {
        CHECK(entry["route"] == "/api/v1/products");
        CHECK(entry["status"] == 200);
        CHECK(entry["store"] == "shop");
      }
    }
    if (entry["msg"] == "configuration") {
      configuration = true;
      CHECK(entry["metrics-token"] == "set (24 characters)");
      CHECK(entry["log-format"] == "json");
      CHECK(entry["port"] == 0);
    }
  }
  CHECK(configuration);
  CHECK(requests >= 7);
  CHECK(log.find("/u/{}") != std::string::npos);  // the route template, not the token
  for (const std::string& secret :
       {s.secret, s.secret.substr(3), pk, pk.substr(3), token, kToken,
        std::string("ann.lee@example.com"), std::string("ann.lee"), std::string("bob@example.org")})
    CHECK_MESSAGE(log.find(secret) == std::string::npos, "in the log: " << secret);
}

TEST_CASE("the text log masks tokens and e-mails in paths too") {
  TestServer s(with_no_limits({"--log-requests"}));
  s.api().get("/u/" + kToken);
  s.api().get("/dashboard/sign-in?token=zzzz");
  s.api().get("/widget/" + std::string("ann.lee@example.com"));
  CHECK(s.server.stop() == 0);
  const std::string log = s.server.stderr_text();
  INFO(log);
  CHECK(log.find("GET /u/Tok3*** 404") != std::string::npos);
  CHECK(log.find(kToken) == std::string::npos);
  CHECK(log.find("ann.lee@") == std::string::npos);
  CHECK(log.find("a***@example.com") != std::string::npos);
}

TEST_CASE("/metrics: valid for promtool, and its figures follow the traffic") {
  const std::string token = "scrape-token-0123456789";
  TestServer s(with_no_limits({"--metrics-token", token}));
  const Api api = s.api();
  const Api b = s.api(s.create_key("b-shop", "secret"));
  const Api anonymous = s.api("");

  // 7 waiting in shop (one is then cancelled), 3 in b-shop, one 404 on an id route.
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    const HttpResponse r = api.register_request(
        request_body("SKU-1", std::nullopt, "s" + std::to_string(i) + "@example.com"));
    REQUIRE_STATUS(r, 200);
    ids.push_back(r.json()["requestId"]);
  }
  for (int i = 0; i < 3; ++i)
    register_waiting(b, "SKU-9", "b" + std::to_string(i) + "@example.com");
  REQUIRE_STATUS(api.del("/api/v1/back-in-stock/" + ids[0]), 200);
  CHECK_ERROR(api.del("/api/v1/back-in-stock/bisr_nope"), 404, "not_found");

  HttpResponse scrape = anonymous.get("/metrics");
  REQUIRE_STATUS(scrape, 200);
  CHECK(scrape.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  TempDir dir;
  {
    const auto [status, output] = promtool_check(dir, scrape.body);
    CHECK_MESSAGE(status == 0, output);
    CHECK_MESSAGE(output.empty(), output);
  }
  std::map<std::string, double> m = samples(scrape.body);
  CHECK(m["stockbell_waiting_requests{store=\"shop\"}"] == 6);
  CHECK(m["stockbell_waiting_requests{store=\"b-shop\"}"] == 3);
  CHECK(m["stockbell_http_requests_total{method=\"POST\",route=\"/api/v1/"
          "back-in-stock\",status=\"200\"}"] == 10);
  CHECK(m["stockbell_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/"
          "back-in-stock\"}"] == 10);
  CHECK(m["stockbell_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/"
          "back-in-stock\",le=\"+Inf\"}"] == 10);
  // Route templates, never ids: the cancelled id and the unknown one share one label.
  CHECK(m["stockbell_http_requests_total{method=\"DELETE\",route=\"/api/v1/back-in-stock/"
          "{}\",status=\"200\"}"] == 1);
  CHECK(m["stockbell_http_requests_total{method=\"DELETE\",route=\"/api/v1/back-in-stock/"
          "{}\",status=\"404\"}"] == 1);
  CHECK(scrape.body.find(ids[0]) == std::string::npos);
  CHECK(m["stockbell_request_activity_total{store=\"shop\",kind=\"requested\"}"] == 7);
  CHECK(m["stockbell_request_activity_total{store=\"shop\",kind=\"cancelled\"}"] == 1);
  CHECK(m["stockbell_outbox_depth{outbox=\"webhooks\"}"] == 0);
  CHECK(m["stockbell_db_writes_total"] >= 12);
  CHECK(m["stockbell_db_commits_total"] >= 1);
  CHECK(m["stockbell_db_commits_total"] <= m["stockbell_db_writes_total"]);
  CHECK(m["process_resident_memory_bytes"] > 1e6);
  CHECK(m["process_open_fds"] > 3);
  const double now = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  CHECK(m["process_start_time_seconds"] > now - 600);
  CHECK(m["process_start_time_seconds"] <= now + 1);

  // A webhook whose receiver is down: its deliveries wait in the outbox, and they age.
  REQUIRE_STATUS(api.post("/api/v1/webhooks", {{"url", "http://127.0.0.1:9/hook"}}), 200);
  const HttpResponse up = api.upsert(json::array({{{"productId", "SKU-1"}, {"title", "One"}}}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["backInStockEventsTriggered"] == 6);
  m = samples(anonymous.get("/metrics").body);
  CHECK(m["stockbell_waiting_requests{store=\"shop\"}"] == 0);  // notified
  CHECK(m["stockbell_request_activity_total{store=\"shop\",kind=\"notified\"}"] == 6);
  CHECK(m["stockbell_outbox_depth{outbox=\"webhooks\"}"] == 6);
  CHECK(m["stockbell_outbox_oldest_age_seconds{outbox=\"webhooks\"}"] >= 0);
  // The first attempt fails (connection refused) and is scheduled again.
  for (int i = 0; i < 100 && m["stockbell_webhook_attempts_total{outcome=\"retry\"}"] < 6; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    m = samples(anonymous.get("/metrics").body);
  }
  CHECK(m["stockbell_webhook_attempts_total{outcome=\"retry\"}"] == 6);
  CHECK(m["stockbell_webhook_attempts_total{outcome=\"delivered\"}"] == 0);
  {
    const auto [status, output] = promtool_check(dir, anonymous.get("/metrics").body);
    CHECK_MESSAGE(status == 0, output);
  }

  // Only loopback, or the token: a request through a proxy is not local.
  const httplib::Headers proxied = {{"X-Forwarded-For", "203.0.113.9"}};
  CHECK_ERROR(anonymous.get("/metrics", proxied), 401, "unauthorized");
  CHECK_ERROR(s.api("wrong-token-0123456789").get("/metrics", proxied), 401, "unauthorized");
  CHECK_ERROR(s.api(token + "x").get("/metrics", proxied), 401, "unauthorized");
  CHECK_STATUS(s.api(token).get("/metrics", proxied), 200);
}

TEST_CASE("/readyz: ready, then 503 unavailable when the database is gone or the server stops") {
  TestServer s;
  const Api api = s.api("");
  const HttpResponse ready = api.get("/readyz");
  REQUIRE_STATUS(ready, 200);
  CHECK(ready.json() == json{{"status", "ready"}});

  // Shutting down: a request whose head is still arriving when SIGTERM comes is answered, and
  // /readyz then says the server is not ready.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(s.server.port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  const std::string first = "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  REQUIRE(::send(fd, first.data(), first.size(), 0) == static_cast<ssize_t>(first.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ::kill(s.server.pid(), SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  REQUIRE(::send(fd, "\r\n", 2, 0) == 2);
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
    answer.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  INFO(answer);
  CHECK(answer.rfind("HTTP/1.1 503", 0) == 0);
  CHECK(answer.find("\"code\":\"unavailable\"") != std::string::npos);
  CHECK(s.server.stop() == 0);

  // The database file deleted under the server: not ready, with the reason.
  s.server.start();
  REQUIRE_STATUS(s.api("").get("/readyz"), 200);
  fs::rename(s.db, s.db + ".moved");
  const HttpResponse gone = s.api("").get("/readyz");
  CHECK_ERROR(gone, 503, "unavailable");
  CHECK(gone.has_header("Retry-After"));
  CHECK(gone.json()["requestId"] == gone.header("X-Request-Id"));
  s.server.kill();
}

TEST_CASE("serve --config: a TOML file of the options; the environment and flags win") {
  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  const std::string config = dir.file("stockbell.toml");
  write_text(config,
             "# a comment\n"
             "port = 0\n"
             "log-format = \"json\"\n"
             "log-requests = true\n"
             "threads = 4\n");
  {
    ServerProcess server({{"--config", config, "--db", db}, {}, dir.file("a.log")});
    Api(server.host(), server.port()).get("/healthz");
    CHECK(server.stop() == 0);
    const std::vector<std::string> log = lines_of(server.stderr_text());
    REQUIRE(!log.empty());
    for (const std::string& line : log)
      CHECK_MESSAGE(json::parse(line, nullptr, false).is_object(), line);
    const json configuration = json::parse(log.front());
    CHECK(configuration["threads"] == 4);
    CHECK(configuration["config"] == config);
  }
  {
    // A flag wins over the file; the environment too.
    ServerProcess server({{"--config", config, "--db", db, "--log-format", "text"},
                          {{"STOCKBELL_THREADS", "6"}},
                          dir.file("b.log")});
    CHECK(server.stop() == 0);
    const std::string log = server.stderr_text();
    CHECK(log.rfind("stockbell: configuration", 0) == 0);
    CHECK(log.find(" threads=6 ") != std::string::npos);
    CHECK(log.find(" log-requests=on ") != std::string::npos);
  }
  // Mistakes name the key and the line.
  write_text(config, "port = 0\nprot = 8080\n");
  RunResult r = run_stockbell({"serve", "--config", config, "--db", db});
  CHECK(r.status == 2);
  CHECK(r.err.find(config + ":2: unknown key 'prot'") != std::string::npos);
  write_text(config, "port = \"8080\"\n");
  r = run_stockbell({"serve", "--config", config, "--db", db});
  CHECK(r.status == 2);
  CHECK(r.err.find("'port' must be a whole number") != std::string::npos);
  write_text(config, "port = [\n");
  r = run_stockbell({"serve", "--config", config, "--db", db});
  CHECK(r.status == 2);
  CHECK(r.err.find(config + ":") != std::string::npos);
  r = run_stockbell({"serve", "--config", dir.file("missing.toml"), "--db", db});
  CHECK(r.status == 2);
  CHECK(r.err.find("cannot read") != std::string::npos);

  // The example the repository ships starts a server.
  ServerProcess shipped(
      {{"--config", repo_root() + "/packaging/stockbell.toml", "--db", db, "--port", "0"},
       {},
       dir.file("c.log")});
  CHECK_STATUS(Api(shipped.host(), shipped.port()).get("/readyz"), 200);
  CHECK(shipped.stop() == 0);
}

TEST_CASE("the systemd unit is hardened and passes systemd-analyze verify") {
  const std::string unit = read_text(repo_root() + "/packaging/stockbell.service");
  REQUIRE(!unit.empty());
  for (const char* line : {"DynamicUser=yes", "StateDirectory=stockbell", "ProtectSystem=strict",
                           "NoNewPrivileges=yes", "PrivateTmp=yes", "Restart=on-failure",
                           "KillSignal=SIGTERM", "ProtectHome=yes", "CapabilityBoundingSet=\n"})
    CHECK_MESSAGE(unit.find(line) != std::string::npos, "missing: " << line);
  // verify checks that ExecStart's binary exists: point it at the one just built.
  TempDir dir;
  std::string copy = unit;
  const std::string installed = "ExecStart=/usr/local/bin/stockbell";
  REQUIRE(copy.find(installed) != std::string::npos);
  copy.replace(copy.find(installed), installed.size(), "ExecStart=" + stockbell_binary());
  write_text(dir.file("stockbell.service"), copy);
  const auto [status, output] =
      shell("systemd-analyze verify '" + dir.file("stockbell.service") + "'");
  CHECK_MESSAGE(status == 0, output);
  CHECK_MESSAGE(output.empty(), output);  // verify exits 0 on unknown keys; it prints them
}

TEST_CASE("backup under write load holds every write answered before it began; it serves") {
  TestServer s;
  const Api api = s.api();
  std::atomic<bool> writing{true};
  std::mutex mutex;
  std::vector<std::string> answered;  // e-mails whose registration was answered 200, in order
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w)
    writers.emplace_back([&, w] {
      for (int i = 0; writing; ++i) {
        const std::string email =
            "w" + std::to_string(w) + "-" + std::to_string(i) + "@example.com";
        const HttpResponse r = api.register_request(
            request_body("SKU-" + std::to_string(i % 50), std::nullopt, email));
        if (r.status != 200) continue;
        std::lock_guard<std::mutex> lock(mutex);
        answered.push_back(email);
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  size_t before;
  {
    std::lock_guard<std::mutex> lock(mutex);
    before = answered.size();
  }
  const std::string backup = s.dir.file("backup.db");
  const RunResult r = run_stockbell({"backup", "--db", s.db, "--to", backup});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // writes go on meanwhile
  writing = false;
  for (std::thread& t : writers) t.join();
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  REQUIRE(before > 20);
  CHECK(r.out.find("integrity check ok") != std::string::npos);
  CHECK(r.err.find('\r') == std::string::npos);  // no progress line when not on a terminal
  for (const auto& entry : fs::directory_iterator(s.dir.path()))
    CHECK_MESSAGE(entry.path().string().find(".partial") == std::string::npos, entry.path());
  CHECK((fs::status(backup).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
        fs::perms::none);

  // A server started on the backup serves it: every write answered before it began is there.
  ServerProcess copy(backup);
  const Api from_copy(copy.host(), copy.port(), s.secret);
  const HttpResponse csv = from_copy.get("/api/v1/back-in-stock?format=csv");
  REQUIRE_STATUS(csv, 200);
  size_t missing = 0;
  for (size_t i = 0; i < before; ++i)
    if (csv.body.find(answered[i]) == std::string::npos) ++missing;
  CHECK(missing == 0);
  const size_t in_backup = lines_of(csv.body).size() - 1;  // the header line
  CHECK(in_backup >= before);
  CHECK(in_backup < answered.size());  // and not what came after
  CHECK(copy.stop() == 0);

  // restore: the server's database goes back to the backup (stopped server).
  CHECK(s.server.stop() == 0);
  const RunResult restored = run_stockbell({"restore", "--from", backup, "--db", s.db});
  INFO(restored.out << restored.err);
  REQUIRE(restored.status == 0);
  s.server.start();
  const HttpResponse after = s.api().get("/api/v1/back-in-stock?format=csv");
  CHECK(lines_of(after.body).size() - 1 == in_backup);
  CHECK(s.server.stop() == 0);
}

TEST_CASE("backup and restore refuse what they must not do, and leave nothing half-written") {
  TestServer s;
  register_waiting(s.api(), "SKU-1", "a@example.com");
  // An existing file is never overwritten.
  write_text(s.dir.file("taken.db"), "precious");
  RunResult r = run_stockbell({"backup", "--db", s.db, "--to", s.dir.file("taken.db")});
  CHECK(r.status == 1);
  CHECK(r.err.find("already exists") != std::string::npos);
  CHECK(read_text(s.dir.file("taken.db")) == "precious");
  // A copy that can't be written leaves nothing behind.
  r = run_stockbell({"backup", "--db", s.db, "--to", s.dir.file("no-such-dir/b.db")});
  CHECK(r.status == 1);
  CHECK(r.err.find("nothing was written") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir.file("no-such-dir")));
  // PostgreSQL: explained, not pretended.
  r = run_stockbell(
      {"backup", "--db", "postgres://stockbell@db.example/stockbell", "--to", "x.dump"});
  CHECK(r.status == 2);
  CHECK(r.err.find("pg_dump --format=custom --file=x.dump") != std::string::npos);
  CHECK_FALSE(fs::exists("x.dump"));
  r = run_stockbell({"backup", "--db", s.dir.file("nope.db"), "--to", s.dir.file("n.db")});
  CHECK(r.status == 1);
  CHECK(r.err.find("no database at") != std::string::npos);
  CHECK(run_stockbell({"backup", "--db", s.db}).status == 2);  // --to is required

  // restore checks the backup first: a damaged one changes nothing.
  CHECK(s.server.stop() == 0);
  const std::string before = read_text(s.db);
  write_text(s.dir.file("damaged.db"),
             std::string("SQLite format 3") + '\0' + std::string(8192, 'x'));
  r = run_stockbell({"restore", "--from", s.dir.file("damaged.db"), "--db", s.db});
  CHECK(r.status == 1);
  CHECK(read_text(s.db) == before);
  for (const auto& entry : fs::directory_iterator(s.dir.path()))
    CHECK_MESSAGE(entry.path().string().find(".restoring") == std::string::npos, entry.path());
  s.server.start();
  CHECK(s.api().get("/api/v1/back-in-stock").json()["pagination"]["total"] == 1);
}

TEST_CASE("an interrupted backup leaves no file behind; one that finished is whole") {
  TempDir dir;
  const std::string db = dir.file("big.db");
  {
    // 120 MiB of pages: a copy that takes long enough to be interrupted.
    stockbell::server::Database big(db, stockbell::server::Database::Mode::read_write_create);
    big.exec("PRAGMA journal_mode = WAL");
    big.exec("CREATE TABLE big(b BLOB)");
    big.exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120) "
        "INSERT INTO big SELECT randomblob(1048576) FROM n");
  }
  const std::string to = dir.file("copy.db");
  std::vector<std::string> args = {stockbell_binary(), "backup", "--db", db, "--to", to};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&files, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&files);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  const bool there_midway = fs::exists(to);  // the copy goes to a temporary name until it is whole
  ::kill(pid, SIGINT);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  const int code = exit_status_code(status);
  INFO("exit status " << code);
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(dir.path()))
    if (entry.path().filename().string().rfind("copy.db", 0) == 0) left.push_back(entry.path());
  if (code == 130) {
    CHECK_FALSE(there_midway);
    CHECK(left.empty());  // not even the partial file
  } else {
    // The copy won the race: then it is complete and checked.
    REQUIRE(code == 0);
    CHECK(left == std::vector<std::string>{to});
    stockbell::server::Database copy(to, stockbell::server::Database::Mode::read_only);
    stockbell::server::Statement count = copy.prepare("SELECT COUNT(*) FROM big");
    REQUIRE(count.step());
    CHECK(count.int64(0) == 120);
  }
}
