#pragma once
// The storage boundary: everything Stockbell keeps goes through a Storage, and nothing above it
// knows which database is underneath (today SQLite, server/store/sqlite/). A use case reads with
//
//   auto product = storage.read([&](ReadTx& tx) { return tx.find_product(store_id, id); });
//
// and writes with `storage.write([&](WriteTx& tx) { ... })`: the function runs in one
// transaction, and write() returns only once that transaction is committed and durable (a 200
// means the data is on disk). Records are core's types with row ids (core/responses.hpp,
// core/event.hpp, core/webhook.hpp, core/product.hpp); the JSON builders format the ids with
// storage.ids().
//
// Failures of the machinery are exceptions: StorageUnavailable (the store is stopping: answer
// 503) and anything else (answer 500; the transaction was rolled back, nothing half-written).
// Expected outcomes (not found, already notified) are values the use cases turn into Results.

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/api_key.hpp"
#include "core/demand.hpp"
#include "core/errors.hpp"
#include "core/event.hpp"
#include "core/ids.hpp"
#include "core/integration.hpp"
#include "core/order.hpp"
#include "core/platform.hpp"
#include "core/mail_template.hpp"
#include "core/message.hpp"
#include "core/product.hpp"
#include "core/query.hpp"
#include "core/release.hpp"
#include "core/responses.hpp"
#include "core/settings.hpp"
#include "core/stats.hpp"
#include "core/subscriber.hpp"
#include "core/webhook.hpp"

namespace stockbell::server {

/// Thrown by read()/write() when the store can't take them: it is stopping, its disk is full, or
/// its file was replaced under it. The API answers 503 `unavailable` with the reason.
class StorageUnavailable : public std::runtime_error {
 public:
  explicit StorageUnavailable(Unavailable why = Unavailable::shutting_down)
      : std::runtime_error(why == Unavailable::shutting_down ? "the store is shutting down"
                           : why == Unavailable::disk_full    ? "the disk is full"
                           : why == Unavailable::database_replaced
                               ? "the database file was replaced"
                               : "the database can't be reached"),
        why_(why) {}
  Unavailable why() const { return why_; }

