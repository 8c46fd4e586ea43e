// The catalog (README: API / Upsert products (and trigger notifications)): POST /api/v1/products,
// GET /api/v1/products[/{id}], DELETE.

#include <set>

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

json get_product(const Api& api, const std::string& product_id) {
  const HttpResponse r = api.get("/api/v1/products/" + url_encode(product_id));
  REQUIRE_STATUS(r, 200);
  return r.json()["product"];
}

json list_products(const Api& api, const std::string& query_string = {}) {
  const HttpResponse r = api.get("/api/v1/products" + query_string);
  REQUIRE_STATUS(r, 200);
  return r.json();
}

json simple_product(const std::string& id, const std::string& title) {
  return {{"productId", id}, {"title", title}};
}

}  // namespace

TEST_CASE("an upsert stores products and answers them with effective stock and price") {
  TestServer s;
  const Api api = s.api();
  const json hoodie = {
      {"productId", "HOODIE"},
      {"title", "  Hoodie  "},
      {"description", "Warm."},
      {"url", "https://shop.example/hoodie"},
      {"compareAtPriceCents", 6000},
      {"currency", "eur"},
      {"variants",
       {{{"variantId", "HOODIE-S"},
         {"title", "S"},
         {"sku", "H-S"},
         {"priceCents", 4500},
         {"inventoryQuantity", 0},
         {"options", {{{"name", "Size"}, {"value", "S"}}}}},
        {{"variantId", "HOODIE-M"}, {"title", "M"}, {"priceCents", 4200}, {"inStock", true}}}}};
  const HttpResponse up = api.upsert(json::array({hoodie, simple_product("SOCKS", "Socks")}));
  REQUIRE_STATUS(up, 200);
  const json body = up.json();
  CHECK(body["success"] == true);
  CHECK(body["upserted"] == 2);
  CHECK(body["backInStockEventsTriggered"] == 0);
  REQUIRE(body["products"].size() == 2);
  CHECK(up.body.rfind(
            "{\"success\":true,\"upserted\":2,\"created\":2,\"updated\":0,"
            "\"backInStockEventsTriggered\":0,\"products\":[",
            0) == 0);

  const json& p = body["products"][0];
  CHECK(matches(p["id"], kProductId));
  CHECK(p["productId"] == "HOODIE");
  CHECK(p["provider"] == "api");
  CHECK(p["title"] == "Hoodie");  // trimmed
  CHECK(p["description"] == "Warm.");
  CHECK(p["imageUrl"].is_null());
  CHECK(p["url"] == "https://shop.example/hoodie");
  CHECK(p["priceCents"] == 4200);  // the lowest variant price
  CHECK(p["compareAtPriceCents"] == 6000);
  CHECK(p["currency"] == "EUR");
  CHECK(p["inStock"] == true);
  REQUIRE(p["variants"].size() == 2);
  CHECK(p["variants"][0]["variantId"] == "HOODIE-S");
  CHECK(p["variants"][0]["sku"] == "H-S");
  CHECK(p["variants"][0]["inStock"] == false);
  CHECK(p["variants"][0]["inventoryQuantity"] == 0);
  CHECK(p["variants"][0]["options"] == json::array({{{"name", "Size"}, {"value", "S"}}}));
  CHECK(p["variants"][1]["inStock"] == true);
  CHECK(p["variants"][1]["inventoryQuantity"].is_null());
  CHECK(p["variants"][1]["options"] == json::array());
  CHECK(matches(p["createdAt"], kTimestamp));
  CHECK(matches(p["updatedAt"], kTimestamp));

  const json& socks = body["products"][1];
  CHECK(socks["productId"] == "SOCKS");
  CHECK(socks["inStock"] == true);
  CHECK(socks["priceCents"].is_null());
  CHECK(socks["variants"] == json::array());

  // GET answers the same stored product.
  CHECK(get_product(api, "HOODIE") == p);
  CHECK(get_product(api, "SOCKS") == socks);

  // Upserting again keeps the public id and creation time.
  const HttpResponse again = api.upsert(json::array({simple_product("SOCKS", "Socks v2")}));
  REQUIRE_STATUS(again, 200);
  CHECK(again.json()["products"][0]["id"] == socks["id"]);
  CHECK(again.json()["products"][0]["createdAt"] == socks["createdAt"]);
  CHECK(again.json()["products"][0]["title"] == "Socks v2");
}

