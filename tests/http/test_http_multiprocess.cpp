// Several `stockbell serve` processes on one PostgreSQL database (README "Scaling out"): racing
// upserts notify each waiting request exactly once; a process killed with SIGKILL under load
// loses nothing it acknowledged, and the webhook deliveries it had claimed are sent by another;
// PostgreSQL restarting under load gives 503s with Retry-After, never a wrong answer, and the
// servers recover by themselves. Runs only in the `postgres` label (http_pg.multiprocess).

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <libpq-fe.h>

#include "http_checks.hpp"
#include "webhook_receiver.hpp"

using namespace stockbell::testing;
using namespace std::chrono_literals;

namespace {

constexpr int kServers = 3;

// Three servers on the database of `db` (one PostgreSQL database: database_location()).
struct Cluster {
  explicit Cluster(const std::vector<std::string>& extra = {}) {
    db = dir.file("shared.db");
    secret = create_key(db, "shop", "secret");
    for (int i = 0; i < kServers; ++i) {
      ServerProcess::Options o;
      o.args = {"--db", db, "--port", "0", "--db-pool", "12"};
      o.args.insert(o.args.end(), kNoRateLimits.begin(), kNoRateLimits.end());
      o.args.insert(o.args.end(), extra.begin(), extra.end());
      o.log_path = dir.file("server" + std::to_string(i) + ".stderr");
      servers.push_back(std::make_unique<ServerProcess>(o));
    }
  }
  Api api(int i) const { return Api(servers[i]->host(), servers[i]->port(), secret); }

  TempDir dir;
  std::string db;
  std::string secret;
  std::vector<std::unique_ptr<ServerProcess>> servers;
};

json all_events(const Api& api, const std::string& type) {
  json events = json::array();
  std::string after;
  for (;;) {
    std::string q = "?limit=1000&type=" + url_encode(type);
    if (!after.empty()) q += "&after=" + url_encode(after);
    const HttpResponse r = api.events(q);
    REQUIRE_STATUS(r, 200);
    const json page = r.json();
    for (const json& e : page["events"]) events.push_back(e);
    if (!page["hasMore"].get<bool>()) return events;
    after = page["nextCursor"];
  }
}

json in_stock(int quantity) {
  return json::array(
      {{{"productId", "SKU-HOT"},
        {"title", "Hot item"},
        {"variants",
         {{{"variantId", "SKU-HOT-M"}, {"title", "M"}, {"inventoryQuantity", quantity}}}}}});
}

}  // namespace

namespace {

// The sum of a /metrics counter over the servers.
double metric_total(const Cluster& c, const std::string& name) {
  double total = 0;
  for (int i = 0; i < kServers; ++i) {
    const std::string body =
        Api(c.servers[i]->host(), c.servers[i]->port(), "").get("/metrics").body;
    const size_t at = body.find("\n" + name + " ");
    REQUIRE_MESSAGE(at != std::string::npos, name);
    total += std::stod(body.substr(at + name.size() + 2));
  }
  return total;
}

}  // namespace

TEST_CASE(
    "three servers on one database: concurrent registrations share commits, racing "
    "upserts notify every request exactly once, every webhook event is sent once") {
  if (!testing_postgres()) return;  // several processes share a database only on PostgreSQL
  WebhookReceiver receiver;
  Cluster c;
  REQUIRE_STATUS(
      c.api(0).post("/api/v1/webhooks",
                    {{"url", receiver.url()},
                     {"events", {"ecommerce.back_in_stock_requested", "ecommerce.back_in_stock"}}}),
      200);
  // Eight clients per server at once: more than a server's two write transactions, so writes
  // queue and share them (group commit), while every server's dispatcher claims the same
  // deliveries (each must be sent by one).
  constexpr int kRequests = 240;
  constexpr int kClients = 8 * kServers;
  std::mutex mutex;
  std::set<std::string> request_ids;
  std::vector<std::string> wrong;
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t)
    clients.emplace_back([&, t] {
      for (int i = t; i < kRequests; i += kClients) {
        const HttpResponse r =
            c.api(t % kServers)
                .register_request(
                    request_body("SKU-HOT", "SKU-HOT-M", "s" + std::to_string(i) + "@example.com"));
        std::lock_guard<std::mutex> lock(mutex);
        if (r.status == 200)
          request_ids.insert(r.json()["requestId"].get<std::string>());
        else
          wrong.push_back(std::to_string(r.status) + " " + r.body);
      }
    });
  for (std::thread& t : clients) t.join();
  CHECK_MESSAGE(wrong.empty(), (wrong.empty() ? std::string() : wrong.front()));
  REQUIRE(request_ids.size() == kRequests);
  CHECK(metric_total(c, "stockbell_db_commits_total") <
        metric_total(c, "stockbell_db_writes_total"));
  // Nine pushes of the variant in stock, three through each server, all at once.
  std::atomic<long long> triggered{0};
  std::atomic<int> ok{0};
  std::vector<std::thread> pushers;
  for (int t = 0; t < 9; ++t)
    pushers.emplace_back([&, t] {
      const HttpResponse r = c.api(t % kServers).upsert(in_stock(10 + t));
      if (r.status != 200) return;
      ++ok;
      triggered += r.json()["backInStockEventsTriggered"].get<long long>();
    });
  for (std::thread& t : pushers) t.join();
  CHECK(ok == 9);
  CHECK(triggered == kRequests);
  const json events = all_events(c.api(0), "ecommerce.back_in_stock");
  CHECK(events.size() == request_ids.size());
  std::map<std::string, int> per_request;
  for (const json& e : events) ++per_request[e["request"]["id"].get<std::string>()];
  CHECK(per_request.size() == request_ids.size());
  for (const auto& [id, count] : per_request) CHECK_MESSAGE(count == 1, id);

  // Every event (requested and back in stock) reaches the receiver exactly once.
  std::set<std::string> event_ids;
  for (const json& e : events) event_ids.insert(e["id"].get<std::string>());
  for (const json& e : all_events(c.api(0), "ecommerce.back_in_stock_requested"))
    event_ids.insert(e["id"].get<std::string>());
  REQUIRE(event_ids.size() == 2 * request_ids.size());
  CHECK(receiver.wait_for_count(event_ids.size(), 60s));
  std::this_thread::sleep_for(1500ms);  // a second sender of the same delivery shows up now
  std::map<std::string, int> sent;
  for (const ReceivedRequest& r : receiver.requests()) ++sent[r.header("Stockbell-Event-Id")];
  CHECK(sent.size() == event_ids.size());
  int twice = 0;
  for (const auto& [id, count] : sent) twice += count > 1 ? 1 : 0;
  CHECK_MESSAGE(twice == 0, twice << " events sent more than once");
}

