// The event feed (README: API / Requests and events): GET /api/v1/events?type=&after=&limit=.

#include <set>

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

json feed(const Api& api, const std::string& query_string = {}) {
  const HttpResponse r = api.events(query_string);
  REQUIRE_STATUS(r, 200);
  return r.json();
}

// Walks the feed page by page with `after`; returns every event seen.
json walk(const Api& api, const std::string& type, int limit, int& pages) {
  json all = json::array();
  std::optional<std::string> cursor;
  pages = 0;
  for (;;) {
    std::string q = "?limit=" + std::to_string(limit);
    if (!type.empty()) q += "&type=" + url_encode(type);
    if (cursor) q += "&after=" + url_encode(*cursor);
    const json page = feed(api, q);
    ++pages;
    for (const json& e : page["events"]) all.push_back(e);
    if (!page["events"].empty()) CHECK(page["nextCursor"] == page["events"].back()["id"]);
    if (!page["hasMore"].get<bool>()) break;
    REQUIRE(page["nextCursor"].is_string());
    cursor = page["nextCursor"].get<std::string>();
    REQUIRE(pages < 100);
  }
  return all;
}

}  // namespace

TEST_CASE("the feed lists events oldest first, filters by type and pages with a cursor") {
  TestServer s;
  const Api api = s.api();
  std::vector<std::string> request_ids;
  for (int i = 0; i < 5; ++i) {
    const HttpResponse r = api.register_request(request_body(
        "P" + std::to_string(i % 2), std::nullopt, "shopper" + std::to_string(i) + "@example.com"));
    REQUIRE_STATUS(r, 200);
    request_ids.push_back(r.json()["requestId"]);
  }
  // P0 has requests 0, 2, 4: three back-in-stock events.
  const HttpResponse up = api.upsert(json::array({{{"productId", "P0"}, {"title", "Zero"}}}));
  REQUIRE_STATUS(up, 200);
  REQUIRE(up.json()["backInStockEventsTriggered"] == 3);

  const json everything = feed(api);
  CHECK(everything["success"] == true);
  CHECK(everything["hasMore"] == false);
  const json& events = everything["events"];
  REQUIRE(events.size() == 8);
  CHECK(everything["nextCursor"] == events.back()["id"]);
  for (size_t i = 0; i < 5; ++i) {
    CHECK(events[i]["type"] == "ecommerce.back_in_stock_requested");
    CHECK(events[i]["request"]["id"] == request_ids[i]);  // oldest first
  }
  std::set<std::string> notified;
  for (size_t i = 5; i < 8; ++i) {
    CHECK(events[i]["type"] == "ecommerce.back_in_stock");
    CHECK(events[i]["product"]["productId"] == "P0");
    CHECK(events[i]["product"]["productTitle"] == "Zero");
    notified.insert(events[i]["request"]["id"].get<std::string>());
  }
  CHECK(notified == std::set<std::string>{request_ids[0], request_ids[2], request_ids[4]});
  std::set<std::string> event_ids;
  for (const json& e : events) event_ids.insert(e["id"].get<std::string>());
  CHECK(event_ids.size() == 8);

  // Type filter.
  const json bis = feed(api, query({{"type", "ecommerce.back_in_stock"}}));
  REQUIRE(bis["events"].size() == 3);
  CHECK(bis["events"][0] == events[5]);
  CHECK(feed(api, query({{"type", "ecommerce.back_in_stock_requested"}}))["events"].size() == 5);

  // Cursor paging gives the same events in the same order, whatever the page size.
  for (int limit : {1, 3, 7, 8}) {
    INFO("limit " << limit);
    int pages = 0;
    CHECK(walk(api, "", limit, pages) == events);
    CHECK(pages == (8 + limit - 1) / limit);
  }
  int pages = 0;
  CHECK(walk(api, "ecommerce.back_in_stock", 2, pages) == bis["events"]);
  CHECK(pages == 2);

  // `after` an event id continues right after it; after the last there is nothing yet, and the
  // cursor stays where it is so a poller can keep asking.
  const json rest = feed(api, query({{"after", events[4]["id"]}}));
  REQUIRE(rest["events"].size() == 3);
  CHECK(rest["events"][0] == events[5]);
  const std::string last = events.back()["id"];
  const json tail = feed(api, query({{"after", last}}));
  CHECK(tail["events"] == json::array());
  CHECK(tail["hasMore"] == false);
  CHECK(tail["nextCursor"] == last);

  // A new event shows up after that cursor.
  REQUIRE_STATUS(api.register_request(request_body("P7", std::nullopt, "late@example.com")), 200);
  const json newer = feed(api, query({{"after", last}}));
  REQUIRE(newer["events"].size() == 1);
  CHECK(newer["events"][0]["subscriber"]["email"] == "late@example.com");

  const json limited = feed(api, query({{"limit", "2"}}));
  CHECK(limited["events"].size() == 2);
  CHECK(limited["hasMore"] == true);
  CHECK(limited["nextCursor"] == events[1]["id"]);
}

