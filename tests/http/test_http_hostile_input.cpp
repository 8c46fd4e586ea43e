// Hostile input: malformed, oversized, mis-declared and plainly malicious requests against the
// real server. For each one, where an HTTP answer is possible, a clean 4xx in the error envelope
// of README: API / Errors (Content-Type application/json, `success: false`, a code); for raw
// bytes that are not HTTP, a 400 or a closed connection; never a crash (GET /healthz after every
// group), and the stored data unchanged (the products, requests, events and webhooks read before
// and after every group are identical).
//
// The plain requests (a method, a target, headers and a body) are data: tests/vectors/
// hostile_http.json, run by the first test case below; its size is checked (>= 300). What stays
// here in C++ is what that format cannot say:
//   - bytes that are not HTTP, broken or ambiguous framing (chunked, Content-Length mismatches,
//     HTTP/1.0, pipelining) and methods httplib's client would not send as given: they need a raw
//     socket, and their right answer is "any 4xx, or a closed connection";
//   - waiting, slow senders and huge heads: they are about timing and the read timeout;
//   - stored data that must come back intact (SQL- and script-looking text), response headers
//     that must not be forged (CR/LF) and the request log: the checks are not an error answer.
//
// Where the limits are enforced (the connection front, server/http/connection.cpp, which reads
// every request before cpp-httplib 0.11.4 parses it; httplib; this server's own checks), as these
// tests and tests/http/test_http_transport.cpp measure them:
//   - head over 64 KiB without its blank line  the front: 431
//   - request line over 8192 bytes ........ httplib: 414, enveloped by the error handler
//   - one header line of 8192 bytes or more  httplib: 400
//   - more than 100 header lines ........... the pre-routing handler (see "absurd header counts")
//   - Content-Length not one decimal number, different Content-Lengths, Content-Length with
//     Transfer-Encoding, a Transfer-Encoding other than `chunked` alone: the front: 400, closed
//   - Content-Length over 1 MiB ............ the front: 413 from the head, the body unread
//   - chunked body over 1 MiB .............. the front: 413 while reading
//   - any Content-Encoding but identity .... the front: 415, the body unread (never inflated)
//   - a refused key with a body ............ the front: 401/403 from the head
//   - body over 64 KiB (back-in-stock), over 16 KiB (webhooks): the route (accept_json_body): 413
//   - application/x-www-form-urlencoded of any size: relabelled before httplib parses it, so the
//     route answers 415 (httplib alone says 413 over 8192 bytes; the corpus group
//     "form-encoded bodies over 8 KiB")
//   - JSON depth 20, duplicate keys, invalid UTF-8, unpaired surrogates: core/json.cpp: 400
//     invalid_json; numbers out of range, control characters, lengths: core's field readers: 400
//     validation_failed with every problem (at most 1000) by field path
//   - a head within 5 s of its first byte, a body within 30 s, no read stalled over 5 s: the
//     front: 408, closed (see "a slow sender")
//   - keep-alive idle timeout 5 s .......... the front: closed

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <regex>
#include <thread>

#include "hostile_support.hpp"
#include "http_checks.hpp"

using namespace stockbell::testing;
using namespace stockbell::testing::hostile;

