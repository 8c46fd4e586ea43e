// The dashboard's server side (README "Dashboard"): sign-in with a one-time link from the real
// `stockbell dashboard-url`, the session cookie and its flags, CSRF on every change made with the
// cookie, expiry (idle, absolute, the link's 15 minutes, on a clock the test moves with
// STOCKBELL_TEST_CLOCK_FILE), sign-out, the stats routes and the CSV exports.

#include <chrono>
#include <fstream>
#include <sstream>

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

constexpr int64_t kHourMs = 3600 * 1000;

/// A link from the real CLI for `store`, as printed (one line).
std::string dashboard_link(const std::string& db, const std::string& store,
                           const std::string& base_url, const Environment& env = {}) {
  const RunResult r =
      run_stockbell({"dashboard-url", "--db", db, "--store", store, "--base-url", base_url}, env);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  std::string line = r.out;
  REQUIRE(!line.empty());
  REQUIRE(line.back() == '\n');
  line.pop_back();
  return line;
}

/// The path and query of a link printed for `base_url`.
std::string target_of(const std::string& link, const std::string& base_url) {
  REQUIRE(link.rfind(base_url, 0) == 0);
  return link.substr(base_url.size());
}

/// `stockbell_session=...` of a Set-Cookie header ("" when none).
std::string cookie_of(const HttpResponse& r) {
  const std::string set = r.header("Set-Cookie");
  return set.substr(0, set.find(';'));
}

/// Opens the link: the session cookie (`name=value`), checking the answer.
std::string sign_in(const Api& anonymous, const std::string& target) {
  const HttpResponse r = anonymous.get(target);
  REQUIRE_STATUS(r, 303);
  CHECK(r.header("Location") == "/dashboard");
  const std::string cookie = cookie_of(r);
  REQUIRE(cookie.rfind("stockbell_session=sbs_", 0) == 0);
  return cookie;
}

std::string csrf_of(const Api& anonymous, const std::string& cookie) {
  const HttpResponse r = anonymous.get("/api/v1/session", {{"Cookie", cookie}});
  REQUIRE_STATUS(r, 200);
  const std::string token = r.json()["session"]["csrfToken"];
  REQUIRE(token.size() == 64);
  return token;
}

/// A file the server's clock reads its offset from; `set(ms)` moves the clock.
struct TestClock {
  explicit TestClock(const TempDir& dir) : path(dir.file("clock")) { set(0); }
  void set(int64_t offset_ms) const { std::ofstream(path, std::ios::trunc) << offset_ms; }
  Environment env() const { return {{"STOCKBELL_TEST_CLOCK_FILE", path}}; }
  std::string path;
};

