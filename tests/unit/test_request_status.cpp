// core/request_status: the waiting → notified / cancelled lifecycle names.

#include <doctest/doctest.h>

#include <string>

#include "core/request_status.hpp"

using namespace stockbell;

TEST_CASE("status names round-trip") {
  CHECK(request_status_name(RequestStatus::waiting) == "waiting");
  CHECK(request_status_name(RequestStatus::notified) == "notified");
  CHECK(request_status_name(RequestStatus::cancelled) == "cancelled");
  for (RequestStatus s : {RequestStatus::waiting, RequestStatus::notified, RequestStatus::cancelled})
    CHECK(parse_request_status(request_status_name(s)) == s);
}

TEST_CASE("other names are not statuses") {
  for (const std::string name : {"pending", "Waiting", "canceled", "", " waiting"}) {
    CAPTURE(name);
    CHECK_FALSE(parse_request_status(name).has_value());
  }
}

TEST_CASE("stored values are stable") {
  CHECK(static_cast<int>(RequestStatus::waiting) == 0);
  CHECK(static_cast<int>(RequestStatus::notified) == 1);
  CHECK(static_cast<int>(RequestStatus::cancelled) == 2);
}
