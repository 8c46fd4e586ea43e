#include "server/store.hpp"

#include <stdexcept>

#include "core/text.hpp"

namespace stockbell::server::store {
namespace {

const char* kind_name(KeyKind kind) { return kind == KeyKind::secret ? "secret" : "publishable"; }

// Column list shared by the request queries; read by read_request().
#define STOCKBELL_REQUEST_COLUMNS                                                           \
  "r.id, r.target_id, r.subscriber_id, t.product_id, t.variant_id, r.product_title, "       \
  "r.variant_title, r.status, s.email, r.created_at, r.notified_at, r.cancelled_at"

RequestRow read_request(const Statement& st) {
  RequestRow r;
  r.id = st.int64(0);
  r.target_id = st.int64(1);
  r.subscriber_id = st.int64(2);
  r.product_id = st.string(3);
  r.variant_id = st.string(4);
  r.product_title = st.optional_string(5);
  r.variant_title = st.optional_string(6);
  r.status = static_cast<RequestStatus>(st.int64(7));
  r.email = st.string(8);
  r.created_at = st.int64(9);
  r.notified_at = st.optional_int64(10);
  r.cancelled_at = st.optional_int64(11);
  return r;
}

#define STOCKBELL_EVENT_COLUMNS                                                              \
  "e.id, e.type, e.created_at, r.id, r.created_at, r.product_title, r.variant_title, s.id, " \
  "s.email, s.first_name, s.last_name, s.external_id, t.product_id, t.variant_id, "          \
  "n.product_title, n.variant_title, n.url, n.image_url, n.price_cents, n.currency"
#define STOCKBELL_EVENT_JOINS                                                                 \
  " FROM events e JOIN requests r ON r.id = e.request_id"                                    \
  " JOIN subscribers s ON s.id = r.subscriber_id JOIN targets t ON t.id = r.target_id"       \
  " JOIN snapshots n ON n.id = e.snapshot_id "

EventRow read_event(const Statement& st) {
  EventRow e;
  e.id = st.int64(0);
  e.type = st.int64(1) == 1 ? EventType::back_in_stock : EventType::back_in_stock_requested;
  e.created_at = st.int64(2);
  e.request_id = st.int64(3);
  e.request_created_at = st.int64(4);
  e.request_product_title = st.optional_string(5);
  e.request_variant_title = st.optional_string(6);
  e.subscriber_id = st.int64(7);
  e.email = st.string(8);
  e.first_name = st.optional_string(9);
  e.last_name = st.optional_string(10);
  e.external_id = st.optional_string(11);
  e.product_id = st.string(12);
  e.variant_id = st.string(13);
  e.catalog.product_title = st.optional_string(14);
  e.catalog.variant_title = st.optional_string(15);
  e.catalog.url = st.optional_string(16);
  e.catalog.image_url = st.optional_string(17);
  e.catalog.price_cents = st.optional_int64(18);
  e.catalog.currency = st.optional_string(19);
  return e;
}

ProductRow read_product(const Statement& st) {
  // columns: id, data, created_at, updated_at
  std::optional<Product> product = product_from_storage(st.text(1));
  if (!product) throw std::runtime_error("stored product " + std::to_string(st.int64(0)) +
                                         " is unreadable");
  return ProductRow{st.int64(0), std::move(*product), st.int64(2), st.int64(3)};
}

// `search` case-folded like the stored search_text; matched as a plain substring (instr), so
// `%` and `_` in a search mean themselves.
std::optional<std::string> folded(const std::optional<std::string>& search) {
  if (!search) return std::nullopt;
  return fold_case(*search);
}

std::optional<int64_t> status_value(const std::optional<RequestStatus>& status) {
  if (!status) return std::nullopt;
  return static_cast<int64_t>(*status);
}

// The request listing, driven from the most selective filter: the subscriber when an e-mail is
// given, the targets when a product is, else the requests in id order.
constexpr const char* kRequestsByEmail =
    "SELECT " STOCKBELL_REQUEST_COLUMNS
    " FROM subscribers s JOIN requests r ON r.subscriber_id = s.id"
    " JOIN targets t ON t.id = r.target_id"
    " WHERE s.store_id = ?1 AND s.email = ?5 AND t.store_id = ?1"
    " AND (?2 IS NULL OR t.product_id = ?2) AND (?3 IS NULL OR t.variant_id = ?3)"
    " AND (?4 IS NULL OR r.status = ?4)"
    " ORDER BY r.id DESC LIMIT ?6 OFFSET ?7";
constexpr const char* kRequestsByProduct =
    "SELECT " STOCKBELL_REQUEST_COLUMNS
    " FROM targets t JOIN requests r ON r.target_id = t.id"
    " JOIN subscribers s ON s.id = r.subscriber_id"
    " WHERE t.store_id = ?1 AND t.product_id = ?2 AND (?3 IS NULL OR t.variant_id = ?3)"
    " AND (?4 IS NULL OR r.status = ?4) AND (?5 IS NULL OR s.email = ?5)"
    " ORDER BY r.id DESC LIMIT ?6 OFFSET ?7";
constexpr const char* kRequestsAll =
    "SELECT " STOCKBELL_REQUEST_COLUMNS
    " FROM requests r JOIN targets t ON t.id = r.target_id"
    " JOIN subscribers s ON s.id = r.subscriber_id"
    " WHERE t.store_id = ?1 AND (?2 IS NULL OR t.product_id = ?2)"
    " AND (?3 IS NULL OR t.variant_id = ?3) AND (?4 IS NULL OR r.status = ?4)"
    " AND (?5 IS NULL OR s.email = ?5)"
    " ORDER BY r.id DESC LIMIT ?6 OFFSET ?7";
constexpr const char* kCountRequestsByEmail =
    "SELECT count(*) FROM subscribers s JOIN requests r ON r.subscriber_id = s.id"
    " JOIN targets t ON t.id = r.target_id"
    " WHERE s.store_id = ?1 AND s.email = ?5 AND t.store_id = ?1"
    " AND (?2 IS NULL OR t.product_id = ?2) AND (?3 IS NULL OR t.variant_id = ?3)"
    " AND (?4 IS NULL OR r.status = ?4)";
constexpr const char* kCountRequestsByProduct =
    "SELECT count(*) FROM targets t JOIN requests r ON r.target_id = t.id"
    " JOIN subscribers s ON s.id = r.subscriber_id"
    " WHERE t.store_id = ?1 AND t.product_id = ?2 AND (?3 IS NULL OR t.variant_id = ?3)"
    " AND (?4 IS NULL OR r.status = ?4) AND (?5 IS NULL OR s.email = ?5)";
constexpr const char* kCountRequestsAll =
    "SELECT count(*) FROM requests r JOIN targets t ON t.id = r.target_id"
    " JOIN subscribers s ON s.id = r.subscriber_id"
    " WHERE t.store_id = ?1 AND (?2 IS NULL OR t.product_id = ?2)"
    " AND (?3 IS NULL OR t.variant_id = ?3) AND (?4 IS NULL OR r.status = ?4)"
    " AND (?5 IS NULL OR s.email = ?5)";

Statement& bind_request_filters(Database& db, const char* sql, int64_t store_id,
                                const RequestListQuery& q) {
  Statement& st = db.cached(sql);
  st.bind(1, store_id).bind(2, q.product_id).bind(3, q.variant_id).bind(4, status_value(q.status));
  st.bind(5, q.email);
  return st;
}

const char* pick(const RequestListQuery& q, const char* by_email, const char* by_product,
                 const char* all) {
  if (q.email) return by_email;
  if (q.product_id) return by_product;
  return all;
}

int64_t single_int(Statement& st) {
  const int64_t value = st.step() ? st.int64(0) : 0;
  st.reset();
  return value;
}

KeyKind kind_of(std::string_view name) {
  return name == "secret" ? KeyKind::secret : KeyKind::publishable;
}

KeyHash hash_of(std::string_view stored) {
  KeyHash hash{};
  if (stored.size() == hash.size()) std::copy(stored.begin(), stored.end(), hash.begin());
  return hash;
}

void read_origins(Database& db, ApiKeyRow& key) {
  Statement& origins =
      db.cached("SELECT origin FROM api_key_origins WHERE key_id = ? ORDER BY origin");
  origins.bind(1, key.id);
  while (origins.step()) key.origins.push_back(origins.string(0));
  origins.reset();
}

}  // namespace

// ---- stores and keys ------------------------------------------------------------------------

std::optional<int64_t> find_store(Database& db, const std::string& name) {
  Statement& st = db.cached("SELECT id FROM stores WHERE name = ?");
  st.bind(1, name);
  std::optional<int64_t> id;
  if (st.step()) id = st.int64(0);
  st.reset();
  return id;
}

int64_t create_store(Database& db, const std::string& name, int64_t now) {
  db.cached("INSERT INTO stores(name, created_at) VALUES (?, ?)").bind(1, name).bind(2, now).run();
  return db.last_insert_rowid();
}

int64_t insert_key(Database& db, int64_t store_id, KeyKind kind, const KeyHash& hash,
                   const std::vector<std::string>& origins, int64_t now) {
  db.cached("INSERT INTO api_keys(store_id, kind, key_hash, created_at) VALUES (?, ?, ?, ?)")
      .bind(1, store_id)
      .bind(2, kind_name(kind))
      .bind_blob(3, hash.data(), hash.size())
      .bind(4, now)
      .run();
  const int64_t key_id = db.last_insert_rowid();
  for (const std::string& origin : origins)
    db.cached("INSERT OR IGNORE INTO api_key_origins(key_id, origin) VALUES (?, ?)")
        .bind(1, key_id)
        .bind(2, origin)
        .run();
  return key_id;
}

std::optional<ApiKeyRow> find_key(Database& db, const KeyHash& hash) {
  Statement& st = db.cached(
      "SELECT id, store_id, kind, key_hash FROM api_keys"
      " WHERE key_hash = ? AND revoked_at IS NULL");
  st.bind_blob(1, hash.data(), hash.size());
  std::optional<ApiKeyRow> key;
  if (st.step()) {
    key.emplace();
    key->id = st.int64(0);
    key->store_id = st.int64(1);
    key->kind = kind_of(st.text(2));
    key->hash = hash_of(st.text(3));
  }
  st.reset();
  if (key) read_origins(db, *key);
  return key;
}

std::vector<ApiKeyRow> list_keys(Database& db, const std::optional<std::string>& store_name) {
  Statement& st = db.cached(
      "SELECT k.id, k.store_id, k.kind, k.key_hash, s.name, k.created_at, k.revoked_at"
      " FROM api_keys k JOIN stores s ON s.id = k.store_id"
      " WHERE ?1 IS NULL OR s.name = ?1 ORDER BY k.id");
  st.bind(1, store_name);
  std::vector<ApiKeyRow> keys;
  while (st.step()) {
    ApiKeyRow& key = keys.emplace_back();
    key.id = st.int64(0);
    key.store_id = st.int64(1);
    key.kind = kind_of(st.text(2));
    key.hash = hash_of(st.text(3));
    key.store_name = st.string(4);
    key.created_at = st.int64(5);
    key.revoked_at = st.optional_int64(6);
  }
  st.reset();
  for (ApiKeyRow& key : keys) read_origins(db, key);
  return keys;
}

bool revoke_key(Database& db, int64_t key_id, int64_t now) {
  db.cached("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
      .bind(1, now)
      .bind(2, key_id)
      .run();
  return db.changes() > 0;
}

bool origin_allowed_for_any_key(Database& db, const std::string& origin) {
  Statement& st = db.cached(
      "SELECT 1 FROM api_key_origins o JOIN api_keys k ON k.id = o.key_id"
      " WHERE o.origin = ? AND k.revoked_at IS NULL LIMIT 1");
  st.bind(1, origin);
  const bool found = st.step();
  st.reset();
  return found;
}

// ---- subscribers ----------------------------------------------------------------------------

std::optional<SubscriberRow> find_subscriber(Database& db, int64_t store_id,
                                             const std::string& email) {
  Statement& st = db.cached(
      "SELECT id, external_id, first_name, last_name, attributes FROM subscribers"
      " WHERE store_id = ? AND email = ?");
  st.bind(1, store_id).bind(2, email);
  std::optional<SubscriberRow> row;
  if (st.step()) {
    row.emplace();
    row->id = st.int64(0);
    row->email = email;
    row->profile.external_id = st.optional_string(1);
    row->profile.first_name = st.optional_string(2);
    row->profile.last_name = st.optional_string(3);
    JsonParseFailure failure;
    std::optional<Json> attributes = parse_json(st.text(4), failure);
    row->profile.attributes = attributes && attributes->is_object() ? *attributes : Json::object();
  }
  st.reset();
  return row;
}

int64_t insert_subscriber(Database& db, int64_t store_id, const std::string& email,
                          const SubscriberProfile& profile, int64_t now) {
  db.cached(
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
  return db.last_insert_rowid();
}

void update_subscriber(Database& db, int64_t id, const SubscriberProfile& profile, int64_t now) {
  db.cached(
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

// ---- catalog --------------------------------------------------------------------------------

std::optional<ProductRow> find_product(Database& db, int64_t store_id,
                                       const std::string& product_id) {
  Statement& st = db.cached(
      "SELECT id, data, created_at, updated_at FROM products WHERE store_id = ? AND product_id = ?");
  st.bind(1, store_id).bind(2, product_id);
  std::optional<ProductRow> row;
  if (st.step()) row = read_product(st);
  st.reset();
  return row;
}

ProductRow save_product(Database& db, int64_t store_id, const Product& product, int64_t now) {
  Statement& st = db.cached(
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
  ProductRow row{st.int64(0), product, st.int64(1), st.int64(2)};
  st.reset();
  return row;
}

bool delete_product(Database& db, int64_t store_id, const std::string& product_id) {
  db.cached("DELETE FROM products WHERE store_id = ? AND product_id = ?")
      .bind(1, store_id)
      .bind(2, product_id)
      .run();
  return db.changes() > 0;
}

std::vector<ProductRow> list_products(Database& db, int64_t store_id, const ProductListQuery& q) {
  Statement& st = db.cached(
      "SELECT id, data, created_at, updated_at FROM products WHERE store_id = ?1"
      " AND (?2 IS NULL OR instr(search_text, ?2) > 0)"
      " ORDER BY product_id LIMIT ?3 OFFSET ?4");
  st.bind(1, store_id).bind(2, folded(q.search)).bind(3, q.page.limit);
  st.bind(4, q.page.offset);
  std::vector<ProductRow> rows;
  while (st.step()) rows.push_back(read_product(st));
  st.reset();
  return rows;
}

int64_t count_products(Database& db, int64_t store_id, const ProductListQuery& q) {
  Statement& st = db.cached(
      "SELECT count(*) FROM products WHERE store_id = ?1"
      " AND (?2 IS NULL OR instr(search_text, ?2) > 0)");
  st.bind(1, store_id).bind(2, folded(q.search));
  return single_int(st);
}

// ---- targets, snapshots, requests ---------------------------------------------------------

static std::optional<int64_t> find_target(Database& db, int64_t store_id,
                                          const std::string& product_id,
                                          const std::string& variant_id) {
  Statement& st = db.cached(
      "SELECT id FROM targets WHERE store_id = ? AND product_id = ? AND variant_id = ?");
  st.bind(1, store_id).bind(2, product_id).bind(3, variant_id);
  std::optional<int64_t> id;
  if (st.step()) id = st.int64(0);
  st.reset();
  return id;
}

int64_t find_or_create_target(Database& db, int64_t store_id, const std::string& product_id,
                              const std::string& variant_id) {
  if (std::optional<int64_t> id = find_target(db, store_id, product_id, variant_id)) return *id;
  db.cached("INSERT INTO targets(store_id, product_id, variant_id) VALUES (?, ?, ?)")
      .bind(1, store_id)
      .bind(2, product_id)
      .bind(3, variant_id)
      .run();
  return db.last_insert_rowid();
}

std::vector<std::pair<int64_t, std::string>> waiting_targets(Database& db, int64_t store_id,
                                                             const std::string& product_id) {
  Statement& st = db.cached(
      "SELECT t.id, t.variant_id FROM targets t WHERE t.store_id = ? AND t.product_id = ?"
      " AND EXISTS (SELECT 1 FROM requests r WHERE r.target_id = t.id AND r.status = 0)");
  st.bind(1, store_id).bind(2, product_id);
  std::vector<std::pair<int64_t, std::string>> targets;
  while (st.step()) targets.emplace_back(st.int64(0), st.string(1));
  st.reset();
  return targets;
}

int64_t snapshot_id(Database& db, int64_t target_id, const ProductSnapshot& snapshot) {
  Statement& latest = db.cached(
      "SELECT id, product_title, variant_title, url, image_url, price_cents, currency"
      " FROM snapshots WHERE target_id = ? ORDER BY id DESC LIMIT 1");
  latest.bind(1, target_id);
  std::optional<int64_t> reuse;
  if (latest.step()) {
    ProductSnapshot stored;
    stored.product_title = latest.optional_string(1);
    stored.variant_title = latest.optional_string(2);
    stored.url = latest.optional_string(3);
    stored.image_url = latest.optional_string(4);
    stored.price_cents = latest.optional_int64(5);
    stored.currency = latest.optional_string(6);
    if (stored == snapshot) reuse = latest.int64(0);
  }
  latest.reset();
  if (reuse) return *reuse;
  db.cached(
        "INSERT INTO snapshots(target_id, product_title, variant_title, url, image_url,"
        " price_cents, currency) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, target_id)
      .bind(2, snapshot.product_title)
      .bind(3, snapshot.variant_title)
      .bind(4, snapshot.url)
      .bind(5, snapshot.image_url)
      .bind(6, snapshot.price_cents)
      .bind(7, snapshot.currency)
      .run();
  return db.last_insert_rowid();
}

std::optional<RequestRow> find_waiting_request(Database& db, int64_t target_id,
                                               int64_t subscriber_id) {
  Statement& st = db.cached(
      "SELECT " STOCKBELL_REQUEST_COLUMNS
      " FROM requests r JOIN targets t ON t.id = r.target_id"
      " JOIN subscribers s ON s.id = r.subscriber_id"
      " WHERE r.target_id = ? AND r.subscriber_id = ? AND r.status = 0");
  st.bind(1, target_id).bind(2, subscriber_id);
  std::optional<RequestRow> row;
  if (st.step()) row = read_request(st);
  st.reset();
  return row;
}

int64_t insert_request(Database& db, int64_t target_id, int64_t subscriber_id,
                       const std::optional<std::string>& product_title,
                       const std::optional<std::string>& variant_title, int64_t now) {
  db.cached(
        "INSERT INTO requests(target_id, subscriber_id, status, product_title, variant_title,"
        " created_at) VALUES (?, ?, 0, ?, ?, ?)")
      .bind(1, target_id)
      .bind(2, subscriber_id)
      .bind(3, product_title)
      .bind(4, variant_title)
      .bind(5, now)
      .run();
  return db.last_insert_rowid();
}

void update_request_titles(Database& db, int64_t id,
                           const std::optional<std::string>& product_title,
                           const std::optional<std::string>& variant_title) {
  db.cached(
        "UPDATE requests SET product_title = coalesce(?, product_title),"
        " variant_title = coalesce(?, variant_title) WHERE id = ?")
      .bind(1, product_title)
      .bind(2, variant_title)
      .bind(3, id)
      .run();
}

std::optional<RequestRow> find_request(Database& db, int64_t store_id, int64_t id) {
  Statement& st = db.cached(
      "SELECT " STOCKBELL_REQUEST_COLUMNS
      " FROM requests r JOIN targets t ON t.id = r.target_id"
      " JOIN subscribers s ON s.id = r.subscriber_id WHERE r.id = ? AND t.store_id = ?");
  st.bind(1, id).bind(2, store_id);
  std::optional<RequestRow> row;
  if (st.step()) row = read_request(st);
  st.reset();
  return row;
}

bool cancel_request(Database& db, int64_t store_id, int64_t id, int64_t now) {
  db.cached(
        "UPDATE requests SET status = 2, cancelled_at = ?3 WHERE id = ?1 AND status = 0"
        " AND target_id IN (SELECT id FROM targets WHERE store_id = ?2)")
      .bind(1, id)
      .bind(2, store_id)
      .bind(3, now)
      .run();
  return db.changes() > 0;
}

std::vector<RequestRow> list_requests(Database& db, int64_t store_id, const RequestListQuery& q) {
  Statement& st = bind_request_filters(
      db, pick(q, kRequestsByEmail, kRequestsByProduct, kRequestsAll), store_id, q);
  st.bind(6, q.page.limit).bind(7, q.page.offset);
  std::vector<RequestRow> rows;
  while (st.step()) rows.push_back(read_request(st));
  st.reset();
  return rows;
}

int64_t count_requests(Database& db, int64_t store_id, const RequestListQuery& q) {
  return single_int(bind_request_filters(
      db, pick(q, kCountRequestsByEmail, kCountRequestsByProduct, kCountRequestsAll), store_id,
      q));
}

EventRange notify_target(Database& db, int64_t store_id, int64_t target_id, int64_t snapshot_id,
                         int64_t now) {
  db.cached(
        "INSERT INTO events(store_id, type, request_id, snapshot_id, created_at)"
        " SELECT ?1, 1, id, ?2, ?3 FROM requests WHERE target_id = ?4 AND status = 0 ORDER BY id")
      .bind(1, store_id)
      .bind(2, snapshot_id)
      .bind(3, now)
      .bind(4, target_id)
      .run();
  // INTEGER PRIMARY KEY rows of one INSERT ... SELECT get consecutive ids (max + 1 each).
  EventRange events{db.changes(), db.last_insert_rowid() - db.changes() + 1,
                    db.last_insert_rowid()};
  db.cached("UPDATE requests SET status = 1, notified_at = ?1 WHERE target_id = ?2 AND status = 0")
      .bind(1, now)
      .bind(2, target_id)
      .run();
  if (db.changes() != events.count)
    throw std::runtime_error("notified requests and back-in-stock events disagree");
  return events;
}

// ---- events ---------------------------------------------------------------------------------

int64_t insert_event(Database& db, int64_t store_id, EventType type, int64_t request_id,
                     int64_t snapshot_id, int64_t now) {
  db.cached(
        "INSERT INTO events(store_id, type, request_id, snapshot_id, created_at)"
        " VALUES (?, ?, ?, ?, ?)")
      .bind(1, store_id)
      .bind(2, static_cast<int64_t>(type == EventType::back_in_stock ? 1 : 0))
      .bind(3, request_id)
      .bind(4, snapshot_id)
      .bind(5, now)
      .run();
  return db.last_insert_rowid();
}

std::vector<EventRow> list_events(Database& db, int64_t store_id, std::optional<EventType> type,
                                  int64_t after, int64_t limit) {
  Statement& st = type ? db.cached("SELECT " STOCKBELL_EVENT_COLUMNS STOCKBELL_EVENT_JOINS
                                   "WHERE e.store_id = ?1 AND e.type = ?4 AND e.id > ?2"
                                   " ORDER BY e.id LIMIT ?3")
                       : db.cached("SELECT " STOCKBELL_EVENT_COLUMNS STOCKBELL_EVENT_JOINS
                                   "WHERE e.store_id = ?1 AND e.id > ?2 ORDER BY e.id LIMIT ?3");
  st.bind(1, store_id).bind(2, after).bind(3, limit);
  if (type) st.bind(4, static_cast<int64_t>(*type == EventType::back_in_stock ? 1 : 0));
  std::vector<EventRow> rows;
  while (st.step()) rows.push_back(read_event(st));
  st.reset();
  return rows;
}

std::optional<EventRow> find_event(Database& db, int64_t id) {
  Statement& st =
      db.cached("SELECT " STOCKBELL_EVENT_COLUMNS STOCKBELL_EVENT_JOINS "WHERE e.id = ?1");
  st.bind(1, id);
  std::optional<EventRow> row;
  if (st.step()) row = read_event(st);
  st.reset();
  return row;
}

}  // namespace stockbell::server::store
