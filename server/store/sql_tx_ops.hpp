#pragma once
// SqlTx (sql_tx.hpp): the figures `/metrics` reads on each scrape, the same on both backends.
// Waiting requests come from the demand counters (kept equal to the requests table by the
// triggers of SQLite's migration 7 and PostgreSQL's migration 1), activity from its
// quarter-hour counters, the outboxes from their status. The sums are cast to BIGINT:
// PostgreSQL's SUM of a bigint is numeric, SQLite's is already an integer.
// Included only by the files that instantiate SqlTx (sqlite/sqlite_tx.cpp, postgres/pg_tx.cpp).

#include "server/store/db_values.hpp"
#include "server/store/sql_tx.hpp"

namespace stockbell::server {

template <class Db>
OpsSnapshot SqlTx<Db>::ops_snapshot() {
  OpsSnapshot out;
  Statement& waiting = db_.cached(
      "SELECT s.name, CAST(COALESCE((SELECT SUM(d.waiting) FROM demand d"
      " WHERE d.store_id = s.id), 0) AS BIGINT) FROM stores s ORDER BY s.name");
  while (waiting.step()) out.waiting_by_store.emplace_back(waiting.string(0), waiting.int64(1));
  waiting.reset();

  Statement& activity = db_.cached(
      "SELECT s.name, a.kind, CAST(SUM(a.count) AS BIGINT) FROM activity a JOIN stores s"
      " ON s.id = a.store_id GROUP BY s.name, a.kind ORDER BY s.name, a.kind");
  while (activity.step())
    if (std::optional<Activity> kind = db::activity(activity.int64(1)))
      out.activity.push_back({activity.string(0), *kind, activity.int64(2)});
  activity.reset();

  Statement& deliveries =
      db_.cached("SELECT COUNT(*), MIN(due_since) FROM deliveries WHERE status = ?");
  deliveries.bind(1, db::value(DeliveryStatus::pending));
  out.webhooks = read_first(deliveries, read_backlog<Statement>).value_or(OutboxBacklog{});

  Statement& messages =
      db_.cached("SELECT COUNT(*), MIN(due_since) FROM messages WHERE status = ?");
  messages.bind(1, db::value(MessageStatus::queued));
  out.mail = read_first(messages, read_backlog<Statement>).value_or(OutboxBacklog{});
  return out;
}

}  // namespace stockbell::server
