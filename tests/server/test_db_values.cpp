// server/store/db_values: the values enums are stored as. They are part of the schema: a change
// here without a migration would misread every stored row.

#include <doctest/doctest.h>

#include "server/store/db_values.hpp"

using namespace stockbell;
namespace db = stockbell::server::db;

TEST_CASE("request statuses are stored as 0..5, and read back") {
  const std::pair<RequestStatus, int64_t> table[] = {
      {RequestStatus::waiting, 0},  {RequestStatus::notified, 1}, {RequestStatus::cancelled, 2},
      {RequestStatus::pending, 3},  {RequestStatus::expired, 4},  {RequestStatus::purchased, 5}};
  for (const auto& [status, value] : table) {
    CHECK(db::value(status) == value);
    CHECK(db::request_status(value) == status);
  }
  CHECK_THROWS(db::request_status(6));
}

TEST_CASE("event types and delivery statuses keep their stored values") {
  CHECK(db::value(EventType::back_in_stock_requested) == 0);
  CHECK(db::value(EventType::back_in_stock) == 1);
  CHECK(db::event_type(1) == EventType::back_in_stock);
  CHECK_THROWS(db::event_type(2));
  CHECK(db::value(DeliveryStatus::pending) == 0);
  CHECK(db::value(DeliveryStatus::delivered) == 1);
  CHECK(db::value(DeliveryStatus::failed) == 2);
  CHECK(db::delivery_status(2) == DeliveryStatus::failed);
  CHECK_THROWS(db::delivery_status(-1));
  CHECK(db::value(std::optional<RequestStatus>()) == std::nullopt);
  CHECK(db::value(std::optional<RequestStatus>(RequestStatus::expired)) == 4);
}
