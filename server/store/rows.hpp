#pragma once
// One reader per record, shared by both backends: `read_request(st)` turns the current row of a
// statement that selected STOCKBELL_REQUEST_COLUMNS into a RequestRecord, whether `st` is
// SQLite's Statement (sqlite/sqlite.hpp) or PostgreSQL's (postgres/pg.hpp). Both offer the same
// reading API, which is all a reader uses: 0-based columns, `int64` (NULL reads 0; a PostgreSQL
// boolean 1 or 0), `string`/`text` (NULL reads ""), `optional_int64`/`optional_string` (NULL is
// nullopt), `is_null`, and `step`/`reset` for the loops.
//
// The column lists are here too, next to the readers that depend on their order; they are SQL
// both backends run as they are. A query's FROM/WHERE, and anything the two dialects spell
// differently (a `?2::TEXT IS NULL`, `FOR UPDATE`, a lease), stays in the backend's
// tx_<area>.cpp / pg_tx_<area>.cpp. The lists are macros so that `"SELECT " COLUMNS " FROM ..."`
// stays one string literal: Database::cached() keys its statements by the literal's address.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.hpp"
#include "server/store/db_values.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

// ---- reading statements -------------------------------------------------------------------

/// Every row `read` makes of `st`; resets `st`. `read_all(st, read_request<Statement>)`.
template <class Statement, class Read>
auto read_all(Statement& st, Read read) {
  std::vector<decltype(read(st))> rows;
  while (st.step()) rows.push_back(read(st));
  st.reset();
  return rows;
}

/// The first row `read` makes of `st`, if there is one; resets `st`.
template <class Statement, class Read>
auto read_first(Statement& st, Read read) {
  std::optional<decltype(read(st))> row;
  if (st.step()) row = read(st);
  st.reset();
  return row;
}

/// The first column of the statement's first row (0 when there is none); resets it.
template <class Statement>
int64_t single_int(Statement& st) {
  const int64_t value = st.step() ? st.int64(0) : 0;
  st.reset();
  return value;
}

/// A 32-byte key or hash stored as a BLOB (bytea); all zeros when it is not 32 bytes.
inline KeyHash key_hash_of(std::string_view stored) {
  KeyHash hash{};
  if (stored.size() == hash.size()) std::copy(stored.begin(), stored.end(), hash.begin());
  return hash;
}

// ---- stores and keys ----------------------------------------------------------------------

#define STOCKBELL_KEY_COLUMNS \
  "k.id, k.store_id, k.kind, k.key_hash, s.name, k.created_at, k.revoked_at"
#define STOCKBELL_KEY_JOINS " FROM api_keys k JOIN stores s ON s.id = k.store_id"

/// An API key without its origins (a second query reads those).
template <class Row>
ApiKeyRecord read_key(const Row& st) {
  ApiKeyRecord key;
  key.id = st.int64(0);
  key.store_id = st.int64(1);
  key.kind = parse_key_kind(st.text(2)).value_or(KeyKind::publishable);  // the schema CHECKs it
  key.hash = key_hash_of(st.text(3));
  key.store_name = st.string(4);
  key.created_at = st.int64(5);
  key.revoked_at = st.optional_int64(6);
  return key;
}

/// Adds the key's allowed origins (sorted) to `key`.
template <class Database>
void read_key_origins(Database& db, ApiKeyRecord& key) {
  auto& st = db.cached("SELECT origin FROM api_key_origins WHERE key_id = ? ORDER BY origin");
  st.bind(1, key.id);
  while (st.step()) key.origins.push_back(st.string(0));
  st.reset();
}

// ---- subscribers and the catalog ----------------------------------------------------------

#define STOCKBELL_SUBSCRIBER_COLUMNS                                                   \
  "id, email, external_id, first_name, last_name, attributes, created_at, updated_at," \
  " confirmed_at, suppressed_at"

template <class Row>
SubscriberRecord read_subscriber(const Row& st) {
  SubscriberRecord row;
  row.id = st.int64(0);
  row.email = st.string(1);
  row.profile.external_id = st.optional_string(2);
  row.profile.first_name = st.optional_string(3);
  row.profile.last_name = st.optional_string(4);
  JsonParseFailure failure;
  std::optional<Json> attributes = parse_json(st.text(5), failure);
  row.profile.attributes = attributes && attributes->is_object() ? *attributes : Json::object();
  row.created_at = st.int64(6);
  row.updated_at = st.int64(7);
  row.confirmed_at = st.optional_int64(8);
  row.suppressed_at = st.optional_int64(9);
  return row;
}

#define STOCKBELL_PRODUCT_COLUMNS "id, data, created_at, updated_at"

