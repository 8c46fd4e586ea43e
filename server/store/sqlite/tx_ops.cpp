// SqliteTx: the figures `/metrics` reads on each scrape. Waiting requests come from the demand
// counters (migration 7's triggers keep them equal to the requests table), activity from its
// quarter-hour counters, the outboxes from their status.

#include "server/store/db_values.hpp"
#include "server/store/sqlite/sqlite_tx.hpp"

namespace stockbell::server {
OpsSnapshot SqliteTx::ops_snapshot() {
  OpsSnapshot out;
  Statement& waiting = db_.cached(
      "SELECT s.name, COALESCE((SELECT SUM(d.waiting) FROM demand d WHERE d.store_id = s.id), 0) "
      "FROM stores s ORDER BY s.name");
  while (waiting.step()) out.waiting_by_store.emplace_back(waiting.string(0), waiting.int64(1));
  waiting.reset();

  Statement& activity = db_.cached(
      "SELECT s.name, a.kind, SUM(a.count) FROM activity a JOIN stores s ON s.id = a.store_id "
      "GROUP BY a.store_id, a.kind ORDER BY s.name, a.kind");
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
