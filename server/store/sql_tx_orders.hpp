#pragma once
// SqlTx (sql_tx.hpp): orders, conversions and their figures, the same on both backends. Included
// only by the files that instantiate SqlTx (sqlite/sqlite_tx.cpp, postgres/pg_tx.cpp).

#include <stdexcept>

#include "server/store/db_values.hpp"
#include "server/store/sql_tx.hpp"

namespace stockbell::server {

template <class Db>
std::optional<OrderRecord> SqlTx<Db>::find_order(int64_t store_id, const std::string& order_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_ORDER_COLUMNS
                             " FROM orders WHERE store_id = ? AND order_id = ?");
  st.bind(1, store_id).bind(2, order_id);
  return read_first(st, read_order<Statement>);
}

template <class Db>
OrderRecord SqlTx<Db>::save_order(int64_t store_id, const Order& order, int64_t ordered_at,
                                  int64_t now) {
  Statement& st = db_.cached(
      "INSERT INTO orders(store_id, order_id, status, currency, total_cents, ordered_at, data,"
      " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"
      " ON CONFLICT(store_id, order_id) DO UPDATE SET status = excluded.status,"
      " currency = excluded.currency, total_cents = excluded.total_cents, data = excluded.data,"
      " ordered_at = excluded.ordered_at, updated_at = excluded.updated_at"
      " RETURNING " STOCKBELL_ORDER_COLUMNS);
  st.bind(1, store_id).bind(2, order.order_id).bind(3, db::value(order.status));
  st.bind(4, order.currency).bind(5, order.total_cents).bind(6, ordered_at);
  st.bind(7, order_to_storage(order)).bind(8, now);
  if (!st.step()) throw std::runtime_error("order upsert returned no row");
  OrderRecord row = read_order(st);
  st.reset();
  return row;
}

template <class Db>
void SqlTx<Db>::mark_order_purchased(int64_t order_row, int64_t now) {
  db_.cached("UPDATE orders SET purchased_at = ?2 WHERE id = ?1 AND purchased_at IS NULL")
      .bind(1, order_row)
      .bind(2, now)
      .run();
}

template <class Db>
std::optional<int64_t> SqlTx<Db>::insert_order_event(int64_t store_id, EventType type,
                                                     int64_t order_row, const std::string& data,
                                                     int64_t now) {
  db_.cached(
         "INSERT INTO events(store_id, type, order_id, data, created_at) VALUES (?, ?, ?, ?, ?)"
         " ON CONFLICT(order_id, type) WHERE order_id IS NOT NULL DO NOTHING")
      .bind(1, store_id)
      .bind(2, db::value(type))
      .bind(3, order_row)
      .bind(4, data)
      .bind(5, now)
      .run();
  if (db_.changes() == 0) return std::nullopt;
  return db_.last_insert_rowid();
}

template <class Db>
std::vector<BuyerRequest> SqlTx<Db>::subscriber_requests(int64_t subscriber_id,
                                                         const std::string& product_id) {
  Statement& st = db_.cached(
      "SELECT r.id, r.status, t.variant_id, r.notified_at, p.request_id IS NOT NULL"
      " FROM requests r JOIN targets t ON t.id = r.target_id"
      " LEFT JOIN purchases p ON p.request_id = r.id"
      " WHERE r.subscriber_id = ?1 AND t.product_id = ?2 ORDER BY r.id");
  st.bind(1, subscriber_id).bind(2, product_id);
  std::vector<BuyerRequest> rows;
  while (st.step())
    rows.push_back(BuyerRequest{st.int64(0), db::request_status(st.int64(1)), st.string(2),
                                st.optional_int64(3), st.int64(4) != 0});
  st.reset();
  return rows;
}

template <class Db>
bool SqlTx<Db>::insert_purchase(const PurchaseRecord& p) {
  db_.cached(
         "INSERT INTO purchases(request_id, order_id, store_id, effect, product_id, variant_id,"
         " revenue_cents, currency, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
         " ON CONFLICT(request_id) DO NOTHING")
      .bind(1, p.request_id)
      .bind(2, p.order_row)
      .bind(3, p.store_id)
      .bind(4, db::value(p.effect))
      .bind(5, p.product_id)
      .bind(6, p.variant_id)
      .bind(7, p.revenue_cents)
      .bind(8, p.currency)
      .bind(9, p.at)
      .run();
  return db_.changes() > 0;
}

template <class Db>
bool SqlTx<Db>::mark_request_purchased(int64_t request_id) {
  db_.cached("UPDATE requests SET status = ?2 WHERE id = ?1 AND status IN (?3, ?4)")
      .bind(1, request_id)
      .bind(2, db::value(RequestStatus::purchased))
      .bind(3, db::value(RequestStatus::waiting))
      .bind(4, db::value(RequestStatus::pending))
      .run();
  return db_.changes() > 0;
}

