// Crash safety, README: Guarantees: "A 200 to a write means the change is committed and synced to
// disk", "Exactly one notification per request, also across crashes", and README: Webhooks /
// Guarantees: "a crash or `kill -9` at any point means another attempt after restart". The real
// server is killed with SIGKILL at random moments, at least 20 times, while registrations and stock
// flips keep flowing, and restarted on the same database each time.
//
// Replaying a failure: the test prints its seed; STOCKBELL_CRASH_SEED=<seed> runs it again with
// the same kill delays and the same client choices (thread interleavings are the machine's).

#include <atomic>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include "hostile_support.hpp"
#include "http_checks.hpp"

using namespace stockbell::testing;
using namespace stockbell::testing::hostile;

namespace {

constexpr int kKills = 30;
constexpr int kRegistrants = 4;

/// A 200 a client saw.
struct Answered {
  std::string request_id;
  std::string product_id;
  std::string variant_id;
  std::string email;  ///< lower-cased, as the server stores it
};

uint64_t crash_seed() {
  if (const char* text = std::getenv("STOCKBELL_CRASH_SEED"); text != nullptr && *text != '\0')
    return std::stoull(text);
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

// P-FLIP's variant V-FLIP goes in and out of stock; V-STEADY is always in stock (every push of
// P-FLIP notifies whoever waits on it). priceCents numbers the push, for the event snapshots.
json flip_push(bool in_stock, int n) {
  return json::array({{{"productId", "P-FLIP"},
                       {"title", "Flip"},
                       {"variants",
                        {{{"variantId", "V-FLIP"},
                          {"title", "Flip"},
                          {"inStock", in_stock},
                          {"priceCents", 100 + n}},
                         {{"variantId", "V-STEADY"}, {"title", "Steady"}, {"inStock", true}}}}}});
}

/// What the clients saw, shared by their threads.
struct Load {
  std::atomic<bool> stop{false};
  std::atomic<long> attempts{0};
  std::atomic<long> no_answer{0};
  std::mutex mutex;
  std::vector<Answered> answered;
  std::vector<long long> triggered;  ///< backInStockEventsTriggered of every upsert answered 200
  std::vector<std::string> unexpected;
};

void register_loop(const Api& api, Load& load, uint64_t seed, int thread) {
  std::mt19937_64 rng(seed + 0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(thread + 1));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  // Paced, not flat out: the number of events (and webhook deliveries to drain at the end) must
  // not grow with the machine's speed, or the test's duration would.
  std::uniform_int_distribution<int> pause_ms(2, 12);
  std::vector<json> sent;
  for (int i = 0; !load.stop; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
    json body;
    if (!sent.empty() && unit(rng) < 0.2) {
      body = sent[rng() % sent.size()];  // a repeat: same target, same shopper
    } else {
      const double pick = unit(rng);
      // Some addresses in capitals: the subscriber's identity is the lower-cased address.
      const std::string email = std::string(unit(rng) < 0.2 ? "C" : "c") + std::to_string(thread) +
                                "-" + std::to_string(i) + "@example.com";
      body = pick < 0.7   ? request_body("P-FLIP", "V-FLIP", email)
             : pick < 0.8 ? request_body("P-FLIP", "V-STEADY", email)
                          : request_body("P-NEVER", std::nullopt, email);
      sent.push_back(body);
    }
    ++load.attempts;
    const HttpResponse r = api.register_request(body);
    if (r.status == 0) {  // killed under us, or not up yet: allowed
      ++load.no_answer;
      std::this_thread::sleep_for(2ms);
      continue;
    }
    std::lock_guard<std::mutex> lock(load.mutex);
    if (r.status != 200) {
      load.unexpected.push_back("register " + std::to_string(r.status) + " " + r.body);
      continue;
    }
    const json answer = r.json();
    load.answered.push_back({answer["requestId"].get<std::string>(),
                             body["productId"].get<std::string>(),
                             body.value("variantId", body["productId"].get<std::string>()),
                             lower(body["customer"]["email"].get<std::string>())});
  }
}

void flip_loop(const Api& api, Load& load, uint64_t seed) {
  std::mt19937_64 rng(seed ^ 0xF11F);
  std::uniform_int_distribution<int> pause_ms(2, 25);
  bool in_stock = false;
  for (int n = 0; !load.stop; ++n) {
    in_stock = !in_stock;
    ++load.attempts;
    const HttpResponse r = api.upsert(flip_push(in_stock, n));
    if (r.status == 0) {
      ++load.no_answer;
      std::this_thread::sleep_for(2ms);
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(load.mutex);
      if (r.status == 200)
        load.triggered.push_back(r.json()["backInStockEventsTriggered"].get<long long>());
      else
        load.unexpected.push_back("upsert " + std::to_string(r.status) + " " + r.body);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
  }
}

// After a crash: when P-FLIP's stored state says a variant is in stock, the push that said so
// (at the product's updatedAt) notified everyone who waited then, so no request created before
// it may still wait. Timestamps are the writer's clock, taken in commit order, and have a fixed
// width, so they compare as strings. Reading the product before the requests keeps this true
// while clients go on writing.
void check_nobody_left_waiting(const Api& api, int round) {
  const HttpResponse p = api.get("/api/v1/products/P-FLIP");
  if (p.status == 404) return;  // no push committed yet
  REQUIRE_STATUS(p, 200);
  const json product = p.json()["product"];
  const std::string pushed_at = product["updatedAt"];
  for (const json& variant : product["variants"]) {
    if (!variant["inStock"].get<bool>()) continue;
    const std::string variant_id = variant["variantId"];
    const json waiting = list_all(api, "/api/v1/back-in-stock", "requests",
                                  "&productId=P-FLIP&variantId=" + variant_id + "&status=waiting");
    for (const json& w : waiting) {
      INFO("after kill " << round << ": " << variant_id << " in stock since " << pushed_at
                         << ", yet waiting: " << w.dump());
      CHECK(w["createdAt"].get<std::string>() >= pushed_at);
    }
  }
}

int64_t pagination_total(const Api& api, const std::string& target) {
  const HttpResponse r = api.get(target);
  if (r.status != 200) return -1;
  return r.json()["pagination"]["total"].get<int64_t>();
}

// kKills times: some load, SIGKILL, a restart on the same database. Appends each delay (ms) to
// `kill_log`; returns the number of kills.
int kill_and_restart(ServerProcess& server, SwitchableReceiver& receiver, const Api& api,
                     std::mt19937_64& rng, std::string& kill_log) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> long_delay(80, 700), short_delay(0, 40), gap(0, 30);
  int kills = 0;
  for (int round = 0; round < kKills; ++round) {
    check_nobody_left_waiting(api, round);
    // The receiver is down, except for a few rounds in the middle: deliveries under way when
    // the server dies must be sent again, so the receiver may see an event twice.
    if (round >= 8 && round < 12)
      receiver.up();
    else
      receiver.down();
    // Mostly some hundreds of milliseconds of load; sometimes a kill right after the start.
    const int delay = unit(rng) < 0.2 ? short_delay(rng) : long_delay(rng);
    kill_log += std::to_string(delay) + " ";
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    CHECK(server.kill() == 128 + SIGKILL);
    ++kills;
    std::this_thread::sleep_for(std::chrono::milliseconds(gap(rng)));
    server.start();
  }
  return kills;
}

// The checks after the kills, in phases: each phase reports all it finds (CHECK, not REQUIRE),
// so a failure in one does not hide what the next would have found.

// The load really ran across the kills, and every answer was one the API may give.
void check_load_ran(const Load& load, int kills) {
  CHECK(kills >= 20);
  CHECK_MESSAGE(load.unexpected.empty(),
                (load.unexpected.empty() ? std::string() : load.unexpected.front()));
  CHECK(load.answered.size() >= 100);
  CHECK(load.triggered.size() >= 10);
}

// Through the API: every 200 is stored as sent, at most one waiting request per target and
// subscriber, one requested event per request and one back-in-stock event per notified request
// (none for the others). `triggered`: the clients' sum of backInStockEventsTriggered. Returns
// the number of back-in-stock events.
size_t check_requests_and_events(const Load& load, const json& requests, const json& events,
                                 long long triggered) {
  std::map<std::string, json> by_id;
  for (const json& r : requests) by_id[r["id"].get<std::string>()] = r;
  CHECK(by_id.size() == requests.size());

  // Every 200 is stored, as it was sent.
  for (const Answered& a : load.answered) {
    auto it = by_id.find(a.request_id);
    if (it == by_id.end()) {
      FAIL_CHECK("answered 200 but not stored: " << a.request_id << " " << a.email);
      continue;
    }
    CHECK(it->second["productId"] == a.product_id);
    CHECK(it->second["variantId"] == a.variant_id);
    CHECK(it->second["email"] == a.email);
  }

  // At most one waiting request per target and subscriber.
  std::set<std::tuple<std::string, std::string, std::string>> waiting_keys;
  for (const json& r : requests) {
    if (r["status"] != "waiting") continue;
    INFO("second waiting request: " << r.dump());
    CHECK(waiting_keys
              .emplace(r["productId"].get<std::string>(), r["variantId"].get<std::string>(),
                       r["subscriberId"].get<std::string>())
              .second);
  }

  // One back_in_stock_requested event per request; one back_in_stock event per notified
  // request, none for the others.
  std::map<std::string, std::pair<int, int>> per_request;  // requested, back in stock
  size_t back_in_stock = 0;
  for (const json& e : events) {
    const std::string request_id = e["request"]["id"];
    CHECK_MESSAGE(by_id.count(request_id) == 1, "event of an unknown request: " << e.dump());
    if (e["type"] == "ecommerce.back_in_stock_requested") {
      ++per_request[request_id].first;
    } else {
      INFO("event " << e.dump());
      CHECK(e["type"] == "ecommerce.back_in_stock");
      if (e["type"] != "ecommerce.back_in_stock") continue;
      ++per_request[request_id].second;
      ++back_in_stock;
    }
  }
  for (const json& r : requests) {
    const std::string id = r["id"];
    INFO("request " << r.dump());
    CHECK(per_request[id].first == 1);
    CHECK(per_request[id].second == (r["status"] == "notified" ? 1 : 0));
    if (r["productId"] == "P-FLIP") CHECK(r["status"] == "notified");
    if (r["productId"] == "P-NEVER") CHECK(r["status"] == "waiting");
  }
  // A response lost to a kill may hide some events from the clients, never add any.
  CHECK(triggered <= static_cast<long long>(back_in_stock));
  CHECK(back_in_stock > 0);
  return back_in_stock;
}

// In the file itself (read-only, beside the running server): intact, and the same rules in SQL.
void check_database_file(const std::string& db, const json& requests, const json& events) {
  SqliteReader file(db);
  CHECK(file.text("PRAGMA integrity_check") == "ok");
  CHECK(file.rows("PRAGMA foreign_key_check").empty());
  CHECK(file.integer("SELECT count(*) FROM requests") == static_cast<int64_t>(requests.size()));
  CHECK(file.integer("SELECT count(*) FROM events") == static_cast<int64_t>(events.size()));
  CHECK(file.integer("SELECT count(*) FROM (SELECT 1 FROM requests WHERE status = 0"
                     " GROUP BY target_id, subscriber_id HAVING count(*) > 1)") == 0);
  CHECK(file.integer("SELECT count(*) FROM requests r WHERE (SELECT count(*) FROM events e"
                     " WHERE e.request_id = r.id AND e.type = 0) != 1") == 0);
  CHECK(file.integer("SELECT count(*) FROM requests r WHERE (SELECT count(*) FROM events e"
                     " WHERE e.request_id = r.id AND e.type = 1) != (r.status = 1)") == 0);
  CHECK(file.integer("SELECT count(*) FROM requests"
                     " WHERE (status = 1) != (notified_at IS NOT NULL)") == 0);
  // The webhook existed before the first event: every event has its delivery row, written in
  // the event's own transaction.
  CHECK(file.integer("SELECT count(*) FROM events e WHERE (SELECT count(*) FROM deliveries d"
                     " WHERE d.event_id = e.id) != 1") == 0);
}

// Webhooks: every event reaches the receiver after the final restart (some more than once), and
// the outbox agrees once the last attempts are recorded: nothing pending, nothing failed.
void check_every_event_delivered(const Api& api, const SwitchableReceiver& receiver,
                                 const std::string& webhook_id, const json& events,
                                 size_t back_in_stock, const std::function<double()>& elapsed_s) {
  std::set<std::string> event_ids;
  for (const json& e : events) event_ids.insert(e["id"].get<std::string>());
  const auto missing = [&] {
    const std::map<std::string, int> received = receiver.received();
    size_t count = 0;
    for (const std::string& id : event_ids) count += received.count(id) == 0;
    return count;
  };
  const auto deadline = std::chrono::steady_clock::now() + 40s;
  while (missing() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  CHECK_MESSAGE(missing() == 0,
                missing() << " of " << event_ids.size() << " events never reached the receiver");
  const std::map<std::string, int> received = receiver.received();
  size_t duplicates = 0;
  for (const auto& [id, times] : received) {
    CHECK_MESSAGE(event_ids.count(id) == 1, "the receiver got an unknown event id '" << id << "'");
    duplicates += static_cast<size_t>(times - 1);
  }
  MESSAGE(event_ids.size() << " events (" << back_in_stock << " back in stock); "
                           << receiver.posts() << " webhook posts, " << duplicates
                           << " of them repeats; all delivered at " << elapsed_s() << " s");
  const std::string deliveries = "/api/v1/webhooks/" + webhook_id + "/deliveries?limit=1&status=";
  const auto outbox_deadline = std::chrono::steady_clock::now() + 10s;
  while (pagination_total(api, deliveries + "pending") != 0 &&
         std::chrono::steady_clock::now() < outbox_deadline)
    std::this_thread::sleep_for(50ms);
  CHECK(pagination_total(api, deliveries + "pending") == 0);
  CHECK(pagination_total(api, deliveries + "failed") == 0);
  CHECK(pagination_total(api, deliveries + "delivered") == static_cast<int64_t>(events.size()));
}

}  // namespace

TEST_CASE(
    "kill -9 at random moments under load: every 200 stays, nothing is notified twice, "
    "every pending webhook delivery goes out after the restart") {
  const auto test_start = std::chrono::steady_clock::now();
  const std::function<double()> elapsed_s = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 test_start)
               .count() /
           1000.0;
  };
  const uint64_t seed = crash_seed();
  MESSAGE("crash-safety seed " << seed << " (replay: STOCKBELL_CRASH_SEED=" << seed << ")");
  INFO("crash-safety seed " << seed << " (replay: STOCKBELL_CRASH_SEED=" << seed << ")");
  std::mt19937_64 rng(seed);

  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  const std::string secret = create_key(db, "shop", "secret");
  // One fixed port, so clients keep calling the same address across restarts.
  const int port = free_port();
  SwitchableReceiver receiver(free_port());
  ServerProcess::Options options;
  options.args = {"--db", db, "--port", std::to_string(port),
                  // Retry quickly: the receiver is down most of the time, and the test ends as
                  // soon as every event has arrived.
                  "--webhook-retry-first-ms", "20", "--webhook-retry-max-ms", "400",
                  "--webhook-timeout-ms", "2000"};
  options.args.insert(options.args.end(), kNoRateLimits.begin(), kNoRateLimits.end());
  options.log_path = db + ".stderr";
  ServerProcess server(options);
  const Api api("127.0.0.1", port, secret);

