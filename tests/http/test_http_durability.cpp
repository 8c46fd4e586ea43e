// "A 200 to a write means the change is committed and synced to disk" (README: Guarantees) and
// clean shutdown (README: Configuration), checked by stopping or killing the real server and
// starting it again on the same database file.

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

struct State {
  json products, requests, events;
};

State read_state(const Api& api) {
  State s;
  HttpResponse r = api.get("/api/v1/products?limit=100");
  REQUIRE_STATUS(r, 200);
  s.products = r.json();
  r = api.get("/api/v1/back-in-stock?limit=100");
  REQUIRE_STATUS(r, 200);
  s.requests = r.json();
  r = api.events("?limit=1000");
  REQUIRE_STATUS(r, 200);
  s.events = r.json();
  return s;
}

}  // namespace

TEST_CASE("after SIGTERM and a restart on the same database, everything answered 200 is there") {
  TestServer s;
  const std::string pk = s.create_key("shop", "publishable", {"https://shop.example"});
  Api api = s.api();
  REQUIRE_STATUS(api.register_request(request_body("P1", "P1-S", "a@example.com")), 200);
  const HttpResponse b = api.register_request(request_body("P1", "P1-M", "b@example.com"));
  REQUIRE_STATUS(b, 200);
  REQUIRE_STATUS(s.api(pk).register_request(request_body("P2", std::nullopt, "c@example.com")),
                 200);
  const HttpResponse up = api.upsert(
      json::array({{{"productId", "P1"},
                    {"title", "One"},
                    {"variants",
                     {{{"variantId", "P1-S"}, {"title", "S"}, {"inventoryQuantity", 4}},
                      {{"variantId", "P1-M"}, {"title", "M"}, {"inventoryQuantity", 0}}}}}}));
  REQUIRE_STATUS(up, 200);
  REQUIRE(up.json()["backInStockEventsTriggered"] == 1);
  REQUIRE_STATUS(api.del("/api/v1/back-in-stock/" + b.json()["requestId"].get<std::string>()), 200);
  const State before = read_state(api);
  REQUIRE(before.events["events"].size() == 4);

  const int old_port = s.server.port();
  CHECK(s.server.stop() == 0);
  CHECK(s.server.stderr_text().find("stopped") != std::string::npos);
  // Nobody answers on the old port any more.
  CHECK(Api(s.server.host(), old_port, s.secret).get("/healthz").status == 0);

  s.server.start();
  api = s.api();
  const State after = read_state(api);
  CHECK(after.products == before.products);
  CHECK(after.requests == before.requests);
  CHECK(after.events == before.events);

  // Ids and keys survive: a repeat is still the same request, the publishable key still works.
  const HttpResponse repeat = s.api(pk).register_request(
      request_body("P2", std::nullopt, "C@example.com"), {{"Origin", "https://shop.example"}});
  REQUIRE_STATUS(repeat, 200);
  CHECK_FALSE(repeat.json().contains("created"));  // publishable: never said (SPEC §5)
  CHECK(repeat.json()["requestId"] == before.requests["requests"][0]["id"]);
  // The feed continues after the last event seen before the restart.
  const std::string last = before.events["events"].back()["id"];
  REQUIRE_STATUS(api.register_request(request_body("P3", std::nullopt, "d@example.com")), 200);
  const HttpResponse next = api.events(query({{"after", last}}));
  REQUIRE_STATUS(next, 200);
  REQUIRE(next.json()["events"].size() == 1);
  CHECK(next.json()["events"][0]["subscriber"]["email"] == "d@example.com");
}

TEST_CASE("SIGINT stops the server cleanly too") {
  TestServer s;
  REQUIRE_STATUS(s.api().register_request(request_body("P", std::nullopt, "a@example.com")), 200);
  CHECK(s.server.stop(10s, SIGINT) == 0);
  s.server.start();
  CHECK(s.api().get("/api/v1/back-in-stock").json()["pagination"]["total"] == 1);
}

TEST_CASE("after SIGKILL right after the 200s, a restart still has every answered request") {
  TestServer s;
  const Api api = s.api();
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::string> answered;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const HttpResponse r = api.register_request(request_body(
            "P", std::nullopt, "t" + std::to_string(t) + "-" + std::to_string(i) + "@example.com"));
        if (r.status != 200) {
          ++failures;
          continue;
        }
        std::lock_guard<std::mutex> lock(mutex);
        answered.insert(r.json()["requestId"].get<std::string>());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  REQUIRE(failures == 0);
  REQUIRE(answered.size() == 40);
  CHECK(s.server.kill() == 128 + SIGKILL);

  s.server.start();
  const HttpResponse listed = s.api().get("/api/v1/back-in-stock?limit=100");
  REQUIRE_STATUS(listed, 200);
  std::set<std::string> stored;
  const json listing = listed.json();
  for (const json& r : listing["requests"]) stored.insert(r["id"].get<std::string>());
  CHECK(stored == answered);
  CHECK(s.api().events("?limit=1000").json()["events"].size() == 40);
}

TEST_CASE("SIGTERM while requests are in flight: exit 0, and every 200 given is stored") {
  TestServer s;
  const Api api = s.api();
  std::atomic<bool> stop{false};
  std::atomic<int> started{0};
  std::mutex mutex;
  std::set<std::string> answered;
  std::vector<int> unexpected;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        ++started;
        const HttpResponse r = api.register_request(request_body(
            "P", std::nullopt, "t" + std::to_string(t) + "-" + std::to_string(i) + "@example.com"));
        std::lock_guard<std::mutex> lock(mutex);
        if (r.status == 200) {
          answered.insert(r.json()["requestId"].get<std::string>());
        } else if (r.status == 0) {
          break;  // the server is gone: connection refused or closed
        } else if (r.status != 503) {
          unexpected.push_back(r.status);
        }
      }
    });
  }
  while (started < 40) std::this_thread::sleep_for(1ms);
  const int status = s.server.stop();
  stop = true;
  for (std::thread& t : threads) t.join();
  CHECK(status == 0);
  CHECK(unexpected.empty());
  REQUIRE(!answered.empty());

  s.server.start();
  std::set<std::string> stored;
  for (int offset = 0;; offset += 100) {
    const HttpResponse page =
        s.api().get("/api/v1/back-in-stock?limit=100&offset=" + std::to_string(offset));
    REQUIRE_STATUS(page, 200);
    const json body = page.json();
    for (const json& r : body["requests"]) stored.insert(r["id"].get<std::string>());
    if (!body["pagination"]["hasMore"].get<bool>()) break;
  }
  for (const std::string& id : answered) CHECK_MESSAGE(stored.count(id) == 1, id);
}
