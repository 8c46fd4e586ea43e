#pragma once
// The storage transaction methods whose SQL is the same on SQLite and PostgreSQL, written once.
// SqlTx<Db> implements them over a backend's Database (sqlite/sqlite.hpp, postgres/pg.hpp): both
// take `?N` / `?` placeholders, and `db.cached(SQL)` returns a prepared Statement that binds,
// steps and reads alike (the row readers are in rows.hpp). SqliteTx and PgTx derive from it and
// implement the rest, in their tx_<area>.cpp / pg_tx_<area>.cpp: what the dialects spell
// differently (`?N::TEXT IS NULL` casts, `INSERT OR IGNORE`, `max` / `GREATEST`, RETURNING),
// PostgreSQL's row locks, leases and xmin, and SQLite's write cache (its overrides wrap the
// shared method: look the cache up, call SqlTx's, remember the answer).
//
// The bodies are split by area like the backends' files (sql_tx_keys.hpp, ...). They are
// compiled once per backend: sqlite/sqlite_tx.cpp and postgres/pg_tx.cpp include them all and
// instantiate SqlTx for their Database; the backends' headers declare that instantiation extern,
// so no other file compiles them again.

#include <type_traits>
#include <utility>

#include "server/store/rows.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

template <class Db>
class SqlTx : public WriteTx {
 public:
  /// The backend's prepared statement (what `db.cached(SQL)` returns).
  using Statement = std::remove_reference_t<decltype(std::declval<Db&>().cached(""))>;

  /// Whether this transaction wrote outbox rows (the storage wakes the dispatcher after commit).
  bool outbox_written() const { return outbox_written_; }

  // stores and keys (sql_tx_keys.hpp)
  void ping() override;
  std::optional<int64_t> find_store(const std::string& name) override;
  std::optional<ApiKeyRecord> find_key(const KeyHash& hash) override;
  std::vector<ApiKeyRecord> list_keys(const std::optional<std::string>& store_name) override;
  int64_t insert_key(int64_t store_id, KeyKind kind, const KeyHash& hash,
                     const std::vector<std::string>& origins, int64_t now) override;
  bool origin_allowed_for_any_key(const std::string& origin) override;
  int64_t create_store(const std::string& name, int64_t now) override;
  bool revoke_key(int64_t key_id, int64_t now) override;
  std::string store_name(int64_t store_id) override;
  std::optional<KeyHash> find_mail_key(int64_t store_id) override;
  KeyHash mail_key(int64_t store_id) override;
  StoreSettings store_settings(int64_t store_id) override;
  void save_settings(int64_t store_id, const StoreSettings& settings, int64_t now) override;

  // subscribers and the catalog (sql_tx_catalog.hpp)
  std::optional<SubscriberRecord> find_subscriber(int64_t store_id,
                                                  const std::string& email) override;
  int64_t insert_subscriber(int64_t store_id, const std::string& email,
                            const SubscriberProfile& profile, int64_t now) override;
  void update_subscriber(int64_t id, const SubscriberProfile& profile, int64_t now) override;
  std::optional<SubscriberRecord> find_subscriber_by_id(int64_t store_id, int64_t id) override;
  void set_subscriber_mail_state(int64_t id, std::optional<int64_t> confirmed_at,
                                 std::optional<int64_t> suppressed_at) override;
  bool erase_subscriber(int64_t store_id, int64_t id) override;
  ProductRecord save_product(int64_t store_id, const Product& product, int64_t now) override;
  bool delete_product(int64_t store_id, const std::string& product_id) override;

  // targets, catalog snapshots, requests and events (sql_tx_requests.hpp)
  std::vector<WaitingTarget> waiting_targets(int64_t store_id,
                                             const std::string& product_id) override;
  int64_t snapshot_id(int64_t target_id, const ProductSnapshot& snapshot) override;
  std::optional<RequestRecord> find_request(int64_t store_id, int64_t id) override;
  std::optional<RequestRecord> find_waiting_request(int64_t target_id,
                                                    int64_t subscriber_id) override;
  int64_t insert_request(int64_t target_id, int64_t subscriber_id,
                         const std::optional<std::string>& product_title,
                         const std::optional<std::string>& variant_title, int64_t now,
                         const NewRequestDetails& details) override;
  std::optional<RequestRecord> find_open_request(int64_t target_id, int64_t subscriber_id) override;
  std::vector<RequestRecord> subscriber_requests(int64_t subscriber_id) override;
  std::vector<EventRecord> subscriber_events(int64_t subscriber_id) override;
  std::vector<RequestRecord> confirm_pending_requests(int64_t subscriber_id, int64_t now) override;
  std::optional<int64_t> notify_request(int64_t store_id, int64_t request_id, int64_t snapshot_id,
                                        int64_t now) override;
  int64_t cancel_open_requests(int64_t subscriber_id, int64_t now) override;
  int64_t expire_pending_requests(int64_t created_before) override;
  void update_request_titles(int64_t id, const std::optional<std::string>& product_title,
                             const std::optional<std::string>& variant_title) override;
  bool cancel_request(int64_t store_id, int64_t id, int64_t now) override;
  std::optional<EventRecord> find_event(int64_t id) override;
  int64_t current_snapshot_id(int64_t store_id, int64_t target_id, const std::string& product_id,
                              const std::string& variant_id) override;