 private:
  Unavailable why_;
};

using KeyHash = std::array<unsigned char, 32>;

struct ApiKeyRecord {
  int64_t id = 0;
  int64_t store_id = 0;
  KeyKind kind = KeyKind::secret;
  KeyHash hash{};
  std::vector<std::string> origins;  ///< normalised; empty: no browser origin allowed
  std::string store_name;
  int64_t created_at = 0;
  std::optional<int64_t> revoked_at;
};

/// What a registration stores with a new request besides its target and titles.
struct NewRequestDetails {
  RequestStatus status = RequestStatus::waiting;  ///< waiting, or pending (double opt-in)
  std::optional<std::string> locale;
  RequestConsent consent;
};

/// Everything one message is rendered and sent with (core/mail_template.hpp, core/mime.hpp).
struct OutgoingMessage {
  int64_t id = 0;
  int64_t store_id = 0;
  int64_t subscriber_id = 0;
  int64_t request_id = 0;
  MailKind kind = MailKind::back_in_stock;
  MessageStatus status = MessageStatus::queued;
  int64_t attempts = 0;
  int64_t due_at = 0;  ///< its next attempt
  int64_t due_since = 0;
  int64_t created_at = 0;
  std::string email;
  std::optional<std::string> first_name;
  std::optional<std::string> locale;
  std::string product_id;
  std::string variant_id;
  std::optional<std::string> request_product_title;
  std::optional<std::string> request_variant_title;
  ProductSnapshot snapshot;
  std::string setup;  ///< the MailSetup JSON kept with the message
  KeyHash mail_key{};
};

/// The result of one sending attempt.
struct MessageAttemptRecord {
  int64_t message_id = 0;
  int64_t at = 0;
  MessageStatus outcome = MessageStatus::queued;  ///< sent, failed, or queued (retry)
  std::optional<std::string> error;
  std::optional<int64_t> next_attempt_at;  ///< when queued
};

/// A target of a product that has waiting requests.
struct WaitingTarget {
  int64_t id = 0;
  std::string variant_id;
};

/// A request of an order's buyer, as the attribution rules (core/order.hpp) look at it.
struct BuyerRequest {
  int64_t id = 0;
  RequestStatus status = RequestStatus::waiting;
  std::string variant_id;
  std::optional<int64_t> notified_at;
  bool linked = false;  ///< an order ended or converted it already
};

/// A target whose proportional release has a batch due (core/release.hpp).
struct DueRelease {
  int64_t target_id = 0;
  int64_t store_id = 0;
  std::string product_id;
  std::string variant_id;
  int64_t next_batch_at = 0;
};

/// Event rows first..last (inclusive) written by one statement; count may be 0.
struct EventRange {
  int64_t count = 0;
  int64_t first = 0;
  int64_t last = 0;
};

/// A pending webhook delivery that is due, with what sending it needs.
struct DueDelivery {
  int64_t id = 0;
  int64_t webhook_id = 0;
  int64_t event_id = 0;
  int64_t attempts = 0;
  int64_t due_since = 0;
  std::string url;
  std::string secret;
  std::optional<std::string> previous_secret;  ///< only while its grace period runs
  int64_t store_id = 0;  ///< whose endpoint: the senders are shared fairly between stores
};

/// The result of one delivery attempt: logged, and the delivery updated.
struct AttemptRecord {
  int64_t delivery_id = 0;
  int64_t at = 0;
  int64_t duration_ms = 0;
  std::optional<int64_t> status_code;
  std::optional<std::string> error;
  DeliveryStatus outcome = DeliveryStatus::pending;  ///< delivered, failed, or pending (retry)
  std::optional<int64_t> next_attempt_at;            ///< when pending
};

/// A dashboard session, found by the SHA-256 of its token (the token itself is never stored).
struct SessionRecord {
  int64_t store_id = 0;
  std::string store_name;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  std::optional<int64_t> ended_at;  ///< signed out
};

/// A target with waiting requests, from the maintained demand counters.
struct DemandRow {
  int64_t target_id = 0;
  std::string product_id;
  std::string variant_id;
  int64_t waiting = 0;
  std::optional<int64_t> oldest_waiting_at;
  std::optional<std::string> product_title;  ///< the latest request's snapshot
  std::optional<std::string> variant_title;
};

struct ActivityCount {
  Activity kind = Activity::requested;
  int64_t bucket = 0;  ///< unix_ms / kActivityBucketMs
  int64_t count = 0;
};

/// An outbox's backlog: rows not yet sent and since when the oldest has been due.
struct OutboxBacklog {
  int64_t depth = 0;
  std::optional<int64_t> oldest_due_since;  ///< unix ms; none when empty
};

/// What `/metrics` reads from the database on each scrape: small, aggregated, indexed reads.
struct OpsSnapshot {
  std::vector<std::pair<std::string, int64_t>> waiting_by_store;  ///< every store, 0 included
  struct ActivityTotal {
    std::string store;
    Activity kind = Activity::requested;
    int64_t count = 0;
  };
  std::vector<ActivityTotal> activity;  ///< totals of the activity counters per store and kind
  OutboxBacklog webhooks;               ///< pending deliveries
  OutboxBacklog mail;                   ///< queued messages
};

/// What can be read. Inside read() it sees one consistent snapshot of every committed write;
/// inside write() it also sees the transaction's own writes.
class ReadTx {
 public:
  virtual ~ReadTx() = default;

  /// Cheap round trip to the database (health checks).
  virtual void ping() = 0;
  /// The operational figures `/metrics` shows (store/sql_tx_ops.hpp).
  virtual OpsSnapshot ops_snapshot() = 0;

  // ---- stores and keys ----------------------------------------------------------------------
  virtual std::optional<int64_t> find_store(const std::string& name) = 0;
  /// A live (not revoked) key by the hash of its text.
  virtual std::optional<ApiKeyRecord> find_key(const KeyHash& hash) = 0;
  /// Every key, or those of one store, oldest first, revoked ones too.
  virtual std::vector<ApiKeyRecord> list_keys(const std::optional<std::string>& store_name) = 0;
  /// True if any live publishable key allows `origin` (CORS preflights carry no key).
  virtual bool origin_allowed_for_any_key(const std::string& origin) = 0;
  /// The store's settings (the defaults until a PATCH saved some).
  virtual StoreSettings store_settings(int64_t store_id) = 0;
  /// The store's name (its id in keys and URLs: `demo`).
  virtual std::string store_name(int64_t store_id) = 0;
  /// The key that signs the store's unsubscribe and confirm links, if it was made yet.
  virtual std::optional<KeyHash> find_mail_key(int64_t store_id) = 0;