TEST_CASE("partial update: an omitted field keeps its value, null clears it") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({{{"productId", "LAMP"},
                                          {"title", "Lamp"},
                                          {"description", "Bright."},
                                          {"imageUrl", "https://cdn.example/lamp.png"},
                                          {"url", "https://shop.example/lamp"},
                                          {"priceCents", 1999},
                                          {"compareAtPriceCents", 2499},
                                          {"currency", "GBP"},
                                          {"inStock", false}}})),
                 200);
  REQUIRE_STATUS(api.upsert(json::array({{{"productId", "LAMP"},
                                          {"title", "Lamp 2"},
                                          {"description", nullptr},
                                          {"compareAtPriceCents", nullptr},
                                          {"inStock", nullptr}}})),
                 200);
  const json p = get_product(api, "LAMP");
  CHECK(p["title"] == "Lamp 2");
  CHECK(p["description"].is_null());
  CHECK(p["compareAtPriceCents"].is_null());
  CHECK(p["inStock"] == true);  // explicit false cleared, no variants
  CHECK(p["imageUrl"] == "https://cdn.example/lamp.png");
  CHECK(p["url"] == "https://shop.example/lamp");
  CHECK(p["priceCents"] == 1999);
  CHECK(p["currency"] == "GBP");
}

TEST_CASE("variants: omitted keeps the list, a list replaces it, [] and null remove them all") {
  TestServer s;
  const Api api = s.api();
  const json two_variants = {{"productId", "TEE"},
                             {"title", "Tee"},
                             {"variants",
                              {{{"variantId", "TEE-S"},
                                {"title", "S"},
                                {"priceCents", 1500},
                                {"imageUrl", "https://cdn.example/s.png"}},
                               {{"variantId", "TEE-M"}, {"title", "M"}, {"priceCents", 1200}}}}};
  REQUIRE_STATUS(api.upsert(json::array({two_variants})), 200);

  REQUIRE_STATUS(api.upsert(json::array({simple_product("TEE", "Tee")})), 200);
  json p = get_product(api, "TEE");
  REQUIRE(p["variants"].size() == 2);
  CHECK(p["priceCents"] == 1200);

  // A listed variant is merged onto the stored one: a stock-only push keeps price and image.
  REQUIRE_STATUS(
      api.upsert(json::array(
          {{{"productId", "TEE"},
            {"title", "Tee"},
            {"variants", {{{"variantId", "TEE-S"}, {"title", "S"}, {"inventoryQuantity", 3}}}}}})),
      200);
  p = get_product(api, "TEE");
  REQUIRE(p["variants"].size() == 1);
  CHECK(p["variants"][0]["variantId"] == "TEE-S");
  CHECK(p["variants"][0]["priceCents"] == 1500);
  CHECK(p["variants"][0]["imageUrl"] == "https://cdn.example/s.png");
  CHECK(p["variants"][0]["inventoryQuantity"] == 3);
  CHECK(p["priceCents"] == 1500);

  json empty = simple_product("TEE", "Tee");
  empty["variants"] = json::array();
  REQUIRE_STATUS(api.upsert(json::array({empty})), 200);
  p = get_product(api, "TEE");
  CHECK(p["variants"] == json::array());
  CHECK(p["priceCents"].is_null());

  REQUIRE_STATUS(api.upsert(json::array({two_variants})), 200);
  json cleared = simple_product("TEE", "Tee");
  cleared["variants"] = nullptr;
  REQUIRE_STATUS(api.upsert(json::array({cleared})), 200);
  CHECK(get_product(api, "TEE")["variants"] == json::array());
}

TEST_CASE("a batch is all or nothing: one invalid product stores nothing and lists every problem") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({simple_product("OLD-1", "Old")})), 200);
  REQUIRE_STATUS(api.register_request(request_body("NEW-1", std::nullopt, "a@example.com")), 200);

  const json batch =
      json::array({{{"productId", "NEW-1"}, {"title", "New one"}},
                   {{"productId", "NEW-2"},
                    {"variants",
                     {{{"title", "no id"}},
                      {{"variantId", "V2"}, {"title", "bad price"}, {"priceCents", -1}},
                      {{"variantId", "V3"}, {"title", "x"}, {"colour", "red"}}}}},
                   {{"productId", "OLD-1"},
                    {"title", "Changed"},
                    {"currency", "EURO"},
                    {"imageUrl", "javascript:alert(1)"}},
                   {{"productId", "NEW-1"}, {"title", "Twice"}}});
  const HttpResponse r = api.upsert(batch);
  CHECK_ERROR(r, 400, "validation_failed");
  const json body = r.json();
  CHECK(detail_code(body, "products[1].title") == "required");
  CHECK(detail_code(body, "products[1].variants[0].variantId") == "required");
  CHECK(detail_code(body, "products[1].variants[1].priceCents") == "out_of_range");
  CHECK(detail_code(body, "products[1].variants[2].colour") == "unknown_field");
  CHECK(detail_code(body, "products[2].currency") == "invalid_currency");
  CHECK(detail_code(body, "products[2].imageUrl") == "invalid_url");
  CHECK(detail_code(body, "products[3].productId") == "duplicate_id");
  CHECK(body["details"].size() == 7);

  // Nothing stored: NEW-1 (valid) is not there, OLD-1 unchanged, the waiting request still waits.
  const json listed = list_products(api);
  CHECK(listed["pagination"]["total"] == 1);
  CHECK(get_product(api, "OLD-1")["title"] == "Old");
  CHECK_ERROR(api.get("/api/v1/products/NEW-1"), 404, "not_found");
  CHECK(api.events(query({{"type", "ecommerce.back_in_stock"}})).json()["events"].empty());
}

