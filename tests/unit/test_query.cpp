// core/query: query parameters of the read endpoints (defaults, bounds, filters, errors).

#include <doctest/doctest.h>

#include "core/query.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::value_of;
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
  CHECK(value_of(parse_product_list_query({{"limit", "1"}})).page.limit == 1);
  CHECK(value_of(parse_product_list_query({{"limit", "100"}})).page.limit == 100);
  CHECK(value_of(parse_product_list_query({{"limit", " 7 "}})).page.limit == 7);
  CHECK(value_of(parse_product_list_query({{"offset", "1000000000"}})).page.offset == 1000000000);
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

TEST_CASE("a repeated parameter uses its first value") {
  CHECK(value_of(parse_product_list_query({{"limit", "5"}, {"limit", "500"}})).page.limit == 5);
}

TEST_CASE("every list refuses a parameter it does not know, keyed by its name") {
  // A misspelt filter must not look as if it had filtered.
  auto products = parse_product_list_query({{"serach", "linen"}, {"limit", "5"}});
  CHECK(problem_list(products) == "serach:unknown_parameter");
  CHECK(products.error().code == ApiCode::validation_failed);
  CHECK(products.error().details[0].message == "Unknown query parameter.");
  CHECK(problem_list(parse_product_list_query({{"_", "1732"}})) == "_:unknown_parameter");
  CHECK(problem_list(parse_product_list_query({{"page", "2"}})) == "page:unknown_parameter");
  CHECK(problem_list(parse_request_list_query({{"productID", "SKU-1"}})) ==
        "productID:unknown_parameter");
  CHECK(problem_list(parse_request_list_query({{"offset", "0"}, {"state", "waiting"}})) ==
        "state:unknown_parameter");
  CHECK(problem_list(parse_event_list_query({{"offset", "10"}})) == "offset:unknown_parameter");
  CHECK(problem_list(parse_event_list_query({{"types", "ecommerce.back_in_stock"}})) ==
        "types:unknown_parameter");
  CHECK(problem_list(parse_delivery_list_query({{"eventType", "x"}})) ==
        "eventType:unknown_parameter");
  CHECK(problem_list(parse_webhook_list_query({{"limit", "5"}})) == "limit:unknown_parameter");
  CHECK(parse_webhook_list_query({}).ok());
  // Every unknown one is listed, once per name, beside the other problems.
  CHECK(problem_list(parse_product_list_query(
            {{"b", "1"}, {"a", "1"}, {"b", "2"}, {"limit", "0"}})) ==
        "b:unknown_parameter, a:unknown_parameter, limit:out_of_range");
  // Names are shown as sent, cut after 64 characters, bytes that are not UTF-8 percent-encoded.
  CHECK(problem_list(parse_product_list_query({{"first name", "x"}})) ==
        "first name:unknown_parameter");
  CHECK(problem_list(parse_product_list_query({{repeat("n", 100), "x"}})) ==
        repeat("n", 64) + "...:unknown_parameter");
  CHECK(problem_list(parse_product_list_query({{"a\xFF" "b", "x"}})) == "a%FFb:unknown_parameter");
  // The known ones of each list.
  CHECK(parse_product_list_query(
            {{"limit", "5"}, {"offset", "0"}, {"search", "x"}, {"provider", "api"}})
            .ok());
  CHECK(parse_request_list_query({{"limit", "5"}, {"offset", "0"}, {"productId", "a"},
                                  {"variantId", "b"}, {"status", "waiting"},
                                  {"email", "a@b.c"}})
            .ok());
  CHECK(parse_event_list_query({{"limit", "5"}, {"type", "ecommerce.back_in_stock"},
                                {"after", "evt_x"}})
            .ok());
  CHECK(parse_delivery_list_query({{"limit", "5"}, {"offset", "0"}, {"status", "failed"}}).ok());
}

TEST_CASE("availability is no list: it ignores parameters it does not know") {
  CHECK(parse_availability_query({{"productId", "SKU-1"}, {"_", "1732"}}).ok());
}

