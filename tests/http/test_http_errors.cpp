// The error envelope of README: API / Errors for every transport-level failure: invalid JSON,
// unknown routes, wrong methods, oversized bodies, wrong media types; and the /v1 alias.

#include <algorithm>

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

const char* kPostRoutes[] = {"/api/v1/back-in-stock", "/api/v1/products"};

// A syntactically valid back-in-stock body of exactly `size` bytes (padded in productTitle, which
// is then too long: the answer is 400, not 413, when the size is within the limit).
std::string request_of_size(size_t size) {
  json body = request_body("P", std::nullopt, "a@example.com");
  body["productTitle"] = "";
  const size_t base = body.dump().size();
  REQUIRE(size >= base);
  body["productTitle"] = std::string(size - base, 'x');
  std::string text = body.dump();
  REQUIRE(text.size() == size);
  return text;
}

}  // namespace

TEST_CASE("invalid JSON is 400 invalid_json on both POST routes, and nothing is stored") {
  TestServer s;
  const Api api = s.api();
  for (const char* route : kPostRoutes) {
    for (const std::string& text :
         {std::string("{\"productId\": }"), std::string(""), std::string("{"), std::string("nul"),
          std::string("{\"productId\":\"a\",\"productId\":\"b\"}"),  // duplicate key
          std::string("{\"a\":\"\xff\"}"),                           // invalid UTF-8
          std::string(30, '[') + std::string(30, ']'),               // too deep
          std::string("{\"products\":[]} trailing")}) {
      INFO((std::string(route) + " " + text));
      const HttpResponse r = api.post_raw(route, text);
      CHECK_ERROR(r, 400, "invalid_json");
      CHECK_FALSE(r.json().contains("details"));
    }
    // Valid JSON of the wrong shape is a validation error.
    for (const char* text : {"[]", "\"x\"", "42", "null"}) {
      INFO((std::string(route) + " " + text));
      CHECK_ERROR(api.post_raw(route, text), 400, "validation_failed");
    }
  }
  CHECK(api.get("/api/v1/back-in-stock").json()["pagination"]["total"] == 0);
  CHECK(api.get("/api/v1/products").json()["pagination"]["total"] == 0);
}

HttpResponse call_with(const Api& api, const std::string& method, const std::string& target) {
  const bool post = method == "POST";
  return api.send(method, target, post ? "{}" : "", {},
                  post ? std::optional<std::string>("application/json") : std::nullopt);
}

TEST_CASE("unknown API routes are 404 not_found in the envelope, whatever the method") {
  TestServer s;
  const Api api = s.api();
  for (const char* target : {"/api/v1/nope", "/api/v1", "/api/v1/", "/v1/nope", "/v1",
                             "/api/v1/products/a/b", "/api/v1/storefront", "/api/v1/events/x",
                             "/api/v1/back-in-stock/a/b", "/api/v1/products/%zz"}) {
    for (const char* method : {"GET", "POST", "DELETE", "PUT"}) {
      INFO((std::string(method) + " " + target));
      CHECK_ERROR(call_with(api, method, target), 404, "not_found");
    }
  }
  // Also without a key: a 404 route tells nothing about auth.
  CHECK_ERROR(s.api("").get("/api/v1/nope"), 404, "not_found");
}

TEST_CASE("unknown paths outside the API are 404 not_found") {
  TestServer s;
  const Api api = s.api();
  for (const char* target :
       {"/nope", "/api", "/api/v2/products", "/healthz/x", "/widget/nope.js", "/index.html"}) {
    INFO(std::string(target));
    CHECK_ERROR(call_with(api, "GET", target), 404, "not_found");
  }
}

// README: API / Errors (`not_found` 404): a path that names nothing is not found for every method.
// The server answers 405 (Allow: GET, HEAD) to POST/DELETE on any non-API path, existing or not.
TEST_CASE("POST or DELETE to a path that does not exist is 404, not 405") {
  TestServer s;
  const Api api = s.api();
  for (const char* target : {"/nope", "/api/v2/products", "/healthz/x"}) {
    for (const char* method : {"POST", "DELETE", "PUT"}) {
      INFO((std::string(method) + " " + target));
      CHECK_ERROR(call_with(api, method, target), 404, "not_found");
    }
  }
}

