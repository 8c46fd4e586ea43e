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
  CHECK_THROWS(db::event_type(6));
  CHECK(db::value(DeliveryStatus::pending) == 0);
  CHECK(db::value(DeliveryStatus::delivered) == 1);
  CHECK(db::value(DeliveryStatus::failed) == 2);
  CHECK(db::delivery_status(2) == DeliveryStatus::failed);
  CHECK_THROWS(db::delivery_status(-1));
  CHECK(db::value(std::optional<RequestStatus>()) == std::nullopt);
  CHECK(db::value(std::optional<RequestStatus>(RequestStatus::expired)) == 4);
}

TEST_CASE("order events, order statuses and purchase effects keep their stored values") {
  const std::pair<EventType, int64_t> events[] = {{EventType::order_placed, 2},
                                                  {EventType::order_cancelled, 3},
                                                  {EventType::order_fulfilled, 4},
                                                  {EventType::order_refunded, 5}};
  for (const auto& [type, value] : events) {
    CHECK(db::value(type) == value);
    CHECK(db::event_type(value) == type);
  }
  const std::pair<OrderStatus, int64_t> statuses[] = {{OrderStatus::placed, 0},
                                                      {OrderStatus::cancelled, 1},
                                                      {OrderStatus::fulfilled, 2},
                                                      {OrderStatus::refunded, 3}};
  for (const auto& [status, value] : statuses) {
    CHECK(db::value(status) == value);
    CHECK(db::order_status(value) == status);
  }
  CHECK_THROWS(db::order_status(4));
  CHECK(db::value(PurchaseEffect::ended) == 0);
  CHECK(db::value(PurchaseEffect::converted) == 1);
  CHECK(db::purchase_effect(1) == PurchaseEffect::converted);
  CHECK_THROWS(db::purchase_effect(2));
}
