// POST /api/v1/back-in-stock (README: API / Register a back-in-stock request) and what a later
// upsert does to it (README: API / Upsert products (and trigger notifications)).

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

json events_of_type(const Api& api, const std::string& type) {
  const HttpResponse r = api.events(query({{"type", type}, {"limit", "1000"}}));
  REQUIRE_STATUS(r, 200);
  return r.json()["events"];
}

json list_requests(const Api& api, const std::string& query_string = {}) {
  const HttpResponse r = api.get("/api/v1/back-in-stock" + query_string);
  REQUIRE_STATUS(r, 200);
  return r.json();
}

}  // namespace

TEST_CASE("the issue's seed example: a sold-out variant, a shopper, then 12 back in stock") {
  // Shared by every subcase: the shopper's request, registered; the push that puts 12 back in
  // stock is made by the subcases that need it.
  TestServer s;
  const Api api = s.api();
  const HttpResponse reg = api.register_request({{"productId", "SKU-PROTEIN-1KG"},
                                                 {"variantId", "SKU-PROTEIN-1KG-VANILLA"},
                                                 {"customer", {{"email", "buyer@example.com"}}}});
  REQUIRE_STATUS(reg, 200);
  const json body = reg.json();
  // value(): a malformed answer fails the first subcase's checks, not this setup.
  const std::string subscriber_id = body.value("subscriberId", std::string());
  const std::string request_id = body.value("requestId", std::string());
  const json product = {{"productId", "SKU-PROTEIN-1KG"},
                        {"title", "Protein 1kg"},
                        {"url", "https://shop.example/p/protein"},
                        {"imageUrl", "https://cdn.shop.example/protein.jpg"},
                        {"priceCents", 2999},
                        {"currency", "usd"},
                        {"variants",
                         {{{"variantId", "SKU-PROTEIN-1KG-VANILLA"},
                           {"title", "Vanilla"},
                           {"priceCents", 3199},
                           {"inventoryQuantity", 12}},
                          {{"variantId", "SKU-PROTEIN-1KG-CHOCOLATE"},
                           {"title", "Chocolate"},
                           {"inventoryQuantity", 0}}}}};
  const auto push = [&] {
    const HttpResponse up = api.upsert(json::array({product}));
    REQUIRE_STATUS(up, 200);
    return up.json();
  };

  SUBCASE("the answer: new ids, waiting; one requested event and nothing back in stock yet") {
    CHECK(reg.media_type() == "application/json");
    CHECK(body["success"] == true);
    CHECK(matches(body["subscriberId"], kSubscriberId));
    CHECK(matches(body["requestId"], kRequestId));
    CHECK(body["status"] == "waiting");
    CHECK(body["created"] == true);
    CHECK(body.size() == 5);
    // Fixed key order: a Sequenzy client reading the first keys works unchanged.
    CHECK(reg.body.rfind("{\"success\":true,\"subscriberId\":\"sub_", 0) == 0);

    const json requested = events_of_type(api, "ecommerce.back_in_stock_requested");
    REQUIRE(requested.size() == 1);
    CHECK(requested[0]["request"]["id"] == request_id);
    CHECK(requested[0]["subscriber"]["id"] == subscriber_id);
    CHECK(events_of_type(api, "ecommerce.back_in_stock").empty());
  }

  SUBCASE("the push answers effective stock and one notification") {
    const json upserted = push();
    CHECK(upserted["success"] == true);
    CHECK(upserted["upserted"] == 1);
    CHECK(upserted["backInStockEventsTriggered"] == 1);
    REQUIRE(upserted["products"].size() == 1);
    CHECK(upserted["products"][0]["inStock"] == true);
    CHECK(upserted["products"][0]["currency"] == "USD");
    CHECK(upserted["products"][0]["variants"][0]["inStock"] == true);
    CHECK(upserted["products"][0]["variants"][0]["inventoryQuantity"] == 12);
    CHECK(upserted["products"][0]["variants"][1]["inStock"] == false);
  }

  SUBCASE("the event snapshots the catalog, and the request is notified") {
    push();
    const json requested = events_of_type(api, "ecommerce.back_in_stock_requested");
    REQUIRE(requested.size() == 1);
    const json notified = events_of_type(api, "ecommerce.back_in_stock");
    REQUIRE(notified.size() == 1);
    const json& event = notified[0];
    CHECK(matches(event["id"], kEventId));
    CHECK(event["type"] == "ecommerce.back_in_stock");
    CHECK(matches(event["createdAt"], kTimestamp));
    CHECK(event["subscriber"]["id"] == subscriber_id);
    CHECK(event["subscriber"]["email"] == "buyer@example.com");
    CHECK(event["product"]["productId"] == "SKU-PROTEIN-1KG");
    CHECK(event["product"]["variantId"] == "SKU-PROTEIN-1KG-VANILLA");
    CHECK(event["product"]["productTitle"] == "Protein 1kg");
    CHECK(event["product"]["variantTitle"] == "Vanilla");
    CHECK(event["product"]["url"] == "https://shop.example/p/protein");
    CHECK(event["product"]["imageUrl"] == "https://cdn.shop.example/protein.jpg");
    CHECK(event["product"]["priceCents"] == 3199);  // the variant's price wins
    CHECK(event["product"]["currency"] == "USD");
    CHECK(event["request"]["id"] == request_id);
    CHECK(event["request"]["createdAt"] == requested[0]["request"]["createdAt"]);

    const json listed = list_requests(api);
    REQUIRE(listed["requests"].size() == 1);
    CHECK(listed["requests"][0]["status"] == "notified");
    CHECK(matches(listed["requests"][0]["notifiedAt"], kTimestamp));
    CHECK(listed["requests"][0]["cancelledAt"].is_null());
  }

  SUBCASE("the same push again: nothing is waiting any more, so nothing fires twice") {
    push();
    const HttpResponse again = api.upsert(json::array({product}));
    REQUIRE_STATUS(again, 200);
    CHECK(again.json()["backInStockEventsTriggered"] == 0);
    CHECK(events_of_type(api, "ecommerce.back_in_stock").size() == 1);
  }

  SUBCASE("asking again after being notified is a new request (the old one is done)") {
    push();
    const HttpResponse second = api.register_request(
        request_body("SKU-PROTEIN-1KG", "SKU-PROTEIN-1KG-VANILLA", "buyer@example.com"));
    REQUIRE_STATUS(second, 200);
    CHECK(second.json()["created"] == true);
    CHECK(second.json()["requestId"] != request_id);
    CHECK(second.json()["subscriberId"] == subscriber_id);
  }
}