TEST_CASE("a known route with the wrong method is 405 with Allow") {
  TestServer s;
  const Api api = s.api();
  struct Case {
    const char* method;
    const char* target;
    std::vector<std::string> allowed;
  };
  const Case cases[] = {
      {"PUT", "/api/v1/products", {"GET", "POST"}},
      {"PATCH", "/api/v1/products", {"GET", "POST"}},
      {"DELETE", "/api/v1/products", {"GET", "POST"}},
      {"POST", "/api/v1/products/SKU-1", {"DELETE", "GET"}},
      {"PUT", "/api/v1/back-in-stock", {"GET", "POST"}},
      {"GET", "/api/v1/back-in-stock/bisr_0000000000001", {"DELETE"}},
      {"POST", "/api/v1/events", {"GET"}},
      {"DELETE", "/v1/events", {"GET"}},
      {"POST", "/healthz", {"GET"}},
  };
  for (const Case& c : cases) {
    INFO((std::string(c.method) + " " + c.target));
    const bool with_body = std::string(c.method) != "GET" && std::string(c.method) != "DELETE";
    const HttpResponse r =
        api.send(c.method, c.target, with_body ? "{}" : "", {},
                 with_body ? std::optional<std::string>("application/json") : std::nullopt);
    CHECK_ERROR(r, 405, "method_not_allowed");
    REQUIRE(r.has_header("Allow"));
    std::string allow = r.header("Allow");
    std::vector<std::string> methods;
    for (size_t start = 0; start <= allow.size();) {
      size_t end = allow.find(',', start);
      if (end == std::string::npos) end = allow.size();
      std::string m = allow.substr(start, end - start);
      m.erase(0, m.find_first_not_of(' '));
      if (!m.empty()) methods.push_back(m);
      start = end + 1;
    }
    std::sort(methods.begin(), methods.end());
    CHECK(methods == c.allowed);
  }
}

TEST_CASE("bodies over 64 KiB on back-in-stock and over 1 MiB on products are 413") {
  TestServer s;
  const Api api = s.api();
  const size_t request_limit = 64 * 1024;
  const size_t upsert_limit = 1024 * 1024;

  // Right at the limit the body is read and validated; one byte more is refused unread.
  HttpResponse r = api.post_raw("/api/v1/back-in-stock", request_of_size(request_limit));
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "productTitle") == "too_long");
  r = api.post_raw("/api/v1/back-in-stock", request_of_size(request_limit + 1));
  CHECK_ERROR(r, 413, "payload_too_large");
  r = api.post_raw("/api/v1/back-in-stock", request_of_size(70 * 1024));
  CHECK_ERROR(r, 413, "payload_too_large");

  // An upsert may be far larger than a request: 100 products of ~9 KiB each (~900 KiB) is fine.
  json products = json::array();
  for (int i = 0; i < 100; ++i)
    products.push_back({{"productId", "P-" + std::to_string(i)},
                        {"title", "T"},
                        {"description", std::string(9000, 'd')}});
  const std::string big = json{{"products", products}}.dump();
  REQUIRE(big.size() > request_limit * 10);
  REQUIRE(big.size() < upsert_limit);
  r = api.post_raw("/api/v1/products", big);
  REQUIRE_STATUS(r, 200);
  CHECK(r.json()["upserted"] == 100);

  // Over 1 MiB: refused, nothing stored.
  json too_many = json::array();
  for (int i = 0; i < 100; ++i)
    too_many.push_back({{"productId", "Q-" + std::to_string(i)},
                        {"title", "T"},
                        {"description", std::string(11000, 'd')}});
  const std::string huge = json{{"products", too_many}}.dump();
  REQUIRE(huge.size() > upsert_limit);
  r = api.post_raw("/api/v1/products", huge);
  CHECK_ERROR(r, 413, "payload_too_large");
  // Also over 1 MiB on the request route.
  r = api.post_raw("/api/v1/back-in-stock", huge);
  CHECK_ERROR(r, 413, "payload_too_large");
  CHECK(api.get("/api/v1/products?limit=1").json()["pagination"]["total"] == 100);
  CHECK(api.get("/api/v1/back-in-stock").json()["pagination"]["total"] == 0);

  // The server still answers normally afterwards.
  CHECK_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);
}

