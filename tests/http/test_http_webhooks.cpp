// Webhooks (README "Webhooks"): the endpoint routes, and delivery to a real HTTP receiver on
// loopback (webhook_receiver.hpp) by the real `stockbell` binary, with the retry schedule
// shortened by flags so that retries, give-up and restarts happen within seconds.

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "http_checks.hpp"
#include "webhook_receiver.hpp"
#include "webhook_signature.hpp"

using namespace stockbell::testing;

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kWebhookId = "we_[0-9a-z]{13}";
constexpr const char* kDeliveryId = "whd_[0-9a-z]{13}";
constexpr const char* kSecret = "whsec_[0-9A-Za-z]{40}";
constexpr const char* kRequested = "ecommerce.back_in_stock_requested";
constexpr const char* kBackInStock = "ecommerce.back_in_stock";
/// What `*` (and the default) subscribes to: every event type there is.
const json kEveryType = {kRequested, kBackInStock, "ecommerce.order_placed", "ecommerce.order_cancelled",
                         "ecommerce.order_fulfilled", "ecommerce.order_refunded"};

/// The webhook schedule of one server run (`serve` flags), in milliseconds.
struct Timing {
  int timeout = 500;
  int retry_first = 100;
  int retry_max = 400;
  int give_up = 1500;
};

std::vector<std::string> serve_flags(const Timing& t = {}, bool public_only = false) {
  std::vector<std::string> flags = kNoRateLimits;
  for (const auto& [flag, value] : {std::pair{"--webhook-timeout-ms", t.timeout},
                                    {"--webhook-retry-first-ms", t.retry_first},
                                    {"--webhook-retry-max-ms", t.retry_max},
                                    {"--webhook-give-up-ms", t.give_up}}) {
    flags.push_back(flag);
    flags.push_back(std::to_string(value));
  }
  if (public_only) flags.push_back("--webhooks-public-only");
  return flags;
}

/// A server on a fresh database with store "shop" and its secret key, which can be stopped or
/// killed and started again on the same database, with the same or other flags.
class Shop {
 public:
  explicit Shop(const std::vector<std::string>& flags = serve_flags())
      : db_(dir_.file("stockbell.db")), secret_(create_key(db_, "shop", "secret")) {
    start(flags);
  }

  /// A client with the shop's secret key (or another key) for the current run.
  Api api() const { return api(secret_); }
  Api api(const std::string& key) const { return Api(server_->host(), server_->port(), key); }
  const std::string& db() const { return db_; }
  ServerProcess& server() { return *server_; }

  /// SIGTERM (a clean stop), then a new run with `flags`.
  void restart(const std::vector<std::string>& flags) {
    REQUIRE(server_->stop() == 0);
    start(flags);
  }

 private:
  void start(const std::vector<std::string>& flags) {
    ServerProcess::Options options;
    options.args = {"--db", db_, "--port", "0"};
    options.args.insert(options.args.end(), flags.begin(), flags.end());
    options.log_path = db_ + ".stderr";
    server_.reset();
    server_ = std::make_unique<ServerProcess>(options);
  }

  TempDir dir_;
  std::string db_;
  std::string secret_;
  std::unique_ptr<ServerProcess> server_;
};

/// `POST /api/v1/webhooks`; the created endpoint (with its secret).
json create_webhook(const Api& api, const json& body) {
  const HttpResponse r = api.post("/api/v1/webhooks", body);
  REQUIRE_STATUS(r, 200);
  return r.json()["webhook"];
}

HttpResponse patch(const Api& api, const std::string& target, const json& body) {
  return api.send("PATCH", target, body.dump(), {}, std::string("application/json"));
}

std::string webhook_path(const json& webhook) {
  return "/api/v1/webhooks/" + webhook["id"].get<std::string>();
}

/// The `deliveries` array of `GET .../deliveries` (newest first).
json deliveries(const Api& api, const json& webhook, const std::string& query_string = {}) {
  const HttpResponse r = api.get(webhook_path(webhook) + "/deliveries" + query_string);
  REQUIRE_STATUS(r, 200);
  return r.json()["deliveries"];
}

/// Polls the deliveries of `webhook` until `done(deliveries)`; fails the test with the last
/// listing if that never happens.
json wait_for_deliveries(const Api& api, const json& webhook,
                         const std::function<bool(const json&)>& done,
                         std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
  json last;
  const bool ok = eventually(
      [&] {
        last = deliveries(api, webhook);
        return done(last);
      },
      timeout);
  INFO("deliveries: " << last.dump(1));
  REQUIRE(ok);
  return last;
}

std::function<bool(const json&)> all_with_status(size_t count, const std::string& status) {
  return [count, status](const json& list) {
    if (list.size() != count) return false;
    for (const json& d : list)
      if (d["status"] != status) return false;
    return true;
  };
}

/// The attempt log's status codes (0 for an attempt without an answer).
std::vector<int> status_codes(const json& delivery) {
  std::vector<int> codes;
  for (const json& a : delivery["attemptLog"])
    codes.push_back(a["statusCode"].is_null() ? 0 : a["statusCode"].get<int>());
  return codes;
}

/// `GET /api/v1/events?limit=1000`, raw.
HttpResponse feed(const Api& api) {
  const HttpResponse r = api.events("?limit=1000");
  REQUIRE_STATUS(r, 200);
  return r;
}

/// True if `body` is, byte for byte, the event `event_id` as the raw feed body shows it: the
/// feed holds `body` at the place where that event's object starts, as a whole array element.
bool feed_shows_exactly(const std::string& feed_body, const std::string& event_id,
                        const std::string& body) {
  const size_t at = feed_body.find("{\"id\":\"" + event_id + "\"");
  if (at == std::string::npos || at == 0) return false;
  if (feed_body.compare(at, body.size(), body) != 0) return false;
  const char before = feed_body[at - 1];
  const char after = at + body.size() < feed_body.size() ? feed_body[at + body.size()] : '\0';
  return (before == '[' || before == ',') && (after == ',' || after == ']') && json::accept(body);
}

int64_t unix_now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

/// The request's signature entries, each checked: every entry is v1=<hex>.
std::vector<std::string> signatures(const ReceivedRequest& r) {
  INFO("Stockbell-Signature: " << r.header("Stockbell-Signature"));
  CHECK(r.header_count("Stockbell-Signature") == 1);
  std::vector<std::string> digests = v1_signatures(r.header("Stockbell-Signature"));
  CHECK(!digests.empty());
  return digests;
}

std::string signed_with(const std::string& secret, const ReceivedRequest& r) {
  return expected_signature(secret, r.header("Stockbell-Timestamp"), r.body);
}

std::set<std::string> event_ids_of(const std::vector<ReceivedRequest>& requests) {
  std::set<std::string> ids;
  for (const ReceivedRequest& r : requests) ids.insert(r.header("Stockbell-Event-Id"));
  return ids;
}

long long ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

}  // namespace

// ---- endpoints ---------------------------------------------------------------------------------