TEST_CASE("the products array itself: required, 1 to 100 items, no unknown top-level fields") {
  TestServer s;
  const Api api = s.api();
  HttpResponse r = api.post("/api/v1/products", json::object());
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "products") == "required");

  r = api.upsert(json::array());
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "products") == "too_few_items");

  json many = json::array();
  for (int i = 0; i < 101; ++i) many.push_back(simple_product("P-" + std::to_string(i), "x"));
  r = api.upsert(many);
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "products") == "too_many_items");

  many.erase(many.begin());
  r = api.post("/api/v1/products", {{"products", many}, {"dryRun", true}});
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_fields(r.json()) == std::vector<std::string>{"dryRun"});

  r = api.upsert(many);  // exactly 100
  REQUIRE_STATUS(r, 200);
  CHECK(r.json()["upserted"] == 100);
  CHECK(list_products(api, "?limit=1")["pagination"]["total"] == 100);
}

TEST_CASE("GET /api/v1/products pages and searches") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array(
                     {simple_product("A-1", "Blue Shirt"), simple_product("A-2", "Red shirt"),
                      simple_product("A-3", "100% Cotton socks"), simple_product("B-SHIRT", "Hat"),
                      simple_product("A-5", "Scarf")})),
                 200);

  json page = list_products(api);
  REQUIRE(page["products"].size() == 5);
  CHECK(page["pagination"] ==
        json{{"count", 5}, {"hasMore", false}, {"limit", 50}, {"offset", 0}, {"total", 5}});
  // Sorted by productId.
  std::vector<std::string> ids;
  for (const json& p : page["products"]) ids.push_back(p["productId"]);
  CHECK(ids == std::vector<std::string>{"A-1", "A-2", "A-3", "A-5", "B-SHIRT"});

  page = list_products(api, query({{"limit", "2"}}));
  CHECK(page["products"].size() == 2);
  CHECK(page["pagination"] ==
        json{{"count", 2}, {"hasMore", true}, {"limit", 2}, {"offset", 0}, {"total", 5}});
  page = list_products(api, query({{"limit", "2"}, {"offset", "2"}}));
  CHECK(page["products"][0]["productId"] == "A-3");
  CHECK(page["pagination"]["hasMore"] == true);
  page = list_products(api, query({{"limit", "2"}, {"offset", "4"}}));
  CHECK(page["products"].size() == 1);
  CHECK(page["pagination"] ==
        json{{"count", 1}, {"hasMore", false}, {"limit", 2}, {"offset", 4}, {"total", 5}});
  page = list_products(api, query({{"offset", "10"}}));
  CHECK(page["products"].empty());
  CHECK(page["pagination"]["total"] == 5);

  // search: a case-insensitive substring of the product id or the title.
  page = list_products(api, query({{"search", "SHIRT"}}));
  ids.clear();
  for (const json& p : page["products"]) ids.push_back(p["productId"]);
  CHECK(ids == std::vector<std::string>{"A-1", "A-2", "B-SHIRT"});
  CHECK(page["pagination"]["total"] == 3);
  page = list_products(api, query({{"search", "shirt"}, {"limit", "1"}, {"offset", "1"}}));
  CHECK(page["products"][0]["productId"] == "A-2");
  CHECK(page["pagination"] ==
        json{{"count", 1}, {"hasMore", true}, {"limit", 1}, {"offset", 1}, {"total", 3}});
  // LIKE wildcards are literal.
  page = list_products(api, query({{"search", "%"}}));
  REQUIRE(page["products"].size() == 1);
  CHECK(page["products"][0]["productId"] == "A-3");
  CHECK(list_products(api, query({{"search", "A_"}}))["pagination"]["total"] == 0);
  CHECK(list_products(api, query({{"search", "nothing"}}))["products"] == json::array());
}

