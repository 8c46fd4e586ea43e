#pragma once
// SqlTx (sql_tx.hpp): store platform connections, the deliveries they processed, what was learnt
// through them, the same on both backends. Included only by the files that instantiate SqlTx
// (sqlite/sqlite_tx.cpp, postgres/pg_tx.cpp).

#include <stdexcept>

#include "server/store/sql_tx.hpp"

namespace stockbell::server {

template <class Db>
std::optional<IntegrationRecord> SqlTx<Db>::find_integration(int64_t store_id, Platform platform) {
  Statement& st = db_.cached("SELECT " STOCKBELL_INTEGRATION_COLUMNS
                             " FROM integrations WHERE store_id = ? AND platform = ?");
  st.bind(1, store_id).bind(2, platform_name(platform));
  return read_first(st, read_integration<Statement>);
}

template <class Db>
std::optional<IntegrationRecord> SqlTx<Db>::find_integration_by_token(Platform platform,
                                                                      const std::string& token) {
  Statement& st = db_.cached("SELECT " STOCKBELL_INTEGRATION_COLUMNS
                             " FROM integrations WHERE token = ? AND platform = ?");
  st.bind(1, token).bind(2, platform_name(platform));
  return read_first(st, read_integration<Statement>);
}

template <class Db>
std::optional<IntegrationRecord> SqlTx<Db>::find_integration_by_origin(Platform platform,
                                                                       const std::string& origin) {
  Statement& st = db_.cached("SELECT " STOCKBELL_INTEGRATION_COLUMNS
                             " FROM integrations WHERE platform = ? AND origin = ?");
  st.bind(1, platform_name(platform)).bind(2, origin);
  return read_first(st, read_integration<Statement>);
}

template <class Db>
std::vector<IntegrationRecord> SqlTx<Db>::list_integrations(int64_t store_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_INTEGRATION_COLUMNS
                             " FROM integrations WHERE store_id = ? ORDER BY platform");
  st.bind(1, store_id);
  return read_all(st, read_integration<Statement>);
}

template <class Db>
IntegrationRecord SqlTx<Db>::save_integration(int64_t store_id, const IntegrationSettings& settings,
                                              const std::optional<std::string>& origin,
                                              const std::string& token, int64_t now) {
  Statement& st = db_.cached(
      "INSERT INTO integrations(store_id, platform, token, address, origin, secret, currency,"
      " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"
      " ON CONFLICT(store_id, platform) DO UPDATE SET address = excluded.address,"
      " origin = excluded.origin, secret = excluded.secret, currency = excluded.currency,"
      " updated_at = excluded.updated_at"
      " RETURNING " STOCKBELL_INTEGRATION_COLUMNS);
  st.bind(1, store_id).bind(2, platform_name(settings.platform)).bind(3, token);
  st.bind(4, settings.address).bind(5, origin).bind(6, settings.secret);
  st.bind(7, settings.currency).bind(8, now);
  if (!st.step()) throw std::runtime_error("integration upsert returned no row");
  IntegrationRecord row = read_integration(st);
  st.reset();
  return row;
}

template <class Db>
bool SqlTx<Db>::delete_integration(int64_t store_id, Platform platform) {
  // What was learnt through it goes too (ON DELETE CASCADE).
  db_.cached("DELETE FROM integrations WHERE store_id = ? AND platform = ?")
      .bind(1, store_id)
      .bind(2, platform_name(platform))
      .run();
  return db_.changes() > 0;
}

template <class Db>
std::optional<std::string> SqlTx<Db>::platform_delivery_outcome(int64_t integration_id,
                                                                const std::string& delivery_id) {
  Statement& st = db_.cached(
      "SELECT outcome FROM platform_deliveries WHERE integration_id = ? AND delivery_id = ?");
  st.bind(1, integration_id).bind(2, delivery_id);
  std::optional<std::string> outcome;
  if (st.step()) outcome = st.string(0);
  st.reset();
  return outcome;
}

template <class Db>
void SqlTx<Db>::save_platform_delivery(int64_t integration_id, const std::string& delivery_id,
                                       const std::string& topic, const std::string& outcome,
                                       int64_t now) {
  db_.cached(
         "INSERT INTO platform_deliveries(integration_id, delivery_id, topic, outcome, received_at)"
         " VALUES (?, ?, ?, ?, ?)")
      .bind(1, integration_id)
      .bind(2, delivery_id)
      .bind(3, topic)
      .bind(4, outcome)
      .bind(5, now)
      .run();
}

template <class Db>
std::optional<int64_t> SqlTx<Db>::platform_version(int64_t integration_id,
                                                   const std::string& resource,
                                                   const std::string& id) {
  Statement& st = db_.cached(
      "SELECT updated_at FROM platform_versions WHERE integration_id = ? AND resource = ?"
      " AND resource_id = ?");
  st.bind(1, integration_id).bind(2, resource).bind(3, id);
  std::optional<int64_t> version;
  if (st.step()) version = st.int64(0);
  st.reset();
  return version;
}

