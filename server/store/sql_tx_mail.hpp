#pragma once
// SqlTx (sql_tx.hpp): shopper e-mail: templates, setups, suppressions, the message outbox, the same
// on both backends. Included only by the files that instantiate SqlTx (sqlite/sqlite_tx.cpp,
// postgres/pg_tx.cpp).

#include "server/store/db_values.hpp"
#include "server/store/sql_tx.hpp"

namespace stockbell::server {

template <class Db>
typename SqlTx<Db>::Statement& SqlTx<Db>::bind_message_filters(const char* sql, int64_t store_id,
                                                               const MessageListQuery& q) {
  Statement& st = db_.cached(sql);
  st.bind(1, store_id).bind(2, db::value(q.status)).bind(3, q.email).bind(4, db::value(q.kind));
  return st;
}

template <class Db>
bool SqlTx<Db>::is_suppressed(int64_t store_id, const KeyHash& email_hash) {
  Statement& st = db_.cached("SELECT 1 FROM suppressions WHERE store_id = ? AND email_hash = ?");
  st.bind(1, store_id).bind_blob(2, email_hash.data(), email_hash.size());
  const bool found = st.step();
  st.reset();
  return found;
}

template <class Db>
void SqlTx<Db>::add_suppression(int64_t store_id, const KeyHash& email_hash, int64_t now) {
  db_.cached(
         "INSERT INTO suppressions(store_id, email_hash, created_at) VALUES (?, ?, ?)"
         " ON CONFLICT(store_id, email_hash) DO NOTHING")
      .bind(1, store_id)
      .bind_blob(2, email_hash.data(), email_hash.size())
      .bind(3, now)
      .run();
}

template <class Db>
void SqlTx<Db>::remove_suppression(int64_t store_id, const KeyHash& email_hash) {
  db_.cached("DELETE FROM suppressions WHERE store_id = ? AND email_hash = ?")
      .bind(1, store_id)
      .bind_blob(2, email_hash.data(), email_hash.size())
      .run();
}

template <class Db>
std::vector<StoreTemplate> SqlTx<Db>::list_mail_templates(int64_t store_id) {
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

template <class Db>
void SqlTx<Db>::save_mail_template(int64_t store_id, const StoreTemplate& t, int64_t now) {
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

template <class Db>
bool SqlTx<Db>::delete_mail_template(int64_t store_id, MailKind kind, const std::string& locale) {
  db_.cached("DELETE FROM mail_templates WHERE store_id = ? AND kind = ? AND locale = ?")
      .bind(1, store_id)
      .bind(2, db::value(kind))
      .bind(3, locale)
      .run();
  return db_.changes() > 0;
}

template <class Db>
int64_t SqlTx<Db>::mail_setup_id(int64_t store_id, const std::string& setup, int64_t now) {
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

template <class Db>
int64_t SqlTx<Db>::enqueue_message(int64_t store_id, MailKind kind, int64_t request_id,
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
      .bind(6, db::value(MessageStatus::queued))
      .bind(7, now)
      .run();
  outbox_written_ = true;
  return db_.last_insert_rowid();
}

template <class Db>
std::vector<MessageRecord> SqlTx<Db>::subscriber_messages(int64_t subscriber_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_MESSAGE_COLUMNS STOCKBELL_MESSAGE_JOINS
                             "WHERE m.subscriber_id = ? ORDER BY m.id DESC");
  st.bind(1, subscriber_id);
  return read_all(st, read_message<Statement>);
}

template <class Db>
std::optional<int64_t> SqlTx<Db>::next_message_due_at() {
  Statement& st = db_.cached("SELECT min(next_attempt_at) FROM messages WHERE status = ?");
  st.bind(1, db::value(MessageStatus::queued));
  std::optional<int64_t> next;
  if (st.step()) next = st.optional_int64(0);
  st.reset();
  return next;
}

template <class Db>
bool SqlTx<Db>::is_message_queued(int64_t id) {
  Statement& st = db_.cached("SELECT 1 FROM messages WHERE id = ? AND status = ?");
  st.bind(1, id).bind(2, db::value(MessageStatus::queued));
  const bool queued = st.step();
  st.reset();
  return queued;
}

template <class Db>
int64_t SqlTx<Db>::suppress_queued_messages(int64_t subscriber_id) {
  db_.cached(
         "UPDATE messages SET status = ?2, next_attempt_at = NULL WHERE subscriber_id = ?1"
         " AND status = ?3")
      .bind(1, subscriber_id)
      .bind(2, db::value(MessageStatus::suppressed))
      .bind(3, db::value(MessageStatus::queued))
      .run();
  return db_.changes();
}

}  // namespace stockbell::server
