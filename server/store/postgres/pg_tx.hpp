#pragma once
// The PostgreSQL implementation of ReadTx and WriteTx, as prepared statements with bound
// parameters (no SQL is ever built from input). One PgTx wraps one pooled connection inside one
// transaction; in a write (`writing`) the rows it will change are locked as they are read. The
// queries SQLite runs as they are live once in SqlTx (server/store/sql_tx.hpp); here are
// PostgreSQL's own (casts, row locks, leases, xmin), by area: pg_tx_catalog.cpp,
// pg_tx_requests.cpp, pg_tx_webhooks.cpp, pg_tx_orders.cpp, pg_tx_platforms.cpp,
// pg_tx_dashboard.cpp, pg_tx_release.cpp, pg_tx_mail.cpp.

#include "server/store/postgres/pg.hpp"
#include "server/store/sql_tx.hpp"

namespace stockbell::server {
// Compiled once, in pg_tx.cpp.
extern template class SqlTx<pg::Database>;
}  // namespace stockbell::server

namespace stockbell::server::pg {

class PgTx final : public SqlTx<Database> {
 public:
  /// `writing`: inside Storage::write (reads of rows the write will change lock them).
  PgTx(Database& db, bool writing) : SqlTx(db), writing_(writing) {}

  // subscribers and catalog (tx_catalog.cpp)
  std::optional<ProductRecord> find_product(int64_t store_id,
                                            const std::string& product_id) override;
  std::vector<ProductRecord> list_products(int64_t store_id,
                                           const ProductListQuery& query) override;
  int64_t count_products(int64_t store_id, const ProductListQuery& query) override;

  // targets, requests, events (tx_requests.cpp)
  int64_t target_id(int64_t store_id, const std::string& product_id,
                    const std::string& variant_id) override;
  std::vector<RequestRecord> list_requests(int64_t store_id,
                                           const RequestListQuery& query) override;
  int64_t count_requests(int64_t store_id, const RequestListQuery& query) override;
  EventRange notify_target(int64_t store_id, int64_t target_id, int64_t snapshot_id, int64_t now,
                           std::optional<int64_t> limit) override;
  int64_t insert_event(int64_t store_id, EventType type, int64_t request_id, int64_t snapshot_id,
                       int64_t now) override;
  std::vector<EventRecord> list_events(int64_t store_id, std::optional<EventType> type,
                                       int64_t after, int64_t limit) override;

  // webhooks (tx_webhooks.cpp)
  std::vector<DueDelivery> due_deliveries(int64_t webhook_id, int64_t now, int64_t limit) override;
  int64_t enqueue_deliveries(int64_t store_id, EventType type, int64_t first_event,
                             int64_t last_event, int64_t now) override;
  void record_attempt(const AttemptRecord& attempt) override;
  std::vector<int64_t> claim_deliveries(const std::vector<int64_t>& ids, const std::string& owner,
                                        int64_t now, int64_t lease_until) override;
  std::vector<int64_t> claim_messages(const std::vector<int64_t>& ids, const std::string& owner,
                                      int64_t now, int64_t lease_until) override;
  void release_claims(const std::string& owner) override;

  // orders and conversions (tx_orders.cpp)
  int64_t reverse_conversions(int64_t order_row, std::optional<int64_t> reversed_at) override;

  // store platforms (tx_platforms.cpp)
  void save_platform_version(int64_t integration_id, const std::string& resource,
                             const std::string& id, int64_t updated_at) override;

  // the dashboard (tx_dashboard.cpp)
  void touch_session(const KeyHash& hash, int64_t now) override;
  void count_activity(int64_t store_id, Activity kind, int64_t at) override;

  // release schedules, places in line, expiry (tx_release.cpp)
  std::optional<ReleaseSchedule> release_schedule(int64_t target_id) override;

  // e-mail: templates, setups, suppressions, the message outbox (tx_mail.cpp)
  int64_t enqueue_back_in_stock(int64_t store_id, int64_t first_event, int64_t last_event,
                                int64_t setup_id, int64_t now) override;
  std::vector<MessageRecord> list_messages(int64_t store_id,
                                           const MessageListQuery& query) override;
  int64_t count_messages(int64_t store_id, const MessageListQuery& query) override;
  std::vector<OutgoingMessage> due_messages(int64_t now, int64_t after_due, int64_t after_id,
                                            int64_t limit) override;
  void record_message_attempt(const MessageAttemptRecord& attempt) override;

 private:
  std::vector<std::pair<int64_t, std::string>> orders_bought_with(
      int64_t store_id, const std::string& email) override;

  bool writing_;
};

}  // namespace stockbell::server::pg