  // ---- subscribers --------------------------------------------------------------------------
  virtual std::optional<SubscriberRecord> find_subscriber(int64_t store_id,
                                                          const std::string& email) = 0;
  virtual std::optional<SubscriberRecord> find_subscriber_by_id(int64_t store_id, int64_t id) = 0;
  /// True if the store suppresses the address whose HMAC under its mail key is `email_hash`.
  virtual bool is_suppressed(int64_t store_id, const KeyHash& email_hash) = 0;

  // ---- catalog ------------------------------------------------------------------------------
  virtual std::optional<ProductRecord> find_product(int64_t store_id,
                                                    const std::string& product_id) = 0;
  /// A page of products in productId order, and how many match in all.
  virtual std::vector<ProductRecord> list_products(int64_t store_id,
                                                   const ProductListQuery& query) = 0;
  virtual int64_t count_products(int64_t store_id, const ProductListQuery& query) = 0;

  // ---- requests and events ------------------------------------------------------------------
  virtual std::optional<RequestRecord> find_request(int64_t store_id, int64_t id) = 0;
  /// Newest first.
  virtual std::vector<RequestRecord> list_requests(int64_t store_id,
                                                   const RequestListQuery& query) = 0;
  virtual int64_t count_requests(int64_t store_id, const RequestListQuery& query) = 0;
  /// Events of the store after row `after` (0: from the start), oldest first.
  virtual std::vector<EventRecord> list_events(int64_t store_id, std::optional<EventType> type,
                                               int64_t after, int64_t limit) = 0;
  virtual std::optional<EventRecord> find_event(int64_t id) = 0;
  /// The open request (waiting or pending) of a subscriber for a target.
  virtual std::optional<RequestRecord> find_open_request(int64_t target_id,
                                                         int64_t subscriber_id) = 0;
  /// Every request, message and event of a subscriber, newest first (the privacy view).
  virtual std::vector<RequestRecord> subscriber_requests(int64_t subscriber_id) = 0;
  virtual std::vector<MessageRecord> subscriber_messages(int64_t subscriber_id) = 0;
  virtual std::vector<EventRecord> subscriber_events(int64_t subscriber_id) = 0;

  // ---- e-mail -------------------------------------------------------------------------------
  /// The store's own templates, by kind and locale.
  virtual std::vector<StoreTemplate> list_mail_templates(int64_t store_id) = 0;
  /// Newest first.
  virtual std::vector<MessageRecord> list_messages(int64_t store_id,
                                                   const MessageListQuery& query) = 0;
  virtual int64_t count_messages(int64_t store_id, const MessageListQuery& query) = 0;
  /// Up to `limit` queued messages of every store whose next attempt is due, in the order of
  /// (next attempt, id) and after (`after_due`, `after_id`) in it (a reader's cursor: it need
  /// not read again what it already holds), each with what sending it needs.
  virtual std::vector<OutgoingMessage> due_messages(int64_t now, int64_t after_due,
                                                    int64_t after_id, int64_t limit) = 0;
  /// The earliest next attempt of any queued message.
  virtual std::optional<int64_t> next_message_due_at() = 0;
  /// Whether the message is still queued (not sent, failed, suppressed or erased).
  virtual bool is_message_queued(int64_t id) = 0;

  // ---- webhooks -----------------------------------------------------------------------------
  virtual std::optional<WebhookRecord> find_webhook(int64_t store_id, int64_t id) = 0;
  virtual std::vector<WebhookRecord> list_webhooks(int64_t store_id) = 0;
  virtual int64_t count_webhooks(int64_t store_id) = 0;
  /// Enabled endpoints of every store, for the dispatcher's round over them.
  virtual std::vector<int64_t> enabled_webhook_ids() = 0;
  /// Up to `limit` due deliveries of one endpoint, oldest due first.
  virtual std::vector<DueDelivery> due_deliveries(int64_t webhook_id, int64_t now,
                                                  int64_t limit) = 0;
  /// The earliest next attempt of any pending delivery of an enabled endpoint.
  virtual std::optional<int64_t> next_delivery_due_at() = 0;
  /// Newest first, each with its attempt log.
  virtual std::vector<DeliveryRecord> list_deliveries(int64_t webhook_id,
                                                      std::optional<DeliveryStatus> status,
                                                      const Page& page) = 0;
  virtual int64_t count_deliveries(int64_t webhook_id, std::optional<DeliveryStatus> status) = 0;
  virtual std::optional<DeliveryRecord> find_delivery(int64_t webhook_id, int64_t id) = 0;

