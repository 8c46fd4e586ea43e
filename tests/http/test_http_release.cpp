// The release policy over HTTP (README "Release"; SPEC §10): proportional batches, the schedule
// the database keeps across kill -9, racing upserts during batches, places in line, and expiry.
// Time moves with the test-only clock (`serve --test-clock-file`, server/app/clock.hpp): the
// test writes an offset in milliseconds to a file and the server's clock jumps.

#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

constexpr int64_t kSecondMs = 1000;
constexpr int64_t kDayMs = 86'400'000;

/// A server with store "shop" and a clock the test moves.
struct ClockServer {
  TempDir dir;
  std::string db = dir.file("stockbell.db");
  std::string clock = dir.file("clock");
  std::string secret = create_key(db, "shop", "secret");
  int64_t offset = 0;
  ServerProcess server{options()};

  ServerProcess::Options options() {
    set_offset(0);
    ServerProcess::Options o;
    o.args = {"--db", db, "--port", "0", "--test-clock-file", clock};
    o.args.insert(o.args.end(), kNoRateLimits.begin(), kNoRateLimits.end());
    o.env = {{"STOCKBELL_ENABLE_TEST_CLOCK", "1"}};
    o.log_path = db + ".stderr";
    return o;
  }
  void set_offset(int64_t ms) {
    offset = ms;
    std::ofstream(clock, std::ios::trunc) << ms;
  }
  void advance(int64_t ms) { set_offset(offset + ms); }
  Api api() const { return Api(server.host(), server.port(), secret); }
};

HttpResponse patch_settings(const Api& api, const json& body) {
  return api.send("PATCH", "/api/v1/settings", body.dump(), {}, "application/json");
}

void use_proportional(const Api& api, int per_unit, int interval_seconds) {
  REQUIRE_STATUS(patch_settings(api, {{"release",
                                       {{"mode", "proportional"},
                                        {"perUnit", per_unit},
                                        {"batchIntervalSeconds", interval_seconds}}}}),
                 200);
}

json shoe(const json& quantity, std::optional<bool> in_stock = std::nullopt) {
  json variant = {{"variantId", "SHOE-42"}, {"title", "42"}, {"inventoryQuantity", quantity}};
  if (in_stock) variant["inStock"] = *in_stock;
  return json::array({{{"productId", "SHOE"}, {"title", "Shoe"}, {"variants", {variant}}}});
}

/// Registers `n` requests for SHOE-42 (b0@shop.example, b1@...), oldest first; their ids.
std::vector<std::string> register_waiting(const Api& api, int n, int first = 0) {
  std::vector<std::string> ids;
  for (int i = first; i < first + n; ++i) {
    const HttpResponse r = api.register_request(
        request_body("SHOE", "SHOE-42", "b" + std::to_string(i) + "@shop.example"));
    REQUIRE_STATUS(r, 200);
    ids.push_back(r.json()["requestId"]);
  }
  return ids;
}

int64_t triggered(const HttpResponse& r) {
  REQUIRE_STATUS(r, 200);
  return r.json()["backInStockEventsTriggered"].get<int64_t>();
}

/// Every request of the store (pages of 100), by id.
std::map<std::string, json> requests_by_id(const Api& api) {
  std::map<std::string, json> out;
  for (int offset = 0;; offset += 100) {
    const HttpResponse r = api.get("/api/v1/back-in-stock" +
                                   query({{"limit", "100"}, {"offset", std::to_string(offset)}}));
    REQUIRE_STATUS(r, 200);
    const json rows = r.json()["requests"];
    for (const json& row : rows) out[row["id"]] = row;
    if (rows.size() < 100) return out;
  }
}

std::set<std::string> with_status(const Api& api, const std::string& status) {
  std::set<std::string> ids;
  for (const auto& [id, row] : requests_by_id(api))
    if (row["status"] == status) ids.insert(id);
  return ids;
}

std::set<std::string> set_of(const std::vector<std::string>& ids) {
  return std::set<std::string>(ids.begin(), ids.end());
}