TEST_CASE(
    "registrations racing stock flips on three servers: no deadlock, each request "
    "notified once") {
  if (!testing_postgres()) return;
  Cluster c;
  // Registrations and upserts lock the product row before anything else (the demand counter,
  // the requests), in every write and so in every group of writes: they wait for each other
  // but never deadlock. A deadlock still ends well (retried) but costs PostgreSQL's 1 s
  // deadlock_timeout; its counter is the proof. The product row exists first: a lock on a row
  // not there yet takes nothing (two groups, each with a registration and the upsert that
  // creates the product, may then deadlock once, at the start).
  REQUIRE_STATUS(c.api(0).upsert(in_stock(0)), 200);
  std::atomic<bool> done{false};
  std::atomic<int> errors{0};
  std::vector<std::thread> flippers;
  for (int i = 0; i < 2 * kServers; ++i)
    flippers.emplace_back([&, i] {
      for (int n = 0; !done; ++n) {
        const HttpResponse r = c.api(i % kServers).upsert(in_stock(n % 2));  // 0, 1, 0, 1, ...
        if (r.status != 200) ++errors;
      }
    });
  constexpr int kClients = 8 * kServers;
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t)
    clients.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const HttpResponse r =
            c.api(t % kServers)
                .register_request(request_body(
                    "SKU-HOT", "SKU-HOT-M",
                    "f" + std::to_string(t) + "-" + std::to_string(i) + "@example.com"));
        if (r.status != 200) ++errors;
      }
    });
  for (std::thread& t : clients) t.join();
  done = true;
  for (std::thread& t : flippers) t.join();
  REQUIRE_STATUS(c.api(0).upsert(in_stock(5)), 200);  // whoever still waits is notified now
  CHECK(errors == 0);

  const json events = all_events(c.api(0), "ecommerce.back_in_stock");
  std::map<std::string, int> per_request;
  for (const json& e : events) ++per_request[e["request"]["id"].get<std::string>()];
  CHECK(per_request.size() == static_cast<size_t>(kClients * 20));
  for (const auto& [id, count] : per_request) CHECK_MESSAGE(count == 1, id);

  // The servers' connections end (their statistics reach pg_stat_database), then count.
  for (auto& server : c.servers) server->stop();
  PGconn* conn = PQconnectdb(database_location(c.db).c_str());
  REQUIRE(PQstatus(conn) == CONNECTION_OK);
  long long deadlocks = -1;
  for (int attempt = 0; attempt < 20; ++attempt) {
    PGresult* r = PQexec(conn,
                         "SELECT pg_stat_clear_snapshot(), deadlocks FROM pg_stat_database"
                         " WHERE datname = current_database()");
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
      deadlocks = std::atoll(PQgetvalue(r, 0, 1));
    PQclear(r);
    if (deadlocks != 0) break;
    std::this_thread::sleep_for(100ms);
  }
  PQfinish(conn);
  CHECK_MESSAGE(deadlocks == 0, deadlocks << " deadlocks");
}