  REQUIRE_STATUS(api.upsert(json::array(
                     {{{"productId", "P-NEVER"}, {"title", "Never back"}, {"inStock", false}}})),
                 200);
  const HttpResponse hook =
      api.post("/api/v1/webhooks", {{"url", receiver.url()}, {"events", {"*"}}});
  REQUIRE_STATUS(hook, 200);
  const std::string webhook_id = hook.json()["webhook"]["id"];

  Load load;
  std::vector<std::thread> clients;
  for (int t = 0; t < kRegistrants; ++t)
    clients.emplace_back([&, t] { register_loop(api, load, seed, t); });
  clients.emplace_back([&] { flip_loop(api, load, seed); });

  std::string kill_log;
  int kills = kill_and_restart(server, receiver, api, rng, kill_log);
  load.stop = true;
  for (std::thread& t : clients) t.join();

  // The last restart happens with the receiver up: what is pending now must all arrive.
  receiver.up();
  CHECK(server.kill() == 128 + SIGKILL);
  ++kills;
  server.start();
  check_nobody_left_waiting(api, kills);

  long long triggered = 0;
  for (long long k : load.triggered) triggered += k;
  MESSAGE(kills << " kills after (ms): " << kill_log << "; " << load.attempts.load() << " calls, "
                << load.answered.size() << " registrations and " << load.triggered.size()
                << " upserts answered 200, " << load.no_answer.load()
                << " without an answer; kills done at " << elapsed_s() << " s");
  check_load_ran(load, kills);

  // One more push in stock notifies whoever still waits on P-FLIP, exactly them. (The phases
  // below expect nobody left waiting on P-FLIP: without this push they would only add noise.)
  const json waiting_flip =
      list_all(api, "/api/v1/back-in-stock", "requests", "&productId=P-FLIP&status=waiting");
  const HttpResponse final_push = api.upsert(flip_push(true, 1000000));
  REQUIRE_STATUS(final_push, 200);
  CHECK(final_push.json()["backInStockEventsTriggered"].get<size_t>() == waiting_flip.size());
  triggered += final_push.json()["backInStockEventsTriggered"].get<long long>();

  const json requests = list_all(api, "/api/v1/back-in-stock", "requests");
  const json events = feed_events(api);
  const size_t back_in_stock = check_requests_and_events(load, requests, events, triggered);
  check_database_file(db, requests, events);
  check_every_event_delivered(api, receiver, webhook_id, events, back_in_stock, elapsed_s);

  CHECK(server.stop() == 0);
  SqliteReader file(db);
  CHECK(file.text("PRAGMA integrity_check") == "ok");
}