/// Request ids of every `ecommerce.back_in_stock` event, in event order.
std::vector<std::string> notified_events(const Api& api) {
  std::vector<std::string> ids;
  std::string after;
  while (true) {
    const HttpResponse r = api.events(
        after.empty()
            ? query({{"type", "ecommerce.back_in_stock"}, {"limit", "1000"}})
            : query({{"type", "ecommerce.back_in_stock"}, {"limit", "1000"}, {"after", after}}));
    REQUIRE_STATUS(r, 200);
    const json body = r.json();
    for (const json& e : body["events"]) ids.push_back(e["request"]["id"]);
    if (!body["hasMore"].get<bool>()) return ids;
    after = body["nextCursor"];
  }
}

/// Waits (up to 10 s) until `count` requests were notified; returns how many were.
size_t wait_for_notified(const Api& api, size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  size_t seen = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    seen = notified_events(api).size();
    if (seen >= count) return seen;
    std::this_thread::sleep_for(50ms);
  }
  return seen;
}

/// True if no id appears twice.
bool distinct(const std::vector<std::string>& ids) {
  return std::set<std::string>(ids.begin(), ids.end()).size() == ids.size();
}

}  // namespace

TEST_CASE("proportional: the perUnit × Q oldest at once, the next batch after the interval") {
  ClockServer s;
  const Api api = s.api();
  use_proportional(api, 2, 60);
  const std::vector<std::string> ids = register_waiting(api, 10);

  // 10 waiting, quantity 2, perUnit 2: exactly the 4 oldest, in the upsert's transaction.
  CHECK(triggered(api.upsert(shoe(2))) == 4);
  CHECK(notified_events(api) == std::vector<std::string>(ids.begin(), ids.begin() + 4));
  // The others keep their places, 1 = next.
  const std::map<std::string, json> rows = requests_by_id(api);
  for (size_t i = 4; i < ids.size(); ++i) CHECK(rows.at(ids[i])["position"] == i - 3);
  CHECK(rows.at(ids[0])["position"].is_null());

  // The same quantity again before the interval: nothing more.
  CHECK(triggered(api.upsert(shoe(2))) == 0);
  std::this_thread::sleep_for(300ms);  // the scheduler runs every 50 ms here: nothing is due
  CHECK(notified_events(api).size() == 4);

  // The interval passes: the next batch is sized from the quantity then current (1 → 2 more).
  CHECK(triggered(api.upsert(shoe(1))) == 0);
  s.advance(60 * kSecondMs);
  CHECK(wait_for_notified(api, 6) == 6);
  std::this_thread::sleep_for(300ms);
  CHECK(notified_events(api) == std::vector<std::string>(ids.begin(), ids.begin() + 6));

  // Each batch applies the settings in force when it runs: back to mode all, the next batch
  // releases everyone left.
  REQUIRE_STATUS(patch_settings(api, {{"release", {{"mode", "all"}}}}), 200);
  s.advance(60 * kSecondMs);
  CHECK(wait_for_notified(api, 10) == 10);
  CHECK(notified_events(api) == ids);
  CHECK(s.server.stderr_text().find("release scheduler") == std::string::npos);
}

TEST_CASE("proportional: a raised quantity releases more at once; sold out stops the schedule") {
  ClockServer s;
  const Api api = s.api();
  use_proportional(api, 1, 60);
  const std::vector<std::string> ids = register_waiting(api, 10);
  CHECK(triggered(api.upsert(shoe(2))) == 2);
  CHECK(triggered(api.upsert(shoe(5))) == 3);  // allowance 5, 2 released in this batch
  CHECK(notified_events(api) == std::vector<std::string>(ids.begin(), ids.begin() + 5));

  // Sold out: nothing, and the schedule stops (no batch comes however long we wait).
  CHECK(triggered(api.upsert(shoe(0))) == 0);
  s.advance(10 * 60 * kSecondMs);
  std::this_thread::sleep_for(500ms);
  CHECK(notified_events(api).size() == 5);

  // A restock starts a new schedule: a full batch at once, the next after the interval.
  CHECK(triggered(api.upsert(shoe(2))) == 2);
  s.advance(60 * kSecondMs);
  CHECK(wait_for_notified(api, 9) == 9);
  s.advance(60 * kSecondMs);
  CHECK(wait_for_notified(api, 10) == 10);
  const std::vector<std::string> events = notified_events(api);
  CHECK(events == ids);  // oldest first, each once
}