TEST_CASE("product list: provider is one of Sequenzy's provider names") {
  CHECK_FALSE(value_of(parse_product_list_query({})).provider.has_value());
  for (const char* name : {"api", "manual", "shopify", "stripe", "woocommerce"})
    CHECK(*value_of(parse_product_list_query({{"provider", name}})).provider == name);
  CHECK(*value_of(parse_product_list_query({{"provider", " stripe "}})).provider == "stripe");
  auto bad = parse_product_list_query({{"provider", "magento"}});
  CHECK(problem_list(bad) == "provider:invalid_value");
  CHECK(bad.error().details[0].message ==
        "Must be one of: api, manual, shopify, stripe, woocommerce.");
  CHECK(problem_list(parse_product_list_query({{"provider", ""}})) == "provider:invalid_value");
}

TEST_CASE("search is trimmed; blank means no search") {
  CHECK(*value_of(parse_product_list_query({{"search", " linen "}})).search == "linen");
  CHECK_FALSE(value_of(parse_product_list_query({{"search", "  "}})).search.has_value());
  CHECK(problem_list(parse_product_list_query({{"search", repeat("x", 501)}})) == "search:too_long");
  CHECK(problem_list(parse_product_list_query({{"search", "\xFF"}})) == "search:invalid_type");
}

TEST_CASE("request list: status values") {
  CHECK(value_of(parse_request_list_query({{"status", "waiting"}})).status == RequestStatus::waiting);
  CHECK(value_of(parse_request_list_query({{"status", "notified"}})).status == RequestStatus::notified);
  CHECK(value_of(parse_request_list_query({{"status", "cancelled"}})).status == RequestStatus::cancelled);
  CHECK(value_of(parse_request_list_query({{"status", "pending"}})).status == RequestStatus::pending);
  CHECK(value_of(parse_request_list_query({{"status", "expired"}})).status == RequestStatus::expired);
  CHECK(value_of(parse_request_list_query({{"status", "purchased"}})).status == RequestStatus::purchased);
  auto bad = parse_request_list_query({{"status", "canceled"}});
  CHECK(problem_list(bad) == "status:invalid_value");
  CHECK(bad.error().details[0].message ==
        "Must be one of: pending, waiting, notified, cancelled, expired, purchased.");
  CHECK(problem_list(parse_request_list_query({{"status", ""}})) == "status:invalid_value");
  CHECK_FALSE(value_of(parse_request_list_query({})).status.has_value());
}

TEST_CASE("request list: the email filter is normalised like a request's e-mail") {
  CHECK(*value_of(parse_request_list_query({{"email", " Buyer@Example.COM "}})).email ==
        "buyer@example.com");
  CHECK(problem_list(parse_request_list_query({{"email", "not-an-email"}})) == "email:invalid_email");
  CHECK(problem_list(parse_request_list_query({{"email", repeat("a", 250) + "@b.cd"}})) ==
        "email:too_long");
  CHECK(problem_list(parse_request_list_query({{"email", repeat("é", 126) + "@b.c"}})) ==
        "email:invalid_email");
}

TEST_CASE("request list: id filters follow the id rules") {
  auto r = parse_request_list_query({{"productId", " SKU-1 "}, {"variantId", "SKU-1-M"}});
  REQUIRE_OK(r);
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
  REQUIRE_OK(d);
  CHECK(d.value().limit == 100);
  CHECK_FALSE(d.value().type.has_value());
  CHECK_FALSE(d.value().after.has_value());
  CHECK(value_of(parse_event_list_query({{"limit", "1000"}})).limit == 1000);
  CHECK(problem_list(parse_event_list_query({{"limit", "1001"}})) == "limit:out_of_range");
  CHECK(value_of(parse_event_list_query({{"type", "ecommerce.back_in_stock"}})).type ==
        EventType::back_in_stock);
  CHECK(problem_list(parse_event_list_query({{"type", "back_in_stock"}})) == "type:invalid_value");
  CHECK(*value_of(parse_event_list_query({{"after", " evt_0abc "}})).after == "evt_0abc");
  CHECK_FALSE(value_of(parse_event_list_query({{"after", ""}})).after.has_value());
}