TEST_CASE("webhook endpoints: create shows the secret once, list/get/patch/delete, validation") {
  // Shared by every subcase: four endpoints, `a` with every field given, b-d with defaults.
  Shop shop;
  const Api api = shop.api();
  const HttpResponse created =
      api.post("/api/v1/webhooks", {{"url", "https://hooks.shop.example/stockbell"},
                                    {"events", {kBackInStock}},
                                    {"description", "e-mail service"}});
  REQUIRE_STATUS(created, 200);
  const json a = created.json()["webhook"];
  const json b = create_webhook(api, {{"url", "http://127.0.0.1:9/in?x=1"}});
  const json c =
      create_webhook(api, {{"url", "https://c.example/"}, {"events", {"*"}}, {"enabled", false}});
  const json d = create_webhook(api, {{"url", "https://d.example/"}, {"events", nullptr}});

  SUBCASE("secret keys only") {
    const std::string publishable = create_key(shop.db(), "shop", "publishable");
    CHECK_ERROR(shop.api(publishable).post("/api/v1/webhooks", {{"url", "https://h.example/"}}),
                403, "forbidden");
    CHECK_ERROR(shop.api(publishable).get("/api/v1/webhooks"), 403, "forbidden");
  }

  SUBCASE("create answers every field, in the documented order, the secret last") {
    CHECK(created.media_type() == "application/json");
    CHECK(created.body.rfind("{\"success\":true,\"webhook\":{\"id\":\"we_", 0) == 0);
    CHECK(a.size() == 10);
    CHECK(matches(a["id"], kWebhookId));
    CHECK(a["url"] == "https://hooks.shop.example/stockbell");
    CHECK(a["name"] == "e-mail service");
    CHECK(a["description"] == "e-mail service");
    CHECK(a["events"] == json::array({kBackInStock}));
    CHECK(a["enabled"] == true);
    CHECK(a["status"] == "enabled");
    CHECK(matches(a["createdAt"], kTimestamp));
    CHECK(a["updatedAt"] == a["createdAt"]);
    CHECK(matches(a["secret"], kSecret));
    CHECK(created.body.find("\"updatedAt\":" + a["updatedAt"].dump() + ",\"secret\":\"whsec_") !=
          std::string::npos);
  }

  SUBCASE("defaults: every event type, no description, enabled, a secret of its own") {
    CHECK(b["events"] == kEveryType);
    CHECK(b["description"] == nullptr);
    CHECK(b["enabled"] == true);
    CHECK(matches(b["secret"], kSecret));
    CHECK(b["secret"] != a["secret"]);
    CHECK(b["id"] != a["id"]);
    // `["*"]` and `null` mean every type too; `enabled: false` creates a disabled endpoint.
    CHECK(c["events"] == kEveryType);
    CHECK(c["enabled"] == false);
    CHECK(d["events"] == kEveryType);
  }

  SUBCASE("the secret is never shown again") {
    json a_shown = a;
    a_shown.erase("secret");
    const HttpResponse list = api.get("/api/v1/webhooks");
    REQUIRE_STATUS(list, 200);
    CHECK(list.body.find("whsec_") == std::string::npos);
    CHECK(list.body.find("\"secret\"") == std::string::npos);
    const json listed = list.json()["webhooks"];
    REQUIRE(listed.size() == 4);
    CHECK(listed[0] == a_shown);  // oldest first
    CHECK(listed[1]["id"] == b["id"]);
    CHECK(listed[2]["id"] == c["id"]);
    CHECK(listed[3]["id"] == d["id"]);
    HttpResponse one = api.get(webhook_path(a));
    REQUIRE_STATUS(one, 200);
    CHECK(one.body.find("whsec_") == std::string::npos);
    CHECK(one.json() == json{{"success", true}, {"webhook", a_shown}});
  }

  SUBCASE("PATCH changes what it names and keeps the rest") {
    HttpResponse r = patch(api, webhook_path(a),
                           {{"url", "https://hooks.shop.example/v2"},
                            {"events", {kRequested}},
                            {"description", "renamed"},
                            {"enabled", false}});
    REQUIRE_STATUS(r, 200);
    CHECK(r.body.find("whsec_") == std::string::npos);
    json changed = r.json()["webhook"];
    CHECK(changed.size() == 9);
    CHECK(changed["id"] == a["id"]);
    CHECK(changed["url"] == "https://hooks.shop.example/v2");
    CHECK(changed["events"] == json::array({kRequested}));
    CHECK(changed["description"] == "renamed");
    CHECK(changed["enabled"] == false);
    CHECK(changed["createdAt"] == a["createdAt"]);
    CHECK(changed["updatedAt"].get<std::string>() >= a["updatedAt"].get<std::string>());
    CHECK(api.get(webhook_path(a)).json()["webhook"] == changed);

    r = patch(api, webhook_path(a), {{"description", nullptr}, {"enabled", true}});
    REQUIRE_STATUS(r, 200);
    changed = r.json()["webhook"];
    CHECK(changed["description"] == nullptr);
    CHECK(changed["enabled"] == true);
    CHECK(changed["url"] == "https://hooks.shop.example/v2");
    CHECK(changed["events"] == json::array({kRequested}));
    r = patch(api, webhook_path(a), json::object());
    REQUIRE_STATUS(r, 200);
    json unchanged = r.json()["webhook"];
    unchanged.erase("updatedAt");
    changed.erase("updatedAt");
    CHECK(unchanged == changed);
    r = patch(api, webhook_path(a), {{"events", {"*"}}});
    REQUIRE_STATUS(r, 200);
    CHECK(r.json()["webhook"]["events"] == kEveryType);
  }

  SUBCASE("create: every problem, keyed by field") {
    HttpResponse r = api.post("/api/v1/webhooks", json::object());
    CHECK_ERROR(r, 400, "validation_failed");
    CHECK(detail_fields(r.json()) == std::vector<std::string>{"url"});
    CHECK(detail_code(r.json(), "url") == "required");
    r = api.post("/api/v1/webhooks", {{"url", "javascript:alert(1)"}});
    CHECK_ERROR(r, 400, "validation_failed");
    CHECK(detail_fields(r.json()) == std::vector<std::string>{"url"});
    CHECK(detail_code(r.json(), "url") == "invalid_url");
    r = api.post("/api/v1/webhooks", {{"url", "https://h.example/"},
                                      {"events", {kBackInStock, "ecommerce.order_shipped"}}});
    CHECK_ERROR(r, 400, "validation_failed");
    CHECK(detail_fields(r.json()) == std::vector<std::string>{"events[1]"});
    CHECK(detail_code(r.json(), "events[1]") == "invalid_value");
    r = api.post("/api/v1/webhooks", {{"url", "https://h.example/"}, {"enabled", nullptr}});
    CHECK_ERROR(r, 400, "validation_failed");
    CHECK(detail_fields(r.json()) == std::vector<std::string>{"enabled"});
    CHECK(detail_code(r.json(), "enabled") == "invalid_type");
    r = api.post("/api/v1/webhooks", {{"url", "ftp://h.example/"},
                                      {"events", json::array()},
                                      {"enabled", "yes"},
                                      {"description", std::string(501, 'd')},
                                      {"secret", "whsec_mine"}});
    CHECK_ERROR(r, 400, "validation_failed");
    const std::vector<std::string> fields = detail_fields(r.json());
    CHECK(std::set<std::string>(fields.begin(), fields.end()) ==
          std::set<std::string>{"url", "events", "enabled", "description", "secret"});
    CHECK(detail_code(r.json(), "url") == "invalid_url");
    CHECK(detail_code(r.json(), "events") == "too_few_items");
    CHECK(detail_code(r.json(), "enabled") == "invalid_type");
    CHECK(detail_code(r.json(), "description") == "too_long");
    CHECK(detail_code(r.json(), "secret") == "unknown_field");
    CHECK_ERROR(api.post_raw("/api/v1/webhooks", "{\"url\":"), 400, "invalid_json");
  }

  SUBCASE("update: a URL can be changed, never cleared; a refused PATCH changes nothing") {
    HttpResponse r;
    for (const json& body : {json{{"url", nullptr}}, json{{"url", "  "}}}) {
      INFO("PATCH " << body.dump());
      r = patch(api, webhook_path(b), body);
      CHECK_ERROR(r, 400, "validation_failed");
      CHECK(detail_code(r.json(), "url") == "required");
    }
    r = patch(api, webhook_path(b), {{"enabled", nullptr}, {"url", "javascript:x"}});
    CHECK_ERROR(r, 400, "validation_failed");
    CHECK(detail_code(r.json(), "enabled") == "invalid_type");
    CHECK(detail_code(r.json(), "url") == "invalid_url");
    json b_shown = b;
    b_shown.erase("secret");
    CHECK(api.get(webhook_path(b)).json()["webhook"] == b_shown);  // nothing half-applied
  }

  SUBCASE("DELETE") {
    const HttpResponse r = api.del(webhook_path(b));
    REQUIRE_STATUS(r, 200);
    CHECK(r.json() == json{{"success", true}, {"deleted", true}, {"webhookId", b["id"]}});
    CHECK_ERROR(api.get(webhook_path(b)), 404, "not_found");
    CHECK_ERROR(api.del(webhook_path(b)), 404, "not_found");
    CHECK_ERROR(patch(api, webhook_path(b), {{"enabled", false}}), 404, "not_found");
    const json after = api.get("/api/v1/webhooks").json()["webhooks"];
    REQUIRE(after.size() == 3);
    CHECK(after[0]["id"] == a["id"]);
    CHECK(after[1]["id"] == c["id"]);
  }

  SUBCASE("unknown and malformed ids") {
    for (const std::string id :
         {"we_0000000000000", "we_zzzzzzzzzzzzz", "we_nope", "evt_1", "bisr_0000000000000"}) {
      INFO("id " << id);
      const std::string path = "/api/v1/webhooks/" + id;
      CHECK_ERROR(api.get(path), 404, "not_found");
      CHECK_ERROR(patch(api, path, {{"enabled", false}}), 404, "not_found");
      CHECK_ERROR(api.del(path), 404, "not_found");
      CHECK_ERROR(api.post(path + "/rotate-secret", json::object()), 404, "not_found");
      CHECK_ERROR(api.get(path + "/deliveries"), 404, "not_found");
      CHECK_ERROR(api.post(path + "/deliveries/whd_0000000000000/retry", json::object()), 404,
                  "not_found");
    }
    CHECK_ERROR(api.get(webhook_path(a) + "/deliveries?status=sent"), 400, "validation_failed");
    CHECK_ERROR(
        api.post(webhook_path(a) + "/deliveries/whd_0000000000000/retry", json::object()), 404,
        "not_found");
  }
}

