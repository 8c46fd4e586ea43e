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
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/api_key.hpp"
#include "core/event.hpp"
#include "core/ids.hpp"
#include "core/mail_template.hpp"
#include "core/message.hpp"
#include "core/product.hpp"
#include "core/query.hpp"
#include "core/responses.hpp"
#include "core/settings.hpp"
#include "core/subscriber.hpp"
#include "core/webhook.hpp"

namespace stockbell::server {

/// Thrown by read()/write() once the storage is stopping: the API answers 503 `unavailable`.
class StorageUnavailable : public std::runtime_error {
 public:
  StorageUnavailable() : std::runtime_error("the store is shutting down") {}
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

/// What can be read. Inside read() it sees one consistent snapshot of every committed write;
/// inside write() it also sees the transaction's own writes.
class ReadTx {
 public:
  virtual ~ReadTx() = default;

  /// Cheap round trip to the database (health checks).
  virtual void ping() = 0;

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
};

/// What can be written, inside write(). Lookups a backend keeps in memory between transactions
/// (target ids, catalog snapshots, whether a store has webhooks) are invalidated by the writes
/// that change them, here, so no use case can forget to.
class WriteTx : public ReadTx {
 public:
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
  /// requests and the subscriber. False if there is no such subscriber in the store.
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
  /// Marks every waiting request of the target notified and records one
  /// `ecommerce.back_in_stock` event for each, in request order.
  virtual EventRange notify_target(int64_t store_id, int64_t target_id, int64_t snapshot_id,
                                   int64_t now) = 0;
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

/// Opens (creating and migrating if needed) the database at `location`: a file path is SQLite.
std::unique_ptr<Storage> open_storage(const std::string& location);
/// Whether a database exists at `location` (commands that must not create one check first).
bool storage_exists(const std::string& location);

}  // namespace stockbell::server