TEST_CASE("a body that is not declared as JSON is 415") {
  TestServer s;
  const Api api = s.api();
  const std::string request = request_body("P", std::nullopt, "a@example.com").dump();
  const std::string upsert =
      json{{"products", json::array({{{"productId", "P"}, {"title", "T"}}})}}.dump();
  for (const auto& [route, body] :
       {std::pair<std::string, std::string>{"/api/v1/back-in-stock", request},
        std::pair<std::string, std::string>{"/api/v1/products", upsert}}) {
    for (const std::optional<std::string>& type :
         {std::optional<std::string>("text/plain"),
          std::optional<std::string>("application/x-www-form-urlencoded"),
          std::optional<std::string>("application/jsonx"),
          std::optional<std::string>("application/xml"), std::optional<std::string>()}) {
      INFO(route << " Content-Type: " << type.value_or(std::string("(none)")));
      CHECK_ERROR(api.post_raw(route, body, type), 415, "unsupported_media_type");
    }
  }
  CHECK(api.get("/api/v1/products").json()["pagination"]["total"] == 0);
  // Parameters and case don't matter.
  CHECK_STATUS(api.post_raw("/api/v1/back-in-stock", request, "application/json; charset=utf-8"),
               200);
  CHECK_STATUS(api.post_raw("/api/v1/products", upsert, "Application/JSON"), 200);
}

// README: API / Errors: a wrong Content-Type is 415 `unsupported_media_type`. httplib parses
// multipart/form-data bodies itself before the route runs, and a JSON body declared as multipart
// is answered 400 "Malformed HTTP request." with code invalid_json.
TEST_CASE("a JSON body declared as multipart/form-data is 415") {
  TestServer s;
  const Api api = s.api();
  const std::string request = request_body("P", std::nullopt, "a@example.com").dump();
  for (const char* route : {"/api/v1/back-in-stock", "/api/v1/products"}) {
    INFO(std::string(route));
    CHECK_ERROR(api.post_raw(route, request, "multipart/form-data; boundary=x"), 415,
                "unsupported_media_type");
  }
  CHECK(api.get("/api/v1/back-in-stock").json()["pagination"]["total"] == 0);
}

TEST_CASE("/v1/... is the same API as /api/v1/...") {
  TestServer s;
  const Api api = s.api();
  const HttpResponse reg =
      api.post("/v1/back-in-stock", request_body("P1", std::nullopt, "a@example.com"));
  REQUIRE_STATUS(reg, 200);
  const HttpResponse again =
      api.post("/api/v1/back-in-stock", request_body("P1", std::nullopt, "a@example.com"));
  REQUIRE_STATUS(again, 200);
  CHECK(again.json()["requestId"] == reg.json()["requestId"]);
  CHECK(again.json()["created"] == false);

  const HttpResponse up = api.post(
      "/v1/products", {{"products", json::array({{{"productId", "P1"}, {"title", "One"}}})}});
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["backInStockEventsTriggered"] == 1);
  CHECK(api.get("/v1/products").json() == api.get("/api/v1/products").json());
  CHECK(api.get("/v1/products/P1").json() == api.get("/api/v1/products/P1").json());
  CHECK(api.get("/v1/back-in-stock").json() == api.get("/api/v1/back-in-stock").json());
  CHECK(api.get("/v1/events").json() == api.get("/api/v1/events").json());
  CHECK_ERROR(s.api("").get("/v1/products"), 401, "unauthorized");
  CHECK_STATUS(api.del("/v1/products/P1"), 200);
  CHECK_ERROR(api.get("/api/v1/products/P1"), 404, "not_found");
}

TEST_CASE("every API answer is JSON that no cache keeps") {
  TestServer s;
  const Api api = s.api();
  const std::vector<HttpResponse> answers = {
      api.get("/api/v1/products"),
      api.register_request(request_body("P1", std::nullopt, "a@example.com")),
      api.get("/api/v1/nope"),
      s.api("").get("/api/v1/products"),
      api.post_raw("/api/v1/products", "{"),
  };
  for (const HttpResponse& r : answers) {
    INFO(r.status << " " << r.body);
    CHECK(r.media_type() == "application/json");
    CHECK(r.header("Cache-Control") == "no-store");
    CHECK(r.json().is_object());
  }
}