TEST_CASE("webhook endpoints of another store are not found, and not changed") {
  Shop shop;
  WebhookReceiver receiver;
  const Api api = shop.api();
  const Api other = shop.api(create_key(shop.db(), "other", "secret"));
  const json mine = create_webhook(api, {{"url", "https://mine.example/"}});
  json theirs = create_webhook(other, {{"url", receiver.url()}, {"events", {kRequested}}});
  REQUIRE_STATUS(other.register_request(request_body("P", std::nullopt, "a@example.com")), 200);
  const json their_deliveries = wait_for_deliveries(other, theirs, all_with_status(1, "delivered"));
  const std::string their_delivery = their_deliveries[0]["id"];

  const std::string path = webhook_path(theirs);
  CHECK_ERROR(api.get(path), 404, "not_found");
  CHECK_ERROR(patch(api, path, {{"url", "https://stolen.example/"}}), 404, "not_found");
  CHECK_ERROR(api.post(path + "/rotate-secret", json::object()), 404, "not_found");
  CHECK_ERROR(api.get(path + "/deliveries"), 404, "not_found");
  CHECK_ERROR(api.post(path + "/deliveries/" + their_delivery + "/retry", json::object()), 404,
              "not_found");
  // Their delivery id under my endpoint's path.
  CHECK_ERROR(
      api.post(webhook_path(mine) + "/deliveries/" + their_delivery + "/retry", json::object()),
      404, "not_found");
  CHECK_ERROR(api.del(path), 404, "not_found");
  const json listed = api.get("/api/v1/webhooks").json()["webhooks"];
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["id"] == mine["id"]);

  theirs.erase("secret");
  CHECK(other.get(path).json()["webhook"] == theirs);
  CHECK(deliveries(other, theirs) == their_deliveries);  // the retry did not re-send it
  CHECK(receiver.count() == 1);
  // My events never go to their endpoint.
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "b@example.com")), 200);
  CHECK(deliveries(other, theirs).size() == 1);
}

TEST_CASE("at most 20 webhook endpoints per store") {
  Shop shop;
  const Api api = shop.api();
  std::vector<json> created;
  for (int i = 0; i < 20; ++i)
    created.push_back(create_webhook(api, {{"url", "https://hooks.example/" + std::to_string(i)}}));
  HttpResponse r = api.post("/api/v1/webhooks", {{"url", "https://hooks.example/20"}});
  CHECK_ERROR(r, 400, "validation_failed");
  REQUIRE(r.json()["details"].size() == 1);
  CHECK(r.json()["details"][0]["code"] == "too_many_items");
  CHECK(api.get("/api/v1/webhooks").json()["webhooks"].size() == 20);
  // Per store: another store still has room.
  const Api other = shop.api(create_key(shop.db(), "other", "secret"));
  create_webhook(other, {{"url", "https://other.example/"}});
  // Room again after a delete.
  REQUIRE_STATUS(api.del(webhook_path(created[7])), 200);
  create_webhook(api, {{"url", "https://hooks.example/again"}});
  CHECK_ERROR(api.post("/api/v1/webhooks", {{"url", "https://hooks.example/21"}}), 400,
              "validation_failed");
}