template <class Row>
ProductRecord read_product(const Row& st) {
  std::optional<Product> product = product_from_storage(st.text(1));
  if (!product)
    throw std::runtime_error("stored product " + std::to_string(st.int64(0)) + " is unreadable");
  return ProductRecord{st.int64(0), std::move(*product), st.int64(2), st.int64(3)};
}

/// A snapshot's six columns, read by read_snapshot() from column `first` on (the event and
/// outgoing message lists name them `n.product_title`, ...).
#define STOCKBELL_SNAPSHOT_COLUMNS \
  "product_title, variant_title, url, image_url, price_cents, currency"

template <class Row>
ProductSnapshot read_snapshot(const Row& st, int first) {
  ProductSnapshot s;
  s.product_title = st.optional_string(first);
  s.variant_title = st.optional_string(first + 1);
  s.url = st.optional_string(first + 2);
  s.image_url = st.optional_string(first + 3);
  s.price_cents = st.optional_int64(first + 4);
  s.currency = st.optional_string(first + 5);
  return s;
}

// ---- requests and events ------------------------------------------------------------------

#define STOCKBELL_REQUEST_COLUMNS                                                           \
  "r.id, r.target_id, r.subscriber_id, t.product_id, t.variant_id, r.product_title, "       \
  "r.variant_title, r.status, s.email, r.created_at, r.notified_at, r.cancelled_at, "       \
  "(SELECT o.order_id FROM purchases p JOIN orders o ON o.id = p.order_id"                  \
  " WHERE p.request_id = r.id AND p.reversed_at IS NULL), "                                 \
  "(SELECT p.at FROM purchases p WHERE p.request_id = r.id AND p.reversed_at IS NULL"       \
  " AND p.effect = 1), "                                                                    \
  "(SELECT p.revenue_cents FROM purchases p WHERE p.request_id = r.id"                      \
  " AND p.reversed_at IS NULL AND p.effect = 1), "                                          \
  "(SELECT p.currency FROM purchases p WHERE p.request_id = r.id AND p.reversed_at IS NULL" \
  " AND p.effect = 1), "                                                                    \
  "r.locale, r.source, r.client_address, r.user_agent, r.consent_text, r.confirmed_at"
// A request with its target and subscriber (the aliases STOCKBELL_REQUEST_COLUMNS reads).
#define STOCKBELL_REQUEST_JOINS                           \
  " FROM requests r JOIN targets t ON t.id = r.target_id" \
  " JOIN subscribers s ON s.id = r.subscriber_id"

template <class Row>
RequestRecord read_request(const Row& st) {
  RequestRecord r;
  r.id = st.int64(0);
  r.target_id = st.int64(1);
  r.subscriber_id = st.int64(2);
  r.product_id = st.string(3);
  r.variant_id = st.string(4);
  r.product_title = st.optional_string(5);
  r.variant_title = st.optional_string(6);
  r.status = db::request_status(st.int64(7));
  r.email = st.string(8);
  r.created_at = st.int64(9);
  r.notified_at = st.optional_int64(10);
  r.cancelled_at = st.optional_int64(11);
  r.order_id = st.optional_string(12);
  r.converted_at = st.optional_int64(13);
  r.revenue_cents = st.optional_int64(14);
  r.revenue_currency = st.optional_string(15);
  r.locale = st.optional_string(16);
  if (!st.is_null(17)) r.consent.source = db::request_source(st.int64(17));
  r.consent.client_address = st.optional_string(18);
  r.consent.user_agent = st.optional_string(19);
  r.consent.text = st.optional_string(20);
  r.consent.confirmed_at = st.optional_int64(21);
  return r;
}

#define STOCKBELL_EVENT_COLUMNS                                                              \
  "e.id, e.type, e.created_at, r.id, r.created_at, r.product_title, r.variant_title, s.id, " \
  "s.email, s.first_name, s.last_name, s.external_id, t.product_id, t.variant_id, "          \
  "n.product_title, n.variant_title, n.url, n.image_url, n.price_cents, n.currency, e.data"
// Order events have no request (and carry their order in `data`): outer joins.
#define STOCKBELL_EVENT_JOINS                                  \
  " FROM events e LEFT JOIN requests r ON r.id = e.request_id" \
  " LEFT JOIN subscribers s ON s.id = r.subscriber_id"         \
  " LEFT JOIN targets t ON t.id = r.target_id"                 \
  " LEFT JOIN snapshots n ON n.id = e.snapshot_id "

