// SqliteTx: targets, catalog snapshots, requests and events.

#include <stdexcept>

#include "server/store/db_values.hpp"
#include "server/store/sqlite/sqlite_tx.hpp"

namespace stockbell::server {
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
    "SELECT " STOCKBELL_REQUEST_COLUMNS STOCKBELL_REQUEST_JOINS
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

}  // namespace

// ---- targets and snapshots -----------------------------------------------------------------

int64_t SqliteTx::target_id(int64_t store_id, const std::string& product_id,
                            const std::string& variant_id) {
  if (cache_ != nullptr)
    if (std::optional<int64_t> id = cache_->target(store_id, product_id, variant_id)) return *id;
  std::optional<int64_t> id = find_target(store_id, product_id, variant_id);
  if (!id) {
    db_.cached("INSERT INTO targets(store_id, product_id, variant_id) VALUES (?, ?, ?)")
        .bind(1, store_id)
        .bind(2, product_id)
        .bind(3, variant_id)
        .run();
    id = db_.last_insert_rowid();
  }
  if (cache_ != nullptr) cache_->put_target(store_id, product_id, variant_id, *id);
  return *id;
}

// The write cache in front of SqlTx's.
int64_t SqliteTx::current_snapshot_id(int64_t store_id, int64_t target_id,
                                      const std::string& product_id,
                                      const std::string& variant_id) {
  if (cache_ != nullptr)
    if (std::optional<int64_t> id = cache_->snapshot(store_id, product_id, variant_id)) return *id;
  const int64_t id = SqlTx::current_snapshot_id(store_id, target_id, product_id, variant_id);
  if (cache_ != nullptr) cache_->put_snapshot(store_id, product_id, variant_id, id);
  return id;
}

// ---- requests -------------------------------------------------------------------------------

std::vector<RequestRecord> SqliteTx::list_requests(int64_t store_id, const RequestListQuery& q) {
  Statement& st = bind_request_filters(pick(q, kRequestsByEmail, kRequestsByProduct, kRequestsAll),
                                       store_id, q);
  st.bind(6, q.page.limit).bind(7, q.page.offset);
  return read_all(st, read_request<Statement>);
}

int64_t SqliteTx::count_requests(int64_t store_id, const RequestListQuery& q) {
  return single_int(bind_request_filters(
      pick(q, kCountRequestsByEmail, kCountRequestsByProduct, kCountRequestsAll), store_id, q));
}

EventRange SqliteTx::notify_target(int64_t store_id, int64_t target_id, int64_t snapshot_id,
                                   int64_t now, std::optional<int64_t> limit) {
  // LIMIT -1 is no limit. The requests notified are the oldest waiting ones (by id), so the
  // UPDATE takes exactly them: the waiting requests up to the last id the INSERT took.
  db_.cached(
         "INSERT INTO events(store_id, type, request_id, snapshot_id, created_at)"
         " SELECT ?1, ?5, id, ?2, ?3 FROM requests WHERE target_id = ?4 AND status = ?6"
         " ORDER BY id LIMIT ?7")
      .bind(1, store_id)
      .bind(2, snapshot_id)
      .bind(3, now)
      .bind(4, target_id)
      .bind(5, db::value(EventType::back_in_stock))
      .bind(6, kWaiting)
      .bind(7, limit ? *limit : int64_t{-1})
      .run();
  // INTEGER PRIMARY KEY rows of one INSERT ... SELECT get consecutive ids (max + 1 each).
  EventRange events{db_.changes(), db_.last_insert_rowid() - db_.changes() + 1,
                    db_.last_insert_rowid()};
  if (events.count == 0) return events;
  db_.cached(
         "UPDATE requests SET status = ?3, notified_at = ?1 WHERE target_id = ?2 AND status = ?4"
         " AND id <= (SELECT request_id FROM events WHERE id = ?5)")
      .bind(1, now)
      .bind(2, target_id)
      .bind(3, db::value(RequestStatus::notified))
      .bind(4, kWaiting)
      .bind(5, events.last)
      .run();
  if (db_.changes() != events.count)
    throw std::runtime_error("notified requests and back-in-stock events disagree");
  return events;
}

// ---- events ---------------------------------------------------------------------------------

int64_t SqliteTx::insert_event(int64_t store_id, EventType type, int64_t request_id,
                               int64_t snapshot_id, int64_t now) {
  db_.cached(
         "INSERT INTO events(store_id, type, request_id, snapshot_id, created_at)"
         " VALUES (?, ?, ?, ?, ?)")
      .bind(1, store_id)
      .bind(2, db::value(type))
      .bind(3, request_id)
      .bind(4, snapshot_id)
      .bind(5, now)
      .run();
  return db_.last_insert_rowid();
}

std::vector<EventRecord> SqliteTx::list_events(int64_t store_id, std::optional<EventType> type,
                                               int64_t after, int64_t limit) {
  Statement& st = db_.cached("SELECT " STOCKBELL_EVENT_COLUMNS STOCKBELL_EVENT_JOINS
                             "WHERE e.store_id = ?1 AND e.id > ?2"
                             " AND (?4 IS NULL OR e.type = ?4) ORDER BY e.id LIMIT ?3");
  st.bind(1, store_id).bind(2, after).bind(3, limit).bind(4, db::value(type));
  return read_all(st, read_event<Statement>);
}

}  // namespace stockbell::server