TEST_CASE("a deleted webhook endpoint's id is never given to another endpoint") {
  // A client that repeats a DELETE (say after a timeout) must not delete a newer endpoint, and
  // an old id must not start showing another endpoint's deliveries.
  Shop shop;
  const Api api = shop.api();
  const json first = create_webhook(api, {{"url", "https://first.example/"}});
  REQUIRE_STATUS(api.del(webhook_path(first)), 200);
  const json second = create_webhook(api, {{"url", "https://second.example/"}});
  CHECK(second["id"] != first["id"]);
  CHECK_STATUS(api.get(webhook_path(first)), 404);
  CHECK_STATUS(api.del(webhook_path(first)), 404);  // the client's repeated DELETE
  CHECK_STATUS(api.get(webhook_path(second)), 200);
  CHECK(api.get("/api/v1/webhooks").json()["webhooks"].size() == 1);
}

// ---- delivery ----------------------------------------------------------------------------------

TEST_CASE("a delivery is the feed's event, byte for byte, signed with the endpoint's secret") {
  // Shared by both subcases: one endpoint, one request and its push, both events delivered.
  Shop shop;
  WebhookReceiver receiver;
  const Api api = shop.api();
  const json webhook = create_webhook(api, {{"url", receiver.url("/hooks/stockbell?token=abc")}});
  const std::string secret = webhook["secret"];

  REQUIRE_STATUS(api.register_request(request_body("SKU-1", std::nullopt, "ann@example.com")), 200);
  const HttpResponse up =
      api.upsert(json::array({{{"productId", "SKU-1"}, {"title", "Shirt"}, {"inStock", true}}}));
  REQUIRE_STATUS(up, 200);
  REQUIRE(up.json()["backInStockEventsTriggered"] == 1);

  const json listed = wait_for_deliveries(api, webhook, all_with_status(2, "delivered"));
  const HttpResponse events = feed(api);
  const json feed_events = events.json()["events"];
  REQUIRE(feed_events.size() == 2);
  std::map<std::string, json> event_by_id;
  for (const json& e : feed_events) event_by_id[e["id"]] = e;
  std::map<std::string, json> delivery_by_event;
  for (const json& d : listed) delivery_by_event[d["eventId"]] = d;
  REQUIRE(delivery_by_event.size() == 2);

  SUBCASE("each POST is the feed's event, byte for byte, with its headers and signature") {
    const std::vector<ReceivedRequest> received = receiver.requests();
    REQUIRE(received.size() == 2);
    std::set<std::string> types;
    for (const ReceivedRequest& r : received) {
      const std::string event_id = r.header("Stockbell-Event-Id");
      INFO("event " << event_id << " body " << r.body);
      REQUIRE(event_by_id.count(event_id) == 1);
      const json& event = event_by_id[event_id];
      CHECK(r.method == "POST");
      CHECK(r.path == "/hooks/stockbell");
      CHECK(r.target == "/hooks/stockbell?token=abc");
      CHECK(r.header("Content-Type") == "application/json");
      CHECK(r.header("User-Agent").rfind("Stockbell/", 0) == 0);
      CHECK(r.header("Stockbell-Event-Type") == event["type"]);
      types.insert(r.header("Stockbell-Event-Type"));
      CHECK(r.header("Stockbell-Delivery-Id") == delivery_by_event[event_id]["id"]);
      CHECK(matches(r.header("Stockbell-Delivery-Id"), kDeliveryId));
      // Byte for byte what the feed serves, and the same JSON.
      CHECK(feed_shows_exactly(events.body, event_id, r.body));
      CHECK(json::parse(r.body) == event);
      // Timestamp in Unix seconds, now; the signature verifies under the secret only.
      const std::string timestamp = r.header("Stockbell-Timestamp");
      REQUIRE(matches(timestamp, "[0-9]{10}"));
      CHECK(std::llabs(std::stoll(timestamp) - unix_now()) <= 60);
      const std::vector<std::string> digests = signatures(r);
      REQUIRE(digests.size() == 1);
      CHECK(digests[0] == signed_with(secret, r));
      CHECK(digests[0] != expected_signature(secret, timestamp, r.body + " "));
      CHECK(digests[0] !=
            expected_signature(secret, std::to_string(std::stoll(timestamp) + 1), r.body));
      CHECK(digests[0] != expected_signature("whsec_other", timestamp, r.body));
    }
    CHECK(types == std::set<std::string>{kRequested, kBackInStock});
  }

  SUBCASE("the deliveries listing: one row per event, delivered on the first attempt") {
    const HttpResponse raw_list = api.get(webhook_path(webhook) + "/deliveries");
    REQUIRE_STATUS(raw_list, 200);
    CHECK(raw_list.json()["pagination"] ==
          json{{"count", 2}, {"hasMore", false}, {"limit", 50}, {"offset", 0}, {"total", 2}});
    CHECK(listed[0]["eventType"] == kBackInStock);  // newest first
    CHECK(listed[1]["eventType"] == kRequested);
    for (const json& d : listed) {
      INFO("delivery " << d.dump());
      CHECK(d.size() == 9);
      CHECK(matches(d["id"], kDeliveryId));
      CHECK(d["eventType"] == event_by_id[d["eventId"]]["type"]);
      CHECK(d["status"] == "delivered");
      CHECK(d["attempts"] == 1);
      CHECK(d["nextAttemptAt"] == nullptr);
      CHECK(matches(d["createdAt"], kTimestamp));
      CHECK(matches(d["deliveredAt"], kTimestamp));
      REQUIRE(d["attemptLog"].size() == 1);
      const json& attempt = d["attemptLog"][0];
      CHECK(attempt.size() == 4);
      CHECK(matches(attempt["at"], kTimestamp));
      CHECK(attempt["durationMs"].is_number_integer());
      CHECK(attempt["durationMs"] >= 0);
      CHECK(attempt["statusCode"] == 200);
      CHECK(attempt["error"] == nullptr);
    }
    CHECK(deliveries(api, webhook, "?status=delivered") == listed);
    CHECK(deliveries(api, webhook, "?status=pending") == json::array());
    CHECK(deliveries(api, webhook, "?status=failed") == json::array());
    CHECK(deliveries(api, webhook, "?limit=1&offset=1") == json::array({listed[1]}));
  }
}

