// Wire compatibility with Sequenzy's Commerce API clients (README: Sequenzy compatibility), over
// HTTP against the real binary: what a client written for Sequenzy sends and reads.
//   - every list route refuses a query parameter it does not know; ?provider= filters products
//   - upsert answers created/updated, delete answers what it deleted; providerCreatedAt
//   - a bodyless POST without Content-Length (curl -X POST) is answered at once (raw socket)
//   - webhooks: Sequenzy's `name`, `status`, event names and the `replay` route
//   - the event's product block carries providerProductId / providerVariantId
// The MCP-level proof (Sequenzy's own @sequenzy/mcp driving this binary) is tests/compat/.

#include "hostile_support.hpp"
#include "http_checks.hpp"

using namespace stockbell::testing;
using namespace stockbell::testing::hostile;

namespace {

HttpResponse patch(const Api& api, const std::string& path, const json& body) {
  return api.send("PATCH", path, body.dump(), {}, "application/json");
}

json create_webhook(const Api& api, const json& body) {
  const HttpResponse r = api.post("/api/v1/webhooks", body);
  REQUIRE_STATUS(r, 200);
  return r.json()["webhook"];
}

std::string head(const std::string& request_line, const std::string& key,
                 const std::string& extra = {}) {
  return request_line + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key + "\r\n" + extra +
         "\r\n";
}

}  // namespace

TEST_CASE("every list route refuses a query parameter it does not know") {
  TestServer s;
  const Api api = s.api();
  const std::string hook = create_webhook(api, {{"url", "http://127.0.0.1:9/x"}})["id"];
  struct List {
    std::string path;
    std::string known;  ///< a query with every parameter it knows: answered 200
  };
  const std::vector<List> lists = {
      {"/api/v1/products", "limit=5&offset=0&search=x&provider=api"},
      {"/api/v1/back-in-stock",
       "limit=5&offset=0&productId=a&variantId=b&status=waiting&email=a%40b.example"},
      {"/api/v1/events", "limit=5&type=ecommerce.back_in_stock"},
      {"/api/v1/webhooks", ""},
      {"/api/v1/webhooks/" + hook + "/deliveries", "limit=5&offset=0&status=failed"},
      {"/api/v1/integrations", "includeInactive=true"},
      {"/api/v1/stats/conversions", "days=7&limit=5"},
  };
  for (const List& list : lists) {
    for (const std::string& prefix : {std::string(""), std::string("/v1")}) {
      const std::string path = prefix.empty() ? list.path : "/v1" + list.path.substr(7);
      INFO(path);
      CHECK_STATUS(api.get(path + (list.known.empty() ? "" : "?" + list.known)), 200);
      HttpResponse r = api.get(path + "?serach=linen");
      CHECK_ERROR(r, 400, "validation_failed");
      CHECK(detail_fields(r.json()) == std::vector<std::string>{"serach"});
      CHECK(detail_code(r.json(), "serach") == "unknown_parameter");
      CHECK(r.json()["details"][0]["message"] == "Unknown query parameter.");
      // Beside the known ones, and every unknown one once.
      r = api.get(path + "?limit=1&_=1732&page=2&_=1733");
      CHECK_ERROR(r, 400, "validation_failed");
      CHECK(detail_code(r.json(), "_") == "unknown_parameter");
      CHECK(detail_code(r.json(), "page") == "unknown_parameter");
      if (list.path == "/api/v1/webhooks" || list.path == "/api/v1/integrations")
        CHECK(detail_code(r.json(), "limit") == "unknown_parameter");
      else
        CHECK(detail_fields(r.json()).size() == 2);
    }
  }
  // `after` is the feed's cursor: known, whatever it says.
  CHECK(detail_code(api.get("/api/v1/events?after=evt_x").json(), "after") != "unknown_parameter");
  // The storefront's availability check is no list: cache busters are common on shop pages.
  CHECK_STATUS(api.get("/api/v1/storefront/availability?productId=SKU-1&_=1732"), 200);
}

