// Races over HTTP (README: Guarantees: "Exactly one notification per request"; README: API /
// Upsert products: "Never twice, also when upserts race"): many clients at once against one real
// server.

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

// Runs `body(i)` on `n` threads that all start at the same moment.
template <class F>
void race(int n, F body) {
  std::mutex mutex;
  std::condition_variable go;
  int ready = 0;
  bool started = false;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      {
        std::unique_lock<std::mutex> lock(mutex);
        ++ready;
        go.notify_all();
        go.wait(lock, [&] { return started; });
      }
      body(i);
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    go.wait(lock, [&] { return ready == n; });
    started = true;
  }
  go.notify_all();
  for (std::thread& t : threads) t.join();
}

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

std::set<std::string> all_request_ids(const Api& api, const std::string& filter) {
  std::set<std::string> ids;
  for (int offset = 0;; offset += 100) {
    const HttpResponse r =
        api.get("/api/v1/back-in-stock?limit=100&offset=" + std::to_string(offset) + filter);
    REQUIRE_STATUS(r, 200);
    const json page = r.json();
    for (const json& req : page["requests"]) ids.insert(req["id"].get<std::string>());
    if (!page["pagination"]["hasMore"].get<bool>()) return ids;
  }
}

json in_stock_push(int quantity) {
  return json::array(
      {{{"productId", "SKU-HOT"},
        {"title", "Hot item"},
        {"variants",
         {{{"variantId", "SKU-HOT-M"}, {"title", "M"}, {"inventoryQuantity", quantity}}}}}});
}

}  // namespace

TEST_CASE(
    "200 concurrent registrations, then concurrent upserts: every request notified exactly once") {
  TestServer s;
  const Api api = s.api();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::mutex mutex;
  std::set<std::string> request_ids, subscriber_ids;
  std::vector<std::string> failures;
  race(kThreads, [&](int t) {
    for (int i = 0; i < kPerThread; ++i) {
      const HttpResponse r = api.register_request(
          request_body("SKU-HOT", "SKU-HOT-M",
                       "shopper-" + std::to_string(t) + "-" + std::to_string(i) + "@example.com"));
      std::lock_guard<std::mutex> lock(mutex);
      if (r.status != 200 || r.json()["created"] != true) {
        failures.push_back(std::to_string(r.status) + " " + r.body + r.error);
        continue;
      }
      request_ids.insert(r.json()["requestId"].get<std::string>());
      subscriber_ids.insert(r.json()["subscriberId"].get<std::string>());
    }
  });
  CHECK_MESSAGE(failures.empty(), (failures.empty() ? std::string() : failures.front()));
  REQUIRE(request_ids.size() == kThreads * kPerThread);
  CHECK(subscriber_ids.size() == kThreads * kPerThread);
  CHECK(all_request_ids(api, "&status=waiting") == request_ids);

  // Several pushes of the same variant, in stock, all at once.
  constexpr int kPushers = 6;
  std::atomic<long long> triggered{0};
  std::atomic<int> ok{0};
  race(kPushers, [&](int t) {
    const HttpResponse r = api.upsert(in_stock_push(10 + t));
    if (r.status != 200) return;
    ++ok;
    triggered += r.json()["backInStockEventsTriggered"].get<long long>();
  });
  CHECK(ok == kPushers);
  CHECK(triggered == kThreads * kPerThread);

  const json events = all_events(api, "ecommerce.back_in_stock");
  CHECK(events.size() == request_ids.size());
  std::map<std::string, int> per_request;
  for (const json& e : events) ++per_request[e["request"]["id"].get<std::string>()];
  std::set<std::string> notified;
  for (const auto& [id, count] : per_request) {
    CHECK_MESSAGE(count == 1, id);
    notified.insert(id);
  }
  CHECK(notified == request_ids);
  CHECK(all_request_ids(api, "&status=notified") == request_ids);
  CHECK(all_request_ids(api, "&status=waiting").empty());
}

TEST_CASE("the same request from many clients at once is created once") {
  TestServer s;
  const Api api = s.api();
  const Api pk = s.api(s.create_key("shop", "publishable"));
  constexpr int kClients = 12;
  std::mutex mutex;
  std::vector<json> answers;
  race(kClients, [&](int i) {
    // The same address, spelled differently; half through the publishable key.
    const std::string email = i % 3 == 0   ? "Same@Example.com"
                              : i % 3 == 1 ? " same@example.com"
                                           : "SAME@EXAMPLE.COM";
    const HttpResponse r =
        (i % 2 ? pk : api).register_request(request_body("SKU-1", "SKU-1-L", email));
    std::lock_guard<std::mutex> lock(mutex);
    answers.push_back(r.status == 200 ? r.json() : json{{"status", r.status}, {"body", r.body}});
  });
  REQUIRE(answers.size() == kClients);
  int created = 0;
  for (const json& a : answers) {
    INFO(a.dump());
    REQUIRE(a.value("success", false) == true);
    CHECK(a["requestId"] == answers[0]["requestId"]);
    CHECK(a["subscriberId"] == answers[0]["subscriberId"]);
    CHECK(a["status"] == "waiting");
    if (a.value("created", false)) ++created;
  }
  // Publishable answers never say `created` (SPEC §5): if one of them won the race, no secret
  // answer says true. One request either way (the same ids above, one stored below).
  CHECK(created <= 1);
  CHECK(all_request_ids(api, "").size() == 1);
  CHECK(all_events(api, "ecommerce.back_in_stock_requested").size() == 1);
}

TEST_CASE(
    "registrations racing stock flips: each request is notified at most once, and counts agree") {
  TestServer s;
  const Api api = s.api();
  std::atomic<long long> triggered{0};
  std::atomic<int> errors{0};
  std::atomic<bool> done{false};
  std::thread flipper([&] {
    for (int i = 0; !done; ++i) {
      const HttpResponse r = api.upsert(in_stock_push(i % 2));  // quantity 0, 1, 0, 1, ...
      if (r.status != 200) {
        ++errors;
        continue;
      }
      triggered += r.json()["backInStockEventsTriggered"].get<long long>();
    }
  });
  race(6, [&](int t) {
    for (int i = 0; i < 15; ++i) {
      const HttpResponse r = api.register_request(
          request_body("SKU-HOT", "SKU-HOT-M",
                       "r-" + std::to_string(t) + "-" + std::to_string(i) + "@example.com"));
      if (r.status != 200) ++errors;
    }
  });
  done = true;
  flipper.join();
  // One final push in stock notifies whoever still waits.
  const HttpResponse last = api.upsert(in_stock_push(5));
  REQUIRE_STATUS(last, 200);
  triggered += last.json()["backInStockEventsTriggered"].get<long long>();

  CHECK(errors == 0);
  const std::set<std::string> all = all_request_ids(api, "");
  CHECK(all.size() == 90);
  CHECK(all_request_ids(api, "&status=notified") == all);
  const json events = all_events(api, "ecommerce.back_in_stock");
  CHECK(events.size() == all.size());
  CHECK(triggered == static_cast<long long>(all.size()));
  std::set<std::string> distinct;
  for (const json& e : events) distinct.insert(e["request"]["id"].get<std::string>());
  CHECK(distinct == all);
}
