// Back-in-stock requests (README: API / Requests and events): GET /api/v1/back-in-stock and
// DELETE .../{requestId}.

#include <set>

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

json list(const Api& api, const std::string& query_string = {}) {
  const HttpResponse r = api.get("/api/v1/back-in-stock" + query_string);
  REQUIRE_STATUS(r, 200);
  return r.json();
}

std::string register_id(const Api& api, const std::string& product,
                        const std::optional<std::string>& variant, const std::string& email) {
  const HttpResponse r = api.register_request(request_body(product, variant, email));
  REQUIRE_STATUS(r, 200);
  return r.json()["requestId"];
}

std::set<std::string> ids_of(const json& listing) {
  std::set<std::string> ids;
  for (const json& r : listing["requests"]) ids.insert(r["id"].get<std::string>());
  return ids;
}

}  // namespace

TEST_CASE("GET /api/v1/back-in-stock filters by product, variant, status and e-mail, and pages") {
  TestServer s;
  const Api api = s.api();
  const std::string a_small = register_id(api, "P1", "P1-S", "a@example.com");
  const std::string b_medium = register_id(api, "P1", "P1-M", "b@example.com");
  const std::string a_p2 = register_id(api, "P2", std::nullopt, "a@example.com");
  const std::string c_small = register_id(api, "P1", "P1-S", "c@example.com");
  const std::string c_p3 =
      register_id(api, "P3", "P1-S", "c@example.com");  // same variant id, other product
  REQUIRE_STATUS(api.del("/api/v1/back-in-stock/" + b_medium), 200);
  REQUIRE_STATUS(api.upsert(json::array({{{"productId", "P2"}, {"title", "Two"}}})),
                 200);  // notifies a_p2

  json all = list(api);
  CHECK(all["success"] == true);
  CHECK(all["requests"].size() == 5);
  CHECK(all["pagination"] ==
        json{{"count", 5}, {"hasMore", false}, {"limit", 50}, {"offset", 0}, {"total", 5}});

  const json& one = all["requests"][0];
  for (const char* key : {"id", "productId", "variantId", "productTitle", "variantTitle", "status",
                          "position", "subscriberId", "email", "createdAt", "notifiedAt",
                          "cancelledAt", "orderId", "convertedAt", "revenueCents",
                          "revenueCurrency", "locale", "consent"})
    CHECK_MESSAGE(one.contains(key), key);
  CHECK(one.size() == 18);
  CHECK(one["consent"]["source"] == "api");

  CHECK(ids_of(list(api, query({{"productId", "P1"}}))) ==
        std::set<std::string>{a_small, b_medium, c_small});
  CHECK(ids_of(list(api, query({{"productId", "P1"}, {"variantId", "P1-S"}}))) ==
        std::set<std::string>{a_small, c_small});
  CHECK(ids_of(list(api, query({{"variantId", "P1-S"}}))) ==
        std::set<std::string>{a_small, c_small, c_p3});
  CHECK(ids_of(list(api, query({{"email", " A@Example.COM "}}))) ==
        std::set<std::string>{a_small, a_p2});
  CHECK(ids_of(list(api, query({{"email", "a@example.com"}, {"productId", "P1"}}))) ==
        std::set<std::string>{a_small});
  CHECK(ids_of(list(api, query({{"status", "waiting"}}))) ==
        std::set<std::string>{a_small, c_small, c_p3});
  CHECK(ids_of(list(api, query({{"status", "cancelled"}}))) == std::set<std::string>{b_medium});
  CHECK(ids_of(list(api, query({{"status", "notified"}}))) == std::set<std::string>{a_p2});
  CHECK(ids_of(list(api, query({{"status", "notified"}, {"email", "c@example.com"}}))).empty());
  CHECK(list(api, query({{"email", "nobody@example.com"}}))["pagination"]["total"] == 0);

  const json notified = list(api, query({{"status", "notified"}}))["requests"][0];
  CHECK(notified["productId"] == "P2");
  CHECK(notified["variantId"] == "P2");
  CHECK(matches(notified["notifiedAt"], kTimestamp));
  CHECK(notified["cancelledAt"].is_null());
  const json cancelled = list(api, query({{"status", "cancelled"}}))["requests"][0];
  CHECK(matches(cancelled["cancelledAt"], kTimestamp));
  CHECK(cancelled["notifiedAt"].is_null());
  CHECK(cancelled["email"] == "b@example.com");

  // Paging walks every request once.
  std::set<std::string> seen;
  for (int offset = 0; offset < 5; offset += 2) {
    const json page = list(api, query({{"limit", "2"}, {"offset", std::to_string(offset)}}));
    CHECK(page["pagination"]["total"] == 5);
    CHECK(page["pagination"]["hasMore"] == (offset + 2 < 5));
    CHECK(page["pagination"]["count"] == page["requests"].size());
    for (const json& r : page["requests"]) CHECK(seen.insert(r["id"].get<std::string>()).second);
  }
  CHECK(seen.size() == 5);
  const json filtered_page =
      list(api, query({{"productId", "P1"}, {"limit", "1"}, {"offset", "1"}}));
  CHECK(filtered_page["pagination"] ==
        json{{"count", 1}, {"hasMore", true}, {"limit", 1}, {"offset", 1}, {"total", 3}});
}