namespace {

using Clock = std::chrono::steady_clock;

const char* kShop = "https://shop.example";
const char* kRequestRoute = "/api/v1/back-in-stock";
const char* kUpsertRoute = "/api/v1/products";

/// A string literal with its embedded NUL bytes: raw("a\0b") has 3 bytes.
template <size_t N>
std::string raw(const char (&text)[N]) {
  return std::string(text, N - 1);
}

// ---- the stored data that must not change -------------------------------------------------

json snapshot(const Api& api) {
  json s = store_snapshot(api);
  const HttpResponse hooks = api.get("/api/v1/webhooks");
  REQUIRE_STATUS(hooks, 200);
  s["webhooks"] = hooks.json()["webhooks"];
  return s;
}

// A store with something in every table: a catalog (one variant back in stock), waiting and
// notified requests, their events, a webhook and its deliveries.
void seed(const Api& api) {
  REQUIRE_STATUS(api.post("/api/v1/webhooks", {{"url", "http://127.0.0.1:9/never"}}), 200);
  REQUIRE_STATUS(api.upsert(json::array(
                     {{{"productId", "SKU-1"},
                       {"title", "Shirt"},
                       {"variants",
                        {{{"variantId", "SKU-1-M"}, {"title", "M"}, {"inventoryQuantity", 0}},
                         {{"variantId", "SKU-1-L"}, {"title", "L"}, {"inventoryQuantity", 0}}}}},
                      {{"productId", "SKU-2"}, {"title", "Hat"}, {"inStock", false}}})),
                 200);
  REQUIRE_STATUS(api.register_request(request_body("SKU-1", "SKU-1-M", "ann@example.com")), 200);
  REQUIRE_STATUS(api.register_request(request_body("SKU-1", "SKU-1-L", "bob@example.com")), 200);
  REQUIRE_STATUS(api.register_request(request_body("SKU-2", std::nullopt, "cy@example.com")), 200);
  const HttpResponse push = api.upsert(
      json::array({{{"productId", "SKU-1"},
                    {"title", "Shirt"},
                    {"variants",
                     {{{"variantId", "SKU-1-M"}, {"title", "M"}, {"inventoryQuantity", 4}},
                      {{"variantId", "SKU-1-L"}, {"title", "L"}, {"inventoryQuantity", 0}}}}}}));
  REQUIRE_STATUS(push, 200);
  REQUIRE(push.json()["backInStockEventsTriggered"] == 1);
}

// Healthy, and the same data as `before`; on a difference, reports it as a JSON patch and takes
// the new state as the baseline, so the next batch is judged on its own.
void check_alive_and_unchanged(const Api& api, json& before, const std::string& batch) {
  INFO("after the batch '" << batch << "'");
  const HttpResponse health = api.get("/healthz");
  REQUIRE_STATUS(health, 200);
  CHECK(health.json()["status"] == "ok");
  json after = snapshot(api);
  const json patch = json::diff(before, after);
  CHECK_MESSAGE(patch.empty(), "stored data changed: " << patch.dump().substr(0, 2000));
  before = std::move(after);
}

// ---- the corpus: tests/vectors/hostile_http.json -------------------------------------------

// Every hostile request that is a plain HTTP request (method, target, headers, body) is a case
// of tests/vectors/hostile_http.json (the format: tests/vectors/README.md); its bodies also seed
// the fuzzers (tests/fuzz/CMakeLists.txt). Found from this file: the http test executable has
// no data path of its own.
std::string corpus_path() {
  return (std::filesystem::path(__FILE__).parent_path().parent_path() / "vectors" /
          "hostile_http.json")
      .string();
}

// The answer to one case: a 4xx in the error envelope (README: API / Errors) with the code and
// details the case expects.
void check_case(const Api& api, const HostileCase& c) {
  INFO("case: " << c.name << " (" << c.method << " " << c.target.substr(0, 120) << ", "
                << c.body.size() << " bytes)");
  const HttpResponse r = api.send(c.method, c.target, c.body, c.headers);
  INFO("answer: " << r.status << " " << r.body.substr(0, 400) << r.error);
  CHECK(r.status == c.status);
  CHECK(r.media_type() == "application/json");
  const json body = json::parse(r.body, nullptr, false);  // also proves the answer is UTF-8
  REQUIRE(body.is_object());
  CHECK(body.value("success", true) == false);
  CHECK(std::find(c.codes.begin(), c.codes.end(), body.value("code", "")) != c.codes.end());
  CHECK(!body.value("error", "").empty());
  if (!c.field.empty()) {
    const std::vector<std::string> fields = detail_fields(body);
    CHECK(std::find(fields.begin(), fields.end(), c.field) != fields.end());
    if (!c.field_code.empty()) CHECK(detail_code(body, c.field) == c.field_code);
  }
  if (body.contains("details")) {
    REQUIRE(body["details"].is_array());
    CHECK(body["details"].size() <= 1000);
    for (const json& d : body["details"]) {
      CHECK(d["field"].is_string());
      CHECK(d["code"].is_string());
      CHECK(d["message"].is_string());
    }
  }
  if (c.detail_count > 0) {
    REQUIRE(body.contains("details"));
    CHECK(body["details"].size() == c.detail_count);
    for (const json& d : body["details"]) CHECK(d["code"] == c.detail_code);
  }
}

// Replaces every `{webhookId}` in a case's target.
std::string resolve_target(std::string target, const std::string& webhook_id) {
  const std::string placeholder = "{webhookId}";
  for (size_t at = target.find(placeholder); at != std::string::npos;
       at = target.find(placeholder, at))
    target.replace(at, placeholder.size(), webhook_id);
  return target;
}

// ---- raw sockets --------------------------------------------------------------------------

struct RawCase {
  std::string name;
  std::string bytes;
};

// Sends `bytes`, closes our side, and checks the server either answers a 4xx in the envelope
// or closes the connection.
void check_raw_refused(const ServerProcess& server, const RawCase& c) {
  INFO("raw case: " << c.name);
  RawConnection conn(server.host(), server.port());
  conn.send(c.bytes);
  conn.shutdown_write();
  const RawResponse r = conn.read_response(5s);
  if (r.status == 0) {
    CHECK(conn.wait_closed(5s));
    return;
  }
  INFO("answer: " << r.status_line << " " << r.body.substr(0, 300));
  CHECK(r.status >= 400);
  CHECK(r.status < 500);
  CHECK(r.media_type() == "application/json");
  const json body = json::parse(r.body, nullptr, false);
  REQUIRE(body.is_object());
  CHECK(body.value("success", true) == false);
  CHECK(!body.value("code", "").empty());
}

std::string request_head(const std::string& request_line, const std::string& key,
                         const std::string& extra = {}) {
  return request_line + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key + "\r\n" + extra;
}

std::string post_head(const std::string& route, const std::string& key, const std::string& extra) {
  return request_head("POST " + route + " HTTP/1.1", key,
                      "Content-Type: application/json\r\n" + extra);
}

bool all_of_log_lines_well_formed(const std::string& log, size_t requests, std::string& bad) {
  std::istringstream in(log);
  std::string line;
  size_t count = 0;
  const std::regex request_line("[A-Z]+ /[^\r\n]* [0-9]{3} [0-9]+\\.[0-9]{3}ms [0-9a-f]{32}");
  while (std::getline(in, line)) {
    if (line.rfind("stockbell", 0) == 0) continue;  // the server's own notices
    ++count;
    if (!std::regex_match(line, request_line)) bad += "[" + line + "] ";
  }
  if (count != requests)
    bad += "(" + std::to_string(count) + " lines for " + std::to_string(requests) + " requests)";
  return bad.empty();
}

}  // namespace