  // ---- orders and conversions (a dashboard reads these) --------------------------------------
  virtual std::optional<OrderRecord> find_order(int64_t store_id, const std::string& order_id) = 0;
  /// Conversions (not reversed) with a purchase time in [from, to), per currency.
  virtual std::vector<ConversionTotal> conversion_totals(int64_t store_id, int64_t from,
                                                         int64_t to) = 0;
  /// The same per product and currency, most revenue first, at most `limit`.
  virtual std::vector<ProductConversions> conversions_by_product(int64_t store_id, int64_t from,
                                                                 int64_t to, int64_t limit) = 0;
  /// The same per UTC day and currency, oldest first.
  virtual std::vector<DayConversions> conversions_by_day(int64_t store_id, int64_t from,
                                                         int64_t to) = 0;
  /// Requests notified in [from, to) (`ecommerce.back_in_stock` events).
  virtual int64_t count_notified(int64_t store_id, int64_t from, int64_t to) = 0;
  /// Waiting requests a purchase in [from, to) ended.
  virtual int64_t count_purchased_while_waiting(int64_t store_id, int64_t from, int64_t to) = 0;

  // ---- the dashboard (kept by triggers of the SQLite schema, see migration 7) ----------------
  /// The session with that token hash (ended ones too), or nullopt.
  virtual std::optional<SessionRecord> find_session(const KeyHash& hash) = 0;
  /// Targets of the store with waiting requests: most waiting first, then oldest wait first.
  virtual std::vector<DemandRow> demand_page(int64_t store_id, const Page& page) = 0;
  /// How many targets have waiting requests, and how many requests wait in all.
  virtual std::pair<int64_t, int64_t> demand_totals(int64_t store_id) = 0;
  /// Requests of the target notified at or after `since`.
  virtual int64_t count_target_notified(int64_t target_id, int64_t since) = 0;
  /// The store's activity counters with bucket in [first, last], in no particular order.
  virtual std::vector<ActivityCount> activity_counts(int64_t store_id, int64_t first_bucket,
                                                     int64_t last_bucket) = 0;

  // ---- store platforms ------------------------------------------------------------------------
  virtual std::optional<IntegrationRecord> find_integration(int64_t store_id,
                                                            Platform platform) = 0;
  virtual std::optional<IntegrationRecord> find_integration_by_token(Platform platform,
                                                                     const std::string& token) = 0;
  /// The WooCommerce connection of a store's browser origin (one store per origin).
  virtual std::optional<IntegrationRecord> find_integration_by_origin(
      Platform platform, const std::string& origin) = 0;
  virtual std::vector<IntegrationRecord> list_integrations(int64_t store_id) = 0;

  // ---- release schedules, places in line, expiry ---------------------------------------------
  /// The earliest next batch time of any stored release schedule.
  virtual std::optional<int64_t> next_release_due_at() = 0;
  /// Up to `limit` schedules with a batch due at `now`, earliest first.
  virtual std::vector<DueRelease> due_releases(int64_t now, int64_t limit) = 0;
  /// The places in line (1 = next) of the waiting requests `ids` (ascending) of one target,
  /// among its waiting requests in arrival order; one count per gap between them.
  virtual std::vector<int64_t> waiting_positions(int64_t target_id,
                                                 const std::vector<int64_t>& ids) = 0;
  /// How many requests of the target wait: the place in line of the one that joined last. By
  /// default one count like waiting_positions; a backend with maintained counters reads one.
  virtual int64_t waiting_count(int64_t target_id) {
    return waiting_positions(target_id, {std::numeric_limits<int64_t>::max()}).front();
  }
  /// Every store that saved settings, with them (the scheduler's expiry round).
  virtual std::vector<std::pair<int64_t, StoreSettings>> saved_settings() = 0;
  /// Whether the store has a waiting request created before `cutoff`.
  virtual bool has_waiting_before(int64_t store_id, int64_t cutoff) = 0;
};

/// What can be written, inside write(). Lookups a backend keeps in memory between transactions
/// (target ids, catalog snapshots, whether a store has webhooks) are invalidated by the writes
/// that change them, here, so no use case can forget to.
class WriteTx : public ReadTx {
 public:
  using ReadTx::subscriber_requests;  // beside the buyer's requests of one product, below

