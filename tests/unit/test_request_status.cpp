// core/request_status: the lifecycle names of a request (pending, waiting, notified, cancelled,
// expired, purchased).

#include <doctest/doctest.h>

#include <string>

#include "core/request_status.hpp"

using namespace stockbell;

namespace {
constexpr RequestStatus kAll[] = {RequestStatus::waiting,   RequestStatus::notified,
                                  RequestStatus::cancelled, RequestStatus::pending,
                                  RequestStatus::expired,   RequestStatus::purchased};
}

TEST_CASE("status names round-trip") {
  CHECK(request_status_name(RequestStatus::waiting) == "waiting");
  CHECK(request_status_name(RequestStatus::notified) == "notified");
  CHECK(request_status_name(RequestStatus::cancelled) == "cancelled");
  CHECK(request_status_name(RequestStatus::pending) == "pending");
  CHECK(request_status_name(RequestStatus::expired) == "expired");
  CHECK(request_status_name(RequestStatus::purchased) == "purchased");
  for (RequestStatus s : kAll) CHECK(parse_request_status(request_status_name(s)) == s);
}

TEST_CASE("other names are not statuses") {
  for (const std::string name : {"Pending", "Waiting", "canceled", "", " waiting", "bought"}) {
    CAPTURE(name);
    CHECK_FALSE(parse_request_status(name).has_value());
  }
}
