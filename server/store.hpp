#pragma once
// The SQL of Stockbell: every query the service runs, as prepared statements with bound
// parameters (no SQL is ever built from input). Functions take the connection they run on:
// writes run on the writer's connection inside its transaction, reads on a pooled reader.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/product.hpp"
#include "core/query.hpp"
#include "core/request_status.hpp"
#include "core/subscriber.hpp"
#include "server/sqlite.hpp"

namespace stockbell::server::store {

using KeyHash = std::array<unsigned char, 32>;

enum class KeyKind { secret, publishable };

struct ApiKeyRow {
  int64_t id = 0;
  int64_t store_id = 0;
  KeyKind kind = KeyKind::secret;
  KeyHash hash{};
  std::vector<std::string> origins;  ///< normalised; empty: no browser origin allowed
  std::string store_name;            ///< list_keys() only
  int64_t created_at = 0;            ///< list_keys() only
  std::optional<int64_t> revoked_at;  ///< list_keys() only; find_key() finds live keys only
};

struct SubscriberRow {
  int64_t id = 0;
  std::string email;
  SubscriberProfile profile;
};

struct ProductRow {
  int64_t id = 0;
  Product product;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct RequestRow {
  int64_t id = 0;
  int64_t target_id = 0;
  int64_t subscriber_id = 0;
  std::string product_id;
  std::string variant_id;
  std::optional<std::string> product_title;  ///< the request's own snapshot, if it sent one
  std::optional<std::string> variant_title;
  RequestStatus status = RequestStatus::waiting;
  std::string email;
  int64_t created_at = 0;
  std::optional<int64_t> notified_at;
  std::optional<int64_t> cancelled_at;
};

/// An event with everything its JSON needs (see core/event.hpp).
struct EventRow {
  int64_t id = 0;
  EventType type = EventType::back_in_stock_requested;
  int64_t created_at = 0;
  int64_t request_id = 0;
  int64_t request_created_at = 0;
  std::optional<std::string> request_product_title;
  std::optional<std::string> request_variant_title;
  int64_t subscriber_id = 0;
  std::string email;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> external_id;
  std::string product_id;
  std::string variant_id;
  ProductSnapshot catalog;
};

// ---- stores and keys ------------------------------------------------------------------------
std::optional<int64_t> find_store(Database& db, const std::string& name);
int64_t create_store(Database& db, const std::string& name, int64_t now);
int64_t insert_key(Database& db, int64_t store_id, KeyKind kind, const KeyHash& hash,
                   const std::vector<std::string>& origins, int64_t now);
std::optional<ApiKeyRow> find_key(Database& db, const KeyHash& hash);
/// Every key, or those of one store, oldest first, revoked ones too (the keys themselves are
/// not stored).
std::vector<ApiKeyRow> list_keys(Database& db, const std::optional<std::string>& store_name);
/// Revokes a key: find_key() and the origin check no longer see it. False if there is no such
/// key or it was revoked already.
bool revoke_key(Database& db, int64_t key_id, int64_t now);
/// True if any publishable key allows `origin` (answers CORS preflights, which carry no key).
bool origin_allowed_for_any_key(Database& db, const std::string& origin);

// ---- subscribers ----------------------------------------------------------------------------
std::optional<SubscriberRow> find_subscriber(Database& db, int64_t store_id,
                                             const std::string& email);
int64_t insert_subscriber(Database& db, int64_t store_id, const std::string& email,
                          const SubscriberProfile& profile, int64_t now);
void update_subscriber(Database& db, int64_t id, const SubscriberProfile& profile, int64_t now);

// ---- catalog --------------------------------------------------------------------------------
std::optional<ProductRow> find_product(Database& db, int64_t store_id,
                                       const std::string& product_id);
/// Inserts or replaces the stored product; returns its row (with created/updated times).
ProductRow save_product(Database& db, int64_t store_id, const Product& product, int64_t now);
bool delete_product(Database& db, int64_t store_id, const std::string& product_id);
std::vector<ProductRow> list_products(Database& db, int64_t store_id, const ProductListQuery& q);
int64_t count_products(Database& db, int64_t store_id, const ProductListQuery& q);

// ---- targets, snapshots, requests ---------------------------------------------------------
int64_t find_or_create_target(Database& db, int64_t store_id, const std::string& product_id,
                              const std::string& variant_id);
/// The targets of a product that have waiting requests: (target id, variant id).
std::vector<std::pair<int64_t, std::string>> waiting_targets(Database& db, int64_t store_id,
                                                             const std::string& product_id);
/// The id of a snapshot of `snapshot` for the target: the latest one if identical, else new.
int64_t snapshot_id(Database& db, int64_t target_id, const ProductSnapshot& snapshot);

std::optional<RequestRow> find_waiting_request(Database& db, int64_t target_id,
                                               int64_t subscriber_id);
int64_t insert_request(Database& db, int64_t target_id, int64_t subscriber_id,
                       const std::optional<std::string>& product_title,
                       const std::optional<std::string>& variant_title, int64_t now);
void update_request_titles(Database& db, int64_t id,
                           const std::optional<std::string>& product_title,
                           const std::optional<std::string>& variant_title);
std::optional<RequestRow> find_request(Database& db, int64_t store_id, int64_t id);
/// waiting → cancelled; false if the request is not waiting.
bool cancel_request(Database& db, int64_t store_id, int64_t id, int64_t now);
std::vector<RequestRow> list_requests(Database& db, int64_t store_id, const RequestListQuery& q);
int64_t count_requests(Database& db, int64_t store_id, const RequestListQuery& q);

/// Event rows first..last (inclusive) were written by one statement; count may be 0.
struct EventRange {
  int64_t count = 0;
  int64_t first = 0;
  int64_t last = 0;
};

/// Marks every waiting request of the target notified and records one `ecommerce.back_in_stock`
/// event for each (two set-based statements).
EventRange notify_target(Database& db, int64_t store_id, int64_t target_id, int64_t snapshot_id,
                         int64_t now);

// ---- events ---------------------------------------------------------------------------------
int64_t insert_event(Database& db, int64_t store_id, EventType type, int64_t request_id,
                     int64_t snapshot_id, int64_t now);
/// Events of the store after row `after` (0: from the start), oldest first.
std::vector<EventRow> list_events(Database& db, int64_t store_id, std::optional<EventType> type,
                                  int64_t after, int64_t limit);
std::optional<EventRow> find_event(Database& db, int64_t id);

}  // namespace stockbell::server::store