  // ---- stores and keys ----------------------------------------------------------------------
  virtual int64_t create_store(const std::string& name, int64_t now) = 0;
  virtual int64_t insert_key(int64_t store_id, KeyKind kind, const KeyHash& hash,
                             const std::vector<std::string>& origins, int64_t now) = 0;
  /// False if there is no such key or it was revoked already.
  virtual bool revoke_key(int64_t key_id, int64_t now) = 0;
  virtual void save_settings(int64_t store_id, const StoreSettings& settings, int64_t now) = 0;

  // ---- subscribers --------------------------------------------------------------------------
  virtual int64_t insert_subscriber(int64_t store_id, const std::string& email,
                                    const SubscriberProfile& profile, int64_t now) = 0;
  virtual void update_subscriber(int64_t id, const SubscriberProfile& profile, int64_t now) = 0;
  /// Sets when the address was confirmed and whether it is suppressed (nullopt: not).
  virtual void set_subscriber_mail_state(int64_t id, std::optional<int64_t> confirmed_at,
                                         std::optional<int64_t> suppressed_at) = 0;
  virtual void add_suppression(int64_t store_id, const KeyHash& email_hash, int64_t now) = 0;
  virtual void remove_suppression(int64_t store_id, const KeyHash& email_hash) = 0;
  /// Erases a subscriber: the deliveries and events of their requests, their messages, their
  /// requests and the subscriber; and the customer (e-mail, names, external id) of the store's
  /// orders bought with their address and of those orders' events (the orders stay: revenue,
  /// conversions). False if there is no such subscriber in the store.
  virtual bool erase_subscriber(int64_t store_id, int64_t id) = 0;

  // ---- catalog ------------------------------------------------------------------------------
  /// Inserts or replaces the stored product; returns it with its row id and times.
  virtual ProductRecord save_product(int64_t store_id, const Product& product, int64_t now) = 0;
  virtual bool delete_product(int64_t store_id, const std::string& product_id) = 0;

  // ---- targets and snapshots ----------------------------------------------------------------
  /// The target (product, variant) a request waits on, created if new.
  virtual int64_t target_id(int64_t store_id, const std::string& product_id,
                            const std::string& variant_id) = 0;
  /// The targets of a product that have waiting requests.
  virtual std::vector<WaitingTarget> waiting_targets(int64_t store_id,
                                                     const std::string& product_id) = 0;
  /// A snapshot row holding `snapshot` for the target: the latest one if identical, else new.
  virtual int64_t snapshot_id(int64_t target_id, const ProductSnapshot& snapshot) = 0;
  /// The snapshot of the target's catalog facts as the product is stored now.
  virtual int64_t current_snapshot_id(int64_t store_id, int64_t target_id,
                                      const std::string& product_id,
                                      const std::string& variant_id) = 0;

  // ---- requests and events ------------------------------------------------------------------
  virtual std::optional<RequestRecord> find_waiting_request(int64_t target_id,
                                                            int64_t subscriber_id) = 0;
  virtual int64_t insert_request(int64_t target_id, int64_t subscriber_id,
                                 const std::optional<std::string>& product_title,
                                 const std::optional<std::string>& variant_title, int64_t now,
                                 const NewRequestDetails& details = {}) = 0;
  /// Sets the titles given (nullopt keeps the stored one).
  virtual void update_request_titles(int64_t id, const std::optional<std::string>& product_title,
                                     const std::optional<std::string>& variant_title) = 0;
  /// waiting (or pending) → cancelled; false if the request is neither.
  virtual bool cancel_request(int64_t store_id, int64_t id, int64_t now) = 0;
  /// Marks the waiting requests of the target notified (every one, or the `limit` oldest) and
  /// records one `ecommerce.back_in_stock` event for each, in request order.
  virtual EventRange notify_target(int64_t store_id, int64_t target_id, int64_t snapshot_id,
                                   int64_t now, std::optional<int64_t> limit = std::nullopt) = 0;
  virtual int64_t insert_event(int64_t store_id, EventType type, int64_t request_id,
                               int64_t snapshot_id, int64_t now) = 0;
  /// Every pending request of the subscriber becomes waiting (confirmed now); returns them.
  virtual std::vector<RequestRecord> confirm_pending_requests(int64_t subscriber_id,
                                                              int64_t now) = 0;
  /// One waiting request becomes notified with one `ecommerce.back_in_stock` event; the
  /// event's row, or nullopt if the request was not waiting.
  virtual std::optional<int64_t> notify_request(int64_t store_id, int64_t request_id,
                                                int64_t snapshot_id, int64_t now) = 0;
  /// Every waiting or pending request of the subscriber becomes cancelled; how many.
  virtual int64_t cancel_open_requests(int64_t subscriber_id, int64_t now) = 0;
  /// Pending requests created before `created_before` become expired; how many.
  virtual int64_t expire_pending_requests(int64_t created_before) = 0;