TEST_CASE("GET /api/v1/back-in-stock refuses bad filters, naming each") {
  TestServer s;
  const Api api = s.api();
  HttpResponse r = api.get("/api/v1/back-in-stock" + query({{"status", "canceled"}}));
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "status") == "invalid_value");
  // Every status of the lifecycle is a valid filter.
  for (const char* status : {"pending", "waiting", "notified", "cancelled", "expired", "purchased"})
    CHECK_STATUS(api.get("/api/v1/back-in-stock" + query({{"status", status}})), 200);

  r = api.get("/api/v1/back-in-stock" +
              query({{"email", "not-an-email"}, {"limit", "0"}, {"productId", " "}}));
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "email") == "invalid_email");
  CHECK(detail_code(r.json(), "limit") == "out_of_range");
  CHECK(detail_code(r.json(), "productId") == "empty");
  CHECK(r.json()["details"].size() == 3);

  r = api.get("/api/v1/back-in-stock" + query({{"variantId", std::string(256, 'v')}}));
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "variantId") == "too_long");
}

TEST_CASE("DELETE /api/v1/back-in-stock/{id} cancels a waiting request, once and idempotently") {
  TestServer s;
  const Api api = s.api();
  const std::string id = register_id(api, "P1", "P1-S", "a@example.com");

  const HttpResponse first = api.del("/api/v1/back-in-stock/" + id);
  REQUIRE_STATUS(first, 200);
  const json body = first.json();
  CHECK(body["success"] == true);
  CHECK(body["request"]["id"] == id);
  CHECK(body["request"]["status"] == "cancelled");
  CHECK(matches(body["request"]["cancelledAt"], kTimestamp));
  CHECK(body["request"]["notifiedAt"].is_null());

  // Again: the same answer, the first cancellation time.
  const HttpResponse second = api.del("/api/v1/back-in-stock/" + id);
  REQUIRE_STATUS(second, 200);
  CHECK(second.json() == body);

  // A cancelled request is never notified.
  const HttpResponse up =
      api.upsert(json::array({{{"productId", "P1"},
                               {"title", "P"},
                               {"variants", {{{"variantId", "P1-S"}, {"title", "S"}}}}}}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["backInStockEventsTriggered"] == 0);
  CHECK(list(api, query({{"status", "cancelled"}}))["pagination"]["total"] == 1);

  // Asking again after cancelling is a new request.
  REQUIRE_STATUS(
      api.upsert(json::array(
          {{{"productId", "P1"},
            {"title", "P"},
            {"variants", {{{"variantId", "P1-S"}, {"title", "S"}, {"inStock", false}}}}}})),
      200);
  const HttpResponse again = api.register_request(request_body("P1", "P1-S", "a@example.com"));
  REQUIRE_STATUS(again, 200);
  CHECK(again.json()["created"] == true);
  CHECK(again.json()["requestId"] != id);
}

TEST_CASE("cancelling a notified request is a conflict; unknown and foreign ids are not found") {
  TestServer s;
  const Api api = s.api();
  const std::string notified = register_id(api, "P1", std::nullopt, "a@example.com");
  REQUIRE_STATUS(api.upsert(json::array({{{"productId", "P1"}, {"title", "P"}}})), 200);
  const HttpResponse conflict = api.del("/api/v1/back-in-stock/" + notified);
  CHECK_ERROR(conflict, 409, "conflict");
  CHECK(list(api)["requests"][0]["status"] == "notified");

  CHECK_ERROR(api.del("/api/v1/back-in-stock/bisr_zzzzzzzzzzzzz"), 404, "not_found");
  CHECK_ERROR(api.del("/api/v1/back-in-stock/nope"), 404, "not_found");
  // An id of another kind (the subscriber's) is not a request id.
  const HttpResponse reg = api.register_request(request_body("P9", std::nullopt, "z@example.com"));
  REQUIRE_STATUS(reg, 200);
  CHECK_ERROR(api.del("/api/v1/back-in-stock/" + reg.json()["subscriberId"].get<std::string>()),
              404, "not_found");
  // The collection itself can't be deleted.
  CHECK_ERROR(api.del("/api/v1/back-in-stock"), 405, "method_not_allowed");

  // Another store's secret key can't cancel this store's request, and it keeps waiting.
  const std::string waiting = reg.json()["requestId"];
  const std::string other = s.create_key("other-shop", "secret");
  CHECK_ERROR(s.api(other).del("/api/v1/back-in-stock/" + waiting), 404, "not_found");
  CHECK(list(api, query({{"email", "z@example.com"}}))["requests"][0]["status"] == "waiting");
}

TEST_CASE("an e-mail with '+' is found by the email filter when the '+' is percent-encoded") {
  TestServer s;
  const Api api = s.api();
  const std::string id = register_id(api, "P1", std::nullopt, "Ann+Shoes@Example.com");
  const json listed = list(api, "?email=" + url_encode("ann+shoes@example.com"));
  REQUIRE(listed["requests"].size() == 1);
  CHECK(listed["requests"][0]["id"] == id);
  CHECK(listed["requests"][0]["email"] == "ann+shoes@example.com");
}