  // webhook endpoints, the delivery outbox (sql_tx_webhooks.hpp)
  std::optional<WebhookRecord> find_webhook(int64_t store_id, int64_t id) override;
  std::vector<WebhookRecord> list_webhooks(int64_t store_id) override;
  int64_t count_webhooks(int64_t store_id) override;
  std::vector<DeliveryRecord> list_deliveries(int64_t webhook_id,
                                              std::optional<DeliveryStatus> status,
                                              const Page& page) override;
  int64_t count_deliveries(int64_t webhook_id, std::optional<DeliveryStatus> status) override;
  std::vector<int64_t> enabled_webhook_ids() override;
  std::optional<int64_t> next_delivery_due_at() override;
  std::optional<DeliveryRecord> find_delivery(int64_t webhook_id, int64_t id) override;
  bool resend_delivery(int64_t webhook_id, int64_t id, int64_t now) override;
  int64_t insert_webhook(const WebhookRecord& webhook) override;
  void update_webhook(const WebhookRecord& webhook) override;
  bool delete_webhook(int64_t store_id, int64_t id) override;
  bool has_enabled_webhooks(int64_t store_id) override;

  // orders, conversions and their figures (sql_tx_orders.hpp)
  std::optional<OrderRecord> find_order(int64_t store_id, const std::string& order_id) override;
  std::vector<ConversionTotal> conversion_totals(int64_t store_id, int64_t from,
                                                 int64_t to) override;
  std::vector<ProductConversions> conversions_by_product(int64_t store_id, int64_t from, int64_t to,
                                                         int64_t limit) override;
  std::vector<DayConversions> conversions_by_day(int64_t store_id, int64_t from,
                                                 int64_t to) override;
  int64_t count_notified(int64_t store_id, int64_t from, int64_t to) override;
  int64_t count_purchased_while_waiting(int64_t store_id, int64_t from, int64_t to) override;
  OrderRecord save_order(int64_t store_id, const Order& order, int64_t ordered_at,
                         int64_t now) override;
  void mark_order_purchased(int64_t order_row, int64_t now) override;
  std::optional<int64_t> insert_order_event(int64_t store_id, EventType type, int64_t order_row,
                                            const std::string& data, int64_t now) override;
  std::vector<BuyerRequest> subscriber_requests(int64_t subscriber_id,
                                                const std::string& product_id) override;
  bool insert_purchase(const PurchaseRecord& purchase) override;
  bool mark_request_purchased(int64_t request_id) override;

  // store platforms: connections, deliveries processed, what they taught (sql_tx_platforms.hpp)
  std::optional<IntegrationRecord> find_integration(int64_t store_id, Platform platform) override;
  std::optional<IntegrationRecord> find_integration_by_token(Platform platform,
                                                             const std::string& token) override;
  std::optional<IntegrationRecord> find_integration_by_origin(Platform platform,
                                                              const std::string& origin) override;
  std::vector<IntegrationRecord> list_integrations(int64_t store_id) override;
  IntegrationRecord save_integration(int64_t store_id, const IntegrationSettings& settings,
                                     const std::optional<std::string>& origin,
                                     const std::string& token, int64_t now) override;
  bool delete_integration(int64_t store_id, Platform platform) override;
  std::optional<std::string> platform_delivery_outcome(int64_t integration_id,
                                                       const std::string& delivery_id) override;
  void save_platform_delivery(int64_t integration_id, const std::string& delivery_id,
                              const std::string& topic, const std::string& outcome,
                              int64_t now) override;
  std::optional<int64_t> platform_version(int64_t integration_id, const std::string& resource,
                                          const std::string& id) override;
  void save_item_links(int64_t integration_id, const std::string& product_id,
                       const std::vector<ItemLink>& links, bool complete) override;
  std::vector<ItemLink> item_links(int64_t integration_id, const std::string& item_id) override;
  std::optional<bool> item_tracked(int64_t integration_id, const std::string& item_id) override;
  void set_item_tracked(int64_t integration_id, const std::string& item_id, bool tracked) override;
  bool save_inventory_level(int64_t integration_id, const InventoryLevel& level) override;
  std::optional<int64_t> summed_levels(int64_t integration_id, const std::string& item_id) override;

