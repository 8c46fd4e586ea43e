// core/query: query parameters of the read endpoints (defaults, bounds, filters, errors).

#include <doctest/doctest.h>

#include "core/query.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::problem_list;
using stockbell::test::repeat;

TEST_CASE("page defaults: limit 50, offset 0") {
  auto r = parse_product_list_query({});
  REQUIRE(r.ok());
  CHECK(r.value().page.limit == 50);
  CHECK(r.value().page.offset == 0);
  CHECK_FALSE(r.value().search.has_value());
}

TEST_CASE("limit is 1..100 and offset 0..1e9, as plain decimal digits") {
  CHECK(parse_product_list_query({{"limit", "1"}}).value().page.limit == 1);
  CHECK(parse_product_list_query({{"limit", "100"}}).value().page.limit == 100);
  CHECK(parse_product_list_query({{"limit", " 7 "}}).value().page.limit == 7);
  CHECK(parse_product_list_query({{"offset", "1000000000"}}).value().page.offset == 1000000000);
  CHECK(problem_list(parse_product_list_query({{"limit", "0"}})) == "limit:out_of_range");
  CHECK(problem_list(parse_product_list_query({{"limit", "101"}})) == "limit:out_of_range");
  CHECK(problem_list(parse_product_list_query({{"limit", "-1"}})) == "limit:not_integer");
  CHECK(problem_list(parse_product_list_query({{"limit", "1e2"}})) == "limit:not_integer");
  CHECK(problem_list(parse_product_list_query({{"limit", "ten"}})) == "limit:not_integer");
  CHECK(problem_list(parse_product_list_query({{"limit", ""}})) == "limit:not_integer");
  CHECK(problem_list(parse_product_list_query({{"limit", "5.0"}})) == "limit:not_integer");
  CHECK(problem_list(parse_product_list_query({{"offset", "1000000001"}})) == "offset:out_of_range");
  CHECK(problem_list(parse_product_list_query({{"offset", "99999999999999999999999"}})) ==
        "offset:out_of_range");
  auto both = parse_product_list_query({{"limit", "0"}, {"offset", "x"}});
  CHECK(problem_list(both) == "limit:out_of_range, offset:not_integer");
  CHECK(both.error().details[0].message == "Must be between 1 and 100.");
}

TEST_CASE("a repeated parameter uses its first value; unknown ones are ignored") {
  CHECK(parse_product_list_query({{"limit", "5"}, {"limit", "500"}}).value().page.limit == 5);
  CHECK(parse_product_list_query({{"_", "1732"}, {"limit", "5"}}).ok());
}

TEST_CASE("search is trimmed; blank means no search") {
  CHECK(*parse_product_list_query({{"search", " linen "}}).value().search == "linen");
  CHECK_FALSE(parse_product_list_query({{"search", "  "}}).value().search.has_value());
  CHECK(problem_list(parse_product_list_query({{"search", repeat("x", 501)}})) == "search:too_long");
  CHECK(problem_list(parse_product_list_query({{"search", "\xFF"}})) == "search:invalid_type");
}

TEST_CASE("request list: status values") {
  CHECK(parse_request_list_query({{"status", "waiting"}}).value().status == RequestStatus::waiting);
  CHECK(parse_request_list_query({{"status", "notified"}}).value().status == RequestStatus::notified);
  CHECK(parse_request_list_query({{"status", "cancelled"}}).value().status == RequestStatus::cancelled);
  auto bad = parse_request_list_query({{"status", "pending"}});
  CHECK(problem_list(bad) == "status:invalid_value");
  CHECK(bad.error().details[0].message == "Must be one of: waiting, notified, cancelled.");
  CHECK(problem_list(parse_request_list_query({{"status", ""}})) == "status:invalid_value");
  CHECK_FALSE(parse_request_list_query({}).value().status.has_value());
}

TEST_CASE("request list: the email filter is normalised like a request's e-mail") {
  CHECK(*parse_request_list_query({{"email", " Buyer@Example.COM "}}).value().email ==
        "buyer@example.com");
  CHECK(problem_list(parse_request_list_query({{"email", "not-an-email"}})) == "email:invalid_email");
  CHECK(problem_list(parse_request_list_query({{"email", repeat("a", 250) + "@b.cd"}})) ==
        "email:too_long");
  CHECK(problem_list(parse_request_list_query({{"email", repeat("é", 126) + "@b.c"}})) ==
        "email:invalid_email");
}

TEST_CASE("request list: id filters follow the id rules") {
  auto r = parse_request_list_query({{"productId", " SKU-1 "}, {"variantId", "SKU-1-M"}});
  CHECK(*r.value().product_id == "SKU-1");
  CHECK(*r.value().variant_id == "SKU-1-M");
  CHECK(problem_list(parse_request_list_query({{"productId", " "}})) == "productId:empty");
  CHECK(problem_list(parse_request_list_query({{"productId", repeat("é", 256)}})) ==
        "productId:too_long");
  CHECK(problem_list(parse_request_list_query({{"variantId", "a\x01"}})) ==
        "variantId:control_character");
  CHECK(problem_list(parse_request_list_query({{"productId", "\xC0\x80"}})) ==
        "productId:invalid_type");
}

TEST_CASE("event list: limit 1..1000 (default 100), type names, after cursor") {
  auto d = parse_event_list_query({});
  CHECK(d.value().limit == 100);
  CHECK_FALSE(d.value().type.has_value());
  CHECK_FALSE(d.value().after.has_value());
  CHECK(parse_event_list_query({{"limit", "1000"}}).value().limit == 1000);
  CHECK(problem_list(parse_event_list_query({{"limit", "1001"}})) == "limit:out_of_range");
  CHECK(parse_event_list_query({{"type", "ecommerce.back_in_stock"}}).value().type ==
        EventType::back_in_stock);
  CHECK(problem_list(parse_event_list_query({{"type", "back_in_stock"}})) == "type:invalid_value");
  CHECK(*parse_event_list_query({{"after", " evt_0abc "}}).value().after == "evt_0abc");
  CHECK_FALSE(parse_event_list_query({{"after", ""}}).value().after.has_value());
}

TEST_CASE("availability: productId required, variantId defaults to it") {
  auto r = parse_availability_query({{"productId", "SKU-1"}});
  REQUIRE(r.ok());
  CHECK(r.value().variant_id == "SKU-1");
  CHECK(parse_availability_query({{"productId", "SKU-1"}, {"variantId", "SKU-1-M"}}).value().variant_id ==
        "SKU-1-M");
  CHECK(problem_list(parse_availability_query({})) == "productId:required");
  CHECK(problem_list(parse_availability_query({{"variantId", "M"}})) == "productId:required");
  CHECK(problem_list(parse_availability_query({{"productId", ""}})) == "productId:empty");
}

TEST_CASE("pagination JSON: fixed key order, hasMore when items remain") {
  CHECK(dump(pagination_json(10, Page{10, 0}, 25)) ==
        R"({"count":10,"hasMore":true,"limit":10,"offset":0,"total":25})");
  CHECK(dump(pagination_json(5, Page{10, 20}, 25)) ==
        R"({"count":5,"hasMore":false,"limit":10,"offset":20,"total":25})");
  CHECK(dump(pagination_json(0, Page{50, 100}, 3)) ==
        R"({"count":0,"hasMore":false,"limit":50,"offset":100,"total":3})");
}