TEST_CASE(
    "kill -9 of one of three servers under load: nothing acknowledged is lost, its "
    "claimed deliveries are sent by another") {
  if (!testing_postgres()) return;
  WebhookReceiver receiver;
  receiver.set_default(Reply(200, 100ms));  // attempts under way when the process dies
  Cluster c({"--webhook-timeout-ms", "1000"});
  REQUIRE_STATUS(
      c.api(0).post("/api/v1/webhooks",
                    {{"url", receiver.url()}, {"events", {"ecommerce.back_in_stock_requested"}}}),
      200);
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < 3; ++t)  // few: each event costs the receiver 100 ms of a sender
    clients.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        const int server = t % kServers;
        const HttpResponse r = c.api(server).register_request(
            request_body("SKU-LOAD", std::nullopt,
                         "k" + std::to_string(t) + "-" + std::to_string(i) + "@example.com"));
        if (r.status == 200) {
          std::lock_guard<std::mutex> lock(mutex);
          acknowledged.insert(r.json()["requestId"].get<std::string>());
        }
        if (r.status == 0 && server == 0) std::this_thread::sleep_for(10ms);  // it is dead
      }
    });
  std::this_thread::sleep_for(1000ms);
  CHECK(c.servers[0]->kill() == 137);
  std::this_thread::sleep_for(500ms);
  stop = true;
  for (std::thread& t : clients) t.join();
  REQUIRE(acknowledged.size() > 20);

  // Every acknowledged registration is stored (read through a survivor) ...
  const json requested = all_events(c.api(1), "ecommerce.back_in_stock_requested");
  std::set<std::string> stored;
  for (const json& e : requested) stored.insert(e["request"]["id"].get<std::string>());
  for (const std::string& id : acknowledged) CHECK_MESSAGE(stored.count(id) == 1, id);
  // ... and every event reaches the receiver with a 2xx: those the dead process had claimed
  // once their lease ran out (1 s timeout + the margin), by one of the others.
  std::set<std::string> event_ids;
  for (const json& e : requested) event_ids.insert(e["id"].get<std::string>());
  std::set<std::string> delivered;
  const auto deadline = std::chrono::steady_clock::now() + 150s;
  while (std::chrono::steady_clock::now() < deadline) {
    delivered.clear();
    for (const ReceivedRequest& r : receiver.requests())
      if (r.answered_2xx()) delivered.insert(r.header("Stockbell-Event-Id"));
    if (delivered.size() >= event_ids.size()) break;
    std::this_thread::sleep_for(200ms);
  }
  for (const std::string& id : event_ids) CHECK_MESSAGE(delivered.count(id) == 1, id);
}

TEST_CASE(
    "PostgreSQL restarting under load: 503 with Retry-After, never a wrong answer, then "
    "recovery") {
  if (!testing_postgres()) return;
  const char* url_file = std::getenv("STOCKBELL_TEST_POSTGRES_FILE");
  REQUIRE(url_file != nullptr);  // the fixture's cluster: its directory holds the url file
  const std::string cluster_dir = std::string(url_file).substr(0, std::string(url_file).rfind('/'));
  Cluster c;
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::map<int, int> statuses;
  std::vector<std::string> wrong;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < 6; ++t)
    clients.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        const HttpResponse r =
            c.api(t % kServers)
                .register_request(request_body(
                    "SKU-R", std::nullopt,
                    "r" + std::to_string(t) + "-" + std::to_string(i) + "@example.com"));
        std::lock_guard<std::mutex> lock(mutex);
        ++statuses[r.status];
        if (r.status == 200) {
          acknowledged.insert(r.json()["requestId"].get<std::string>());
        } else if (r.status == 503) {
          if (r.header("Retry-After").empty() || r.json()["code"] != "unavailable")
            wrong.push_back(r.body);
        } else {
          wrong.push_back(std::to_string(r.status) + " " + r.body + r.error);
        }
        if (r.status != 200) std::this_thread::sleep_for(20ms);
      }
    });
  std::this_thread::sleep_for(700ms);
  const std::string restart = std::string(STOCKBELL_PG_CLUSTER) + " restart " + cluster_dir;
  REQUIRE(std::system(restart.c_str()) == 0);
  // Recovery by itself: 200s again from every server within a few seconds.
  for (int i = 0; i < kServers; ++i) {
    bool back = false;
    for (int attempt = 0; attempt < 100 && !back; ++attempt) {
      back = c.api(i).get("/api/v1/back-in-stock?limit=1").status == 200;
      if (!back) std::this_thread::sleep_for(100ms);
    }
    CHECK_MESSAGE(back, "server " << i << " did not recover");
  }
  std::this_thread::sleep_for(500ms);
  stop = true;
  for (std::thread& t : clients) t.join();
  CHECK_MESSAGE(wrong.empty(), (wrong.empty() ? std::string() : wrong.front()));
  CHECK(statuses[200] > 0);
  MESSAGE("statuses during the restart: 200 x" << statuses[200] << ", 503 x" << statuses[503]);
  std::set<std::string> stored;
  for (const json& e : all_events(c.api(0), "ecommerce.back_in_stock_requested"))
    stored.insert(e["request"]["id"].get<std::string>());
  for (const std::string& id : acknowledged) CHECK_MESSAGE(stored.count(id) == 1, id);
}