int64_t system_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::vector<std::string> csv_lines(const std::string& body) {
  std::vector<std::string> lines;
  for (size_t start = 0; start < body.size();) {
    const size_t end = body.find("\r\n", start);
    REQUIRE(end != std::string::npos);  // every row ends with CRLF
    lines.push_back(body.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

}  // namespace

TEST_CASE("the CLI's link signs in once: an HttpOnly, SameSite=Strict cookie, then a redirect") {
  TestServer s;
  const Api anonymous = s.api("");
  const std::string base = s.server.base_url();
  const std::string link = dashboard_link(s.db, "shop", base);
  CHECK(link.rfind(base + "/dashboard/sign-in?token=sbl_", 0) == 0);
  const std::string target = target_of(link, base);

  const HttpResponse r = anonymous.get(target);
  REQUIRE_STATUS(r, 303);
  CHECK(r.header("Location") == "/dashboard");
  const std::string set_cookie = r.header("Set-Cookie");
  INFO(set_cookie);
  CHECK(set_cookie.find("; HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("; SameSite=Strict") != std::string::npos);
  CHECK(set_cookie.find("; Path=/") != std::string::npos);
  CHECK(set_cookie.find("Secure") == std::string::npos);  // plain http: a Secure cookie is lost
  CHECK(r.header("Referrer-Policy") == "no-referrer");    // the token never leaks onwards

  // A second use of the same link is refused, and sets no cookie.
  const HttpResponse again = anonymous.get(target);
  CHECK_ERROR(again, 403, "forbidden");
  CHECK_FALSE(again.has_header("Set-Cookie"));
  CHECK_ERROR(anonymous.get("/dashboard/sign-in?token=sbl_made_up"), 403, "forbidden");
  CHECK_ERROR(anonymous.get("/dashboard/sign-in"), 403, "forbidden");

  // The cookie works as the store's secret key.
  const std::string cookie = cookie_of(r);
  const HttpResponse session = anonymous.get("/api/v1/session", {{"Cookie", cookie}});
  REQUIRE_STATUS(session, 200);
  CHECK(session.json()["session"]["store"] == "shop");
  CHECK_STATUS(anonymous.get("/api/v1/back-in-stock", {{"Cookie", cookie}}), 200);
  // An unknown store gets no link.
  const RunResult unknown =
      run_stockbell({"dashboard-url", "--db", s.db, "--store", "nope", "--base-url", base});
  CHECK(unknown.status == 1);
  CHECK(unknown.out.empty());
  CHECK(run_stockbell({"dashboard-url", "--db", s.db, "--store", "shop", "--base-url", "ftp://x"})
            .status == 2);
}

TEST_CASE("behind a trusted https proxy the cookie is Secure too") {
  TestServer s({"--trusted-proxies", "127.0.0.1/32"});
  const std::string base = "https://stock.example";
  const std::string target = target_of(dashboard_link(s.db, "shop", base), base);
  const HttpResponse r = s.api("").get(target, {{"X-Forwarded-Proto", "https"}});
  REQUIRE_STATUS(r, 303);
  CHECK(r.header("Set-Cookie").find("; Secure") != std::string::npos);
}

TEST_CASE("changes made with the cookie need the session's CSRF token; keys keep working") {
  TestServer s;
  const Api api = s.api();
  const Api anonymous = s.api("");
  const HttpResponse one =
      api.register_request(request_body("P-1", std::nullopt, "a@shop.example"));
  const HttpResponse two =
      api.register_request(request_body("P-1", std::nullopt, "b@shop.example"));
  REQUIRE_STATUS(one, 200);
  REQUIRE_STATUS(two, 200);
  const std::string base = s.server.base_url();
  const std::string cookie =
      sign_in(anonymous, target_of(dashboard_link(s.db, "shop", base), base));
  const std::string csrf = csrf_of(anonymous, cookie);
  const std::string cancel = "/api/v1/back-in-stock/" + one.json()["requestId"].get<std::string>();

  // A foreign page can make the browser send the cookie, but not the token.
  CHECK_ERROR(anonymous.del(cancel, {{"Cookie", cookie}}), 403, "forbidden");
  CHECK_ERROR(anonymous.del(cancel, {{"Cookie", cookie}, {"X-CSRF-Token", std::string(64, '0')}}),
              403, "forbidden");
  CHECK_ERROR(anonymous.send("PATCH", "/api/v1/settings", R"({"storeName":"x"})",
                             {{"Cookie", cookie}}, "application/json"),
              403, "forbidden");
  // Nothing changed.
  CHECK(api.get("/api/v1/back-in-stock?status=waiting").json()["pagination"]["total"] == 2);
  CHECK(api.get("/api/v1/settings").json()["settings"]["storeName"].is_null());

  // With the token the change is made.
  const HttpResponse cancelled =
      anonymous.del(cancel, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  REQUIRE_STATUS(cancelled, 200);
  CHECK(cancelled.json()["request"]["status"] == "cancelled");
  CHECK_STATUS(anonymous.send("PATCH", "/api/v1/settings", R"({"storeName":"Linen"})",
                              {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, "application/json"),
               200);
  // A key still works, and wins over a cookie sent with it (no CSRF token needed).
  CHECK_STATUS(api.get("/api/v1/back-in-stock"), 200);
  const std::string second = "/api/v1/back-in-stock/" + two.json()["requestId"].get<std::string>();
  CHECK_STATUS(api.del(second, {{"Cookie", cookie}}), 200);
  // Another session's token does not fit this session.
  const std::string other = sign_in(anonymous, target_of(dashboard_link(s.db, "shop", base), base));
  CHECK_ERROR(anonymous.send("PATCH", "/api/v1/settings", R"({"storeName":"Other"})",
                             {{"Cookie", other}, {"X-CSRF-Token", csrf}}, "application/json"),
              403, "forbidden");

  // Sign-out ends the session (it needs the token too) and clears the cookie.
  CHECK_ERROR(anonymous.del("/api/v1/session", {{"Cookie", cookie}}), 403, "forbidden");
  const HttpResponse out =
      anonymous.del("/api/v1/session", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  REQUIRE_STATUS(out, 200);
  CHECK(out.header("Set-Cookie").find("Max-Age=0") != std::string::npos);
  CHECK_ERROR(anonymous.get("/api/v1/back-in-stock", {{"Cookie", cookie}}), 401, "unauthorized");
  CHECK_STATUS(anonymous.get("/api/v1/back-in-stock", {{"Cookie", other}}), 200);  // others live
  CHECK_ERROR(anonymous.get("/api/v1/back-in-stock", {{"Cookie", "stockbell_session=sbs_forged"}}),
              401, "unauthorized");
}

TEST_CASE("links last 15 minutes; sessions end after 12 idle hours, and 7 days after sign-in") {
  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  create_key(db, "shop", "secret");
  const TestClock clock(dir);
  ServerProcess server(
      ServerProcess::Options{{"--db", db, "--port", "0"}, clock.env(), db + ".stderr"});
  const Api anonymous(server.host(), server.port());
  const std::string base = server.base_url();
  const auto link = [&] { return target_of(dashboard_link(db, "shop", base, clock.env()), base); };
  const auto works = [&](const std::string& cookie) {
    return anonymous.get("/api/v1/back-in-stock", {{"Cookie", cookie}}).status == 200;
  };

  // The link: fine at 14 minutes, refused at 15.
  const std::string late = link();
  const std::string in_time = link();
  clock.set(14 * 60 * 1000);
  sign_in(anonymous, in_time);
  clock.set(15 * 60 * 1000 + 1000);
  CHECK_ERROR(anonymous.get(late), 403, "forbidden");

  // Idle: each use within 12 hours keeps it; 12 hours without one ends it.
  clock.set(0);
  const std::string idle = sign_in(anonymous, link());
  clock.set(11 * kHourMs);
  CHECK(works(idle));
  clock.set(22 * kHourMs);
  CHECK(works(idle));
  clock.set(34 * kHourMs + 60 * 1000);
  CHECK_FALSE(works(idle));
  CHECK_ERROR(anonymous.get("/api/v1/back-in-stock", {{"Cookie", idle}}), 401, "unauthorized");

  // Absolute: used every 10 hours, it still ends 7 days after sign-in.
  clock.set(0);
  const std::string week = sign_in(anonymous, link());
  int64_t at = 0;
  for (at = 10 * kHourMs; at < 7 * 24 * kHourMs; at += 10 * kHourMs) {
    clock.set(at);
    INFO("at " << at / kHourMs << " h");
    REQUIRE(works(week));
  }
  clock.set(7 * 24 * kHourMs - 60 * 1000);
  CHECK(works(week));
  clock.set(7 * 24 * kHourMs + 60 * 1000);
  CHECK_FALSE(works(week));
  CHECK(server.stop() == 0);
}

TEST_CASE("stats/demand ranks what shoppers wait for; CSV exports are RFC 4180 and defused") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(
      api.upsert(json::array({{{"productId", "SHIRT"},
                               {"title", "=HYPERLINK(\"http://evil.example\",\"Linen, shirt\")"},
                               {"variants",
                                {{{"variantId", "SHIRT-M"}, {"title", "M"}, {"inStock", false}},
                                 {{"variantId", "SHIRT-L"}, {"title", "L"}, {"inStock", false}}}}},
                              {{"productId", "MUG"}, {"title", "Mug"}, {"inStock", false}}})),
      200);
  const auto wait = [&](const std::string& product, const std::optional<std::string>& variant,
                        const std::string& email) {
    const HttpResponse r = api.register_request(request_body(product, variant, email));
    REQUIRE_STATUS(r, 200);
    return r.json()["requestId"].get<std::string>();
  };
  wait("SHIRT", "SHIRT-M", "a@shop.example");
  wait("MUG", std::nullopt, "a@shop.example");
  const std::string cancel_me = wait("SHIRT", "SHIRT-M", "b@shop.example");
  wait("SHIRT", "SHIRT-M", "c@shop.example");
  wait("GHOST", std::nullopt, "a@shop.example");  // not in the catalog: the request's title
  json titled = request_body("GHOST", std::nullopt, "b@shop.example");
  titled["productTitle"] = "Ghost hoodie";
  REQUIRE_STATUS(api.register_request(titled), 200);
  wait("SHIRT", "SHIRT-L", "d@shop.example");

  json demand = api.get("/api/v1/stats/demand").json();
  INFO(demand.dump());
  REQUIRE(demand["demand"].size() == 4);
  CHECK(demand["waitingTotal"] == 7);
  CHECK(demand["pagination"]["total"] == 4);
  CHECK(demand["demand"][0]["variantId"] == "SHIRT-M");
  CHECK(demand["demand"][0]["waiting"] == 3);
  CHECK(demand["demand"][0]["variantTitle"] == "M");
  CHECK(demand["demand"][0]["stock"] == "out_of_stock");
  CHECK(demand["demand"][1]["productId"] == "GHOST");
  CHECK(demand["demand"][1]["stock"] == "unknown");
  CHECK(demand["demand"][1]["productTitle"] == "Ghost hoodie");
  // Ties: the oldest wait first (MUG's request came before SHIRT-L's).
  CHECK(demand["demand"][2]["productId"] == "MUG");
  CHECK(demand["demand"][3]["variantId"] == "SHIRT-L");

  // A cancel, and a restock, move the counters; the restocked target leaves the ranking.
  REQUIRE_STATUS(api.del("/api/v1/back-in-stock/" + cancel_me), 200);
  REQUIRE_STATUS(
      api.upsert(json::array({{{"productId", "MUG"}, {"title", "Mug"}, {"inStock", true}}})), 200);
  demand = api.get("/api/v1/stats/demand?limit=2").json();
  REQUIRE(demand["demand"].size() == 2);
  CHECK(demand["waitingTotal"] == 5);
  CHECK(demand["pagination"]["total"] == 3);
  CHECK(demand["demand"][0]["variantId"] == "SHIRT-M");
  CHECK(demand["demand"][0]["waiting"] == 2);
  CHECK(demand["demand"][1]["productId"] == "GHOST");  // 2 waiting, and older than SHIRT-M's second
  const json third = api.get("/api/v1/stats/demand?limit=2&offset=2").json();
  REQUIRE(third["demand"].size() == 1);
  CHECK(third["demand"][0]["variantId"] == "SHIRT-L");
  CHECK_ERROR(api.get("/api/v1/stats/demand?format=xml"), 400, "validation_failed");

  // The demand as CSV: the title's formula is text, its comma and quotes are quoted.
  const HttpResponse csv = api.get("/api/v1/stats/demand?format=csv");
  REQUIRE_STATUS(csv, 200);
  CHECK(csv.media_type() == "text/csv");
  CHECK(csv.header("Content-Disposition").find("demand.csv") != std::string::npos);
  const std::vector<std::string> lines = csv_lines(csv.body);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] ==
        "productId,variantId,productTitle,variantTitle,waiting,oldestWaitingAt,stock,"
        "notifiedLast30Days");
  CHECK(lines[1].rfind("SHIRT,SHIRT-M,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Linen, "
                       "shirt\"\")\",M,2,",
                       0) == 0);
  CHECK(lines[1].substr(lines[1].size() - 15) == ",out_of_stock,0");
  CHECK(lines[2].rfind("GHOST,GHOST,Ghost hoodie,,2,", 0) == 0);

  // The MUG restock shows in its notified count while it waits no more; in the timeline too.
  const json timeline = api.get("/api/v1/stats/timeline?days=7").json()["timeline"];
  INFO(timeline.dump());
  CHECK(timeline["timeZone"] == "UTC");
  REQUIRE(timeline["series"].size() == 7);
  const json& today = timeline["series"][6];
  CHECK(today["requested"] == 7);
  CHECK(today["notified"] == 1);
  CHECK(today["cancelled"] == 1);
  CHECK(today["expired"] == 0);
  CHECK(today["mailsSent"] == 0);
  CHECK(timeline["series"][0]["requested"] == 0);
  CHECK_ERROR(api.get("/api/v1/stats/timeline?days=0"), 400, "validation_failed");
  CHECK_ERROR(api.get("/api/v1/stats/timeline?days=366"), 400, "validation_failed");
}

TEST_CASE("the requests CSV streams every match, in chunks, with the list's filters") {
  TestServer s;
  const Api api = s.api();
  constexpr int kRequests = 520;  // more than one chunk (500 rows)
  for (int i = 0; i < kRequests; ++i) {
    json body = request_body("P-" + std::to_string(i % 3), std::nullopt,
                             "shopper" + std::to_string(i) + "@shop.example");
    body["productTitle"] = i == 0 ? "+1 \"quoted\", =evil" : "Plain";
    REQUIRE_STATUS(api.register_request(body), 200);
  }
  const HttpResponse all = api.get("/api/v1/back-in-stock?format=csv&limit=5");
  REQUIRE_STATUS(all, 200);
  CHECK(all.media_type() == "text/csv");
  CHECK(all.header("Transfer-Encoding") == "chunked");  // streamed, not buffered whole
  const std::vector<std::string> lines = csv_lines(all.body);
  REQUIRE(lines.size() == kRequests + 1);  // every request, whatever limit says
  CHECK(lines[0] ==
        "id,email,productId,variantId,productTitle,variantTitle,status,createdAt,notifiedAt,"
        "cancelledAt");
  // Newest first: the first request is the last row.
  CHECK(
      lines.back().find(",shopper0@shop.example,P-0,P-0,\"'+1 \"\"quoted\"\", =evil\",,waiting,") !=
      std::string::npos);
  const HttpResponse some = api.get("/api/v1/back-in-stock?format=csv&productId=P-1");
  REQUIRE_STATUS(some, 200);
  CHECK(csv_lines(some.body).size() == kRequests / 3 + 1);
  CHECK_ERROR(api.get("/api/v1/back-in-stock?format=pdf"), 400, "validation_failed");
}

TEST_CASE("timeline days follow the store's time zone; timeZone is validated") {
  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  const std::string key = create_key(db, "shop", "secret");
  const TestClock clock(dir);
  // The server lives at 2026-06-15T22:30:00Z: still the 15th in UTC, the 16th in Berlin (UTC+2).
  clock.set(1781562600000 - system_now_ms());
  ServerProcess server(
      ServerProcess::Options{{"--db", db, "--port", "0"}, clock.env(), db + ".stderr"});
  const Api api(server.host(), server.port(), key);
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@shop.example")), 200);

  json timeline = api.get("/api/v1/stats/timeline?days=2").json()["timeline"];
  INFO(timeline.dump());
  CHECK(timeline["series"][1]["date"] == "2026-06-15");
  CHECK(timeline["series"][1]["requested"] == 1);

  const auto patch = [&](const std::string& body) {
    return api.send("PATCH", "/api/v1/settings", body, {}, "application/json");
  };
  REQUIRE_STATUS(patch(R"({"timeZone":"Europe/Berlin"})"), 200);
  timeline = api.get("/api/v1/stats/timeline?days=2").json()["timeline"];
  CHECK(timeline["timeZone"] == "Europe/Berlin");
  CHECK(timeline["series"][0]["date"] == "2026-06-15");
  CHECK(timeline["series"][1]["date"] == "2026-06-16");
  CHECK(timeline["series"][1]["requested"] == 1);
  CHECK(timeline["series"][0]["requested"] == 0);
  // New York (UTC-4): 18:30 on the 15th.
  REQUIRE_STATUS(patch(R"({"timeZone":"America/New_York"})"), 200);
  timeline = api.get("/api/v1/stats/timeline?days=1").json()["timeline"];
  CHECK(timeline["series"][0]["date"] == "2026-06-15");
  CHECK(timeline["series"][0]["requested"] == 1);

  for (const char* bad : {R"({"timeZone":"Europe/Atlantis"})", R"({"timeZone":"../../etc/passwd"})",
                          R"({"timeZone":"zone.tab"})"}) {
    const HttpResponse r = patch(bad);
    INFO(bad << " → " << r.body);
    CHECK_ERROR(r, 400, "validation_failed");
    CHECK(detail_code(r.json(), "timeZone") == "invalid_time_zone");
  }
  CHECK(api.get("/api/v1/settings").json()["settings"]["timeZone"] == "America/New_York");
  CHECK(server.stop() == 0);
}