  // dashboard sign-in links and sessions, demand and activity counters (sql_tx_dashboard.hpp)
  std::optional<SessionRecord> find_session(const KeyHash& hash) override;
  std::vector<DemandRow> demand_page(int64_t store_id, const Page& page) override;
  std::pair<int64_t, int64_t> demand_totals(int64_t store_id) override;
  int64_t count_target_notified(int64_t target_id, int64_t since) override;
  std::vector<ActivityCount> activity_counts(int64_t store_id, int64_t first_bucket,
                                             int64_t last_bucket) override;
  void insert_sign_in_link(const KeyHash& hash, int64_t store_id, int64_t now,
                           int64_t expires_at) override;
  std::optional<int64_t> use_sign_in_link(const KeyHash& hash, int64_t now) override;
  void insert_session(const KeyHash& hash, int64_t store_id, int64_t now) override;
  void end_session(const KeyHash& hash, int64_t now) override;

  // the /metrics figures (sql_tx_ops.hpp)
  OpsSnapshot ops_snapshot() override;

  // release schedules, places in line, expiry (sql_tx_release.hpp)
  std::optional<int64_t> next_release_due_at() override;
  std::vector<DueRelease> due_releases(int64_t now, int64_t limit) override;
  std::vector<int64_t> waiting_positions(int64_t target_id,
                                         const std::vector<int64_t>& ids) override;
  std::vector<std::pair<int64_t, StoreSettings>> saved_settings() override;
  bool has_waiting_before(int64_t store_id, int64_t cutoff) override;
  void save_release_schedule(int64_t store_id, int64_t target_id,
                             const ReleaseSchedule& schedule) override;
  void delete_release_schedule(int64_t target_id) override;
  int64_t expire_requests(int64_t store_id, int64_t cutoff, int64_t now, int64_t limit) override;

  // shopper e-mail: templates, setups, suppressions, the message outbox (sql_tx_mail.hpp)
  bool is_suppressed(int64_t store_id, const KeyHash& email_hash) override;
  void add_suppression(int64_t store_id, const KeyHash& email_hash, int64_t now) override;
  void remove_suppression(int64_t store_id, const KeyHash& email_hash) override;
  std::vector<StoreTemplate> list_mail_templates(int64_t store_id) override;
  void save_mail_template(int64_t store_id, const StoreTemplate& tmpl, int64_t now) override;
  bool delete_mail_template(int64_t store_id, MailKind kind, const std::string& locale) override;
  int64_t mail_setup_id(int64_t store_id, const std::string& setup, int64_t now) override;
  int64_t enqueue_message(int64_t store_id, MailKind kind, int64_t request_id, int64_t snapshot_id,
                          int64_t setup_id, int64_t now) override;
  std::vector<MessageRecord> subscriber_messages(int64_t subscriber_id) override;
  std::optional<int64_t> next_message_due_at() override;
  bool is_message_queued(int64_t id) override;
  int64_t suppress_queued_messages(int64_t subscriber_id) override;

 protected:
  explicit SqlTx(Db& db) : db_(db) {}

  /// The store's orders bought with `email` (an identity): their row ids and stored data. Per
  /// backend (tx_orders.cpp, pg_tx_orders.cpp: how each reads the e-mail inside the JSON).
  virtual std::vector<std::pair<int64_t, std::string>> orders_bought_with(
      int64_t store_id, const std::string& email) = 0;
  /// Drops the customer from the data of those orders and of their events (sql_tx_orders.hpp);
  /// how many orders.
  int64_t forget_order_customer(int64_t store_id, const std::string& email);

  // for the backends' request methods (sql_tx_requests.hpp)
  /// The target's id, if it has a row.
  std::optional<int64_t> find_target(int64_t store_id, const std::string& product_id,
                                     const std::string& variant_id);
  /// `sql` (a request listing: ?1 store, ?2 product, ?3 variant, ?4 status, ?5 e-mail) with the
  /// filters of `q` bound.
  Statement& bind_request_filters(const char* sql, int64_t store_id, const RequestListQuery& q);
  /// The listing driven from the most selective filter: the subscriber when an e-mail is given,
  /// the targets when a product is, else all requests in id order.
  static const char* pick(const RequestListQuery& q, const char* by_email, const char* by_product,
                          const char* all);

  // for the backends' message listings (sql_tx_mail.hpp)
  /// `sql` (a message listing: ?1 store, ?2 status, ?3 e-mail, ?4 kind) with the filters of `q`
  /// bound.
  Statement& bind_message_filters(const char* sql, int64_t store_id, const MessageListQuery& q);

  Db& db_;
  bool outbox_written_ = false;
};

}  // namespace stockbell::server