template <class Db>
void SqlTx<Db>::save_item_links(int64_t integration_id, const std::string& product_id,
                                const std::vector<ItemLink>& links, bool complete) {
  if (complete) {
    db_.cached("DELETE FROM platform_items WHERE integration_id = ? AND product_id = ?")
        .bind(1, integration_id)
        .bind(2, product_id)
        .run();
  }
  for (const ItemLink& link : links) {
    // A variant stands for one item: a variant moved to another item drops the old link.
    db_.cached(
           "DELETE FROM platform_items WHERE integration_id = ? AND product_id = ?"
           " AND variant_id = ? AND item_id != ?")
        .bind(1, integration_id)
        .bind(2, product_id)
        .bind(3, link.variant_id)
        .bind(4, link.item_id)
        .run();
    db_.cached(
           "INSERT INTO platform_items(integration_id, item_id, product_id, variant_id,"
           " continue_selling) VALUES (?1, ?2, ?3, ?4, ?5)"
           " ON CONFLICT(integration_id, item_id, product_id, variant_id)"
           " DO UPDATE SET continue_selling = excluded.continue_selling")
        .bind(1, integration_id)
        .bind(2, link.item_id)
        .bind(3, product_id)
        .bind(4, link.variant_id)
        .bind(5, static_cast<int64_t>(link.continue_selling))
        .run();
  }
}

template <class Db>
std::vector<ItemLink> SqlTx<Db>::item_links(int64_t integration_id, const std::string& item_id) {
  Statement& st = db_.cached(
      "SELECT product_id, variant_id, continue_selling FROM platform_items"
      " WHERE integration_id = ? AND item_id = ? ORDER BY product_id, variant_id");
  st.bind(1, integration_id).bind(2, item_id);
  std::vector<ItemLink> links;
  while (st.step())
    links.push_back(ItemLink{item_id, st.string(0), st.string(1), st.int64(2) != 0});
  st.reset();
  return links;
}

template <class Db>
std::optional<bool> SqlTx<Db>::item_tracked(int64_t integration_id, const std::string& item_id) {
  Statement& st =
      db_.cached("SELECT tracked FROM inventory_tracking WHERE integration_id = ? AND item_id = ?");
  st.bind(1, integration_id).bind(2, item_id);
  std::optional<bool> tracked;
  if (st.step()) tracked = st.int64(0) != 0;
  st.reset();
  return tracked;
}

template <class Db>
void SqlTx<Db>::set_item_tracked(int64_t integration_id, const std::string& item_id, bool tracked) {
  db_.cached(
         "INSERT INTO inventory_tracking(integration_id, item_id, tracked) VALUES (?1, ?2, ?3)"
         " ON CONFLICT(integration_id, item_id) DO UPDATE SET tracked = excluded.tracked")
      .bind(1, integration_id)
      .bind(2, item_id)
      .bind(3, static_cast<int64_t>(tracked))
      .run();
}

template <class Db>
bool SqlTx<Db>::save_inventory_level(int64_t integration_id, const InventoryLevel& level) {
  Statement& stored = db_.cached(
      "SELECT updated_at FROM inventory_levels WHERE integration_id = ? AND item_id = ?"
      " AND location_id = ?");
  stored.bind(1, integration_id).bind(2, level.inventory_item_id).bind(3, level.location_id);
  std::optional<int64_t> stored_at;
  if (stored.step()) stored_at = stored.optional_int64(0);
  stored.reset();
  if (stored_at && level.updated_at && *level.updated_at < *stored_at) return false;
  if (level.disconnected) {
    db_.cached(
           "DELETE FROM inventory_levels WHERE integration_id = ? AND item_id = ?"
           " AND location_id = ?")
        .bind(1, integration_id)
        .bind(2, level.inventory_item_id)
        .bind(3, level.location_id)
        .run();
    return true;
  }
  db_.cached(
         "INSERT INTO inventory_levels(integration_id, item_id, location_id, available,"
         " updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
         " ON CONFLICT(integration_id, item_id, location_id)"
         " DO UPDATE SET available = excluded.available, updated_at = excluded.updated_at")
      .bind(1, integration_id)
      .bind(2, level.inventory_item_id)
      .bind(3, level.location_id)
      .bind(4, level.available)
      .bind(5, level.updated_at)
      .run();
  return true;
}

template <class Db>
std::optional<int64_t> SqlTx<Db>::summed_levels(int64_t integration_id,
                                                const std::string& item_id) {
  Statement& st = db_.cached(
      "SELECT sum(available) FROM inventory_levels WHERE integration_id = ? AND item_id = ?"
      " AND available IS NOT NULL");
  st.bind(1, integration_id).bind(2, item_id);
  std::optional<int64_t> sum;
  if (st.step()) sum = st.optional_int64(0);
  st.reset();
  return sum;
}

}  // namespace stockbell::server