TEST_CASE("an endpoint gets only the event types it subscribed to") {
  Shop shop;
  WebhookReceiver only_bis, everything;
  const Api api = shop.api();
  json bis = create_webhook(api, {{"url", only_bis.url()}, {"events", {kBackInStock}}});
  const json all = create_webhook(api, {{"url", everything.url()}});
  CHECK(bis["events"] == json::array({kBackInStock}));

  REQUIRE_STATUS(api.register_request(request_body("P", "P-M", "a@example.com")), 200);
  // The delivery rows are written with the event: the filter shows at once.
  CHECK(deliveries(api, bis).size() == 0);
  REQUIRE_STATUS(
      api.upsert(json::array({{{"productId", "P"},
                               {"title", "Pants"},
                               {"variants", {{{"variantId", "P-M"}, {"title", "M"}}}}}})),
      200);
  wait_for_deliveries(api, all, all_with_status(2, "delivered"));
  const json listed = wait_for_deliveries(api, bis, all_with_status(1, "delivered"));
  CHECK(listed[0]["eventType"] == kBackInStock);
  REQUIRE(only_bis.count() == 1);
  CHECK(only_bis.requests()[0].header("Stockbell-Event-Type") == kBackInStock);
  CHECK(json::parse(only_bis.requests()[0].body)["type"] == kBackInStock);
  CHECK(everything.count() == 2);

  // An endpoint created later gets later events only.
  const json late = create_webhook(api, {{"url", everything.url("/late")}});
  CHECK(deliveries(api, late) == json::array());

  // Changing the subscription applies to later events.
  REQUIRE_STATUS(patch(api, webhook_path(bis), {{"events", {kRequested}}}), 200);
  REQUIRE_STATUS(api.register_request(request_body("Q", std::nullopt, "b@example.com")), 200);
  const json later = wait_for_deliveries(api, bis, all_with_status(2, "delivered"));
  CHECK(later[0]["eventType"] == kRequested);
  const json late_listed = wait_for_deliveries(api, late, all_with_status(1, "delivered"));
  CHECK(late_listed[0]["eventId"] == later[0]["eventId"]);
  REQUIRE(only_bis.count() == 2);
  CHECK(only_bis.requests()[1].header("Stockbell-Event-Type") == kRequested);
}

TEST_CASE("a disabled endpoint gets no deliveries; re-enabled, it gets later events") {
  Shop shop;
  WebhookReceiver receiver, witness;
  const Api api = shop.api();
  const json webhook =
      create_webhook(api, {{"url", receiver.url()}, {"enabled", false}, {"events", {kRequested}}});
  // A second, enabled endpoint shows when the dispatcher has worked through the events.
  const json enabled = create_webhook(api, {{"url", witness.url()}, {"events", {kRequested}}});

  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "early@example.com")), 200);
  REQUIRE_STATUS(patch(api, webhook_path(webhook), {{"enabled", true}}), 200);
  CHECK(deliveries(api, webhook) == json::array());
  REQUIRE_STATUS(patch(api, webhook_path(webhook), {{"enabled", false}}), 200);
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "early2@example.com")), 200);
  CHECK(deliveries(api, webhook) == json::array());
  wait_for_deliveries(api, enabled, all_with_status(2, "delivered"));

  REQUIRE_STATUS(patch(api, webhook_path(webhook), {{"enabled", true}}), 200);
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "late@example.com")), 200);
  const json listed = wait_for_deliveries(api, webhook, all_with_status(1, "delivered"));
  wait_for_deliveries(api, enabled, all_with_status(3, "delivered"));
  REQUIRE(receiver.count() == 1);
  const json delivered = json::parse(receiver.requests()[0].body);
  CHECK(delivered["subscriber"]["email"] == "late@example.com");
  CHECK(delivered["id"] == listed[0]["eventId"]);
}

TEST_CASE("a delivery answered 500 is retried until a 2xx, and every attempt is logged") {
  Shop shop;
  WebhookReceiver receiver;
  receiver.script({{500}, {500}});
  const Api api = shop.api();
  const json webhook = create_webhook(api, {{"url", receiver.url()}, {"events", {kRequested}}});
  const std::string secret = webhook["secret"];
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);

  const json listed = wait_for_deliveries(api, webhook, all_with_status(1, "delivered"));
  const json& d = listed[0];
  CHECK(d["attempts"] == 3);
  CHECK(status_codes(d) == std::vector<int>{500, 500, 200});
  CHECK(d["attemptLog"][0]["error"] == "HTTP 500");
  CHECK(d["attemptLog"][1]["error"] == "HTTP 500");
  CHECK(d["attemptLog"][2]["error"] == nullptr);
  CHECK(d["nextAttemptAt"] == nullptr);
  CHECK(matches(d["deliveredAt"], kTimestamp));

  // Three POSTs of the same delivery, each signed; spaced by the retry schedule (100 ms, then
  // 300 ms, each ±20 %: only lower bounds, a loaded machine is only ever later).
  const std::vector<ReceivedRequest> received = receiver.requests();
  REQUIRE(received.size() == 3);
  for (const ReceivedRequest& r : received) {
    CHECK(r.header("Stockbell-Delivery-Id") == d["id"]);
    CHECK(r.header("Stockbell-Event-Id") == d["eventId"]);
    CHECK(r.body == received[0].body);
    const std::vector<std::string> digests = signatures(r);
    REQUIRE(digests.size() == 1);
    CHECK(digests[0] == signed_with(secret, r));
  }
  CHECK(ms_between(received[0].at, received[1].at) >= 75);
  CHECK(ms_between(received[1].at, received[2].at) >= 230);
}

TEST_CASE("timeouts, refused connections and redirects are logged and retried") {
  Timing timing;
  timing.give_up = 60'000;
  Shop shop(serve_flags(timing));
  WebhookReceiver slow, redirecting, moved;
  ClosedPort closed;
  // Longer than the 500 ms timeout: the attempt must end at the timeout, not at the answer.
  slow.script({{200, std::chrono::milliseconds(3000)}});
  redirecting.script({{302, {}, redirecting.url("/elsewhere")}});
  const Api api = shop.api();
  const json to_slow = create_webhook(api, {{"url", slow.url()}, {"events", {kRequested}}});
  const json to_closed = create_webhook(api, {{"url", closed.url()}, {"events", {kRequested}}});
  const json to_redirecting =
      create_webhook(api, {{"url", redirecting.url()}, {"events", {kRequested}}});
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);

  {
    INFO("a receiver slower than the timeout");
    const json d = wait_for_deliveries(api, to_slow, all_with_status(1, "delivered"))[0];
    CHECK(d["attempts"] == 2);
    CHECK(status_codes(d) == std::vector<int>{0, 200});
    const json& timed_out = d["attemptLog"][0];
    CHECK(timed_out["statusCode"] == nullptr);
    CHECK(timed_out["error"].is_string());
    CHECK(!timed_out["error"].get<std::string>().empty());
    CHECK(timed_out["durationMs"] >= 450);
    CHECK(timed_out["durationMs"] < 2500);
    REQUIRE(slow.count() == 2);
    CHECK(slow.requests()[1].header("Stockbell-Delivery-Id") == d["id"]);
    CHECK(slow.requests()[1].body == slow.requests()[0].body);
  }
  {
    INFO("a redirect is an answer that is not 2xx, and is not followed");
    const json d = wait_for_deliveries(api, to_redirecting, all_with_status(1, "delivered"))[0];
    CHECK(status_codes(d) == std::vector<int>{302, 200});
    CHECK(d["attemptLog"][0]["error"] == "HTTP 302");
    const std::vector<ReceivedRequest> received = redirecting.requests();
    REQUIRE(received.size() == 2);
    CHECK(received[0].path == "/hook");
    CHECK(received[1].path == "/hook");
  }
  {
    INFO("a refused connection");
    const json pending = wait_for_deliveries(api, to_closed, [](const json& list) {
      return list.size() == 1 && list[0]["attempts"] >= 3;
    })[0];
    CHECK(pending["status"] == "pending");
    CHECK(matches(pending["nextAttemptAt"], kTimestamp));
    for (const json& attempt : pending["attemptLog"]) {
      CHECK(attempt["statusCode"] == nullptr);
      CHECK(attempt["error"].is_string());
      CHECK(!attempt["error"].get<std::string>().empty());
    }
    // The next attempt goes to the endpoint's URL as it is then.
    REQUIRE_STATUS(patch(api, webhook_path(to_closed), {{"url", moved.url("/moved")}}), 200);
    const json d = wait_for_deliveries(api, to_closed, all_with_status(1, "delivered"))[0];
    CHECK(d["id"] == pending["id"]);
    CHECK(status_codes(d).back() == 200);
    REQUIRE(moved.count() == 1);
    CHECK(moved.requests()[0].path == "/moved");
  }
}

