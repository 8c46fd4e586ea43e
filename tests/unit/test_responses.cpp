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
                          true};
  stockbell::test::check_golden("register_response.json", register_response_json(created, kTestIds));
}

TEST_CASE("register response of a repeated request: same ids, created false") {
  RegisterOutcome again{1, 2, RequestStatus::waiting, false};
  CHECK(register_response_json(again, kTestIds) ==
        R"({"success":true,"subscriberId":")" + kTestIds.format(IdKind::subscriber, 1) +
            R"(","requestId":")" + kTestIds.format(IdKind::request, 2) +
            R"(","status":"waiting","created":false})");
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
            R"("variantTitle":null,"status":"notified","subscriberId":")" +
            kTestIds.format(IdKind::subscriber, 1) + R"(","email":"a@b",)"
        R"("createdAt":"1970-01-01T00:00:00.000Z","notifiedAt":"2024-02-29T12:34:56.789Z",)"
        R"("cancelledAt":null,"locale":null,"consent":{"source":null,)"
        R"("at":"1970-01-01T00:00:00.000Z","clientAddress":null,"userAgent":null,"text":null,)"
        R"("confirmedAt":null}})");
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

TEST_CASE("list response: items then pagination") {
  CHECK(list_response_json("requests", json("[1,2]"), 2, Page{2, 0}, 3) ==
        R"({"success":true,"requests":[1,2],"pagination":{"count":2,"hasMore":true,"limit":2,"offset":0,"total":3}})");
}

TEST_CASE("upsert response") {
  CHECK(upsert_response_json(2, 1, Json::array()) ==
        R"({"success":true,"upserted":2,"backInStockEventsTriggered":1,"products":[]})");
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