  // ---- e-mail and its outbox ----------------------------------------------------------------
  /// The store's mail key, made (random) at first use.
  virtual KeyHash mail_key(int64_t store_id) = 0;
  virtual void save_mail_template(int64_t store_id, const StoreTemplate& tmpl, int64_t now) = 0;
  /// False if the store had no template of that kind and locale.
  virtual bool delete_mail_template(int64_t store_id, MailKind kind,
                                    const std::string& locale) = 0;
  /// A row holding `setup` (mail_setup_json text) for the store: its latest one if identical,
  /// else a new one.
  virtual int64_t mail_setup_id(int64_t store_id, const std::string& setup, int64_t now) = 0;
  /// One queued back_in_stock message per `ecommerce.back_in_stock` event first..last (each for
  /// the event's request and snapshot); a suppressed subscriber's is written `suppressed`.
  /// Returns how many were queued.
  virtual int64_t enqueue_back_in_stock(int64_t store_id, int64_t first_event,
                                        int64_t last_event, int64_t setup_id, int64_t now) = 0;
  /// One queued message of `kind` for a request.
  virtual int64_t enqueue_message(int64_t store_id, MailKind kind, int64_t request_id,
                                  int64_t snapshot_id, int64_t setup_id, int64_t now) = 0;
  /// Applies an attempt's result to a message that is still queued (an unsubscribe may have
  /// suppressed it meanwhile: then nothing changes).
  virtual void record_message_attempt(const MessageAttemptRecord& attempt) = 0;
  /// The subscriber's queued messages become suppressed; how many.
  virtual int64_t suppress_queued_messages(int64_t subscriber_id) = 0;

  // ---- webhooks and their outbox ------------------------------------------------------------
  virtual int64_t insert_webhook(const WebhookRecord& webhook) = 0;
  virtual void update_webhook(const WebhookRecord& webhook) = 0;
  virtual bool delete_webhook(int64_t store_id, int64_t id) = 0;
  /// True if the store has an enabled endpoint (of any event type).
  virtual bool has_enabled_webhooks(int64_t store_id) = 0;
  /// One pending delivery per enabled endpoint of the store that takes `type`, for the events
  /// first..last; returns how many were written.
  virtual int64_t enqueue_deliveries(int64_t store_id, EventType type, int64_t first_event,
                                     int64_t last_event, int64_t now) = 0;
  virtual void record_attempt(const AttemptRecord& attempt) = 0;
  /// Makes a delivery pending and due now, with a fresh retry window. False if unknown.
  virtual bool resend_delivery(int64_t webhook_id, int64_t id, int64_t now) = 0;

  // ---- outbox claims (several server processes on one database) ------------------------------
  /// Of the deliveries `ids`, those still pending and not held by another sender's live lease
  /// become `owner`'s until `lease_until` (or until record_attempt clears it); returns their ids.
  /// A sender that dies holding a claim loses it when the lease runs out: another one picks the
  /// delivery up. A backend with a single process (SQLite) returns every id it is given.
  virtual std::vector<int64_t> claim_deliveries(const std::vector<int64_t>& ids,
                                                const std::string& owner, int64_t now,
                                                int64_t lease_until) = 0;
  /// The same for queued messages (record_message_attempt clears the claim).
  virtual std::vector<int64_t> claim_messages(const std::vector<int64_t>& ids,
                                              const std::string& owner, int64_t now,
                                              int64_t lease_until) = 0;
  /// Gives back every claim `owner` still holds on deliveries and messages (a dispatcher that
  /// stops calls it once its senders are done: what it picked but never started goes to the
  /// other processes now, not when the lease runs out).
  virtual void release_claims(const std::string& owner) = 0;