TEST_CASE("?provider= filters products: every pushed product is provider api") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({{{"productId", "A"}, {"title", "Linen shirt"}},
                                         {{"productId", "B"}, {"title", "Mug"}}})),
                 200);
  json r = api.get("/api/v1/products?provider=api").json();
  CHECK(r["products"].size() == 2);
  CHECK(r["pagination"]["total"] == 2);
  for (const json& p : r["products"]) CHECK(p["provider"] == "api");
  CHECK(api.get("/api/v1/products?provider=api&search=shirt").json()["products"].size() == 1);
  for (const char* other : {"stripe", "shopify", "woocommerce", "manual"}) {
    INFO(other);
    const HttpResponse none = api.get(std::string("/api/v1/products?provider=") + other);
    REQUIRE_STATUS(none, 200);
    CHECK(none.json()["products"].empty());
    CHECK(none.json()["pagination"] ==
          json({{"count", 0}, {"hasMore", false}, {"limit", 50}, {"offset", 0}, {"total", 0}}));
  }
  const HttpResponse bad = api.get("/api/v1/products?provider=magento");
  CHECK_ERROR(bad, 400, "validation_failed");
  CHECK(detail_code(bad.json(), "provider") == "invalid_value");
  CHECK(bad.json()["details"][0]["message"] ==
        "Must be one of: api, manual, shopify, stripe, woocommerce.");
}

TEST_CASE("upsert answers created and updated; delete answers the productId") {
  TestServer s;
  const Api api = s.api();
  HttpResponse r = api.upsert(json::array({{{"productId", "A"}, {"title", "A"}},
                                           {{"productId", "B"}, {"title", "B"}}}));
  REQUIRE_STATUS(r, 200);
  CHECK(r.json()["upserted"] == 2);
  CHECK(r.json()["created"] == 2);
  CHECK(r.json()["updated"] == 0);
  r = api.upsert(json::array({{{"productId", "B"}, {"title", "B2"}},
                              {{"productId", "C"}, {"title", "C"}}}));
  REQUIRE_STATUS(r, 200);
  CHECK(r.json()["upserted"] == 2);
  CHECK(r.json()["created"] == 1);
  CHECK(r.json()["updated"] == 1);
  CHECK(r.json()["backInStockEventsTriggered"] == 0);
  // A refused batch creates nothing.
  CHECK_ERROR(api.upsert(json::array({{{"productId", "D"}, {"title", "D"}},
                                      {{"productId", "E"}, {"title", ""}}})),
              400, "validation_failed");
  CHECK(api.get("/api/v1/products").json()["pagination"]["total"] == 3);

  r = api.del("/api/v1/products/" + url_encode("B"));
  REQUIRE_STATUS(r, 200);
  CHECK(r.json() == json({{"success", true}, {"deleted", true}, {"productId", "B"}}));
  CHECK_ERROR(api.del("/api/v1/products/B"), 404, "not_found");
}

TEST_CASE("providerCreatedAt: validated, stored, echoed in UTC, omitted keeps, null clears") {
  TestServer s;
  const Api api = s.api();
  HttpResponse r = api.upsert(json::array(
      {{{"productId", "A"}, {"title", "A"}, {"providerCreatedAt", "2026-01-02T04:04:05+01:00"}}}));
  REQUIRE_STATUS(r, 200);
  CHECK(r.json()["products"][0]["providerCreatedAt"] == "2026-01-02T03:04:05.000Z");
  auto stored = [&] {
    return api.get("/api/v1/products/A").json()["product"]["providerCreatedAt"];
  };
  CHECK(stored() == "2026-01-02T03:04:05.000Z");
  REQUIRE_STATUS(api.upsert(json::array({{{"productId", "A"}, {"title", "A"}, {"inStock", true}}})),
                 200);
  CHECK(stored() == "2026-01-02T03:04:05.000Z");  // omitted: kept
  r = api.upsert(json::array(
      {{{"productId", "A"}, {"title", "A"}, {"providerCreatedAt", "2026-13-01T00:00:00Z"}},
       {{"productId", "B"}, {"title", "B"}, {"providerCreatedAt", 1767323045}}}));
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "products[0].providerCreatedAt") == "invalid_timestamp");
  CHECK(detail_code(r.json(), "products[1].providerCreatedAt") == "invalid_type");
  CHECK(stored() == "2026-01-02T03:04:05.000Z");  // the refused batch changed nothing
  REQUIRE_STATUS(api.upsert(json::array(
                     {{{"productId", "A"}, {"title", "A"}, {"providerCreatedAt", nullptr}}})),
                 200);
  CHECK(stored() == nullptr);
}

