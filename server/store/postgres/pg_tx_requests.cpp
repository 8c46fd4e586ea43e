// PgTx: targets, catalog snapshots, requests and events.

#include <stdexcept>

#include "server/store/db_values.hpp"
#include "server/store/postgres/pg_tx.hpp"

namespace stockbell::server::pg {
namespace {

const int64_t kWaiting = db::value(RequestStatus::waiting);
const int64_t kPending = db::value(RequestStatus::pending);

// The request listing, driven from the most selective filter: the subscriber when an e-mail is
// given, the targets when a product is, else the requests in id order.
constexpr const char* kRequestsByEmail =
    "SELECT " STOCKBELL_REQUEST_COLUMNS
    " FROM subscribers s JOIN requests r ON r.subscriber_id = s.id"
    " JOIN targets t ON t.id = r.target_id"
    " WHERE s.store_id = ?1 AND s.email = ?5 AND t.store_id = ?1"
    " AND (?2::TEXT IS NULL OR t.product_id = ?2) AND (?3::TEXT IS NULL OR t.variant_id = ?3)"
    " AND (?4::BIGINT IS NULL OR r.status = ?4)"
    " ORDER BY r.id DESC LIMIT ?6 OFFSET ?7";
constexpr const char* kRequestsByProduct =
    "SELECT " STOCKBELL_REQUEST_COLUMNS
    " FROM targets t JOIN requests r ON r.target_id = t.id"
    " JOIN subscribers s ON s.id = r.subscriber_id"
    " WHERE t.store_id = ?1 AND t.product_id = ?2 AND (?3::TEXT IS NULL OR t.variant_id = ?3)"
    " AND (?4::BIGINT IS NULL OR r.status = ?4) AND (?5::TEXT IS NULL OR s.email = ?5)"
    " ORDER BY r.id DESC LIMIT ?6 OFFSET ?7";
constexpr const char* kRequestsAll =
    "SELECT " STOCKBELL_REQUEST_COLUMNS STOCKBELL_REQUEST_JOINS
    " WHERE t.store_id = ?1 AND (?2::TEXT IS NULL OR t.product_id = ?2)"
    " AND (?3::TEXT IS NULL OR t.variant_id = ?3) AND (?4::BIGINT IS NULL OR r.status = ?4)"
    " AND (?5::TEXT IS NULL OR s.email = ?5)"
    " ORDER BY r.id DESC LIMIT ?6 OFFSET ?7";
constexpr const char* kCountRequestsByEmail =
    "SELECT count(*) FROM subscribers s JOIN requests r ON r.subscriber_id = s.id"
    " JOIN targets t ON t.id = r.target_id"
    " WHERE s.store_id = ?1 AND s.email = ?5 AND t.store_id = ?1"
    " AND (?2::TEXT IS NULL OR t.product_id = ?2) AND (?3::TEXT IS NULL OR t.variant_id = ?3)"
    " AND (?4::BIGINT IS NULL OR r.status = ?4)";
constexpr const char* kCountRequestsByProduct =
    "SELECT count(*) FROM targets t JOIN requests r ON r.target_id = t.id"
    " JOIN subscribers s ON s.id = r.subscriber_id"
    " WHERE t.store_id = ?1 AND t.product_id = ?2 AND (?3::TEXT IS NULL OR t.variant_id = ?3)"
    " AND (?4::BIGINT IS NULL OR r.status = ?4) AND (?5::TEXT IS NULL OR s.email = ?5)";
constexpr const char* kCountRequestsAll =
    "SELECT count(*) FROM requests r JOIN targets t ON t.id = r.target_id"
    " JOIN subscribers s ON s.id = r.subscriber_id"
    " WHERE t.store_id = ?1 AND (?2::TEXT IS NULL OR t.product_id = ?2)"
    " AND (?3::TEXT IS NULL OR t.variant_id = ?3) AND (?4::BIGINT IS NULL OR r.status = ?4)"
    " AND (?5::TEXT IS NULL OR s.email = ?5)";

Statement& bind_request_filters(Database& db, const char* sql, int64_t store_id,
                                const RequestListQuery& q) {
  Statement& st = db.cached(sql);
  st.bind(1, store_id).bind(2, q.product_id).bind(3, q.variant_id).bind(4, db::value(q.status));
  st.bind(5, q.email);
  return st;
}

const char* pick(const RequestListQuery& q, const char* by_email, const char* by_product,
                 const char* all) {
  if (q.email) return by_email;
  if (q.product_id) return by_product;
  return all;
}

std::optional<int64_t> find_target(Database& db, int64_t store_id, const std::string& product_id,
                                   const std::string& variant_id) {
  Statement& st =
      db.cached("SELECT id FROM targets WHERE store_id = ? AND product_id = ? AND variant_id = ?");
  st.bind(1, store_id).bind(2, product_id).bind(3, variant_id);
  std::optional<int64_t> id;
  if (st.step()) id = st.int64(0);
  st.reset();
  return id;
}

}  // namespace

// ---- targets and snapshots -----------------------------------------------------------------

int64_t PgTx::target_id(int64_t store_id, const std::string& product_id,
                        const std::string& variant_id) {
  if (writing_) {
    // Locks in one order: the product first (as an upsert does, find_product), then what the
    // request's insert touches (the demand counters). A registration that took the demand row
    // before the product would deadlock with a concurrent upsert notifying the same target.
    db_.cached("SELECT 1 FROM products WHERE store_id = ? AND product_id = ? FOR UPDATE")
        .bind(1, store_id)
        .bind(2, product_id)
        .run();
  }
  std::optional<int64_t> id = find_target(db_, store_id, product_id, variant_id);
  if (!id) {
    // A concurrent registration may insert the same target: wait for it and take its row.
    Statement& st = db_.cached(
        "INSERT INTO targets(store_id, product_id, variant_id) VALUES (?, ?, ?)"
        " ON CONFLICT (store_id, product_id, variant_id) DO NOTHING RETURNING id");
    st.bind(1, store_id).bind(2, product_id).bind(3, variant_id);
    if (st.step()) id = st.int64(0);
    st.reset();
    if (!id) id = find_target(db_, store_id, product_id, variant_id);
    if (!id) throw std::runtime_error("a target vanished while it was inserted");
  }
  return *id;
}

std::vector<WaitingTarget> PgTx::waiting_targets(int64_t store_id, const std::string& product_id) {
  Statement& st = db_.cached(
      "SELECT t.id, t.variant_id FROM targets t WHERE t.store_id = ?1 AND t.product_id = ?2"
      " AND EXISTS (SELECT 1 FROM requests r WHERE r.target_id = t.id AND r.status = ?3)");
  st.bind(1, store_id).bind(2, product_id).bind(3, kWaiting);
  std::vector<WaitingTarget> targets;
  while (st.step()) targets.push_back(WaitingTarget{st.int64(0), st.string(1)});
  st.reset();
  return targets;
}

int64_t PgTx::snapshot_id(int64_t target_id, const ProductSnapshot& snapshot) {
  Statement& latest = db_.cached("SELECT id, " STOCKBELL_SNAPSHOT_COLUMNS
                                 " FROM snapshots WHERE target_id = ? ORDER BY id DESC LIMIT 1");
  latest.bind(1, target_id);
  std::optional<int64_t> reuse;
  if (latest.step() && read_snapshot(latest, 1) == snapshot) reuse = latest.int64(0);
  latest.reset();
  if (reuse) return *reuse;
  db_.cached(
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
  return db_.last_insert_rowid();
}

int64_t PgTx::current_snapshot_id(int64_t store_id, int64_t target_id,
                                  const std::string& product_id, const std::string& variant_id) {
  std::optional<ProductRecord> product = find_product(store_id, product_id);
  const int64_t id =
      snapshot_id(target_id, snapshot_of(product ? &product->product : nullptr, variant_id));
  return id;
}

// ---- requests -------------------------------------------------------------------------------

std::optional<RequestRecord> PgTx::find_waiting_request(int64_t target_id, int64_t subscriber_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_REQUEST_COLUMNS STOCKBELL_REQUEST_JOINS
                             " WHERE r.subscriber_id = ?2 AND r.target_id = ?1 AND r.status = ?3");
  st.bind(1, target_id).bind(2, subscriber_id).bind(3, kWaiting);
  return read_first(st, read_request<Statement>);
}

int64_t PgTx::insert_request(int64_t target_id, int64_t subscriber_id,
                             const std::optional<std::string>& product_title,
                             const std::optional<std::string>& variant_title, int64_t now,
                             const NewRequestDetails& details) {
  db_.cached(
         "INSERT INTO requests(target_id, subscriber_id, status, product_title, variant_title,"
         " created_at, locale, source, client_address, user_agent, consent_text, confirmed_at)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, target_id)
      .bind(2, subscriber_id)
      .bind(3, db::value(details.status))
      .bind(4, product_title)
      .bind(5, variant_title)
      .bind(6, now)
      .bind(7, details.locale)
      .bind(8, db::value(details.consent.source))
      .bind(9, details.consent.client_address)
      .bind(10, details.consent.user_agent)
      .bind(11, details.consent.text)
      .bind(12, details.consent.confirmed_at)
      .run();
  return db_.last_insert_rowid();
}

std::optional<RequestRecord> PgTx::find_open_request(int64_t target_id, int64_t subscriber_id) {
  Statement& st =
      db_.cached("SELECT " STOCKBELL_REQUEST_COLUMNS STOCKBELL_REQUEST_JOINS
                 " WHERE r.subscriber_id = ?2 AND r.target_id = ?1 AND r.status IN (?3, ?4)");
  st.bind(1, target_id).bind(2, subscriber_id).bind(3, kWaiting).bind(4, kPending);
  return read_first(st, read_request<Statement>);
}

std::vector<RequestRecord> PgTx::subscriber_requests(int64_t subscriber_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_REQUEST_COLUMNS STOCKBELL_REQUEST_JOINS
                             " WHERE r.subscriber_id = ? ORDER BY r.id DESC");
  st.bind(1, subscriber_id);
  return read_all(st, read_request<Statement>);
}

std::vector<RequestRecord> PgTx::confirm_pending_requests(int64_t subscriber_id, int64_t now) {
  Statement& st = db_.cached("SELECT " STOCKBELL_REQUEST_COLUMNS STOCKBELL_REQUEST_JOINS
                             " WHERE r.subscriber_id = ?1 AND r.status = ?2 ORDER BY r.id");
  st.bind(1, subscriber_id).bind(2, kPending);
  std::vector<RequestRecord> rows = read_all(st, read_request<Statement>);
  db_.cached(
         "UPDATE requests SET status = ?3, confirmed_at = ?4 WHERE subscriber_id = ?1"
         " AND status = ?2")
      .bind(1, subscriber_id)
      .bind(2, kPending)
      .bind(3, kWaiting)
      .bind(4, now)
      .run();
  for (RequestRecord& row : rows) {
    row.status = RequestStatus::waiting;
    row.consent.confirmed_at = now;
  }
  return rows;
}

std::optional<int64_t> PgTx::notify_request(int64_t store_id, int64_t request_id,
                                            int64_t snapshot_id, int64_t now) {
  db_.cached("UPDATE requests SET status = ?3, notified_at = ?2 WHERE id = ?1 AND status = ?4")
      .bind(1, request_id)
      .bind(2, now)
      .bind(3, db::value(RequestStatus::notified))
      .bind(4, kWaiting)
      .run();
  if (db_.changes() == 0) return std::nullopt;
  return insert_event(store_id, EventType::back_in_stock, request_id, snapshot_id, now);
}

int64_t PgTx::cancel_open_requests(int64_t subscriber_id, int64_t now) {
  db_.cached(
         "UPDATE requests SET status = ?2, cancelled_at = ?3 WHERE subscriber_id = ?1"
         " AND status IN (?4, ?5)")
      .bind(1, subscriber_id)
      .bind(2, db::value(RequestStatus::cancelled))
      .bind(3, now)
      .bind(4, kWaiting)
      .bind(5, kPending)
      .run();
  return db_.changes();
}

int64_t PgTx::expire_pending_requests(int64_t created_before) {
  db_.cached("UPDATE requests SET status = ?2 WHERE status = ?1 AND created_at < ?3")
      .bind(1, kPending)
      .bind(2, db::value(RequestStatus::expired))
      .bind(3, created_before)
      .run();
  return db_.changes();
}

void PgTx::update_request_titles(int64_t id, const std::optional<std::string>& product_title,
                                 const std::optional<std::string>& variant_title) {
  db_.cached(
         "UPDATE requests SET product_title = coalesce(?, product_title),"
         " variant_title = coalesce(?, variant_title) WHERE id = ?")
      .bind(1, product_title)
      .bind(2, variant_title)
      .bind(3, id)
      .run();
}

std::optional<RequestRecord> PgTx::find_request(int64_t store_id, int64_t id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_REQUEST_COLUMNS STOCKBELL_REQUEST_JOINS
                             " WHERE r.id = ? AND t.store_id = ?");
  st.bind(1, id).bind(2, store_id);
  return read_first(st, read_request<Statement>);
}