  // ---- orders and conversions -----------------------------------------------------------------
  /// Inserts or replaces the order (by store and orderId); purchased_at and created_at stay.
  /// Returns the stored row.
  virtual OrderRecord save_order(int64_t store_id, const Order& order, int64_t ordered_at,
                                 int64_t now) = 0;
  /// Sets purchased_at (once: a later call changes nothing).
  virtual void mark_order_purchased(int64_t order_row, int64_t now) = 0;
  /// Records `type` (an order event) for the order with `data` (order_to_storage of the order as
  /// it is now), unless the order has that event already; the new event's id, else nullopt.
  virtual std::optional<int64_t> insert_order_event(int64_t store_id, EventType type,
                                                    int64_t order_row, const std::string& data,
                                                    int64_t now) = 0;
  /// Every request of the subscriber on targets of `product_id`, oldest first.
  virtual std::vector<BuyerRequest> subscriber_requests(int64_t subscriber_id,
                                                        const std::string& product_id) = 0;
  /// Links a request to the order that ended or converted it; false if it has a link already.
  virtual bool insert_purchase(const PurchaseRecord& purchase) = 0;
  /// waiting or pending → purchased; false if the request was neither.
  virtual bool mark_request_purchased(int64_t request_id) = 0;
  /// Sets (a time) or clears (nullopt) reversed_at on the order's conversions; how many changed.
  virtual int64_t reverse_conversions(int64_t order_row, std::optional<int64_t> reversed_at) = 0;

  // ---- the dashboard ---------------------------------------------------------------------------
  virtual void insert_sign_in_link(const KeyHash& hash, int64_t store_id, int64_t now,
                                   int64_t expires_at) = 0;
  /// Marks the link used and returns its store, unless it is unknown, used or expired at `now`.
  virtual std::optional<int64_t> use_sign_in_link(const KeyHash& hash, int64_t now) = 0;
  virtual void insert_session(const KeyHash& hash, int64_t store_id, int64_t now) = 0;
  virtual void touch_session(const KeyHash& hash, int64_t now) = 0;
  virtual void end_session(const KeyHash& hash, int64_t now) = 0;
  /// Adds one to an activity counter (the request counters are kept by the storage itself; this
  /// is for activity it can't see, like `mail_sent`).
  virtual void count_activity(int64_t store_id, Activity kind, int64_t at) = 0;

  // ---- store platforms ------------------------------------------------------------------------
  /// Creates the store's connection to `settings.platform` with `token`, or updates its address,
  /// secret and currency (an existing connection keeps its token: the pasted URL stays valid).
  virtual IntegrationRecord save_integration(int64_t store_id, const IntegrationSettings& settings,
                                             const std::optional<std::string>& origin,
                                             const std::string& token, int64_t now) = 0;
  /// Removes the connection and what was learnt through it; false if there was none.
  virtual bool delete_integration(int64_t store_id, Platform platform) = 0;
  /// The answer a delivery got when it was processed, or nullopt if it is new.
  virtual std::optional<std::string> platform_delivery_outcome(int64_t integration_id,
                                                               const std::string& delivery_id) = 0;
  virtual void save_platform_delivery(int64_t integration_id, const std::string& delivery_id,
                                      const std::string& topic, const std::string& outcome,
                                      int64_t now) = 0;
  /// The modification time of the last payload applied for a resource (`product`, `order`).
  virtual std::optional<int64_t> platform_version(int64_t integration_id,
                                                  const std::string& resource,
                                                  const std::string& id) = 0;
  virtual void save_platform_version(int64_t integration_id, const std::string& resource,
                                     const std::string& id, int64_t updated_at) = 0;
  /// Replaces the item links of one product with `links`; with `complete` false, links of
  /// variants not in `links` are kept.
  virtual void save_item_links(int64_t integration_id, const std::string& product_id,
                               const std::vector<ItemLink>& links, bool complete) = 0;
  virtual std::vector<ItemLink> item_links(int64_t integration_id, const std::string& item_id) = 0;
  virtual std::optional<bool> item_tracked(int64_t integration_id, const std::string& item_id) = 0;
  virtual void set_item_tracked(int64_t integration_id, const std::string& item_id,
                                bool tracked) = 0;
  /// Stores a level (or, disconnected, removes it); false if a newer one is stored already.
  virtual bool save_inventory_level(int64_t integration_id, const InventoryLevel& level) = 0;
  /// The sum of the item's known levels, or nullopt when none is known.
  virtual std::optional<int64_t> summed_levels(int64_t integration_id,
                                               const std::string& item_id) = 0;