TEST_CASE("availability: productId required, variantId defaults to it") {
  auto r = parse_availability_query({{"productId", "SKU-1"}});
  REQUIRE(r.ok());
  CHECK(r.value().variant_id == "SKU-1");
  CHECK(value_of(parse_availability_query({{"productId", "SKU-1"}, {"variantId", "SKU-1-M"}})).variant_id ==
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

TEST_CASE("conversion stats: days 1..365 (default 30), limit 1..100 (default 10)") {
  const ConversionStatsQuery defaults = value_of(parse_conversion_stats_query({}));
  CHECK(defaults.days == 30);
  CHECK(defaults.limit == 10);
  const ConversionStatsQuery q = value_of(parse_conversion_stats_query({{"days", "7"}, {"limit", "100"}}));
  CHECK(q.days == 7);
  CHECK(q.limit == 100);
  // A stats route is a list like the others: a parameter it does not know is an error.
  CHECK(problem_list(parse_conversion_stats_query({{"days", "7"}, {"x", "1"}})) ==
        "x:unknown_parameter");
  CHECK(problem_list(parse_conversion_stats_query({{"days", "0"}, {"limit", "x"}})) ==
        "days:out_of_range, limit:not_integer");
  CHECK(problem_list(parse_conversion_stats_query({{"days", "366"}})) == "days:out_of_range");
}

TEST_CASE("integrations: includeInactive true or false, nothing else") {
  CHECK(parse_integration_list_query({}).ok());
  CHECK(parse_integration_list_query({{"includeInactive", "true"}}).ok());
  CHECK(parse_integration_list_query({{"includeInactive", "false"}}).ok());
  CHECK(problem_list(parse_integration_list_query({{"includeInactive", "yes"}})) ==
        "includeInactive:invalid_value");
  CHECK(problem_list(parse_integration_list_query({{"limit", "1"}})) == "limit:unknown_parameter");
}

TEST_CASE("message list: status, e-mail and template filters, pagination") {
  const MessageListQuery q = value_of(parse_message_list_query(
      {{"status", " failed "}, {"email", " Anna@Example.com"}, {"template", "confirm_request"},
       {"limit", "10"}}));
  CHECK(q.status == MessageStatus::failed);
  CHECK(q.email == "anna@example.com");
  CHECK(q.kind == MailKind::confirm_request);
  CHECK(q.page.limit == 10);
  CHECK_FALSE(value_of(parse_message_list_query({})).status.has_value());
  CHECK(problem_list(parse_message_list_query(
            {{"status", "delivered"}, {"email", "nope"}, {"template", "welcome"}, {"limit", "0"}})) ==
        "limit:out_of_range, status:invalid_value, email:invalid_email, template:invalid_value");
  const ApiError e = parse_message_list_query({{"status", "x"}}).error();
  CHECK(e.details[0].message == "Must be one of: queued, sent, failed, suppressed.");
}

TEST_CASE("message JSON: fixed key order, absent values as null") {
  MessageRecord m;
  m.id = 3;
  m.kind = MailKind::confirm_request;
  m.status = MessageStatus::failed;
  m.to = "anna@example.com";
  m.subscriber_id = 1;
  m.request_id = 2;
  m.attempts = 1;
  m.last_error = "550 5.1.1 no such user";
  m.created_at = 0;
  CHECK(dump(message_json(m, stockbell::test::kTestIds)) ==
        R"({"id":")" + stockbell::test::kTestIds.format(IdKind::message, 3) +
            R"(","template":"confirm_request","status":"failed","to":"anna@example.com",)"
            R"("subscriberId":")" + stockbell::test::kTestIds.format(IdKind::subscriber, 1) +
            R"(","requestId":")" + stockbell::test::kTestIds.format(IdKind::request, 2) +
            R"(","locale":null,"attempts":1,"lastError":"550 5.1.1 no such user",)"
            R"("createdAt":"1970-01-01T00:00:00.000Z","nextAttemptAt":null,"sentAt":null})");
}