bool PgTx::cancel_request(int64_t store_id, int64_t id, int64_t now) {
  db_.cached(
         "UPDATE requests SET status = ?4, cancelled_at = ?3 WHERE id = ?1"
         " AND status IN (?5, ?6) AND target_id IN (SELECT id FROM targets WHERE store_id = ?2)")
      .bind(1, id)
      .bind(2, store_id)
      .bind(3, now)
      .bind(4, db::value(RequestStatus::cancelled))
      .bind(5, kWaiting)
      .bind(6, kPending)
      .run();
  return db_.changes() > 0;
}

std::vector<RequestRecord> PgTx::list_requests(int64_t store_id, const RequestListQuery& q) {
  Statement& st = bind_request_filters(
      db_, pick(q, kRequestsByEmail, kRequestsByProduct, kRequestsAll), store_id, q);
  st.bind(6, q.page.limit).bind(7, q.page.offset);
  return read_all(st, read_request<Statement>);
}

int64_t PgTx::count_requests(int64_t store_id, const RequestListQuery& q) {
  return single_int(bind_request_filters(
      db_, pick(q, kCountRequestsByEmail, kCountRequestsByProduct, kCountRequestsAll), store_id,
      q));
}

EventRange PgTx::notify_target(int64_t store_id, int64_t target_id, int64_t snapshot_id,
                               int64_t now, std::optional<int64_t> limit) {
  // The oldest waiting requests (by id), locked: a concurrent notify of the same target (another
  // connection or process) waits for this transaction, then finds them notified and skips them
  // (FOR UPDATE re-checks the condition on the row it waited for). One event per request
  // notified, written by the same statement; `events_once` backs it up. A NULL limit is none.
  Statement& st = db_.cached(
      "WITH picked AS (SELECT id FROM requests WHERE target_id = ?4 AND status = ?6"
      " ORDER BY id LIMIT ?7 FOR UPDATE),"
      " notified AS (UPDATE requests SET status = ?8, notified_at = ?3"
      " WHERE id IN (SELECT id FROM picked) AND status = ?6 RETURNING id)"
      " INSERT INTO events(store_id, type, request_id, snapshot_id, created_at)"
      " SELECT ?1, ?5, id, ?2, ?3 FROM notified ORDER BY id RETURNING id");
  st.bind(1, store_id)
      .bind(2, snapshot_id)
      .bind(3, now)
      .bind(4, target_id)
      .bind(5, db::value(EventType::back_in_stock))
      .bind(6, kWaiting)
      .bind(7, limit)
      .bind(8, db::value(RequestStatus::notified));
  // Concurrent transactions draw ids from the same sequence: the range may hold other
  // transactions' events. The outbox statements that take a range keep only this transaction's
  // rows of it (xmin).
  EventRange events;
  while (st.step()) {
    const int64_t id = st.int64(0);
    if (events.count == 0 || id < events.first) events.first = id;
    if (events.count == 0 || id > events.last) events.last = id;
    ++events.count;
  }
  st.reset();
  return events;
}

