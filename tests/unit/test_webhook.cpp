// core/webhook: webhook endpoint bodies, their JSON, deliveries, retry delays and the signed
// payload.

#include <doctest/doctest.h>

#include "core/webhook.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::value_of;
using stockbell::test::kTestIds;
using stockbell::test::problem_list;
using stockbell::test::repeat;

TEST_CASE("event masks") {
  CHECK(event_bit(EventType::back_in_stock_requested) == 1);
  CHECK(event_bit(EventType::back_in_stock) == 2);
  CHECK(event_bit(EventType::order_placed) == 4);
  CHECK(event_bit(EventType::order_cancelled) == 8);
  CHECK(event_bit(EventType::order_fulfilled) == 16);
  CHECK(event_bit(EventType::order_refunded) == 32);
  CHECK(event_types_of(kAllEvents) == all_event_types());
  CHECK(event_types_of(3) ==
        std::vector<EventType>{EventType::back_in_stock_requested, EventType::back_in_stock});
  CHECK(event_types_of(4 | 32) ==
        std::vector<EventType>{EventType::order_placed, EventType::order_refunded});
  CHECK(event_types_of(2) == std::vector<EventType>{EventType::back_in_stock});
  CHECK(event_types_of(0).empty());
}

TEST_CASE("create: url required; events default to all; enabled defaults to true") {
  auto r = parse_webhook_create(R"({"url":" https://hooks.example/stockbell "})");
  REQUIRE(r.ok());
  CHECK(r.value().url.value == "https://hooks.example/stockbell");
  CHECK(r.value().events.absent());
  CHECK(r.value().description.absent());
  CHECK(r.value().enabled.absent());
  CHECK(problem_list(parse_webhook_create("{}")) == "url:required");
  CHECK(problem_list(parse_webhook_create(R"({"url":null})")) == "url:required");
}

TEST_CASE("a webhook always has a URL: blank is required, on create and on update") {
  CHECK(problem_list(parse_webhook_create(R"({"url":""})")) == "url:required");
  CHECK(problem_list(parse_webhook_create(R"({"url":"   "})")) == "url:required");
  CHECK(problem_list(parse_webhook_update(R"({"url":""})")) == "url:required");
  CHECK(problem_list(parse_webhook_update(R"({"url":null})")) == "url:required");
}

TEST_CASE("url must be absolute http(s)") {
  CHECK(problem_list(parse_webhook_create(R"j({"url":"javascript:alert(1)"})j")) == "url:invalid_url");
  CHECK(problem_list(parse_webhook_create(R"({"url":"/hooks"})")) == "url:invalid_url");
  CHECK(problem_list(parse_webhook_create(R"({"url":5})")) == "url:invalid_type");
}

TEST_CASE("events: type names or *, at least one") {
  auto only = parse_webhook_create(R"({"url":"https://h.example","events":["ecommerce.back_in_stock"]})");
  REQUIRE_OK(only);
  CHECK(only.value().events.value == 2u);
  auto star = parse_webhook_create(R"({"url":"https://h.example","events":["*"]})");
  REQUIRE_OK(star);
  CHECK(star.value().events.value == kAllEvents);
  auto null_events = parse_webhook_create(R"({"url":"https://h.example","events":null})");
  REQUIRE_OK(null_events);
  CHECK(null_events.value().events.value == kAllEvents);
  CHECK(problem_list(parse_webhook_create(R"({"url":"https://h.example","events":[]})")) ==
        "events:too_few_items");
  auto orders = parse_webhook_create(
      R"({"url":"https://h.example","events":["ecommerce.order_placed","ecommerce.order_refunded"]})");
  REQUIRE_OK(orders);
  CHECK(orders.value().events.value == (4u | 32u));
  CHECK(problem_list(parse_webhook_create(
            R"({"url":"https://h.example","events":["ecommerce.back_in_stock","order.paid",5]})")) ==
        "events[1]:invalid_value, events[2]:invalid_type");
  CHECK(problem_list(parse_webhook_create(R"({"url":"https://h.example","events":"*"})")) ==
        "events:invalid_type");
}

TEST_CASE("update: every field optional; omitted keeps") {
  auto r = parse_webhook_update(R"({"enabled":false})");
  REQUIRE(r.ok());
  CHECK(r.value().url.absent());
  CHECK_FALSE(r.value().enabled.value);
  CHECK(parse_webhook_update("{}").ok());
  CHECK(value_of(parse_webhook_update(R"({"description":null})")).description.is_null());
}

TEST_CASE("enabled is a boolean, never null; description at most 500; unknown fields rejected") {
  CHECK(problem_list(parse_webhook_update(R"({"enabled":null})")) == "enabled:invalid_type");
  CHECK(problem_list(parse_webhook_update(R"({"enabled":"yes"})")) == "enabled:invalid_type");
  // The message must not offer null, which is refused.
  CHECK(parse_webhook_update(R"({"enabled":null})").error().details.at(0).message ==
        "Must be a boolean.");
  CHECK(parse_webhook_update(R"({"description":")" + repeat("d", 500) + "\"}").ok());
  CHECK(problem_list(parse_webhook_update(R"({"description":")" + repeat("d", 501) + "\"}")) ==
        "description:too_long");
  CHECK(problem_list(parse_webhook_update(R"({"secret":"x"})")) == "secret:unknown_field");
  CHECK(parse_webhook_update("[").error().code == ApiCode::invalid_json);
  CHECK(problem_list(parse_webhook_update("[]")) == ":invalid_type");
}

TEST_CASE("webhook JSON: fixed key order; the secret only when given") {
  WebhookRecord w;
  w.id = 1;
  w.url = "https://h.example/x";
  w.events = 2u;
  w.secret = "whsec_stored";
  w.created_at = 0;
  w.updated_at = 1709210096789;
  CHECK(dump(webhook_json(w, kTestIds)) ==
        R"({"id":")" + kTestIds.format(IdKind::webhook, 1) +
            R"(","url":"https://h.example/x","name":null,"description":null,)"
        R"("events":["ecommerce.back_in_stock"],"enabled":true,"status":"enabled",)"
        R"("createdAt":"1970-01-01T00:00:00.000Z","updatedAt":"2024-02-29T12:34:56.789Z"})");
  const std::string with_secret = dump(webhook_json(w, kTestIds, std::string("whsec_abc")));
  const std::string tail = R"(,"updatedAt":"2024-02-29T12:34:56.789Z","secret":"whsec_abc"})";
  REQUIRE(with_secret.size() > tail.size());
  CHECK(with_secret.substr(with_secret.size() - tail.size()) == tail);
}

TEST_CASE("webhook JSON: Sequenzy's name and status say what description and enabled say") {
  WebhookRecord w;
  w.description = "e-mail service";
  w.enabled = false;
  Json j = webhook_json(w, kTestIds);
  CHECK(j["name"] == "e-mail service");
  CHECK(j["description"] == "e-mail service");
  CHECK(j["enabled"] == false);
  CHECK(j["status"] == "disabled");
}

TEST_CASE("Sequenzy's name: the endpoint's label, the same field as description") {
  auto named = parse_webhook_create(R"({"name":" Stockbell ","url":"https://h.example"})");
  REQUIRE_OK(named);
  CHECK(named.value().description.value == "Stockbell");
  CHECK(value_of(parse_webhook_update(R"({"name":null})")).description.is_null());
  CHECK(value_of(parse_webhook_update(R"({"name":""})")).description.is_null());
  // Both names: accepted when they agree (a client echoing the whole object back).
  CHECK(value_of(parse_webhook_update(R"({"name":"a","description":"a"})")).description.value == "a");
  CHECK(value_of(parse_webhook_update(R"({"name":null,"description":""})")).description.is_null());
  auto disagree = parse_webhook_update(R"({"name":"a","description":"b"})");
  CHECK(problem_list(disagree) == "name:invalid_value");
  CHECK(disagree.error().details[0].message == "Must be one of: \"b\".");
  CHECK(problem_list(parse_webhook_update(R"({"name":"a","description":null})")) ==
        "name:invalid_value");
  CHECK(problem_list(parse_webhook_update(R"({"name":5})")) == "name:invalid_type");
  CHECK(problem_list(parse_webhook_update(R"({"name":")" + repeat("n", 501) + "\"}")) ==
        "name:too_long");
}

TEST_CASE("Sequenzy's status: enabled or disabled, the same as the enabled boolean") {
  CHECK(value_of(parse_webhook_update(R"({"status":"disabled"})")).enabled.value == false);
  CHECK(value_of(parse_webhook_update(R"({"status":"enabled"})")).enabled.value == true);
  CHECK(value_of(parse_webhook_create(R"({"url":"https://h.example","status":"disabled"})"))
            .enabled.value == false);
  CHECK(value_of(parse_webhook_update(R"({"status":"disabled","enabled":false})")).enabled.value ==
        false);
  auto disagree = parse_webhook_update(R"({"status":"disabled","enabled":true})");
  CHECK(problem_list(disagree) == "status:invalid_value");
  CHECK(disagree.error().details[0].message == "Must be one of: enabled.");
  auto paused = parse_webhook_update(R"({"status":"paused"})");
  CHECK(problem_list(paused) == "status:invalid_value");
  CHECK(paused.error().details[0].message == "Must be one of: enabled, disabled.");
  CHECK(problem_list(parse_webhook_update(R"({"status":null})")) == "status:invalid_type");
  CHECK(problem_list(parse_webhook_update(R"({"status":true})")) == "status:invalid_type");
}

TEST_CASE("Sequenzy's event types are refused with the list of Stockbell's") {
  auto r = parse_webhook_create(
      R"({"name":"Stockbell","url":"https://h.example","events":["subscriber.created","email.sent"]})");
  CHECK(problem_list(r) == "events[0]:invalid_value, events[1]:invalid_value");
  const std::string types =
      "ecommerce.back_in_stock_requested, ecommerce.back_in_stock, ecommerce.order_placed, "
      "ecommerce.order_cancelled, ecommerce.order_fulfilled, ecommerce.order_refunded, *";
  CHECK(r.error().details[0].message == "Must be one of: " + types + ".");
  CHECK(r.error().message ==
        "Validation failed: events[0]: Must be one of: " + types + ". (and 1 more)");
}

TEST_CASE("delivery JSON: fixed key order, attempt log oldest first") {
  DeliveryRecord d;
  d.id = 1;
  d.event_id = 1;
  d.event_type = EventType::back_in_stock;
  d.status = DeliveryStatus::failed;
  d.attempts = 2;
  d.created_at = 0;
  d.attempt_log = {{1000, 120, 500, std::string("HTTP 500")}, {11000, 5000, std::nullopt, std::string("timeout")}};
  CHECK(dump(delivery_json(d, kTestIds)) ==
        R"({"id":")" + kTestIds.format(IdKind::delivery, 1) + R"(","eventId":")" +
            kTestIds.format(IdKind::event, 1) +
            R"(","eventType":"ecommerce.back_in_stock","status":"failed",)"
        R"("attempts":2,"nextAttemptAt":null,"createdAt":"1970-01-01T00:00:00.000Z","deliveredAt":null,)"
        R"("attemptLog":[{"at":"1970-01-01T00:00:01.000Z","durationMs":120,"statusCode":500,"error":"HTTP 500"},)"
        R"({"at":"1970-01-01T00:00:11.000Z","durationMs":5000,"statusCode":null,"error":"timeout"}]})");
  CHECK(delivery_status_name(DeliveryStatus::pending) == "pending");
  CHECK(delivery_status_name(DeliveryStatus::delivered) == "delivered");
}

TEST_CASE("retry delays grow by the factor up to the cap, within the jitter band") {
  const RetryPolicy p;
  CHECK(retry_delay_ms(p, 1, 0.5) == 10'000);
  CHECK(retry_delay_ms(p, 2, 0.5) == 30'000);
  CHECK(retry_delay_ms(p, 3, 0.5) == 90'000);
  CHECK(retry_delay_ms(p, 6, 0.5) == 2'430'000);
  CHECK(retry_delay_ms(p, 7, 0.5) == 3'600'000);
  CHECK(retry_delay_ms(p, 1000, 0.5) == 3'600'000);  // no overflow for many attempts
  CHECK(retry_delay_ms(p, 1, 0.0) == 8'000);          // -20 %
  CHECK(retry_delay_ms(p, 1, 0.99) == 11'960);       // +19.6 %
  CHECK(retry_delay_ms(p, 7, 0.0) == 2'880'000);       // the cap is jittered too
  RetryPolicy tiny;
  tiny.first_delay_ms = 0;
  CHECK(retry_delay_ms(tiny, 1, 0.0) == 1);  // never "now" in a loop
}

TEST_CASE("the signed payload is <timestamp>.<body>") {
  CHECK(signature_payload(1732750665, R"({"id":"evt_1"})") == R"(1732750665.{"id":"evt_1"})");
  CHECK(signature_payload(0, "") == "0.");
}