  // ---- release schedules and expiry ------------------------------------------------------------
  virtual std::optional<ReleaseSchedule> release_schedule(int64_t target_id) = 0;
  virtual void save_release_schedule(int64_t store_id, int64_t target_id,
                                     const ReleaseSchedule& schedule) = 0;
  virtual void delete_release_schedule(int64_t target_id) = 0;
  /// Up to `limit` of the store's waiting requests created before `cutoff` become expired (at
  /// `now`, kept in cancelled_at); returns how many.
  virtual int64_t expire_requests(int64_t store_id, int64_t cutoff, int64_t now,
                                  int64_t limit) = 0;
};

/// Counters of the write path (benchmarks, `stockbell serve`'s exit line).
struct WriteStats {
  size_t commits = 0;  ///< transactions committed
  size_t writes = 0;   ///< write() calls run
};

class Storage {
 public:
  virtual ~Storage() = default;

  /// Runs `fn(ReadTx&)` on one consistent snapshot and returns its result.
  template <class F>
  auto read(F&& fn) -> std::invoke_result_t<F, ReadTx&> {
    return run<ReadTx>(std::forward<F>(fn), [this](const std::function<void(ReadTx&)>& job) {
      run_read(job);
    });
  }

  /// Runs `fn(WriteTx&)` in one transaction and returns its result once the transaction is
  /// committed and on disk. If `fn` throws, its writes are rolled back and the exception is
  /// rethrown here. `fn` may run more than once (a backend may replay a group of writes when a
  /// neighbour failed): it must write only through `tx` and reset anything it accumulates
  /// outside when it starts.
  template <class F>
  auto write(F&& fn) -> std::invoke_result_t<F, WriteTx&> {
    return run<WriteTx>(std::forward<F>(fn), [this](const std::function<void(WriteTx&)>& job) {
      run_write(job);
    });
  }

  /// The database's public id codec (its key is chosen when the database is created).
  virtual const IdCodec& ids() const = 0;
  /// Called after every commit that wrote outbox rows (webhook deliveries, messages): the
  /// dispatchers' wake-up. Set before the first write.
  virtual void on_outbox_written(std::function<void()> listener) = 0;
  virtual WriteStats write_stats() const = 0;
  /// Finishes the writes under way, then refuses new ones (StorageUnavailable).
  virtual void stop() = 0;
  /// Why the store can't take requests now, if it can't (`/healthz`): its disk is full (until
  /// a write succeeds or space returns) or its file was replaced (until a restart).
  virtual std::optional<Unavailable> problem() = 0;

 protected:
  virtual void run_read(const std::function<void(ReadTx&)>& job) = 0;
  virtual void run_write(const std::function<void(WriteTx&)>& job) = 0;

 private:
  template <class Tx, class F, class Runner>
  static auto run(F&& fn, Runner runner) -> std::invoke_result_t<F, Tx&> {
    using R = std::invoke_result_t<F, Tx&>;
    if constexpr (std::is_void_v<R>) {
      runner([&](Tx& tx) { fn(tx); });
    } else {
      std::optional<R> result;
      runner([&](Tx& tx) { result.emplace(fn(tx)); });
      return std::move(*result);
    }
  }
};

/// Who this process is in outbox claims (claim_deliveries, claim_messages): host, pid and start.
const std::string& outbox_owner();

/// A stopping dispatcher gives back the claims this process still holds (WriteTx::release_claims);
/// if the database can't be reached, the leases run out instead (logged).
void give_back_claims(Storage& storage, const char* who);

/// How a backend that connects to a database server sizes itself (SQLite ignores it).
struct StorageOptions {
  size_t pool = 8;                       ///< connections at most
  int64_t statement_timeout_ms = 30000;  ///< a statement running longer is cancelled
};

/// Opens (creating and migrating if needed) the database at `location`: a `postgres://` or
/// `postgresql://` URL is PostgreSQL (server/store/postgres/), anything else a SQLite file path.
std::unique_ptr<Storage> open_storage(const std::string& location,
                                      const StorageOptions& options = {});
/// Whether a database exists at `location` (commands that must not create one check first).
bool storage_exists(const std::string& location);

}  // namespace stockbell::server
