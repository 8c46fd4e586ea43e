#pragma once
// SqlTx (sql_tx.hpp): subscribers and the catalog, the same on both backends. Included only by the
// files that instantiate SqlTx (sqlite/sqlite_tx.cpp, postgres/pg_tx.cpp).

#include <stdexcept>

#include "core/text.hpp"
#include "server/store/sql_tx.hpp"

namespace stockbell::server {

template <class Db>
std::optional<SubscriberRecord> SqlTx<Db>::find_subscriber(int64_t store_id,
                                                           const std::string& email) {
  Statement& st = db_.cached("SELECT " STOCKBELL_SUBSCRIBER_COLUMNS
                             " FROM subscribers WHERE store_id = ? AND email = ?");
  st.bind(1, store_id).bind(2, email);
  return read_first(st, read_subscriber<Statement>);
}

template <class Db>
std::optional<SubscriberRecord> SqlTx<Db>::find_subscriber_by_id(int64_t store_id, int64_t id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_SUBSCRIBER_COLUMNS
                             " FROM subscribers WHERE id = ? AND store_id = ?");
  st.bind(1, id).bind(2, store_id);
  return read_first(st, read_subscriber<Statement>);
}

template <class Db>
void SqlTx<Db>::set_subscriber_mail_state(int64_t id, std::optional<int64_t> confirmed_at,
                                          std::optional<int64_t> suppressed_at) {
  db_.cached("UPDATE subscribers SET confirmed_at = ?, suppressed_at = ? WHERE id = ?")
      .bind(1, confirmed_at)
      .bind(2, suppressed_at)
      .bind(3, id)
      .run();
}

template <class Db>
bool SqlTx<Db>::erase_subscriber(int64_t store_id, int64_t id) {
  const std::optional<SubscriberRecord> subscriber = find_subscriber_by_id(store_id, id);
  if (!subscriber) return false;
  forget_order_customer(store_id, subscriber->email);
  // Each event's deliveries by the (webhook, event) index: a store has few endpoints, a
  // subscriber few events.
  std::vector<int64_t> events;
  Statement& ev = db_.cached(
      "SELECT e.id FROM requests r JOIN events e ON e.request_id = r.id WHERE r.subscriber_id = ?");
  ev.bind(1, id);
  while (ev.step()) events.push_back(ev.int64(0));
  ev.reset();
  for (int64_t event : events)
    db_.cached(
           "DELETE FROM deliveries WHERE event_id = ?2"
           " AND webhook_id IN (SELECT id FROM webhooks WHERE store_id = ?1)")
        .bind(1, store_id)
        .bind(2, event)
        .run();
  db_.cached("DELETE FROM messages WHERE subscriber_id = ?").bind(1, id).run();
  db_.cached(
         "DELETE FROM events WHERE request_id IN (SELECT id FROM requests WHERE subscriber_id = ?)")
      .bind(1, id)
      .run();
  db_.cached("DELETE FROM requests WHERE subscriber_id = ?").bind(1, id).run();
  db_.cached("DELETE FROM subscribers WHERE id = ?").bind(1, id).run();
  return true;
}

template <class Db>
int64_t SqlTx<Db>::insert_subscriber(int64_t store_id, const std::string& email,
                                     const SubscriberProfile& profile, int64_t now) {
  db_.cached(
         "INSERT INTO subscribers(store_id, email, external_id, first_name, last_name,"
         " attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, store_id)
      .bind(2, email)
      .bind(3, profile.external_id)
      .bind(4, profile.first_name)
      .bind(5, profile.last_name)
      .bind(6, dump(profile.attributes))
      .bind(7, now)
      .bind(8, now)
      .run();
  return db_.last_insert_rowid();
}

template <class Db>
void SqlTx<Db>::update_subscriber(int64_t id, const SubscriberProfile& profile, int64_t now) {
  db_.cached(
         "UPDATE subscribers SET external_id = ?, first_name = ?, last_name = ?, attributes = ?,"
         " updated_at = ? WHERE id = ?")
      .bind(1, profile.external_id)
      .bind(2, profile.first_name)
      .bind(3, profile.last_name)
      .bind(4, dump(profile.attributes))
      .bind(5, now)
      .bind(6, id)
      .run();
}

template <class Db>
ProductRecord SqlTx<Db>::save_product(int64_t store_id, const Product& product, int64_t now) {
  Statement& st = db_.cached(
      "INSERT INTO products(store_id, product_id, title, search_text, data, created_at,"
      " updated_at) VALUES (?1, ?2, ?3, ?6, ?4, ?5, ?5)"
      " ON CONFLICT(store_id, product_id) DO UPDATE SET title = excluded.title,"
      " search_text = excluded.search_text, data = excluded.data,"
      " updated_at = excluded.updated_at"
      " RETURNING id, created_at, updated_at");
  st.bind(1, store_id).bind(2, product.product_id).bind(3, product.title);
  st.bind(4, product_to_storage(product)).bind(5, now);
  st.bind(6, fold_case(product.product_id + "\n" + product.title));
  if (!st.step()) throw std::runtime_error("product upsert returned no row");
  ProductRecord row{st.int64(0), product, st.int64(1), st.int64(2)};
  st.reset();
  return row;
}

template <class Db>
bool SqlTx<Db>::delete_product(int64_t store_id, const std::string& product_id) {
  db_.cached("DELETE FROM products WHERE store_id = ? AND product_id = ?")
      .bind(1, store_id)
      .bind(2, product_id)
      .run();
  return db_.changes() > 0;
}

}  // namespace stockbell::server