template <class Row>
EventRecord read_event(const Row& st) {
  EventRecord e;
  e.id = st.int64(0);
  e.type = db::event_type(st.int64(1));
  e.created_at = st.int64(2);
  e.request_id = st.int64(3);
  e.request_created_at = st.int64(4);
  e.request_product_title = st.optional_string(5);
  e.request_variant_title = st.optional_string(6);
  e.subscriber.id = st.int64(7);
  e.subscriber.email = st.string(8);
  e.subscriber.first_name = st.optional_string(9);
  e.subscriber.last_name = st.optional_string(10);
  e.subscriber.external_id = st.optional_string(11);
  e.product_id = st.string(12);
  e.variant_id = st.string(13);
  e.catalog = read_snapshot(st, 14);
  if (!st.is_null(20)) {
    e.order = order_from_storage(st.text(20));
    if (!e.order)
      throw std::runtime_error("stored event " + std::to_string(e.id) + " is unreadable");
  }
  return e;
}

// ---- orders -------------------------------------------------------------------------------

#define STOCKBELL_ORDER_COLUMNS \
  "id, store_id, data, ordered_at, purchased_at, created_at, updated_at"

template <class Row>
OrderRecord read_order(const Row& st) {
  std::optional<Order> order = order_from_storage(st.text(2));
  if (!order)
    throw std::runtime_error("stored order " + std::to_string(st.int64(0)) + " is unreadable");
  OrderRecord r;
  r.id = st.int64(0);
  r.store_id = st.int64(1);
  r.order = std::move(*order);
  r.ordered_at = st.int64(3);
  r.purchased_at = st.optional_int64(4);
  r.created_at = st.int64(5);
  r.updated_at = st.int64(6);
  return r;
}

// ---- platforms ----------------------------------------------------------------------------

#define STOCKBELL_INTEGRATION_COLUMNS \
  "id, store_id, platform, token, address, origin, secret, currency, created_at, updated_at"

template <class Row>
IntegrationRecord read_integration(const Row& st) {
  IntegrationRecord r;
  r.id = st.int64(0);
  r.store_id = st.int64(1);
  std::optional<Platform> platform = parse_platform(st.text(2));
  if (!platform) throw std::runtime_error("stored integration has an unknown platform");
  r.platform = *platform;
  r.token = st.string(3);
  r.address = st.string(4);
  r.origin = st.optional_string(5);
  r.secret = st.string(6);
  r.currency = st.optional_string(7);
  r.created_at = st.int64(8);
  r.updated_at = st.int64(9);
  return r;
}

// ---- webhooks -----------------------------------------------------------------------------

#define STOCKBELL_WEBHOOK_COLUMNS                                                 \
  "id, store_id, url, description, event_mask, enabled, secret, previous_secret," \
  " previous_secret_until, created_at, updated_at"

template <class Row>
WebhookRecord read_webhook(const Row& st) {
  WebhookRecord w;
  w.id = st.int64(0);
  w.store_id = st.int64(1);
  w.url = st.string(2);
  w.description = st.optional_string(3);
  w.events = static_cast<EventMask>(st.int64(4));
  w.enabled = st.int64(5) != 0;
  w.secret = st.string(6);
  w.previous_secret = st.optional_string(7);
  w.previous_secret_until = st.optional_int64(8);
  w.created_at = st.int64(9);
  w.updated_at = st.int64(10);
  return w;
}

#define STOCKBELL_DELIVERY_COLUMNS                                                   \
  "d.id, d.event_id, e.type, d.status, d.attempts, d.next_attempt_at, d.created_at," \
  " d.delivered_at"
#define STOCKBELL_DELIVERY_JOINS " FROM deliveries d JOIN events e ON e.id = d.event_id"

/// A delivery without its attempt log (a second query reads that).
template <class Row>
DeliveryRecord read_delivery(const Row& st) {
  DeliveryRecord d;
  d.id = st.int64(0);
  d.event_id = st.int64(1);
  d.event_type = db::event_type(st.int64(2));
  d.status = db::delivery_status(st.int64(3));
  d.attempts = st.int64(4);
  d.next_attempt_at = st.optional_int64(5);
  d.created_at = st.int64(6);
  d.delivered_at = st.optional_int64(7);
  return d;
}

/// Adds the delivery's attempts (oldest first) to `delivery`.
template <class Database>
void read_attempt_log(Database& db, DeliveryRecord& delivery) {
  auto& st = db.cached(
      "SELECT attempted_at, duration_ms, status_code, error FROM delivery_attempts"
      " WHERE delivery_id = ? ORDER BY id");
  st.bind(1, delivery.id);
  while (st.step())
    delivery.attempt_log.push_back(
        DeliveryAttempt{st.int64(0), st.int64(1), st.optional_int64(2), st.optional_string(3)});
  st.reset();
}

// ---- shopper e-mail -----------------------------------------------------------------------