TEST_CASE("the same request twice is one request; e-mail case and whitespace do not matter") {
  TestServer s;
  const Api api = s.api();
  json first = request_body("SKU-TEE", "SKU-TEE-M", "Buyer@Example.com");
  first["productTitle"] = "Tee";
  const HttpResponse a = api.register_request(first);
  REQUIRE_STATUS(a, 200);
  CHECK(a.json()["created"] == true);

  json repeat = request_body("SKU-TEE", "SKU-TEE-M", "  buyer@EXAMPLE.COM\t");
  repeat["productTitle"] = "Tee (new title)";
  repeat["variantTitle"] = "M";
  const HttpResponse b = api.register_request(repeat);
  REQUIRE_STATUS(b, 200);
  CHECK(b.json()["created"] == false);
  CHECK(b.json()["status"] == "waiting");
  CHECK(b.json()["requestId"] == a.json()["requestId"]);
  CHECK(b.json()["subscriberId"] == a.json()["subscriberId"]);

  // Without titles the refreshed snapshot stays.
  const HttpResponse c =
      api.register_request(request_body("SKU-TEE", "SKU-TEE-M", "buyer@example.com"));
  REQUIRE_STATUS(c, 200);
  CHECK(c.json()["created"] == false);
  CHECK(c.json()["requestId"] == a.json()["requestId"]);

  const json listed = list_requests(api);
  REQUIRE(listed["requests"].size() == 1);
  const json& request = listed["requests"][0];
  CHECK(request["email"] == "buyer@example.com");
  CHECK(request["productTitle"] == "Tee (new title)");
  CHECK(request["variantTitle"] == "M");
  CHECK(events_of_type(api, "ecommerce.back_in_stock_requested").size() == 1);

  // Another variant for the same shopper is another request of the same subscriber.
  const HttpResponse other =
      api.register_request(request_body("SKU-TEE", "SKU-TEE-L", "buyer@example.com"));
  REQUIRE_STATUS(other, 200);
  CHECK(other.json()["created"] == true);
  CHECK(other.json()["requestId"] != a.json()["requestId"]);
  CHECK(other.json()["subscriberId"] == a.json()["subscriberId"]);
}