TEST_CASE("an event carries subscriber, product and request, absent values as null") {
  TestServer s;
  const Api api = s.api();
  json body = request_body("SKU-1", "SKU-1-RED", "ann@example.com");
  body["productTitle"] = "Request's own title";
  body["customer"]["firstName"] = "Ann";
  const HttpResponse reg = api.register_request(body);
  REQUIRE_STATUS(reg, 200);

  const json page = feed(api);
  REQUIRE(page["events"].size() == 1);
  const json& e = page["events"][0];
  CHECK(e.size() == 6);
  CHECK(matches(e["id"], kEventId));
  CHECK(e["type"] == "ecommerce.back_in_stock_requested");
  CHECK(matches(e["createdAt"], kTimestamp));
  CHECK(e["subscriber"] == json{{"id", reg.json()["subscriberId"]},
                                {"email", "ann@example.com"},
                                {"firstName", "Ann"},
                                {"lastName", nullptr},
                                {"externalId", nullptr}});
  CHECK(e["product"] == json{{"productId", "SKU-1"},
                             {"variantId", "SKU-1-RED"},
                             {"providerProductId", "SKU-1"},
                             {"providerVariantId", "SKU-1-RED"},
                             {"productTitle", "Request's own title"},
                             {"variantTitle", nullptr},
                             {"url", nullptr},
                             {"imageUrl", nullptr},
                             {"priceCents", nullptr},
                             {"currency", nullptr}});
  CHECK(e["request"]["id"] == reg.json()["requestId"]);
  CHECK(matches(e["request"]["createdAt"], kTimestamp));

  // The raw body keeps the documented key order.
  const HttpResponse raw = api.events();
  CHECK(raw.body.rfind("{\"success\":true,\"events\":[{\"id\":\"evt_", 0) == 0);
  CHECK(raw.body.find("\"nextCursor\":") > raw.body.find("\"request\":"));
  CHECK(raw.body.find("\"hasMore\":false}") == raw.body.size() - 16);
}

TEST_CASE("an empty feed") {
  TestServer s;
  const json page = feed(s.api());
  CHECK(page == json{{"success", true},
                     {"events", json::array()},
                     {"nextCursor", nullptr},
                     {"hasMore", false}});
}

TEST_CASE("the feed refuses an invalid cursor, type or limit") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);
  const std::string request_id = api.get("/api/v1/back-in-stock").json()["requests"][0]["id"];
  for (const std::string& after :
       {std::string("garbage"), std::string("evt_zzzzzzzzzzzzz"), request_id}) {
    INFO("after=" << after);
    const HttpResponse r = api.events(query({{"after", after}}));
    CHECK_ERROR(r, 400, "validation_failed");
    CHECK(detail_fields(r.json()) == std::vector<std::string>{"after"});
  }
  HttpResponse r = api.events(query({{"type", "ecommerce.order_shipped"}}));
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "type") == "invalid_value");
  for (const char* limit : {"0", "1001", "ten"}) {
    INFO("limit=" << std::string(limit));
    r = api.events(query({{"limit", std::string(limit)}}));
    CHECK_ERROR(r, 400, "validation_failed");
    CHECK(detail_fields(r.json()) == std::vector<std::string>{"limit"});
  }
  r = api.events(query({{"limit", "1000"}}));
  CHECK_STATUS(r, 200);
}

TEST_CASE("events keep the catalog facts of their moment") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({{{"productId", "P"},
                                          {"title", "Old title"},
                                          {"url", "https://shop.example/old"},
                                          {"priceCents", 1000},
                                          {"currency", "EUR"},
                                          {"inStock", false}}})),
                 200);
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);
  const HttpResponse up = api.upsert(json::array({{{"productId", "P"},
                                                   {"title", "New title"},
                                                   {"url", "https://shop.example/new"},
                                                   {"priceCents", 800},
                                                   {"inStock", true}}}));
  REQUIRE_STATUS(up, 200);
  REQUIRE(up.json()["backInStockEventsTriggered"] == 1);
  const json events = feed(api)["events"];
  REQUIRE(events.size() == 2);
  CHECK(events[0]["product"]["productTitle"] == "Old title");
  CHECK(events[0]["product"]["url"] == "https://shop.example/old");
  CHECK(events[0]["product"]["priceCents"] == 1000);
  CHECK(events[0]["product"]["currency"] == "EUR");
  CHECK(events[1]["product"]["productTitle"] == "New title");
  CHECK(events[1]["product"]["url"] == "https://shop.example/new");
  CHECK(events[1]["product"]["priceCents"] == 800);
  CHECK(events[1]["product"]["currency"] == "EUR");  // omitted in the push: kept
  // Later catalog changes don't rewrite history.
  REQUIRE_STATUS(api.upsert(json::array({{{"productId", "P"}, {"title", "Newest title"}}})), 200);
  CHECK(feed(api)["events"] == events);
}
