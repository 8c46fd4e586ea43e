// core/responses: success bodies, each with a fixed key order.

#include <doctest/doctest.h>

#include "core/responses.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::json;
using stockbell::test::kTestIds;
using stockbell::test::row_of;

TEST_CASE("register response (golden)") {
  RegisterOutcome created{row_of(IdKind::subscriber, "sub_1abcdefghjkmn"),
                          row_of(IdKind::request, "bisr_0zyxwvtsrqpnm"), RequestStatus::waiting,
                          true, 12};
  stockbell::test::check_golden("register_response.json", register_response_json(created, kTestIds));
}

TEST_CASE("register response of a repeated request: same ids, created false") {
  RegisterOutcome again{1, 2, RequestStatus::waiting, false, 3};
  CHECK(register_response_json(again, kTestIds) ==
        R"({"success":true,"subscriberId":")" + kTestIds.format(IdKind::subscriber, 1) +
            R"(","requestId":")" + kTestIds.format(IdKind::request, 2) +
            R"(","status":"waiting","created":false,"position":3})");
  again.status = RequestStatus::pending;
  again.position.reset();
  CHECK(register_response_json(again, kTestIds).find(R"("created":false,"position":null})") !=
        std::string::npos);
}

TEST_CASE("register response to a publishable key: no created, new or not (golden)") {
  RegisterOutcome fresh{row_of(IdKind::subscriber, "sub_1abcdefghjkmn"),
                        row_of(IdKind::request, "bisr_0zyxwvtsrqpnm"), RequestStatus::waiting, true,
                        12};
  RegisterOutcome again = fresh;
  again.created = false;
  stockbell::test::check_golden("register_response_storefront.json",
                                register_response_json(fresh, kTestIds, Trust::publishable));
  CHECK(register_response_json(again, kTestIds, Trust::publishable) ==
        register_response_json(fresh, kTestIds, Trust::publishable));
}

TEST_CASE("request JSON: the listed keys in order, timestamps as RFC 3339, absent as null") {
  RequestRecord r;
  r.id = 1;
  r.product_id = "P";
  r.variant_id = "P-M";
  r.product_title = "Shirt";
  r.status = RequestStatus::notified;
  r.subscriber_id = 1;
  r.email = "a@b";
  r.created_at = 0;
  r.notified_at = 1709210096789;
  CHECK(dump(request_json(r, kTestIds)) ==
        R"({"id":")" + kTestIds.format(IdKind::request, 1) +
            R"(","productId":"P","variantId":"P-M","productTitle":"Shirt",)"
            R"("variantTitle":null,"status":"notified","position":null,"subscriberId":")" +
            kTestIds.format(IdKind::subscriber, 1) + R"(","email":"a@b",)"
        R"("createdAt":"1970-01-01T00:00:00.000Z","notifiedAt":"2024-02-29T12:34:56.789Z",)"
        R"("cancelledAt":null,"orderId":null,"convertedAt":null,"revenueCents":null,)"
        R"("revenueCurrency":null,"locale":null,"consent":{"source":null,)"
        R"("at":"1970-01-01T00:00:00.000Z","clientAddress":null,"userAgent":null,"text":null,)"
        R"("confirmedAt":null}})");
  // A conversion: the order, when, and the item's revenue in the order's currency.
  r.order_id = "1001";
  r.converted_at = 1795822665123;
  r.revenue_cents = 8900;
  r.revenue_currency = "USD";
  const std::string converted = dump(request_json(r, kTestIds));
  CHECK(converted.find(R"("orderId":"1001","convertedAt":"2026-11-27T23:37:45.123Z",)"
                       R"("revenueCents":8900,"revenueCurrency":"USD",)") != std::string::npos);
}

TEST_CASE("request JSON: the consent record of a widget request") {
  RequestRecord r;
  r.id = 2;
  r.product_id = "P";
  r.variant_id = "P";
  r.subscriber_id = 1;
  r.email = "a@b";
  r.status = RequestStatus::waiting;
  r.created_at = 1709210096789;
  r.locale = "de-CH";
  r.consent = RequestConsent{RequestSource::widget, "203.0.113.9", "Mozilla/5.0", "I agree.",
                             1709210100000};
  const Json out = request_json(r, kTestIds);
  CHECK(dump(*out.find("locale")) == R"("de-CH")");
  CHECK(dump(*out.find("consent")) ==
        R"({"source":"widget","at":"2024-02-29T12:34:56.789Z","clientAddress":"203.0.113.9",)"
        R"("userAgent":"Mozilla/5.0","text":"I agree.","confirmedAt":"2024-02-29T12:35:00.000Z"})");
}

TEST_CASE("inventory response") {
  CHECK(inventory_response_json(1, 2, Json::array()) ==
        R"({"success":true,"updated":1,"backInStockEventsTriggered":2,"items":[]})");
}

TEST_CASE("list response: items then pagination") {
  CHECK(list_response_json("requests", json("[1,2]"), 2, Page{2, 0}, 3) ==
        R"({"success":true,"requests":[1,2],"pagination":{"count":2,"hasMore":true,"limit":2,"offset":0,"total":3}})");
}

TEST_CASE("upsert response: upserted is created + updated") {
  CHECK(upsert_response_json(2, 1, 4, Json::array()) ==
        R"({"success":true,"upserted":3,"created":2,"updated":1,"backInStockEventsTriggered":4,"products":[]})");
  CHECK(upsert_response_json(0, 0, 0, Json::array()) ==
        R"({"success":true,"upserted":0,"created":0,"updated":0,"backInStockEventsTriggered":0,"products":[]})");
}

TEST_CASE("delete response: deleted, and what") {
  CHECK(deleted_response_json("productId", "SKU 1/Blue") ==
        R"({"success":true,"deleted":true,"productId":"SKU 1/Blue"})");
  CHECK(deleted_response_json("webhookId", "we_1") ==
        R"({"success":true,"deleted":true,"webhookId":"we_1"})");
}

TEST_CASE("events response: nextCursor null when there is none") {
  CHECK(events_response_json(Json::array(), std::nullopt, false) ==
        R"({"success":true,"events":[],"nextCursor":null,"hasMore":false})");
  CHECK(events_response_json(Json::array(), std::string("evt_9"), true) ==
        R"({"success":true,"events":[],"nextCursor":"evt_9","hasMore":true})");
}

TEST_CASE("availability and generic success bodies") {
  CHECK(availability_response_json(false, true) == R"({"success":true,"inStock":false,"known":true})");
  CHECK(availability_response_json(false, false) == R"({"success":true,"inStock":false,"known":false})");
  CHECK(success_json("request", json(R"({"id":"bisr_1"})")) ==
        R"({"success":true,"request":{"id":"bisr_1"}})");
}