TEST_CASE("a product not in the catalog is accepted and waits; variantId defaults to productId") {
  TestServer s;
  const Api api = s.api();
  const HttpResponse reg =
      api.register_request(request_body("SKU-NEW", std::nullopt, "a@example.com"));
  REQUIRE_STATUS(reg, 200);
  CHECK(reg.json()["status"] == "waiting");
  const json listed = list_requests(api);
  REQUIRE(listed["requests"].size() == 1);
  CHECK(listed["requests"][0]["productId"] == "SKU-NEW");
  CHECK(listed["requests"][0]["variantId"] == "SKU-NEW");
  CHECK(listed["requests"][0]["productTitle"].is_null());

  // The requested event has no catalog facts yet; the request's own titles are null too.
  const json requested = events_of_type(api, "ecommerce.back_in_stock_requested");
  REQUIRE(requested.size() == 1);
  CHECK(requested[0]["product"]["productId"] == "SKU-NEW");
  CHECK(requested[0]["product"]["variantId"] == "SKU-NEW");
  CHECK(requested[0]["product"]["productTitle"].is_null());
  CHECK(requested[0]["product"]["priceCents"].is_null());
}

TEST_CASE("a product-level request is notified when the product becomes in stock") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.register_request(request_body("SKU-BAG", std::nullopt, "a@example.com")), 200);

  // Every variant sold out: the product is out of stock.
  json product = {{"productId", "SKU-BAG"},
                  {"title", "Bag"},
                  {"variants",
                   {{{"variantId", "SKU-BAG-RED"}, {"title", "Red"}, {"inventoryQuantity", 0}},
                    {{"variantId", "SKU-BAG-BLUE"}, {"title", "Blue"}, {"inStock", false}}}}};
  HttpResponse up = api.upsert(json::array({product}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["backInStockEventsTriggered"] == 0);
  CHECK(up.json()["products"][0]["inStock"] == false);

  // One variant back: the product is in stock.
  product["variants"][1]["inStock"] = true;
  up = api.upsert(json::array({product}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["products"][0]["inStock"] == true);
  CHECK(up.json()["backInStockEventsTriggered"] == 1);
  const json notified = events_of_type(api, "ecommerce.back_in_stock");
  REQUIRE(notified.size() == 1);
  CHECK(notified[0]["product"]["variantId"] == "SKU-BAG");
  CHECK(notified[0]["product"]["productTitle"] == "Bag");
  CHECK(notified[0]["product"]["variantTitle"].is_null());
}

TEST_CASE("a product without variants is in stock unless it says otherwise") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.register_request(request_body("SKU-MUG", std::nullopt, "a@example.com")), 200);
  HttpResponse up =
      api.upsert(json::array({{{"productId", "SKU-MUG"}, {"title", "Mug"}, {"inStock", false}}}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["backInStockEventsTriggered"] == 0);
  // `inStock: null` clears the explicit value: no variants → in stock.
  up =
      api.upsert(json::array({{{"productId", "SKU-MUG"}, {"title", "Mug"}, {"inStock", nullptr}}}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["products"][0]["inStock"] == true);
  CHECK(up.json()["backInStockEventsTriggered"] == 1);
}

TEST_CASE("a variant request is not notified when only another variant comes back") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.register_request(request_body("SKU-SHOE", "SKU-SHOE-42", "a@example.com")),
                 200);
  json product = {{"productId", "SKU-SHOE"},
                  {"title", "Shoe"},
                  {"variants",
                   {{{"variantId", "SKU-SHOE-42"}, {"title", "42"}, {"inventoryQuantity", 0}},
                    {{"variantId", "SKU-SHOE-43"}, {"title", "43"}, {"inventoryQuantity", 5}}}}};
  HttpResponse up = api.upsert(json::array({product}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["products"][0]["inStock"] == true);  // the product is, the target is not
  CHECK(up.json()["backInStockEventsTriggered"] == 0);
  CHECK(list_requests(api)["requests"][0]["status"] == "waiting");

  product["variants"][0]["inventoryQuantity"] = 1;
  up = api.upsert(json::array({product}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["backInStockEventsTriggered"] == 1);
  CHECK(list_requests(api)["requests"][0]["status"] == "notified");
}

TEST_CASE("an explicit inStock:false beats inventoryQuantity > 0; null clears it, omitted keeps") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.register_request(request_body("SKU-CAP", "SKU-CAP-1", "a@example.com")), 200);
  HttpResponse up = api.upsert(json::array({{{"productId", "SKU-CAP"},
                                             {"title", "Cap"},
                                             {"variants",
                                              {{{"variantId", "SKU-CAP-1"},
                                                {"title", "One size"},
                                                {"inStock", false},
                                                {"inventoryQuantity", 7}}}}}}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["backInStockEventsTriggered"] == 0);
  CHECK(up.json()["products"][0]["variants"][0]["inStock"] == false);

  // inventoryQuantity omitted (kept: 7), inStock omitted (kept: false): still sold out.
  up = api.upsert(
      json::array({{{"productId", "SKU-CAP"},
                    {"title", "Cap"},
                    {"variants", {{{"variantId", "SKU-CAP-1"}, {"title", "One size"}}}}}}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["backInStockEventsTriggered"] == 0);
  CHECK(up.json()["products"][0]["variants"][0]["inventoryQuantity"] == 7);
  CHECK(up.json()["products"][0]["variants"][0]["inStock"] == false);

  // inStock null: cleared, so the kept quantity 7 decides.
  up = api.upsert(json::array(
      {{{"productId", "SKU-CAP"},
        {"title", "Cap"},
        {"variants",
         {{{"variantId", "SKU-CAP-1"}, {"title", "One size"}, {"inStock", nullptr}}}}}}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["products"][0]["variants"][0]["inStock"] == true);
  CHECK(up.json()["backInStockEventsTriggered"] == 1);
}

TEST_CASE("an invalid request is refused with every problem, and nothing is stored") {
  TestServer s;
  const Api api = s.api();
  const HttpResponse r =
      api.register_request({{"productId", "   "},
                            {"variantId", 42},
                            {"productTitle", std::string(501, 't')},
                            {"customer",
                             {{"email", "buyer@@example.com"},
                              {"firstName", std::string(101, 'n')},
                              {"attributes", {{"first name", "x"}, {"tags", json::array({"a"})}}}}},
                            {"emial", "buyer@example.com"}});
  CHECK_ERROR(r, 400, "validation_failed");
  const json body = r.json();
  CHECK(detail_code(body, "productId") == "empty");
  CHECK(detail_code(body, "variantId") == "invalid_type");
  CHECK(detail_code(body, "productTitle") == "too_long");
  CHECK(detail_code(body, "customer.email") == "invalid_email");
  CHECK(detail_code(body, "customer.firstName") == "too_long");
  CHECK(detail_code(body, "customer.attributes[\"first name\"]") == "invalid_attribute_name");
  CHECK(detail_code(body, "customer.attributes.tags") == "invalid_attribute_value");
  CHECK(detail_code(body, "emial") == "unknown_field");
  CHECK(body["details"].size() == 8);
  for (const json& d : body["details"])
    if (d["code"] == "too_long") CHECK(d.contains("limit"));

  // The required ones.
  const HttpResponse empty = api.register_request(json::object());
  CHECK_ERROR(empty, 400, "validation_failed");
  CHECK(detail_code(empty.json(), "productId") == "required");
  CHECK(detail_code(empty.json(), "customer") == "required");
  const HttpResponse no_email =
      api.register_request({{"productId", "P"}, {"customer", json::object()}});
  CHECK_ERROR(no_email, 400, "validation_failed");
  CHECK(detail_fields(no_email.json()) == std::vector<std::string>{"customer.email"});
  CHECK(detail_code(no_email.json(), "customer.email") == "required");

  CHECK(list_requests(api)["pagination"]["total"] == 0);
  CHECK(api.events().json()["events"].empty());
}

TEST_CASE(
    "the customer's profile: the store's backend may change it, a storefront only fill it in") {
  TestServer s;
  const Api api = s.api();
  const std::string pk = s.create_key("shop", "publishable");
  json with_profile = request_body("P-1", std::nullopt, "ann@example.com");
  with_profile["customer"]["firstName"] = "Ann";
  with_profile["customer"]["lastName"] = "Lee";
  with_profile["customer"]["externalId"] = "cust-7";
  REQUIRE_STATUS(api.register_request(with_profile), 200);

  // A publishable key (anyone on the storefront) can't rename her.
  json rename = request_body("P-2", std::nullopt, "ann@example.com");
  rename["customer"]["firstName"] = "Mallory";
  REQUIRE_STATUS(s.api(pk).register_request(rename), 200);
  // The secret key can.
  json update = request_body("P-3", std::nullopt, "ann@example.com");
  update["customer"]["lastName"] = "Lee-Smith";
  REQUIRE_STATUS(api.register_request(update), 200);

  const json events = events_of_type(api, "ecommerce.back_in_stock_requested");
  REQUIRE(events.size() == 3);
  // Events read the subscriber as it is now.
  const json& subscriber = events[2]["subscriber"];
  CHECK(subscriber["firstName"] == "Ann");
  CHECK(subscriber["lastName"] == "Lee-Smith");
  CHECK(subscriber["externalId"] == "cust-7");
  CHECK(subscriber["email"] == "ann@example.com");
  CHECK(events[0]["subscriber"]["id"] == events[2]["subscriber"]["id"]);
}

TEST_CASE("one batch notifies waiting requests on several products, and counts them all") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(api.register_request(request_body("P1", "P1-S", "a@example.com")), 200);
  REQUIRE_STATUS(api.register_request(request_body("P1", "P1-M", "a@example.com")), 200);
  REQUIRE_STATUS(api.register_request(request_body("P1", "P1-M", "b@example.com")), 200);
  REQUIRE_STATUS(api.register_request(request_body("P2", std::nullopt, "c@example.com")), 200);
  REQUIRE_STATUS(api.register_request(request_body("P3", std::nullopt, "d@example.com")), 200);
  const HttpResponse up = api.upsert(
      json::array({{{"productId", "P1"},
                    {"title", "One"},
                    {"variants",
                     {{{"variantId", "P1-S"}, {"title", "S"}},
                      {{"variantId", "P1-M"}, {"title", "M"}, {"inventoryQuantity", 9}}}}},
                   {{"productId", "P2"}, {"title", "Two"}},
                   {{"productId", "P3"}, {"title", "Three"}, {"inStock", false}},
                   {{"productId", "P4"}, {"title", "Four"}}}));
  REQUIRE_STATUS(up, 200);
  CHECK(up.json()["upserted"] == 4);
  CHECK(up.json()["backInStockEventsTriggered"] == 4);
  CHECK(events_of_type(api, "ecommerce.back_in_stock").size() == 4);
  const json waiting = list_requests(api, "?status=waiting")["requests"];
  REQUIRE(waiting.size() == 1);
  CHECK(waiting[0]["productId"] == "P3");
}

// Issue 20 §4: names and titles took bidi overrides and invisible characters, so a stranger
// could make "moc.elpmaxe" read as "example.com" in the e-mail the shopper gets.
TEST_CASE("names and titles with bidi overrides or invisible characters are refused, and stored nowhere") {
  TestServer s;
  const Api pk = s.api(s.create_key("shop", "publishable"));
  json body = request_body("P-1", std::nullopt, "ann@example.com");
  body["customer"]["firstName"] = "Ann \u202Emoc.elpmaxe";
  body["productTitle"] = "Shirt\u200B";
  const HttpResponse r = pk.register_request(body);
  CHECK_ERROR(r, 400, "validation_failed");
  CHECK(detail_code(r.json(), "customer.firstName") == "invisible_character");
  CHECK(detail_code(r.json(), "productTitle") == "invisible_character");
  CHECK(s.api().get("/api/v1/back-in-stock").json()["pagination"]["total"] == 0);
  const HttpResponse up = s.api().upsert(json::array({{{"productId", "P-1"}, {"title", "\u2067Shirt\u2069"}}}));
  CHECK_ERROR(up, 400, "validation_failed");
  CHECK(detail_code(up.json(), "products[0].title") == "invisible_character");
}