TEST_CASE("the attempt log says 'timeout' and 'connection refused' in plain words") {
  // core/webhook.hpp documents the attempt log's error as "`timeout`, `connection refused`,
  // `HTTP 500`, ..."; a store developer reads it to find out why deliveries fail.
  Timing timing;
  timing.give_up = 60'000;
  Shop shop(serve_flags(timing));
  WebhookReceiver slow;
  ClosedPort closed;
  slow.script({{200, std::chrono::milliseconds(3000)}});
  const Api api = shop.api();
  const json to_slow = create_webhook(api, {{"url", slow.url()}, {"events", {kRequested}}});
  const json to_closed = create_webhook(api, {{"url", closed.url()}, {"events", {kRequested}}});
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);
  const json slow_delivery = wait_for_deliveries(api, to_slow, all_with_status(1, "delivered"))[0];
  const json closed_delivery = wait_for_deliveries(api, to_closed, [](const json& list) {
    return list.size() == 1 && list[0]["attempts"] >= 1;
  })[0];
  const std::string timeout_error = slow_delivery["attemptLog"][0]["error"];
  const std::string refused_error = closed_delivery["attemptLog"][0]["error"];
  INFO("timeout logged as '" << timeout_error << "', refusal as '" << refused_error << "'");
  CHECK(timeout_error.find("timeout") != std::string::npos);
  CHECK(refused_error.find("refused") != std::string::npos);
}

TEST_CASE("a delivery fails after the give-up window; the retry route sends it again") {
  Shop shop;  // give up after 1.5 s
  WebhookReceiver receiver;
  receiver.set_default({500});
  const Api api = shop.api();
  const json webhook = create_webhook(api, {{"url", receiver.url()}, {"events", {kRequested}}});
  const Clock::time_point before = Clock::now();
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);

  const json failed = wait_for_deliveries(api, webhook, all_with_status(1, "failed"))[0];
  CHECK(ms_between(before, Clock::now()) >= 1500);  // not before the window ended
  CHECK(failed["nextAttemptAt"] == nullptr);
  CHECK(failed["deliveredAt"] == nullptr);
  const int attempts = failed["attempts"];
  CHECK(attempts >= 3);
  CHECK(status_codes(failed) == std::vector<int>(static_cast<size_t>(attempts), 500));
  CHECK(receiver.count() == static_cast<size_t>(attempts));
  CHECK(deliveries(api, webhook, "?status=failed") == json::array({failed}));
  CHECK(deliveries(api, webhook, "?status=pending") == json::array());

  receiver.set_default({200});
  const std::string retry_path =
      webhook_path(webhook) + "/deliveries/" + failed["id"].get<std::string>() + "/retry";
  const HttpResponse retried = api.post(retry_path, json::object());
  REQUIRE_STATUS(retried, 200);
  const json again = retried.json()["delivery"];
  CHECK(again["id"] == failed["id"]);
  CHECK(again["status"] == "pending");
  CHECK(again["attempts"] == attempts);
  CHECK(matches(again["nextAttemptAt"], kTimestamp));
  CHECK(again["attemptLog"] == failed["attemptLog"]);

  const json delivered = wait_for_deliveries(api, webhook, all_with_status(1, "delivered"))[0];
  CHECK(delivered["attempts"] == attempts + 1);
  CHECK(status_codes(delivered).back() == 200);
  CHECK(receiver.count() == static_cast<size_t>(attempts) + 1);
  CHECK(receiver.requests().back().header("Stockbell-Delivery-Id") == failed["id"]);
}