TEST_CASE("GET /api/v1/products refuses bad paging parameters") {
  TestServer s;
  const Api api = s.api();
  struct Case {
    std::string query_string;
    std::string field;
    std::string code;
  };
  for (const Case& c :
       {Case{"?limit=0", "limit", "out_of_range"}, Case{"?limit=101", "limit", "out_of_range"},
        Case{"?limit=abc", "limit", "not_integer"}, Case{"?offset=-1", "offset", "not_integer"},
        Case{"?limit=2.5", "limit", "not_integer"}}) {
    INFO(c.query_string);
    const HttpResponse r = api.get("/api/v1/products" + c.query_string);
    CHECK_ERROR(r, 400, "validation_failed");
    CHECK(detail_fields(r.json()) == std::vector<std::string>{c.field});
    CHECK(detail_code(r.json(), c.field) == c.code);
  }
  // Both problems at once.
  const HttpResponse both = api.get("/api/v1/products?limit=0&offset=x");
  CHECK_ERROR(both, 400, "validation_failed");
  CHECK(detail_fields(both.json()) == std::vector<std::string>{"limit", "offset"});
}

TEST_CASE("product ids with spaces, unicode and a slash work in the path; DELETE; 404s") {
  TestServer s;
  const Api api = s.api();
  const std::vector<std::string> ids = {"SKU 1/Blue", "Tasse für Kaffee ☕", "a%2Fb", "plus+sign"};
  json batch = json::array();
  for (const std::string& id : ids) batch.push_back(simple_product(id, "T " + id));
  REQUIRE_STATUS(api.upsert(batch), 200);

  for (const std::string& id : ids) {
    INFO(id);
    const HttpResponse r = api.get("/api/v1/products/" + url_encode(id));
    REQUIRE_STATUS(r, 200);
    CHECK(r.json()["product"]["productId"] == id);
    CHECK(r.json()["product"]["title"] == "T " + id);
  }
  // The /v1 alias and a trailing slash on the list.
  CHECK(s.api().get("/v1/products/" + url_encode("SKU 1/Blue")).json()["product"]["productId"] ==
        "SKU 1/Blue");
  CHECK(list_products(api, "/")["pagination"]["total"] == 4);

  HttpResponse del = api.del("/api/v1/products/" + url_encode("SKU 1/Blue"));
  REQUIRE_STATUS(del, 200);
  CHECK(del.json() == json{{"success", true}, {"deleted", true}, {"productId", "SKU 1/Blue"}});
  CHECK_ERROR(api.get("/api/v1/products/" + url_encode("SKU 1/Blue")), 404, "not_found");
  CHECK_ERROR(api.del("/api/v1/products/" + url_encode("SKU 1/Blue")), 404, "not_found");
  // "SKU 1" (no "/Blue") never existed, and neither does the unencoded two-segment path.
  CHECK_ERROR(api.get("/api/v1/products/" + url_encode("SKU 1")), 404, "not_found");
  CHECK_ERROR(api.get("/api/v1/products/a/b"), 404, "not_found");
  CHECK(list_products(api)["pagination"]["total"] == 3);
  CHECK_ERROR(api.get("/api/v1/products/NOPE"), 404, "not_found");
}

TEST_CASE("deleting a product keeps its waiting requests; pushing it again notifies them") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(
      api.upsert(json::array({{{"productId", "GONE"}, {"title", "Gone"}, {"inStock", false}}})),
      200);
  REQUIRE_STATUS(api.register_request(request_body("GONE", std::nullopt, "a@example.com")), 200);
  REQUIRE_STATUS(api.del("/api/v1/products/GONE"), 200);
  const HttpResponse listed = api.get("/api/v1/back-in-stock");
  REQUIRE_STATUS(listed, 200);
  REQUIRE(listed.json()["requests"].size() == 1);
  CHECK(listed.json()["requests"][0]["status"] == "waiting");

  const HttpResponse up = api.upsert(json::array({simple_product("GONE", "Back")}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["backInStockEventsTriggered"] == 1);
}

// core/query.hpp: `search` matches "case-insensitively". SQLite's LIKE folds ASCII only, so a
// shop with non-English titles finds "Äpfel" with "äPFEL"-style queries only if the server
// folds case itself.
TEST_CASE("search is case-insensitive beyond ASCII too") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.upsert(json::array({simple_product("FRUIT-1", "Äpfel aus Südtirol"),
                                         simple_product("FRUIT-2", "Crème brûlée")})),
                 200);
  CHECK(list_products(api, query({{"search", "äpfel"}}))["pagination"]["total"] == 1);
  CHECK(list_products(api, query({{"search", "SÜDTIROL"}}))["pagination"]["total"] == 1);
  CHECK(list_products(api, query({{"search", "CRÈME"}}))["pagination"]["total"] == 1);
  CHECK(list_products(api, query({{"search", "Crème"}}))["pagination"]["total"] == 1);
}