TEST_CASE("mode all and unknown quantities release everyone, as before") {
  ClockServer s;
  const Api api = s.api();
  register_waiting(api, 5);
  CHECK(triggered(api.upsert(shoe(1))) == 5);  // mode all (the default)
  use_proportional(api, 1, 60);
  register_waiting(api, 4, 5);
  // Proportional, but the variant says nothing about its quantity: all of them.
  CHECK(triggered(api.upsert(json::array({{{"productId", "SHOE"},
                                           {"title", "Shoe"},
                                           {"variants",
                                            {{{"variantId", "SHOE-42"},
                                              {"title", "42"},
                                              {"inStock", true},
                                              {"inventoryQuantity", nullptr}}}}}}))) == 4);
}

TEST_CASE("a product-level target counts its variants' positive quantities") {
  ClockServer s;
  const Api api = s.api();
  use_proportional(api, 1, 60);
  for (int i = 0; i < 6; ++i)
    REQUIRE_STATUS(api.register_request(request_body("TEE", std::nullopt,
                                                     "t" + std::to_string(i) + "@shop.example")),
                   200);
  const json tee =
      json::array({{{"productId", "TEE"},
                    {"title", "Tee"},
                    {"variants",
                     {{{"variantId", "TEE-S"}, {"title", "S"}, {"inventoryQuantity", 2}},
                      {{"variantId", "TEE-M"}, {"title", "M"}, {"inventoryQuantity", -4}},
                      {{"variantId", "TEE-L"}, {"title", "L"}, {"inventoryQuantity", 1}}}}}});
  CHECK(triggered(api.upsert(tee)) == 3);
}

TEST_CASE("the register answer and the listing give the place in line") {
  ClockServer s;
  const Api api = s.api();
  const std::vector<std::string> ids = register_waiting(api, 3);
  HttpResponse r = api.register_request(request_body("SHOE", "SHOE-42", "b3@shop.example"));
  REQUIRE_STATUS(r, 200);
  CHECK(r.json()["position"] == 4);
  // A repeat answers the same place; a cancellation ahead moves everyone behind up.
  r = api.register_request(request_body("SHOE", "SHOE-42", "B1@shop.example"));
  CHECK(r.json()["created"] == false);
  CHECK(r.json()["position"] == 2);
  REQUIRE_STATUS(api.del("/api/v1/back-in-stock/" + ids[0]), 200);
  r = api.register_request(request_body("SHOE", "SHOE-42", "b3@shop.example"));
  CHECK(r.json()["position"] == 3);
  // Another target has its own line.
  r = api.register_request(request_body("SHOE", "SHOE-43", "b3@shop.example"));
  CHECK(r.json()["position"] == 1);
  const std::map<std::string, json> rows = requests_by_id(api);
  CHECK(rows.at(ids[0])["position"].is_null());  // cancelled
  CHECK(rows.at(ids[1])["position"] == 1);
  CHECK(rows.at(ids[2])["position"] == 2);
  // Positions come out right on any page, whatever order the page is in.
  const HttpResponse page = api.get("/api/v1/back-in-stock" + query({{"productId", "SHOE"},
                                                                     {"variantId", "SHOE-42"},
                                                                     {"status", "waiting"},
                                                                     {"limit", "1"},
                                                                     {"offset", "1"}}));
  REQUIRE_STATUS(page, 200);
  CHECK(page.json()["requests"][0]["id"] == ids[2]);
  CHECK(page.json()["requests"][0]["position"] == 2);
}

