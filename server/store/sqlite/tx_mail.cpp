// SqliteTx: shopper e-mail: the stores' templates, the setups messages are sent with,
// suppressed addresses and the message outbox.

#include "server/store/db_values.hpp"
#include "server/store/sqlite/sqlite_tx.hpp"

namespace stockbell::server {
namespace {

const int64_t kQueued = db::value(MessageStatus::queued);

// The listing filters: ?1 store, ?2 status, ?3 e-mail, ?4 kind; ?5 limit, ?6 offset.
constexpr const char* kMessagesWhere =
    "WHERE m.store_id = ?1 AND (?2 IS NULL OR m.status = ?2) AND (?3 IS NULL OR s.email = ?3)"
    " AND (?4 IS NULL OR m.kind = ?4)";

}  // namespace

// ---- suppressions ---------------------------------------------------------------------------

// ---- templates and setups -------------------------------------------------------------------

// ---- the outbox -----------------------------------------------------------------------------

int64_t SqliteTx::enqueue_back_in_stock(int64_t store_id, int64_t first_event, int64_t last_event,
                                        int64_t setup_id, int64_t now) {
  db_.cached(
         "INSERT INTO messages(store_id, subscriber_id, request_id, snapshot_id, setup_id, kind,"
         " status, next_attempt_at, due_since, created_at)"
         " SELECT ?1, r.subscriber_id, r.id, e.snapshot_id, ?4, ?5,"
         " CASE WHEN s.suppressed_at IS NULL THEN ?6 ELSE ?7 END,"
         " CASE WHEN s.suppressed_at IS NULL THEN ?8 END, ?8, ?8"
         " FROM events e JOIN requests r ON r.id = e.request_id"
         " JOIN subscribers s ON s.id = r.subscriber_id"
         " WHERE e.id BETWEEN ?2 AND ?3 AND e.store_id = ?1 AND e.type = ?9 ORDER BY e.id")
      .bind(1, store_id)
      .bind(2, first_event)
      .bind(3, last_event)
      .bind(4, setup_id)
      .bind(5, db::value(MailKind::back_in_stock))
      .bind(6, kQueued)
      .bind(7, db::value(MessageStatus::suppressed))
      .bind(8, now)
      .bind(9, db::value(EventType::back_in_stock))
      .run();
  const int64_t written = db_.changes();
  if (written > 0) outbox_written_ = true;
  return written;
}

std::vector<MessageRecord> SqliteTx::list_messages(int64_t store_id, const MessageListQuery& q) {
  static const std::string sql =
      std::string("SELECT " STOCKBELL_MESSAGE_COLUMNS STOCKBELL_MESSAGE_JOINS) + kMessagesWhere +
      " ORDER BY m.id DESC LIMIT ?5 OFFSET ?6";
  Statement& st = bind_message_filters(sql.c_str(), store_id, q);
  st.bind(5, q.page.limit).bind(6, q.page.offset);
  return read_all(st, read_message<Statement>);
}

int64_t SqliteTx::count_messages(int64_t store_id, const MessageListQuery& q) {
  static const std::string sql =
      std::string("SELECT count(*)" STOCKBELL_MESSAGE_JOINS) + kMessagesWhere;
  return single_int(bind_message_filters(sql.c_str(), store_id, q));
}

std::vector<OutgoingMessage> SqliteTx::due_messages(int64_t now, int64_t after_due,
                                                    int64_t after_id, int64_t limit) {
  Statement& st = db_.cached(
      "SELECT " STOCKBELL_OUTGOING_MESSAGE_COLUMNS STOCKBELL_OUTGOING_MESSAGE_JOINS
      " WHERE m.status = ?1 AND m.next_attempt_at <= ?2 AND (m.next_attempt_at, m.id) > (?4, ?5)"
      " ORDER BY m.next_attempt_at, m.id LIMIT ?3");
  st.bind(1, kQueued).bind(2, now).bind(3, limit).bind(4, after_due).bind(5, after_id);
  return read_all(st, read_outgoing_message<Statement>);
}

void SqliteTx::record_message_attempt(const MessageAttemptRecord& a) {
  db_.cached(
         "UPDATE messages SET attempts = attempts + 1, status = ?2, next_attempt_at = ?3,"
         " last_error = ?4, sent_at = CASE WHEN ?2 = ?6 THEN ?5 ELSE sent_at END"
         " WHERE id = ?1 AND status = ?7")
      .bind(1, a.message_id)
      .bind(2, db::value(a.outcome))
      .bind(3, a.next_attempt_at)
      .bind(4, a.error)
      .bind(5, a.at)
      .bind(6, db::value(MessageStatus::sent))
      .bind(7, kQueued)
      .run();
}

}  // namespace stockbell::server