#define STOCKBELL_MESSAGE_COLUMNS                                                         \
  "m.id, m.kind, m.status, s.email, m.subscriber_id, m.request_id, r.locale, m.attempts," \
  " m.last_error, m.created_at, m.next_attempt_at, m.sent_at"
#define STOCKBELL_MESSAGE_JOINS                                   \
  " FROM messages m JOIN subscribers s ON s.id = m.subscriber_id" \
  " JOIN requests r ON r.id = m.request_id "

template <class Row>
MessageRecord read_message(const Row& st) {
  MessageRecord m;
  m.id = st.int64(0);
  m.kind = db::mail_kind(st.int64(1));
  m.status = db::message_status(st.int64(2));
  m.to = st.string(3);
  m.subscriber_id = st.int64(4);
  m.request_id = st.int64(5);
  m.locale = st.optional_string(6);
  m.attempts = st.int64(7);
  m.last_error = st.optional_string(8);
  m.created_at = st.int64(9);
  m.next_attempt_at = st.optional_int64(10);
  m.sent_at = st.optional_int64(11);
  return m;
}

// A message with everything it is rendered and sent with; the caller adds the WHERE.
#define STOCKBELL_OUTGOING_MESSAGE_COLUMNS                                                   \
  "m.id, m.store_id, m.subscriber_id, m.request_id, m.kind, m.status, m.attempts,"           \
  " m.next_attempt_at, m.due_since, m.created_at, s.email, s.first_name, r.locale,"          \
  " t.product_id, t.variant_id,"                                                             \
  " r.product_title, r.variant_title, n.product_title, n.variant_title, n.url, n.image_url," \
  " n.price_cents, n.currency, u.data, st.mail_key"
#define STOCKBELL_OUTGOING_MESSAGE_JOINS                                              \
  " FROM messages m JOIN subscribers s ON s.id = m.subscriber_id"                     \
  " JOIN requests r ON r.id = m.request_id JOIN targets t ON t.id = r.target_id"      \
  " JOIN snapshots n ON n.id = m.snapshot_id JOIN mail_setups u ON u.id = m.setup_id" \
  " JOIN stores st ON st.id = m.store_id"

template <class Row>
OutgoingMessage read_outgoing_message(const Row& st) {
  OutgoingMessage m;
  m.id = st.int64(0);
  m.store_id = st.int64(1);
  m.subscriber_id = st.int64(2);
  m.request_id = st.int64(3);
  m.kind = db::mail_kind(st.int64(4));
  m.status = db::message_status(st.int64(5));
  m.attempts = st.int64(6);
  m.due_at = st.int64(7);
  m.due_since = st.int64(8);
  m.created_at = st.int64(9);
  m.email = st.string(10);
  m.first_name = st.optional_string(11);
  m.locale = st.optional_string(12);
  m.product_id = st.string(13);
  m.variant_id = st.string(14);
  m.request_product_title = st.optional_string(15);
  m.request_variant_title = st.optional_string(16);
  m.snapshot = read_snapshot(st, 17);
  m.setup = st.string(23);
  m.mail_key = key_hash_of(st.text(24));
  return m;
}

// ---- operations ---------------------------------------------------------------------------

/// An outbox's depth and oldest due time: `SELECT COUNT(*), MIN(due_since) ...`.
template <class Row>
OutboxBacklog read_backlog(const Row& st) {
  return OutboxBacklog{st.int64(0), st.optional_int64(1)};
}

// ---- the dashboard ------------------------------------------------------------------------

#define STOCKBELL_SESSION_COLUMNS "x.store_id, s.name, x.created_at, x.last_seen_at, x.ended_at"
#define STOCKBELL_SESSION_JOINS " FROM sessions x JOIN stores s ON s.id = x.store_id"

template <class Row>
SessionRecord read_session(const Row& st) {
  SessionRecord session;
  session.store_id = st.int64(0);
  session.store_name = st.string(1);
  session.created_at = st.int64(2);
  session.last_seen_at = st.int64(3);
  session.ended_at = st.optional_int64(4);
  return session;
}

#define STOCKBELL_DEMAND_COLUMNS                                                      \
  "d.target_id, t.product_id, t.variant_id, d.waiting, d.oldest_at, d.product_title," \
  " d.variant_title"
#define STOCKBELL_DEMAND_JOINS " FROM demand d JOIN targets t ON t.id = d.target_id"

template <class Row>
DemandRow read_demand(const Row& st) {
  DemandRow row;
  row.target_id = st.int64(0);
  row.product_id = st.string(1);
  row.variant_id = st.string(2);
  row.waiting = st.int64(3);
  row.oldest_waiting_at = st.optional_int64(4);
  row.product_title = st.optional_string(5);
  row.variant_title = st.optional_string(6);
  return row;
}

}  // namespace stockbell::server