TEST_CASE("the event's product block carries Sequenzy's providerProductId and providerVariantId") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array(
                     {{{"productId", "P"},
                       {"title", "Protein"},
                       {"variants", {{{"variantId", "P-V"}, {"title", "Vanilla"}, {"inventoryQuantity", 0}}}}}})),
                 200);
  REQUIRE_STATUS(api.register_request(request_body("P", "P-V", "a@example.com")), 200);
  const HttpResponse push = api.upsert(json::array(
      {{{"productId", "P"},
        {"title", "Protein"},
        {"variants", {{{"variantId", "P-V"}, {"title", "Vanilla"}, {"inventoryQuantity", 3}}}}}}));
  REQUIRE_STATUS(push, 200);
  CHECK(push.json()["backInStockEventsTriggered"] == 1);
  const json events = api.events().json()["events"];
  REQUIRE(events.size() == 2);
  for (const json& e : events) {
    INFO(e.dump());
    CHECK(e["product"]["productId"] == "P");
    CHECK(e["product"]["variantId"] == "P-V");
    CHECK(e["product"]["providerProductId"] == "P");
    CHECK(e["product"]["providerVariantId"] == "P-V");
  }
  CHECK(events[1]["type"] == "ecommerce.back_in_stock");
}

// RFC 9112 §6.3: a request with neither Content-Length nor Transfer-Encoding has an empty body.
// `curl -X POST` sends exactly that. httplib 0.11.4 read such a body until the client closed,
// so the answer came after the read timeout (5 s), as a 400. Asked on a raw socket, the answer
// must come at once (well within 2 s) and the connection must serve the next request.
TEST_CASE("a bodyless POST without Content-Length is a request with an empty body") {
  TestServer s;
  const Api api = s.api();
  const json hook = create_webhook(api, {{"url", "http://127.0.0.1:9/x"}});
  const std::string id = hook["id"];

  SUBCASE("rotate-secret, then another request on the same connection") {
    RawConnection conn(s.server.host(), s.server.port());
    conn.send(head("POST /api/v1/webhooks/" + id + "/rotate-secret HTTP/1.1", s.secret));
    const RawResponse r = conn.read_response(2s);
    INFO(r.status_line << " " << r.body);
    REQUIRE(r.status == 200);
    const json body = json::parse(r.body);
    CHECK(body["webhook"]["id"] == id);
    CHECK(body["webhook"]["secret"] != hook["secret"]);
    conn.send(head("GET /api/v1/webhooks/" + id + " HTTP/1.1", s.secret));
    const RawResponse again = conn.read_response(2s);
    CHECK(again.status == 200);
    CHECK(json::parse(again.body)["webhook"]["id"] == id);
  }

  SUBCASE("pipelined: the next request is not taken for the first one's body") {
    RawConnection conn(s.server.host(), s.server.port());
    conn.send(head("POST /api/v1/webhooks/" + id + "/rotate-secret HTTP/1.1", s.secret) +
              head("GET /healthz HTTP/1.1", s.secret));
    const RawResponse first = conn.read_response(2s);
    CHECK(first.status == 200);
    const RawResponse second = conn.read_response(2s);
    CHECK(second.status == 200);
    CHECK(json::parse(second.body, nullptr, false).value("status", "") == "ok");
  }

  SUBCASE("a route that takes a body reads an empty one") {
    RawConnection conn(s.server.host(), s.server.port());
    conn.send(head("POST /api/v1/products HTTP/1.1", s.secret,
                   "Content-Type: application/json\r\n"));
    const RawResponse r = conn.read_response(2s);
    CHECK(r.status == 400);
    CHECK(json::parse(r.body, nullptr, false).value("code", "") == "invalid_json");
  }

  SUBCASE("DELETE and PATCH without Content-Length") {
    REQUIRE_STATUS(api.upsert(json::array({{{"productId", "GONE"}, {"title", "Gone"}}})), 200);
    RawConnection conn(s.server.host(), s.server.port());
    conn.send(head("DELETE /api/v1/products/GONE HTTP/1.1", s.secret));
    const RawResponse r = conn.read_response(2s);
    CHECK(r.status == 200);
    CHECK(json::parse(r.body, nullptr, false).value("productId", "") == "GONE");
    conn.send(head("PATCH /api/v1/webhooks/" + id + " HTTP/1.1", s.secret,
                   "Content-Type: application/json\r\n"));
    const RawResponse p = conn.read_response(2s);
    CHECK(p.status == 400);
    CHECK(json::parse(p.body, nullptr, false).value("code", "") == "invalid_json");
  }
}