TEST_CASE("a hanging receiver slows neither the API nor the other endpoints") {
  Timing timing;
  timing.timeout = 2000;
  timing.give_up = 60'000;
  Shop shop(serve_flags(timing));
  WebhookReceiver hanging, healthy;
  hanging.set_default({200, std::chrono::milliseconds(10'000)});
  const Api api = shop.api();
  create_webhook(api, {{"url", hanging.url()}});
  const json good = create_webhook(api, {{"url", healthy.url()}});

  const Clock::time_point first = Clock::now();
  std::vector<long long> took;
  for (int i = 0; i < 5; ++i) {
    const Clock::time_point start = Clock::now();
    REQUIRE_STATUS(api.register_request(request_body(
                       "P", std::nullopt, "shopper" + std::to_string(i) + "@example.com")),
                   200);
    took.push_back(ms_between(start, Clock::now()));
  }
  const Clock::time_point start = Clock::now();
  const HttpResponse up = api.upsert(json::array({{{"productId", "P"}, {"title", "Pot"}}}));
  took.push_back(ms_between(start, Clock::now()));
  REQUIRE_STATUS(up, 200);
  REQUIRE(up.json()["backInStockEventsTriggered"] == 5);
  for (size_t i = 0; i < took.size(); ++i) {
    INFO("API call " << i << " took " << took[i] << " ms");
    CHECK(took[i] < 300);
  }

  // All ten events reach the healthy endpoint before the hanging one's first attempts time out.
  const Clock::time_point produced = Clock::now();
  REQUIRE(healthy.wait_until(
      [](const std::vector<ReceivedRequest>& r) { return event_ids_of(r).size() == 10; },
      std::chrono::seconds(15)));
  const long long healthy_ms = ms_between(produced, Clock::now());
  INFO("the healthy endpoint had every event " << healthy_ms << " ms after the upsert");
  CHECK(healthy_ms < 1500);
  CHECK(healthy.count() == 10);
  // The hanging endpoint holds two attempts at a time, no more.
  REQUIRE(hanging.wait_for_count(2, std::chrono::seconds(5)));
  if (ms_between(first, Clock::now()) < timing.timeout) CHECK(hanging.count() == 2);
  wait_for_deliveries(api, good, all_with_status(10, "delivered"));
  const Clock::time_point read = Clock::now();
  CHECK_STATUS(api.get("/api/v1/webhooks"), 200);
  CHECK(ms_between(read, Clock::now()) < 300);
}

// Issue 20 §7: ten dead endpoints of one store held all 16 senders (two attempts each), so
// another store's deliveries waited for their timeouts (0.06 s became ~10 s).
TEST_CASE("one store's dead endpoints don't delay another store's deliveries") {
  Timing timing;
  timing.timeout = 8000;
  timing.give_up = 60'000;
  Shop shop(serve_flags(timing));
  WebhookReceiver hanging, healthy;
  hanging.set_default({200, std::chrono::milliseconds(20'000)});
  const Api a = shop.api();
  for (int i = 0; i < 10; ++i) create_webhook(a, {{"url", hanging.url("/hook?n=" + std::to_string(i))}});
  const Api b = shop.api(create_key(shop.db(), "store-b", "secret"));
  create_webhook(b, {{"url", healthy.url()}, {"events", {kRequested}}});
  // Store A: three events for each of its ten endpoints, enough to want every sender.
  for (int i = 0; i < 3; ++i)
    REQUIRE_STATUS(a.register_request(request_body("P", std::nullopt, "a" + std::to_string(i) + "@example.com")),
                   200);
  REQUIRE(hanging.wait_for_count(4, std::chrono::seconds(5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // every sender A can have, taken
  const Clock::time_point produced = Clock::now();
  REQUIRE_STATUS(b.register_request(request_body("Q", std::nullopt, "b@example.com")), 200);
  REQUIRE(healthy.wait_for_count(1, std::chrono::seconds(15)));
  const long long waited = ms_between(produced, Clock::now());
  INFO("store B's delivery arrived " << waited << " ms after its event; store A had "
                                     << hanging.count() << " attempts open");
  CHECK(waited < 1500);
  CHECK(hanging.count() <= 4);  // A's share: 4 attempts at a time, whatever its endpoint count
}

TEST_CASE("pending deliveries survive kill -9; after a restart every event arrives") {
  Timing timing;
  timing.give_up = 120'000;
  Shop shop(serve_flags(timing));
  WebhookReceiver receiver;
  receiver.set_default({503});
  Api api = shop.api();
  const json webhook = create_webhook(api, {{"url", receiver.url()}});
  const std::string secret = webhook["secret"];

  for (int i = 0; i < 4; ++i)
    REQUIRE_STATUS(api.register_request(request_body(
                       "P", std::nullopt, "shopper" + std::to_string(i) + "@example.com")),
                   200);
  REQUIRE_STATUS(api.upsert(json::array({{{"productId", "P"}, {"title", "Pan"}}})), 200);
  // Every delivery has been tried and refused at least once...
  wait_for_deliveries(api, webhook, [](const json& list) {
    if (list.size() != 8) return false;
    for (const json& d : list)
      if (d["status"] != "pending" || d["attempts"] < 1) return false;
    return true;
  });
  // ... and one more event is committed right before the crash.
  REQUIRE_STATUS(api.register_request(request_body("Q", std::nullopt, "last@example.com")), 200);
  CHECK(shop.server().kill() == 137);

  std::set<std::string> all_events;
  receiver.set_default({200});
  shop.server().start();
  api = shop.api();
  const json events = feed(api).json();
  for (const json& e : events["events"]) all_events.insert(e["id"].get<std::string>());
  REQUIRE(all_events.size() == 9);

  const json listed = wait_for_deliveries(api, webhook, all_with_status(9, "delivered"));
  std::set<std::string> delivered_events;
  for (const json& d : listed) delivered_events.insert(d["eventId"].get<std::string>());
  CHECK(delivered_events == all_events);

  // A receiver deduping on Stockbell-Event-Id processes each event exactly once; a redelivery
  // carries the same bytes, each copy correctly signed.
  std::map<std::string, std::string> processed;  // event id → body
  for (const ReceivedRequest& r : receiver.requests()) {
    const std::string id = r.header("Stockbell-Event-Id");
    const std::vector<std::string> digests = signatures(r);
    REQUIRE(digests.size() == 1);
    CHECK(digests[0] == signed_with(secret, r));
    CHECK(json::parse(r.body)["id"] == id);
    if (processed.count(id)) CHECK(processed[id] == r.body);
    if (r.answered_2xx()) processed.emplace(id, r.body);
  }
  std::set<std::string> processed_ids;
  for (const auto& [id, body] : processed) processed_ids.insert(id);
  CHECK(processed_ids == all_events);
}

TEST_CASE("a clean stop waits for an attempt under way, at most the timeout, and logs it") {
  Timing timing;
  timing.timeout = 1000;
  timing.give_up = 60'000;
  Shop shop(serve_flags(timing));
  WebhookReceiver receiver;
  receiver.set_default({200, std::chrono::milliseconds(10'000)});
  Api api = shop.api();
  const json webhook = create_webhook(api, {{"url", receiver.url()}, {"events", {kRequested}}});
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);
  REQUIRE(receiver.wait_for_count(1));

  const Clock::time_point signalled = Clock::now();
  CHECK(shop.server().stop(std::chrono::seconds(8)) == 0);
  const long long stop_ms = ms_between(signalled, Clock::now());
  CHECK(stop_ms < 4000);

  receiver.set_default({200});
  shop.server().start();
  api = shop.api();
  const json d = wait_for_deliveries(api, webhook, all_with_status(1, "delivered"))[0];
  REQUIRE(d["attemptLog"].size() >= 2);
  const json& cut = d["attemptLog"][0];  // the attempt the stop waited for
  CHECK(cut["statusCode"] == nullptr);
  CHECK(cut["error"].is_string());
  CHECK(cut["durationMs"] >= 950);
  CHECK(status_codes(d).back() == 200);
}

TEST_CASE("an answer that never ends is cut off at the timeout") {
  // README: "any 2xx within 10 s is delivered", and a slow receiver never holds up the rest. A
  // receiver that sends its status at once and then one body byte every 100 ms never trips a
  // per-read timeout; the attempt must still end at the webhook timeout.
  Timing timing;
  timing.timeout = 500;
  timing.give_up = 60'000;
  Shop shop(serve_flags(timing));
  WebhookReceiver receiver;
  receiver.script({Reply::dripping(200, std::chrono::milliseconds(100))});
  const Api api = shop.api();
  const json webhook = create_webhook(api, {{"url", receiver.url()}, {"events", {kRequested}}});
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);
  REQUIRE(receiver.wait_for_count(1));

  json last;
  const bool attempted = eventually(
      [&] {
        last = deliveries(api, webhook);
        return last.size() == 1 && last[0]["attempts"] >= 1;
      },
      std::chrono::seconds(3));
  INFO("deliveries after 3 s: " << last.dump());
  CHECK(attempted);
  if (attempted) CHECK(last[0]["attemptLog"][0]["durationMs"] < 2000);
  // Nor may a clean stop wait for it: SIGTERM would never end `stockbell serve`.
  const Clock::time_point signalled = Clock::now();
  int status = -1;
  std::string stop_failure;
  try {
    status = shop.server().stop(std::chrono::seconds(3));
  } catch (const std::exception& e) {
    stop_failure = e.what();
  }
  INFO("stop: " << stop_failure);
  CHECK(status == 0);
  CHECK(ms_between(signalled, Clock::now()) < 3000);
}

TEST_CASE("a rotated secret: two signatures, the new one first, for the grace period") {
  Shop shop;
  WebhookReceiver receiver;
  const Api api = shop.api();
  const json webhook = create_webhook(api, {{"url", receiver.url()}, {"events", {kRequested}}});
  const std::string first_secret = webhook["secret"];

  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);
  REQUIRE(receiver.wait_for_count(1));

  const HttpResponse rotated = api.post(webhook_path(webhook) + "/rotate-secret", json::object());
  REQUIRE_STATUS(rotated, 200);
  const json after = rotated.json()["webhook"];
  CHECK(after["id"] == webhook["id"]);
  CHECK(after["url"] == webhook["url"]);
  REQUIRE(matches(after["secret"], kSecret));
  const std::string second_secret = after["secret"];
  CHECK(second_secret != first_secret);
  CHECK(api.get(webhook_path(webhook)).body.find("whsec_") == std::string::npos);

  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "b@example.com")), 200);
  REQUIRE(receiver.wait_for_count(2));
  // Rotating again: the newest and the one before it sign; the first secret is retired.
  const std::string third_secret =
      api.post(webhook_path(webhook) + "/rotate-secret", json::object())
          .json()["webhook"]["secret"];
  CHECK(third_secret != second_secret);
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "c@example.com")), 200);
  REQUIRE(receiver.wait_for_count(3));

  const std::vector<ReceivedRequest> received = receiver.requests();
  REQUIRE(received.size() == 3);
  std::vector<std::string> digests = signatures(received[0]);
  REQUIRE(digests.size() == 1);
  CHECK(digests[0] == signed_with(first_secret, received[0]));

  digests = signatures(received[1]);
  REQUIRE(digests.size() == 2);
  CHECK(digests[0] == signed_with(second_secret, received[1]));
  CHECK(digests[1] == signed_with(first_secret, received[1]));

  digests = signatures(received[2]);
  REQUIRE(digests.size() == 2);
  CHECK(digests[0] == signed_with(third_secret, received[2]));
  CHECK(digests[1] == signed_with(second_secret, received[2]));
  CHECK(std::find(digests.begin(), digests.end(), signed_with(first_secret, received[2])) ==
        digests.end());
}

TEST_CASE("--webhooks-public-only refuses this machine and private networks") {
  WebhookReceiver receiver;
  Shop shop(serve_flags({}, /*public_only=*/true));
  Api api = shop.api();
  for (const std::string& url :
       {receiver.url(), std::string("http://localhost/"), std::string("http://LocalHost:8080/x"),
        std::string("http://app.localhost/"), std::string("http://10.0.0.1/"),
        std::string("http://172.16.5.4/"), std::string("http://192.168.1.10:3000/hook"),
        std::string("http://169.254.169.254/latest/meta-data"), std::string("http://100.64.0.1/"),
        std::string("http://0.0.0.0/"), std::string("http://[::1]:8080/"),
        std::string("http://[fd00::1]/"), std::string("http://[::ffff:127.0.0.1]/"),
        std::string("http://[::ffff:7f00:1]/"), std::string("http://[fe80::1]/"),
        std::string("http://[::]/"), std::string("http://[64:ff9b::a00:1]/"),
        std::string("HTTP://127.0.0.1/"), std::string("http://[2002:7f00:1::1]/"),
        std::string("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/")}) {
    INFO("url " << url);
    const HttpResponse r = api.post("/api/v1/webhooks", {{"url", url}});
    CHECK_ERROR(r, 400, "validation_failed");
    CHECK(detail_fields(r.json()) == std::vector<std::string>{"url"});
    CHECK(detail_code(r.json(), "url") == "private_address");
  }
  // Ports that no request can reach are no URL (issue 20 §7), public-only or not.
  for (const std::string& url : {std::string("https://hooks.shop.example:0/in"),
                                 std::string("https://hooks.shop.example:65536/in")}) {
    INFO("url " << url);
    const HttpResponse bad_port = api.post("/api/v1/webhooks", {{"url", url}});
    CHECK_ERROR(bad_port, 400, "validation_failed");
    CHECK(detail_code(bad_port.json(), "url") == "invalid_url");
  }
  const json public_one = create_webhook(api, {{"url", "https://hooks.shop.example/in"}});
  create_webhook(api, {{"url", "http://93.184.216.34/in"}});
  HttpResponse r = patch(api, webhook_path(public_one), {{"url", "http://10.0.0.1/"}});
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "url") == "private_address");

  // Without the flag the same URLs are accepted.
  shop.restart(serve_flags());
  api = shop.api();
  for (const std::string& url : {std::string("http://localhost/"), std::string("http://10.0.0.1/")})
    create_webhook(api, {{"url", url}});
  const json local = create_webhook(api, {{"url", receiver.url()}, {"events", {kRequested}}});
  // Public-only again: an endpoint created before is refused at delivery, where the address
  // connected to is checked, and nothing reaches it.
  shop.restart(serve_flags({}, /*public_only=*/true));
  api = shop.api();
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);
  const json d = wait_for_deliveries(
      api, local, [](const json& list) { return list.size() == 1 && list[0]["attempts"] >= 2; })[0];
  CHECK(d["status"] == "pending");
  for (const json& attempt : d["attemptLog"]) {
    INFO("attempt " << attempt.dump());
    CHECK(attempt["statusCode"] == nullptr);
    REQUIRE(attempt["error"].is_string());
    CHECK(attempt["error"].get<std::string>().find("refused") != std::string::npos);
  }
  CHECK(receiver.count() == 0);
}