// ---- events ---------------------------------------------------------------------------------

int64_t PgTx::insert_event(int64_t store_id, EventType type, int64_t request_id,
                           int64_t snapshot_id, int64_t now) {
  Statement& st = db_.cached(
      "INSERT INTO events(store_id, type, request_id, snapshot_id, created_at)"
      " VALUES (?, ?, ?, ?, ?) RETURNING id");
  st.bind(1, store_id)
      .bind(2, db::value(type))
      .bind(3, request_id)
      .bind(4, snapshot_id)
      .bind(5, now);
  return single_int(st);
}

std::vector<EventRecord> PgTx::list_events(int64_t store_id, std::optional<EventType> type,
                                           int64_t after, int64_t limit) {
  Statement& st = db_.cached("SELECT " STOCKBELL_EVENT_COLUMNS STOCKBELL_EVENT_JOINS
                             "WHERE e.store_id = ?1 AND e.id > ?2"
                             " AND (?4::BIGINT IS NULL OR e.type = ?4) ORDER BY e.id LIMIT ?3");
  st.bind(1, store_id).bind(2, after).bind(3, limit).bind(4, db::value(type));
  return read_all(st, read_event<Statement>);
}

std::vector<EventRecord> PgTx::subscriber_events(int64_t subscriber_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_EVENT_COLUMNS STOCKBELL_EVENT_JOINS
                             "WHERE r.subscriber_id = ?1 ORDER BY e.id DESC");
  st.bind(1, subscriber_id);
  return read_all(st, read_event<Statement>);
}

std::optional<EventRecord> PgTx::find_event(int64_t id) {
  Statement& st =
      db_.cached("SELECT " STOCKBELL_EVENT_COLUMNS STOCKBELL_EVENT_JOINS "WHERE e.id = ?1");
  st.bind(1, id);
  return read_first(st, read_event<Statement>);
}

}  // namespace stockbell::server::pg