TEST_CASE("webhooks as a Sequenzy client creates and changes them") {
  TestServer s;
  const Api api = s.api();

  SUBCASE("name is the endpoint's label; no events means every type") {
    const HttpResponse r =
        api.post("/api/v1/webhooks", {{"name", "Stockbell"}, {"url", "https://hooks.example/x"}});
    REQUIRE_STATUS(r, 200);
    const json w = r.json()["webhook"];
    CHECK(w["name"] == "Stockbell");
    CHECK(w["description"] == "Stockbell");
    CHECK(w["status"] == "enabled");
    CHECK(w["enabled"] == true);
    CHECK(w["events"] ==
          json::array({"ecommerce.back_in_stock_requested", "ecommerce.back_in_stock",
                       "ecommerce.order_placed", "ecommerce.order_cancelled",
                       "ecommerce.order_fulfilled", "ecommerce.order_refunded"}));
    CHECK(w["secret"].is_string());
  }

  SUBCASE("Sequenzy's event types are refused with the list of Stockbell's") {
    const HttpResponse r = api.post(
        "/api/v1/webhooks", {{"name", "Stockbell"},
                             {"url", "https://hooks.example/x"},
                             {"events", {"subscriber.created", "email.sent"}}});
    CHECK_ERROR(r, 400, "validation_failed");
    const std::string ours =
        "ecommerce.back_in_stock_requested, ecommerce.back_in_stock, ecommerce.order_placed, "
        "ecommerce.order_cancelled, ecommerce.order_fulfilled, ecommerce.order_refunded, *";
    CHECK(r.json()["error"].get<std::string>().find(ours) != std::string::npos);
    CHECK(detail_code(r.json(), "events[0]") == "invalid_value");
    CHECK(detail_code(r.json(), "events[1]") == "invalid_value");
    CHECK(r.json()["details"][0]["message"] == "Must be one of: " + ours + ".");
    CHECK(api.get("/api/v1/webhooks").json()["webhooks"].empty());
  }

  SUBCASE("PATCH status disabled / enabled, name, and what disagrees") {
    const std::string path =
        "/api/v1/webhooks/" +
        create_webhook(api, {{"name", "a"}, {"url", "https://hooks.example/x"}})["id"]
            .get<std::string>();
    HttpResponse r = patch(api, path, {{"status", "disabled"}, {"name", "renamed"}});
    REQUIRE_STATUS(r, 200);
    CHECK(r.json()["webhook"]["status"] == "disabled");
    CHECK(r.json()["webhook"]["enabled"] == false);
    CHECK(r.json()["webhook"]["name"] == "renamed");
    CHECK(r.json()["webhook"]["description"] == "renamed");
    r = patch(api, path, {{"status", "enabled"}});
    REQUIRE_STATUS(r, 200);
    CHECK(r.json()["webhook"]["enabled"] == true);
    r = patch(api, path, {{"status", "paused"}});
    CHECK_ERROR(r, 400, "validation_failed");
    CHECK(detail_code(r.json(), "status") == "invalid_value");
    r = patch(api, path, {{"status", "disabled"}, {"enabled", true}, {"name", "x"}, {"description", "y"}});
    CHECK_ERROR(r, 400, "validation_failed");
    CHECK(detail_code(r.json(), "status") == "invalid_value");
    CHECK(detail_code(r.json(), "name") == "invalid_value");
    const json now = api.get(path).json()["webhook"];
    CHECK(now["enabled"] == true);
    CHECK(now["name"] == "renamed");
    // The object as read, sent back whole (minus what only the server sets), is accepted.
    json echo = now;
    for (const char* k : {"id", "createdAt", "updatedAt"}) echo.erase(k);
    CHECK_STATUS(patch(api, path, echo), 200);
  }

  SUBCASE("delete answers the webhookId") {
    const std::string id = create_webhook(api, {{"url", "https://hooks.example/x"}})["id"];
    const HttpResponse r = api.del("/api/v1/webhooks/" + id);
    REQUIRE_STATUS(r, 200);
    CHECK(r.json() == json({{"success", true}, {"deleted", true}, {"webhookId", id}}));
  }

  SUBCASE("replay is Sequenzy's name for retry") {
    const std::string id = create_webhook(api, {{"url", "http://127.0.0.1:9/never"}})["id"];
    REQUIRE_STATUS(api.register_request(request_body("SKU-1", std::nullopt, "a@example.com")), 200);
    const json deliveries = api.get("/api/v1/webhooks/" + id + "/deliveries").json()["deliveries"];
    REQUIRE(deliveries.size() == 1);
    const std::string delivery = deliveries[0]["id"];
    for (const char* action : {"replay", "retry"}) {
      INFO(action);
      const HttpResponse r = api.post_raw(
          "/api/v1/webhooks/" + id + "/deliveries/" + delivery + "/" + action, "", std::nullopt);
      REQUIRE_STATUS(r, 200);
      CHECK(r.json()["delivery"]["id"] == delivery);
      CHECK(r.json()["delivery"]["status"] == "pending");
    }
    CHECK_ERROR(api.post_raw("/api/v1/webhooks/" + id + "/deliveries/whd_0000000000000/replay",
                             "", std::nullopt),
                404, "not_found");
  }
}