TEST_CASE("--webhooks-public-only refuses loopback IPv4 literals in every spelling at creation") {
  // `http://127.1/`, `http://2130706433/` and `http://0x7f.0.0.1/` are 127.0.0.1 to browsers'
  // URL parser and to getaddrinfo; README: IP literals are refused at creation.
  Shop shop(serve_flags({}, /*public_only=*/true));
  const Api api = shop.api();
  for (const char* url : {"http://127.1/", "http://2130706433/", "http://0x7f000001/",
                          "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://10.1/"}) {
    INFO("url " << std::string(url));
    const HttpResponse r = api.post("/api/v1/webhooks", {{"url", url}});
    CHECK_STATUS(r, 400);
    CHECK(detail_code(r.json(), "url") == "private_address");
  }
}

TEST_CASE("an endpoint on an IPv6 literal URL gets its deliveries") {
  Shop shop;
  WebhookReceiver receiver("::1");
  const Api api = shop.api();
  const json webhook = create_webhook(api, {{"url", receiver.url()}, {"events", {kRequested}}});
  CHECK(webhook["url"] == "http://[::1]:" + std::to_string(receiver.port()) + "/hook");
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);
  const json d = wait_for_deliveries(api, webhook, [](const json& list) {
    return list.size() == 1 && (list[0]["status"] == "delivered" || list[0]["attempts"] >= 1);
  })[0];
  INFO("delivery " << d.dump());
  CHECK(d["status"] == "delivered");
  CHECK(receiver.count() == 1);
}