TEST_CASE("kill -9 between batches: the schedule goes on, each request notified once") {
  ClockServer s;
  use_proportional(s.api(), 1, 60);
  const std::vector<std::string> ids = register_waiting(s.api(), 10);
  CHECK(triggered(s.api().upsert(shoe(3))) == 3);
  for (size_t expected : std::vector<size_t>{6, 9, 10}) {
    s.server.kill();
    s.advance(60 * kSecondMs);  // due while the server is down
    s.server.start();
    CHECK(wait_for_notified(s.api(), expected) == expected);
  }
  std::this_thread::sleep_for(300ms);
  const std::vector<std::string> events = notified_events(s.api());
  CHECK(events == ids);
  CHECK(with_status(s.api(), "waiting").empty());
}

TEST_CASE("racing upserts during batches: nobody notified twice, nobody skipped") {
  ClockServer s;
  const Api api = s.api();
  use_proportional(api, 1, 1);
  constexpr int kWaiting = 200;
  const std::vector<std::string> ids = register_waiting(api, kWaiting);
  CHECK(triggered(api.upsert(shoe(5))) == 5);

  std::atomic<bool> stop{false};
  std::atomic<long> answered_triggered{0};
  std::vector<std::thread> pushers;
  for (int t = 0; t < 3; ++t)
    pushers.emplace_back([&, t] {
      int n = 0;
      while (!stop) {
        const HttpResponse r = api.upsert(shoe(1 + (n++ * 7 + t * 3) % 12));
        if (r.status == 200)
          answered_triggered += r.json()["backInStockEventsTriggered"].get<long>();
      }
    });
  // Batches come due every second of the server's clock; move it on while the pushes race.
  for (int i = 0; i < 60 && notified_events(api).size() < kWaiting; ++i) {
    s.advance(kSecondMs);
    std::this_thread::sleep_for(60ms);
  }
  stop = true;
  for (std::thread& t : pushers) t.join();
  for (int i = 0; i < 200 && notified_events(api).size() < kWaiting; ++i) {
    s.advance(kSecondMs);  // the batches go on at the last pushed quantity
    std::this_thread::sleep_for(60ms);
  }
  const std::vector<std::string> events = notified_events(api);
  CHECK(events.size() == kWaiting);
  CHECK(distinct(events));
  CHECK(events == ids);  // oldest first, across every batch and push
  CHECK(answered_triggered > 0);
  CHECK(with_status(api, "notified").size() == kWaiting);
}

TEST_CASE("expiry: waiting requests older than requestTtlDays become expired, never notified") {
  ClockServer s;
  const Api api = s.api();
  REQUIRE_STATUS(patch_settings(api, {{"requestTtlDays", 1}}), 200);
  const std::vector<std::string> old_ids = register_waiting(api, 3);
  s.advance(kDayMs / 2);
  const std::vector<std::string> young = register_waiting(api, 1, 3);
  s.advance(kDayMs / 2 + kSecondMs);  // the first three are a day and a second old
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (with_status(api, "expired").size() < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  CHECK(with_status(api, "expired") == set_of(old_ids));
  CHECK(with_status(api, "waiting") == set_of(young));
  // Filterable, and out of the line.
  const HttpResponse listed = api.get("/api/v1/back-in-stock" + query({{"status", "expired"}}));
  REQUIRE_STATUS(listed, 200);
  CHECK(listed.json()["pagination"]["total"] == 3);
  CHECK(listed.json()["requests"][0]["position"].is_null());
  CHECK(requests_by_id(api).at(young[0])["position"] == 1);
  // A restock notifies only the one still waiting.
  CHECK(triggered(api.upsert(shoe(5))) == 1);
  // 0 turns expiry off.
  REQUIRE_STATUS(patch_settings(api, {{"requestTtlDays", 0}}), 200);
  const std::vector<std::string> later = register_waiting(api, 1, 10);
  s.advance(30 * kDayMs);
  std::this_thread::sleep_for(300ms);
  CHECK(with_status(api, "waiting") == set_of(later));
}

TEST_CASE("the test clock is refused unless explicitly enabled") {
  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  create_key(db, "shop", "secret");
  const RunResult r =
      run_stockbell({"serve", "--db", db, "--port", "0", "--test-clock-file", dir.file("clock")});
  CHECK(r.status == 2);
  CHECK(r.err.find("STOCKBELL_ENABLE_TEST_CLOCK=1") != std::string::npos);
}