TEST_CASE("the corpus: every malformed or hostile request gets a clean 4xx, and nothing changes") {
  const std::vector<HostileCase> corpus = load_hostile_cases(corpus_path());
  TestServer s;
  const Api api = s.api();
  seed(api);
  const std::string webhook_id = api.get("/api/v1/webhooks").json()["webhooks"][0]["id"];
  json before = snapshot(api);
  REQUIRE(before["events"].size() == 4);
  // A publishable key only when a case asks for one.
  std::string publishable;
  const auto client = [&](const std::string& key) {
    if (key == "none") return api.with_key("");
    if (key == "secret") return api;
    if (publishable.empty()) publishable = s.create_key("shop", "publishable");
    return api.with_key(publishable);
  };

  size_t groups = 0;
  for (size_t i = 0; i < corpus.size(); ++i) {
    HostileCase c = corpus[i];
    c.target = resolve_target(c.target, webhook_id);
    check_case(client(c.key), c);
    // After each run of cases of one group: alive, and the stored data as it was.
    if (i + 1 == corpus.size() || corpus[i + 1].group != c.group) {
      check_alive_and_unchanged(api, before, c.group);
      ++groups;
    }
  }
  MESSAGE("hostile corpus: " << corpus.size() << " requests in " << groups << " groups");
  CHECK(corpus.size() >= 300);
}

