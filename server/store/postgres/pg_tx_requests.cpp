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
  std::optional<int64_t> id = find_target(store_id, product_id, variant_id);
  if (!id) {
    // A concurrent registration may insert the same target: wait for it and take its row.
    Statement& st = db_.cached(
        "INSERT INTO targets(store_id, product_id, variant_id) VALUES (?, ?, ?)"
        " ON CONFLICT (store_id, product_id, variant_id) DO NOTHING RETURNING id");
    st.bind(1, store_id).bind(2, product_id).bind(3, variant_id);
    if (st.step()) id = st.int64(0);
    st.reset();
    if (!id) id = find_target(store_id, product_id, variant_id);
    if (!id) throw std::runtime_error("a target vanished while it was inserted");
  }
  return *id;
}

// ---- requests -------------------------------------------------------------------------------

std::vector<RequestRecord> PgTx::list_requests(int64_t store_id, const RequestListQuery& q) {
  Statement& st = bind_request_filters(pick(q, kRequestsByEmail, kRequestsByProduct, kRequestsAll),
                                       store_id, q);
  st.bind(6, q.page.limit).bind(7, q.page.offset);
  return read_all(st, read_request<Statement>);
}

int64_t PgTx::count_requests(int64_t store_id, const RequestListQuery& q) {
  return single_int(bind_request_filters(
      pick(q, kCountRequestsByEmail, kCountRequestsByProduct, kCountRequestsAll), store_id, q));
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

}  // namespace stockbell::server::pg
