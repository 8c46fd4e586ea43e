// PgTx: shopper e-mail: the stores' templates, the setups messages are sent with,
// suppressed addresses and the message outbox.

#include "server/store/db_values.hpp"
#include "server/store/postgres/pg_tx.hpp"

namespace stockbell::server::pg {
namespace {

const int64_t kQueued = db::value(MessageStatus::queued);

// The listing filters: ?1 store, ?2 status, ?3 e-mail, ?4 kind; ?5 limit, ?6 offset.
constexpr const char* kMessagesWhere =
    "WHERE m.store_id = ?1 AND (?2::BIGINT IS NULL OR m.status = ?2) AND (?3::TEXT IS NULL OR "
    "s.email = ?3)"
    " AND (?4::BIGINT IS NULL OR m.kind = ?4)";

Statement& bind_message_filters(Database& db, const char* sql, int64_t store_id,
                                const MessageListQuery& q) {
  Statement& st = db.cached(sql);
  st.bind(1, store_id).bind(2, db::value(q.status)).bind(3, q.email).bind(4, db::value(q.kind));
  return st;
}

}  // namespace

// ---- suppressions ---------------------------------------------------------------------------

bool PgTx::is_suppressed(int64_t store_id, const KeyHash& email_hash) {
  Statement& st = db_.cached("SELECT 1 FROM suppressions WHERE store_id = ? AND email_hash = ?");
  st.bind(1, store_id).bind_blob(2, email_hash.data(), email_hash.size());
  const bool found = st.step();
  st.reset();
  return found;
}

void PgTx::add_suppression(int64_t store_id, const KeyHash& email_hash, int64_t now) {
  db_.cached(
         "INSERT INTO suppressions(store_id, email_hash, created_at) VALUES (?, ?, ?)"
         " ON CONFLICT(store_id, email_hash) DO NOTHING")
      .bind(1, store_id)
      .bind_blob(2, email_hash.data(), email_hash.size())
      .bind(3, now)
      .run();
}

void PgTx::remove_suppression(int64_t store_id, const KeyHash& email_hash) {
  db_.cached("DELETE FROM suppressions WHERE store_id = ? AND email_hash = ?")
      .bind(1, store_id)
      .bind_blob(2, email_hash.data(), email_hash.size())
      .run();
}

// ---- templates and setups -------------------------------------------------------------------

std::vector<StoreTemplate> PgTx::list_mail_templates(int64_t store_id) {
  Statement& st = db_.cached(
      "SELECT kind, locale, subject, text, html FROM mail_templates WHERE store_id = ?"
      " ORDER BY kind, locale");
  st.bind(1, store_id);
  std::vector<StoreTemplate> rows;
  while (st.step())
    rows.push_back(StoreTemplate{db::mail_kind(st.int64(0)), st.string(1),
                                 MailTemplate{st.string(2), st.string(3), st.string(4)}});
  st.reset();
  return rows;
}

void PgTx::save_mail_template(int64_t store_id, const StoreTemplate& t, int64_t now) {
  db_.cached(
         "INSERT INTO mail_templates(store_id, kind, locale, subject, text, html, updated_at)"
         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(store_id, kind, locale) DO UPDATE SET"
         " subject = excluded.subject, text = excluded.text, html = excluded.html,"
         " updated_at = excluded.updated_at")
      .bind(1, store_id)
      .bind(2, db::value(t.kind))
      .bind(3, t.locale)
      .bind(4, t.parts.subject)
      .bind(5, t.parts.text)
      .bind(6, t.parts.html)
      .bind(7, now)
      .run();
}

bool PgTx::delete_mail_template(int64_t store_id, MailKind kind, const std::string& locale) {
  db_.cached("DELETE FROM mail_templates WHERE store_id = ? AND kind = ? AND locale = ?")
      .bind(1, store_id)
      .bind(2, db::value(kind))
      .bind(3, locale)
      .run();
  return db_.changes() > 0;
}

int64_t PgTx::mail_setup_id(int64_t store_id, const std::string& setup, int64_t now) {
  Statement& latest =
      db_.cached("SELECT id, data FROM mail_setups WHERE store_id = ? ORDER BY id DESC LIMIT 1");
  latest.bind(1, store_id);
  std::optional<int64_t> reuse;
  if (latest.step() && latest.text(1) == setup) reuse = latest.int64(0);
  latest.reset();
  if (reuse) return *reuse;
  db_.cached("INSERT INTO mail_setups(store_id, data, created_at) VALUES (?, ?, ?)")
      .bind(1, store_id)
      .bind(2, setup)
      .bind(3, now)
      .run();
  return db_.last_insert_rowid();
}

// ---- the outbox -----------------------------------------------------------------------------

int64_t PgTx::enqueue_back_in_stock(int64_t store_id, int64_t first_event, int64_t last_event,
                                    int64_t setup_id, int64_t now) {
  db_.cached(
         "INSERT INTO messages(store_id, subscriber_id, request_id, snapshot_id, setup_id, kind,"
         " status, next_attempt_at, due_since, created_at)"
         " SELECT ?1, r.subscriber_id, r.id, e.snapshot_id, ?4, ?5,"
         " CASE WHEN s.suppressed_at IS NULL THEN ?6 ELSE ?7 END,"
         " CASE WHEN s.suppressed_at IS NULL THEN ?8 END, ?8, ?8"
         " FROM events e JOIN requests r ON r.id = e.request_id"
         " JOIN subscribers s ON s.id = r.subscriber_id"
         " WHERE e.id BETWEEN ?2 AND ?3 AND e.store_id = ?1 AND e.type = ?9"
         " AND e.xmin = xid(pg_current_xact_id()) ORDER BY e.id")
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

int64_t PgTx::enqueue_message(int64_t store_id, MailKind kind, int64_t request_id,
                              int64_t snapshot_id, int64_t setup_id, int64_t now) {
  db_.cached(
         "INSERT INTO messages(store_id, subscriber_id, request_id, snapshot_id, setup_id, kind,"
         " status, next_attempt_at, due_since, created_at)"
         " SELECT ?1, subscriber_id, id, ?3, ?4, ?5, ?6, ?7, ?7, ?7 FROM requests WHERE id = ?2")
      .bind(1, store_id)
      .bind(2, request_id)
      .bind(3, snapshot_id)
      .bind(4, setup_id)
      .bind(5, db::value(kind))
      .bind(6, kQueued)
      .bind(7, now)
      .run();
  outbox_written_ = true;
  return db_.last_insert_rowid();
}

std::vector<MessageRecord> PgTx::list_messages(int64_t store_id, const MessageListQuery& q) {
  static const std::string sql =
      std::string("SELECT " STOCKBELL_MESSAGE_COLUMNS STOCKBELL_MESSAGE_JOINS) + kMessagesWhere +
      " ORDER BY m.id DESC LIMIT ?5 OFFSET ?6";
  Statement& st = bind_message_filters(db_, sql.c_str(), store_id, q);
  st.bind(5, q.page.limit).bind(6, q.page.offset);
  return read_all(st, read_message<Statement>);
}

int64_t PgTx::count_messages(int64_t store_id, const MessageListQuery& q) {
  static const std::string sql =
      std::string("SELECT count(*)" STOCKBELL_MESSAGE_JOINS) + kMessagesWhere;
  return single_int(bind_message_filters(db_, sql.c_str(), store_id, q));
}

std::vector<MessageRecord> PgTx::subscriber_messages(int64_t subscriber_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_MESSAGE_COLUMNS STOCKBELL_MESSAGE_JOINS
                             "WHERE m.subscriber_id = ? ORDER BY m.id DESC");
  st.bind(1, subscriber_id);
  return read_all(st, read_message<Statement>);
}

std::optional<int64_t> PgTx::next_message_due_at() {
  Statement& st = db_.cached("SELECT min(next_attempt_at) FROM messages WHERE status = ?");
  st.bind(1, kQueued);
  std::optional<int64_t> next;
  if (st.step()) next = st.optional_int64(0);
  st.reset();
  return next;
}

bool PgTx::is_message_queued(int64_t id) {
  Statement& st = db_.cached("SELECT 1 FROM messages WHERE id = ? AND status = ?");
  st.bind(1, id).bind(2, kQueued);
  const bool queued = st.step();
  st.reset();
  return queued;
}

std::vector<OutgoingMessage> PgTx::due_messages(int64_t now, int64_t after_due, int64_t after_id,
                                                int64_t limit) {
  Statement& st = db_.cached(
      "SELECT " STOCKBELL_OUTGOING_MESSAGE_COLUMNS STOCKBELL_OUTGOING_MESSAGE_JOINS
      " WHERE m.status = ?1 AND m.next_attempt_at <= ?2 AND (m.next_attempt_at, m.id) > (?4, ?5)"
      " AND (m.lease_until IS NULL OR m.lease_until <= ?2)"
      " ORDER BY m.next_attempt_at, m.id LIMIT ?3");
  st.bind(1, kQueued).bind(2, now).bind(3, limit).bind(4, after_due).bind(5, after_id);
  return read_all(st, read_outgoing_message<Statement>);
}

void PgTx::record_message_attempt(const MessageAttemptRecord& a) {
  db_.cached(
         "UPDATE messages SET attempts = attempts + 1, status = ?2, next_attempt_at = ?3,"
         " claimed_by = NULL, lease_until = NULL, last_error = ?4, sent_at = CASE WHEN ?2 = ?6 "
         "THEN ?5 ELSE sent_at END"
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

int64_t PgTx::suppress_queued_messages(int64_t subscriber_id) {
  db_.cached(
         "UPDATE messages SET status = ?2, next_attempt_at = NULL WHERE subscriber_id = ?1"
         " AND status = ?3")
      .bind(1, subscriber_id)
      .bind(2, db::value(MessageStatus::suppressed))
      .bind(3, kQueued)
      .run();
  return db_.changes();
}

}  // namespace stockbell::server::pg