template <class Db>
std::vector<ConversionTotal> SqlTx<Db>::conversion_totals(int64_t store_id, int64_t from,
                                                          int64_t to) {
  Statement& st = db_.cached(
      "SELECT currency, count(*), sum(revenue_cents) FROM purchases"
      " WHERE store_id = ?1 AND effect = ?2 AND at >= ?3 AND at < ?4 AND reversed_at IS NULL"
      " GROUP BY currency ORDER BY currency");
  st.bind(1, store_id).bind(2, db::value(PurchaseEffect::converted)).bind(3, from).bind(4, to);
  std::vector<ConversionTotal> rows;
  while (st.step()) rows.push_back(ConversionTotal{st.string(0), st.int64(1), st.int64(2)});
  st.reset();
  return rows;
}

template <class Db>
std::vector<ProductConversions> SqlTx<Db>::conversions_by_product(int64_t store_id, int64_t from,
                                                                  int64_t to, int64_t limit) {
  Statement& st = db_.cached(
      "SELECT product_id, currency, count(*), sum(revenue_cents) AS revenue FROM purchases"
      " WHERE store_id = ?1 AND effect = ?2 AND at >= ?3 AND at < ?4 AND reversed_at IS NULL"
      " GROUP BY product_id, currency ORDER BY revenue DESC, count(*) DESC, product_id"
      " LIMIT ?5");
  st.bind(1, store_id)
      .bind(2, db::value(PurchaseEffect::converted))
      .bind(3, from)
      .bind(4, to)
      .bind(5, limit);
  std::vector<ProductConversions> rows;
  while (st.step())
    rows.push_back(ProductConversions{st.string(0), st.string(1), st.int64(2), st.int64(3)});
  st.reset();
  return rows;
}

template <class Db>
std::vector<DayConversions> SqlTx<Db>::conversions_by_day(int64_t store_id, int64_t from,
                                                          int64_t to) {
  // Days since 1970-01-01 (UTC); `at` is never before 1970 here (a purchase's time).
  Statement& st = db_.cached(
      "SELECT at / 86400000 AS day, currency, count(*), sum(revenue_cents) FROM purchases"
      " WHERE store_id = ?1 AND effect = ?2 AND at >= ?3 AND at < ?4 AND reversed_at IS NULL"
      " GROUP BY day, currency ORDER BY day, currency");
  st.bind(1, store_id).bind(2, db::value(PurchaseEffect::converted)).bind(3, from).bind(4, to);
  std::vector<DayConversions> rows;
  while (st.step())
    rows.push_back(DayConversions{st.int64(0), st.string(1), st.int64(2), st.int64(3)});
  st.reset();
  return rows;
}

template <class Db>
int64_t SqlTx<Db>::count_notified(int64_t store_id, int64_t from, int64_t to) {
  Statement& st = db_.cached(
      "SELECT count(*) FROM events WHERE store_id = ?1 AND type = ?2 AND created_at >= ?3"
      " AND created_at < ?4");
  st.bind(1, store_id).bind(2, db::value(EventType::back_in_stock)).bind(3, from).bind(4, to);
  return single_int(st);
}

template <class Db>
int64_t SqlTx<Db>::count_purchased_while_waiting(int64_t store_id, int64_t from, int64_t to) {
  Statement& st = db_.cached(
      "SELECT count(*) FROM purchases WHERE store_id = ?1 AND effect = ?2 AND at >= ?3"
      " AND at < ?4");
  st.bind(1, store_id).bind(2, db::value(PurchaseEffect::ended)).bind(3, from).bind(4, to);
  return single_int(st);
}

template <class Db>
int64_t SqlTx<Db>::forget_order_customer(int64_t store_id, const std::string& email) {
  const std::vector<std::pair<int64_t, std::string>> orders = orders_bought_with(store_id, email);
  const auto without_customer = [](const std::string& data) {
    std::optional<std::string> out = order_storage_without_customer(data);
    if (!out) throw std::runtime_error("an order's stored data is unreadable");
    return *out;
  };
  for (const auto& [order_row, data] : orders) {
    db_.cached("UPDATE orders SET data = ? WHERE id = ?")
        .bind(1, without_customer(data))
        .bind(2, order_row)
        .run();
    std::vector<std::pair<int64_t, std::string>> events;
    Statement& ev =
        db_.cached("SELECT id, data FROM events WHERE order_id = ? AND data IS NOT NULL");
    ev.bind(1, order_row);
    while (ev.step()) events.emplace_back(ev.int64(0), ev.string(1));
    ev.reset();
    for (const auto& [event, event_data] : events)
      db_.cached("UPDATE events SET data = ? WHERE id = ?")
          .bind(1, without_customer(event_data))
          .bind(2, event)
          .run();
  }
  return static_cast<int64_t>(orders.size());
}

}  // namespace stockbell::server