// Not in the data file: these bytes are no HTTP request httplib's client would send, and the
// right answer is any 4xx or a closed connection.
TEST_CASE("bytes that are not HTTP: answered 400 or closed, and the server carries on") {
  TestServer s;
  const Api api = s.api();
  seed(api);
  json before = snapshot(api);
  const std::string key = s.secret;
  const std::vector<RawCase> garbage = {
      {"binary noise", raw("\x00\xFF\x13\x37garbage\r\n\r\n")},
      {"a TLS ClientHello",
       raw("\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03") + std::string(200, '\xAB')},
      {"the HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"},
      {"HTTP/0.9", "GET /\r\n"},
      {"no version", "GET /healthz\r\nHost: x\r\n\r\n"},
      {"HTTP/1.2", "GET /healthz HTTP/1.2\r\nHost: x\r\n\r\n"},
      {"HTTP/9.9", "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n"},
      {"a lower-case method", "get /healthz HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"a NUL in the request line", raw("GET /hea\0lthz HTTP/1.1\r\nHost: x\r\n\r\n")},
      {"LF-only line ends", "GET /healthz HTTP/1.1\nHost: x\n\n"},
      {"blank lines only", "\r\n\r\n\r\n\r\n"},
      {"four words in the request line", "GET /healthz extra HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"a request line of 10 000 bytes",
       "GET /" + std::string(10000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"a header line of 8192 bytes",
       "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8192, 'b') + "\r\n\r\n"},
      {"a header line of 1 MB",
       "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(1000000, 'b') + "\r\n\r\n"},
      {"a broken chunk size",
       post_head(kRequestRoute, key, "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")},
      {"a chunk longer than declared",
       post_head(kRequestRoute, key, "Transfer-Encoding: chunked\r\n\r\n2\r\n{}}}}}\r\n0\r\n\r\n")},
      {"Transfer-Encoding gzip, chunked",
       post_head(kRequestRoute, key,
                 "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")},
      {"Content-Encoding gzip that is not gzip",
       post_head(kRequestRoute, key, "Content-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}")},
      {"Content-Length not a number",
       post_head(kRequestRoute, key, "Content-Length: abc\r\n\r\n{}")},
      {"Content-Length with a sign", post_head(kRequestRoute, key, "Content-Length: +2\r\n\r\n{}")},
      {"Content-Length with two values",
       post_head(kRequestRoute, key, "Content-Length: 2, 2\r\n\r\n{}")},
  };
  for (const RawCase& c : garbage) check_raw_refused(s.server, c);
  check_alive_and_unchanged(api, before, "garbage bytes");

  // Methods the API does not know: a 4xx in the envelope (httplib refuses unknown ones itself;
  // which 4xx is its choice, so these stay here rather than in the data file).
  for (const char* method : {"PROPFIND", "MKCOL", "FOO", "TRACE", "CONNECT"}) {
    INFO("method " << method);
    RawConnection conn(s.server.host(), s.server.port());
    conn.send(request_head(std::string(method) + " /api/v1/products HTTP/1.1", key,
                           "Connection: close\r\n\r\n"));
    const RawResponse r = conn.read_response(5s);
    INFO(r.status_line << " " << r.body);
    CHECK(r.status >= 400);
    CHECK(r.status < 500);
    CHECK(r.media_type() == "application/json");
    CHECK(json::parse(r.body, nullptr, false).value("success", true) == false);
  }
  check_alive_and_unchanged(api, before, "unknown methods");
}

TEST_CASE("HTTP/1.0, chunked bodies and Content-Length mismatches") {
  TestServer s;
  const Api api = s.api();
  seed(api);
  json before = snapshot(api);
  const std::string key = s.secret;

  SUBCASE("HTTP/1.0: answered, then the connection closes") {
    RawConnection conn(s.server.host(), s.server.port());
    conn.send("GET /healthz HTTP/1.0\r\n\r\n");
    const RawResponse r = conn.read_response(5s);
    CHECK(r.status == 200);
    CHECK(conn.wait_closed(2s));
    RawConnection post(s.server.host(), s.server.port());
    const std::string body = "{\"productId\":";
    post.send(request_head("POST /api/v1/back-in-stock HTTP/1.0", key,
                           "Content-Type: application/json\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\n\r\n" + body));
    const RawResponse bad = post.read_response(5s);
    CHECK(bad.status == 400);
    CHECK(json::parse(bad.body, nullptr, false).value("code", "") == "invalid_json");
    CHECK(post.wait_closed(2s));
  }

  SUBCASE("chunked bodies over the limits are 413") {
    struct Over {
      const char* route;
      size_t size;
    };
    for (const Over& o :
         {Over{kUpsertRoute, 1024 * 1024 + 1}, Over{kUpsertRoute, 4 * 1024 * 1024},
          Over{kRequestRoute, 64 * 1024 + 1}, Over{kRequestRoute, 2 * 1024 * 1024}}) {
      INFO(std::string(o.route) << " chunked, " << o.size << " bytes");
      const std::string body = std::string(o.size - 2, ' ') + "{}";
      std::string wire = post_head(o.route, key, "Transfer-Encoding: chunked\r\n\r\n");
      for (size_t at = 0; at < body.size(); at += 65536) {
        const std::string chunk = body.substr(at, 65536);
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
        wire += size + chunk + "\r\n";
      }
      wire += "0\r\n\r\n";
      RawConnection conn(s.server.host(), s.server.port());
      // The server may answer and close before reading everything: send from another thread
      // and read meanwhile, so the answer is not lost to the reset.
      std::thread sender([&] { conn.send(wire); });
      const RawResponse r = conn.read_response(10s);
      sender.join();
      CHECK(r.status == 413);
      CHECK(r.media_type() == "application/json");
      CHECK(json::parse(r.body, nullptr, false).value("code", "") == "payload_too_large");
    }
  }

  SUBCASE("a body longer than its Content-Length: the rest is not a second request") {
    const std::string body = request_body("SKU-9", std::nullopt, "long@example.com").dump();
    RawConnection conn(s.server.host(), s.server.port());
    conn.send(post_head(kRequestRoute, key, "Content-Length: 10\r\n\r\n" + body));
    const RawResponse first = conn.read_response(5s);
    CHECK(first.status == 400);  // the first 10 bytes are truncated JSON
    CHECK(json::parse(first.body, nullptr, false).value("code", "") == "invalid_json");
    const RawResponse second = conn.read_response(1s);
    if (second.status != 0) CHECK(second.status == 400);
    CHECK(api.get("/api/v1/back-in-stock?email=long%40example.com").json()["requests"].empty());
  }

  SUBCASE("a body shorter than its Content-Length, then end of input") {
    RawConnection conn(s.server.host(), s.server.port());
    conn.send(post_head(kRequestRoute, key, "Content-Length: 500\r\n\r\n{\"productId\":\"SKU-9\""));
    conn.shutdown_write();
    const RawResponse r = conn.read_response(5s);
    if (r.status != 0)
      CHECK(r.status == 400);
    else
      CHECK(conn.wait_closed(5s));
  }

  SUBCASE("waiting for bytes that never come ends within the read timeout") {
    // Each in its own thread: they all wait out the same 5 s.
    struct Waiting {
      std::string name;
      std::string bytes;
    };
    const std::vector<Waiting> waits = {
        {"a body shorter than its Content-Length",
         post_head(kRequestRoute, key, "Content-Length: 500\r\n\r\n{\"productId\":")},
        {"a Content-Length of 10 GB and no body",
         post_head(kUpsertRoute, key, "Content-Length: 10737418240\r\n\r\n")},
        {"a Content-Length of 2^64 + 1",
         post_head(kUpsertRoute, key, "Content-Length: 18446744073709551617\r\n\r\n")},
        {"a chunked body that stops",
         post_head(kRequestRoute, key, "Transfer-Encoding: chunked\r\n\r\n10\r\n{\"a\"")},
        {"a head without its blank line", request_head("GET /healthz HTTP/1.1", key)},
    };
    std::vector<std::string> outcomes(waits.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < waits.size(); ++i) {
      threads.emplace_back([&, i] {
        RawConnection conn(s.server.host(), s.server.port());
        conn.send(waits[i].bytes);
        const auto start = Clock::now();
        const RawResponse r = conn.read_response(8s);
        const bool closed = r.status != 0 || conn.wait_closed(std::chrono::milliseconds(
                                                 std::max<int64_t>(0, 8000 - r.elapsed.count())));
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
        outcomes[i] = std::to_string(r.status) + (closed ? " closed" : " open") + " after " +
                      std::to_string(ms) + " ms";
        if ((r.status == 0 && !closed) || (r.status != 0 && (r.status < 400 || r.status >= 500)) ||
            ms > 7000)
          outcomes[i] = "BAD: " + outcomes[i] + " " + r.body;
      });
    }
    // Meanwhile others are served at once.
    for (int i = 0; i < 5; ++i) {
      const auto start = Clock::now();
      CHECK_STATUS(api.get("/healthz"), 200);
      CHECK(Clock::now() - start < 1s);
      std::this_thread::sleep_for(300ms);
    }
    for (std::thread& t : threads) t.join();
    for (size_t i = 0; i < waits.size(); ++i) {
      INFO(waits[i].name << ": " << outcomes[i]);
      CHECK(outcomes[i].rfind("BAD", 0) != 0);
    }
  }
  check_alive_and_unchanged(api, before, "transfer framing");
}

// RFC 9112 §6.1 and §6.3: a request with both Transfer-Encoding and Content-Length, or with
// Content-Length values that disagree, has no trustworthy framing; behind a proxy that reads it
// the other way, it smuggles a second request. The server must refuse it (400) or at least
// close the connection after answering.
TEST_CASE("ambiguous framing is refused or ends the connection") {
  TestServer s;
  const Api api = s.api();
  seed(api);
  const std::string key = s.secret;
  const std::string body = request_body("SKU-9", std::nullopt, "smuggle@example.com").dump();
  char chunk_size[16];
  std::snprintf(chunk_size, sizeof chunk_size, "%zx", body.size());
  const std::vector<RawCase> cases = {
      {"Content-Length and Transfer-Encoding",
       post_head(kRequestRoute, key,
                 "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" +
                     std::string(chunk_size) + "\r\n" + body + "\r\n0\r\n\r\n")},
      {"two different Content-Lengths", post_head(kRequestRoute, key,
                                                  "Content-Length: " + std::to_string(body.size()) +
                                                      "\r\nContent-Length: 5\r\n\r\n" + body)},
  };
  for (const RawCase& c : cases) {
    INFO(c.name);
    RawConnection conn(s.server.host(), s.server.port());
    conn.send(c.bytes);
    const RawResponse r = conn.read_response(5s);
    INFO("answer: " << r.status_line << " " << r.body);
    if (r.status == 400) continue;  // refused: fine
    // Answered otherwise: the connection must not carry another request.
    CHECK(conn.wait_closed(1s));
  }
}

// Pipelining (RFC 9112 §9.3.2): a client may send its next request before the answer to the
// previous one. The server must answer each in order, or close the connection so the client
// retries; leaving the second request unanswered on an open connection stalls the client.
TEST_CASE("pipelined requests are answered in order") {
  TestServer s;
  const Api api = s.api();
  seed(api);
  RawConnection conn(s.server.host(), s.server.port());
  conn.send(request_head("GET /healthz HTTP/1.1", s.secret, "\r\n") +
            request_head("GET /api/v1/products/SKU-2 HTTP/1.1", s.secret, "\r\n") +
            request_head("GET /api/v1/nope HTTP/1.1", s.secret, "Connection: close\r\n\r\n"));
  const RawResponse first = conn.read_response(3s);
  CHECK(first.status == 200);
  const RawResponse second = conn.read_response(2s);
  INFO("second: " << second.status_line << " " << second.body << "; unread: " << conn.unread());
  if (second.status == 0) {
    CHECK_MESSAGE(conn.wait_closed(100ms),
                  "the second pipelined request is neither answered nor is the connection closed");
    return;
  }
  CHECK(second.status == 200);
  CHECK(json::parse(second.body, nullptr, false)["product"]["productId"] == "SKU-2");
  const RawResponse third = conn.read_response(2s);
  CHECK(third.status == 404);
}

TEST_CASE("SQL- and script-looking text is stored as data and comes back JSON-escaped") {
  TestServer s;
  const Api api = s.api();
  const std::vector<std::string> texts = {
      "'; DROP TABLE requests; --",
      "\" OR 1=1",
      "' OR '1'='1",
      "Robert'); DROP TABLE products;--",
      "<script>alert(1)</script>",
      "</script><img src=x onerror=alert(1)>",
      "\\\"; --",
      "{{7*7}} ${7*7} %s%n",
      "%' UNION SELECT key_hash FROM api_keys --",
  };
  // E-mail local parts may carry quotes and equals signs (WHATWG grammar).
  const std::vector<std::string> emails = {"x'or'1'='1@example.com", "a'--@example.com",
                                           "100%'--@example.com"};
  // Shared by every subcase: each text as a product (id, title, description) and in a request
  // for it (titles, names, externalId, an attribute); each e-mail in a request of its own.
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string& t = texts[i];
    INFO("text: " << t);
    const HttpResponse up = api.upsert(
        json::array({{{"productId", t}, {"title", t}, {"description", t}, {"inStock", false}}}));
    REQUIRE_STATUS(up, 200);
    CHECK(up.json()["products"][0]["title"] == t);
    const HttpResponse reg =
        api.register_request({{"productId", t},
                              {"productTitle", t},
                              {"variantTitle", t},
                              {"customer",
                               {{"email", "shopper" + std::to_string(i) + "@example.com"},
                                {"firstName", t.substr(0, 100)},
                                {"lastName", t.substr(0, 100)},
                                {"externalId", t},
                                {"attributes", {{"note", t}}}}}});
    REQUIRE_STATUS(reg, 200);
  }
  for (const std::string& email : emails) {
    INFO("email: " << email);
    REQUIRE_STATUS(api.register_request(request_body("SKU-E", std::nullopt, email)), 200);
  }

  SUBCASE("each text comes back as sent, escaped, and filters take it literally") {
    for (const std::string& t : texts) {
      INFO("text: " << t);
      const HttpResponse got = api.get("/api/v1/products/" + url_encode(t));
      REQUIRE_STATUS(got, 200);
      CHECK(got.media_type() == "application/json");
      CHECK(got.header("X-Content-Type-Options") == "nosniff");
      const json product = got.json()["product"];  // parsing proves the text was escaped
      CHECK(product["productId"] == t);
      CHECK(product["title"] == t);
      CHECK(product["description"] == t);
      // A quote in the text is escaped in the raw body.
      if (t.find('"') != std::string::npos) CHECK(got.body.find("\\\"") != std::string::npos);

      // Searches and filters take it literally: exactly this product, exactly this request.
      const HttpResponse search = api.get("/api/v1/products?search=" + url_encode(t));
      REQUIRE_STATUS(search, 200);
      CHECK(search.json()["pagination"]["total"] == 1);
      const HttpResponse mine = api.get("/api/v1/back-in-stock?productId=" + url_encode(t));
      REQUIRE_STATUS(mine, 200);
      REQUIRE(mine.json()["requests"].size() == 1);
      CHECK(mine.json()["requests"][0]["productTitle"] == t);
      CHECK(mine.json()["requests"][0]["variantTitle"] == t);
    }
  }

  SUBCASE("each e-mail is found by its exact address") {
    for (const std::string& email : emails) {
      INFO("email: " << email);
      const HttpResponse listed = api.get("/api/v1/back-in-stock?email=" + url_encode(email));
      REQUIRE_STATUS(listed, 200);
      REQUIRE(listed.json()["requests"].size() == 1);
      CHECK(listed.json()["requests"][0]["email"] == email);
    }
  }

  SUBCASE("everything is still there, in tables that still exist") {
    CHECK(api.get("/api/v1/products").json()["pagination"]["total"] == texts.size());
    CHECK(api.get("/api/v1/back-in-stock").json()["pagination"]["total"] ==
          texts.size() + emails.size());
    const json events = feed_events(api);
    CHECK(events.size() == texts.size() + emails.size());
    bool found_script_title = false;
    for (const json& e : events)
      if (e["product"]["productTitle"] == "<script>alert(1)</script>") found_script_title = true;
    CHECK(found_script_title);
    SqliteReader file(s.db);
    CHECK(file.text("PRAGMA integrity_check") == "ok");
    for (const char* table : {"requests", "products", "subscribers", "events", "api_keys"})
      CHECK(file.integer(std::string("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                     "name = '") +
                         table + "'") == 1);
    CHECK(file.integer("SELECT count(*) FROM api_keys") == 1);
  }
}

TEST_CASE("CR/LF in paths, queries and headers never reach a response header") {
  TestServer s;
  const Api api = s.api();
  const std::string pk = s.create_key("shop", "publishable", {kShop});
  std::vector<HttpResponse> answers = {
      api.get("/api/v1/products/x%0D%0ASet-Cookie:%20a=b"),
      api.get("/api/v1/products?search=%0D%0ASet-Cookie:%20a=b"),
      api.get("/nope%0D%0ASet-Cookie:%20a=b%0D%0A%0D%0A<script>"),
      api.get("/api/v1/back-in-stock?email=a%0D%0AX-Injected:%201"),
      s.api(pk).get("/api/v1/storefront/availability?productId=P",
                    {{"Origin", "https://shop.example%0D%0ASet-Cookie: a=b"}}),
      api.register_request(request_body("P\r\nSet-Cookie: a=b", std::nullopt, "a@example.com")),
  };
  for (const HttpResponse& r : answers) {
    INFO(r.status << " " << r.body);
    CHECK(r.status >= 200);
    CHECK(r.status < 500);
    CHECK_FALSE(r.has_header("Set-Cookie"));
    CHECK_FALSE(r.has_header("X-Injected"));
    CHECK_FALSE(r.has_header("Access-Control-Allow-Origin"));
    for (const auto& [name, value] : r.headers) {
      CHECK(name.find_first_of("\r\n") == std::string::npos);
      CHECK(value.find_first_of("\r\n") == std::string::npos);
    }
  }
  // Header values carrying a bare CR or an encoded CRLF, over a raw socket (httplib's client
  // would not send them).
  for (const std::string& origin : {std::string("https://shop.example\rSet-Cookie: a=b"),
                                    std::string("https://shop.example\r X-Injected: 1")}) {
    RawConnection conn(s.server.host(), s.server.port());
    conn.send(request_head("GET /api/v1/storefront/availability?productId=P HTTP/1.1", pk,
                           "Origin: " + origin + "\r\nConnection: close\r\n\r\n"));
    const RawResponse r = conn.read_response(5s);
    INFO(r.status_line << " " << r.body);
    if (r.status == 0) {
      CHECK(conn.wait_closed(2s));
      continue;
    }
    CHECK(r.status == 403);  // not the key's origin, whatever follows the CR
    CHECK(r.header("Access-Control-Allow-Origin").empty());
    CHECK(r.header("Set-Cookie").empty());
    CHECK(r.header("X-Injected").empty());
  }
}

// README: --log-requests writes "one line per request (method, path, status)". The path is
// percent-decoded before it is logged, so %0A in a path starts a line of the caller's choosing.
TEST_CASE("the request log can't be forged through a path") {
  TestServer s({"--log-requests", "--rate-ip-per-minute", "0", "--rate-email-per-hour", "0"});
  const Api api = s.api();
  const std::vector<std::string> targets = {
      "/healthz",
      "/nope%0AGET%20/api/v1/products%20200",
      "/api/v1/products/x%0D%0APOST%20/api/v1/back-in-stock%20200",
      "/api/v1/products/%0A",
  };
  for (const std::string& target : targets) CHECK(api.get(target).status > 0);
  CHECK(s.server.stop() == 0);
  const std::string log = s.server.stderr_text();
  std::string bad;
  INFO("log:\n" << log);
  CHECK_MESSAGE(all_of_log_lines_well_formed(log, targets.size(), bad), bad);
}

// A request head sent one byte every 200 ms takes longer than the read timeout (5 s) to
// arrive. The server must answer or close by then, and serve others meanwhile: otherwise a
// handful of slow connections hold every worker thread (slowloris).
TEST_CASE("a slow sender is cut off within the read timeout, and others are served meanwhile") {
  TestServer s;
  const Api api = s.api();
  const std::string head =
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(60, 's') +
      "\r\n\r\n";  // ~90 bytes: ~18 s at 5 bytes/s
  std::atomic<bool> done{false};
  std::string outcome;
  bool cut_off = false;
  std::thread slow([&] {
    RawConnection conn(s.server.host(), s.server.port());
    const auto start = Clock::now();
    // Gives up after 8 s: the read timeout (5 s) and a margin.
    const bool sent_all = conn.send_slowly(head, 200ms, 8s);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    const RawResponse r = conn.read_response(100ms);
    cut_off = !sent_all && (conn.closed() || r.status != 0) && ms <= 7000;
    outcome = std::string(sent_all ? "the whole head went through" : "sending stopped") +
              " after " + std::to_string(ms) + " ms; " +
              (r.status ? "answered " + r.status_line : std::string("no answer")) +
              (conn.closed() ? ", closed" : ", still open");
    done = true;
  });
  int served = 0;
  while (!done) {
    const auto start = Clock::now();
    const HttpResponse r = api.get("/healthz");
    if (r.status == 200 && Clock::now() - start < 1s) ++served;
    std::this_thread::sleep_for(500ms);
  }
  slow.join();
  INFO("slow sender: " << outcome);
  CHECK(served >= 5);
  CHECK(cut_off);
}

// The consequence of the above with few workers: two slow senders hold both threads of
// `--threads 2`, and nobody else gets an answer until they finish.
TEST_CASE("slow senders can't hold every worker thread") {
  TestServer s({"--threads", "2", "--rate-ip-per-minute", "0", "--rate-email-per-hour", "0"});
  const std::string head =
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(60, 's') + "\r\n\r\n";
  std::vector<std::unique_ptr<RawConnection>> slow;
  std::vector<std::thread> dribblers;
  for (int i = 0; i < 3; ++i) {
    slow.push_back(std::make_unique<RawConnection>(s.server.host(), s.server.port()));
    RawConnection* conn = slow.back().get();
    dribblers.emplace_back([conn, &head] { conn->send_slowly(head.substr(0, 20), 250ms, 6s); });
  }
  std::this_thread::sleep_for(500ms);
  const auto start = Clock::now();
  const HttpResponse r = s.api().get("/healthz");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  for (std::thread& t : dribblers) t.join();
  INFO("GET /healthz beside 3 slow senders: " << r.status << " after " << ms.count() << " ms");
  CHECK(r.status == 200);
  CHECK(ms.count() < 7000);  // the read timeout (5 s) and a margin
}

// A head of 100 000 header lines (~1.4 MB) is read whole into memory before anything looks at
// it; a few such connections at once cost hundreds of MB. httplib 0.11.4 caps each line at
// 8192 bytes but not their number.
TEST_CASE("absurd header counts are refused") {
  TestServer s;
  std::string head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 100000; ++i) head += "X-H" + std::to_string(i) + ": v\r\n";
  head += "\r\n";
  RawConnection conn(s.server.host(), s.server.port());
  conn.send(head);
  const RawResponse r = conn.read_response(10s);
  INFO("answer: " << r.status_line << " " << r.body);
  if (r.status == 0) {
    CHECK(conn.wait_closed(2s));
  } else {
    CHECK(r.status >= 400);
    CHECK(r.status < 500);
  }
  CHECK_STATUS(s.api().get("/healthz"), 200);
}
