// Graceful shutdown (README: Configuration: "`SIGTERM`/`SIGINT` stop accepting connections, let
// in-flight requests and webhook attempts finish, and close the database cleanly"; README:
// Guarantees: "A 200 to a write means the change is committed and synced to disk"). Clients
// register as fast as they can over keep-alive connections while the signal arrives: every 200
// given, before or during the shutdown, must be there after a restart; a request that got no answer
// or a connection error is allowed (the client can't assume it was stored, and a retry is a
// harmless repeat).

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "hostile_support.hpp"
#include "http_checks.hpp"

using namespace stockbell::testing;
using namespace stockbell::testing::hostile;

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kClients = 6;

struct Outcome {
  std::mutex mutex;
  std::set<std::string> answered;  ///< request ids answered 200
  long after_signal = 0;           ///< of them, answered after the signal was sent
  long errors = 0;                 ///< no answer (refused, reset, closed)
  std::vector<std::string> unexpected;
};

// One client: its own keep-alive connection, registrations back to back.
void client_loop(const ServerProcess& server, const std::string& key, int id,
                 const std::atomic<bool>& stop, const std::atomic<bool>& signalled,
                 Outcome& outcome) {
  httplib::Client client(server.host(), server.port());
  client.set_keep_alive(true);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(15, 0);
  client.set_write_timeout(15, 0);
  const httplib::Headers headers = {{"Authorization", "Bearer " + key}};
  for (int i = 0; !stop; ++i) {
    const std::string body =
        request_body("P", std::nullopt,
                     "c" + std::to_string(id) + "-" + std::to_string(i) + "@example.com")
            .dump();
    const bool sent_after_signal = signalled;
    httplib::Result r = client.Post("/api/v1/back-in-stock", headers, body, "application/json");
    std::lock_guard<std::mutex> lock(outcome.mutex);
    if (!r) {
      ++outcome.errors;
      continue;
    }
    if (r->status == 200) {
      outcome.answered.insert(json::parse(r->body)["requestId"].get<std::string>());
      if (sent_after_signal || signalled) ++outcome.after_signal;
    } else if (r->status != 503) {  // 503 unavailable: "shutting down", allowed
      outcome.unexpected.push_back(std::to_string(r->status) + " " + r->body);
    }
  }
}

void shutdown_under_load(int sig) {
  TestServer s;
  Outcome outcome;
  std::atomic<bool> stop{false}, signalled{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i)
    clients.emplace_back([&, i] { client_loop(s.server, s.secret, i, stop, signalled, outcome); });
  // Let the load build up over the keep-alive connections.
  const auto warm = Clock::now() + 10s;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(outcome.mutex);
      if (outcome.answered.size() >= 300 || Clock::now() > warm) break;
    }
    std::this_thread::sleep_for(5ms);
  }
  const auto start = Clock::now();
  signalled = true;
  const int status = s.server.stop(20s, sig);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  stop = true;
  for (std::thread& t : clients) t.join();

  MESSAGE("signal " << sig << ": exit " << status << " after " << took.count() << " ms; "
                    << outcome.answered.size() << " answered 200 (" << outcome.after_signal
                    << " after the signal), " << outcome.errors << " without an answer");
  CHECK(status == 0);
  CHECK(took < 5s);
  CHECK_MESSAGE(outcome.unexpected.empty(),
                (outcome.unexpected.empty() ? std::string() : outcome.unexpected.front()));
  REQUIRE(outcome.answered.size() >= 300);
  CHECK(s.server.stderr_text().find("stockbell: stopped") != std::string::npos);

  // Closed cleanly: the file passes its integrity check, and the last connection to close
  // checkpointed the write-ahead log away.
  {
    SqliteReader file(s.db);
    CHECK(file.text("PRAGMA integrity_check") == "ok");
    CHECK(file.rows("PRAGMA foreign_key_check").empty());
  }
  CHECK(read_file_bytes(s.db + "-wal").empty());

  // Every 200 is there after a restart, with its one requested event.
  s.server.start();
  const Api api = s.api();
  std::set<std::string> stored;
  for (const json& r : list_all(api, "/api/v1/back-in-stock", "requests"))
    stored.insert(r["id"].get<std::string>());
  for (const std::string& id : outcome.answered)
    CHECK_MESSAGE(stored.count(id) == 1, "answered 200, lost in the shutdown: " << id);
  CHECK(feed_events(api, "ecommerce.back_in_stock_requested").size() == stored.size());
  CHECK(s.server.stop() == 0);
}

}  // namespace

TEST_CASE("SIGTERM under keep-alive load: exit 0 within seconds, every 200 stored") {
  shutdown_under_load(SIGTERM);
}

TEST_CASE("SIGINT under keep-alive load: the same") {
  shutdown_under_load(SIGINT);
}

// Stopping doesn't wait for connections that are open but idle between requests.
TEST_CASE("an idle keep-alive connection does not hold the shutdown up") {
  TestServer s;
  RawConnection idle(s.server.host(), s.server.port());
  idle.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  REQUIRE(idle.read_response(5s).status == 200);  // answered; the connection stays open
  const auto start = Clock::now();
  CHECK(s.server.stop(20s) == 0);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  INFO("exit after " << took.count() << " ms");
  CHECK(took < 2s);
}

// A request that is being read when the signal arrives is still answered (in flight), and
// stored if it was answered 200.
TEST_CASE("a request arriving slowly while the server stops is finished or refused, never lost") {
  TestServer s;
  const std::string body = request_body("P", std::nullopt, "slow@example.com").dump();
  RawConnection conn(s.server.host(), s.server.port());
  conn.send("POST /api/v1/back-in-stock HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
            s.secret + "\r\nContent-Type: application/json\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));
  std::this_thread::sleep_for(200ms);
  std::thread stopper([&] { CHECK(s.server.stop(20s) == 0); });
  std::this_thread::sleep_for(300ms);
  conn.send(body.substr(10));
  const RawResponse r = conn.read_response(10s);
  stopper.join();
  MESSAGE("a request finishing during the stop: " << (r.status ? r.status_line : "no answer"));
  s.server.start();
  const json stored = list_all(s.api(), "/api/v1/back-in-stock", "requests");
  if (r.status == 200) {
    REQUIRE(stored.size() == 1);
    CHECK(stored[0]["id"] == json::parse(r.body)["requestId"]);
  } else {
    CHECK((r.status == 0 || r.status == 503));
  }
}
