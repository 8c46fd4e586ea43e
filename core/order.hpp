#pragma once
// Orders (README "Orders and conversions"): the `POST /api/v1/orders` body (Sequenzy's fields),
// its storage and API JSON, the event JSON of `ecommerce.order_<status>`, and the attribution
// rules: which back-in-stock requests a purchase ends or converts, and with what revenue.
//
//   {"orderId": "1001", "status": "placed", "totalCents": 13498, "currency": "USD",
//    "customer": {"email": "ada@example.com"},
//    "items": [{"productId": "TOTE", "variantId": "TOTE-NAT", "title": "Tote", "quantity": 2,
//               "priceCents": 1999}]}
//
// `orderId` is the idempotency key: pushing an order again replaces what is stored for it and
// never counts twice. Amounts are minor units of `currency` (core/currency.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/json.hpp"

namespace stockbell {

constexpr size_t kMaxOrderItems = 500;
constexpr size_t kMaxOrderProperties = 50;
constexpr size_t kMaxOrderPropertyKeyChars = 64;
constexpr int64_t kMaxItemQuantity = 1'000'000;

enum class OrderStatus {
  placed,     ///< bought (paid or awaiting payment/fulfilment): a purchase
  cancelled,  ///< cancelled before or after payment: not a purchase
  fulfilled,  ///< shipped or completed: a purchase
  refunded,   ///< fully refunded: not a purchase
};
std::string_view order_status_name(OrderStatus status);
std::optional<OrderStatus> parse_order_status(std::string_view name);
/// placed and fulfilled: the buyer has (or will have) the items.
bool is_purchase(OrderStatus status);

/// Where an order came from.
enum class OrderSource { api, shopify, woocommerce };
std::string_view order_source_name(OrderSource source);

struct OrderItem {
  std::string product_id;
  std::optional<std::string> variant_id;  ///< none: the product (any variant of it)
  std::string title;
  int64_t quantity = 1;
  std::optional<std::string> sku;
  std::optional<std::string> variant_title;
  std::optional<int64_t> price_cents;  ///< unit price
};

struct OrderCustomer {
  std::string email;  ///< identity form (lower case)
  std::optional<std::string> external_id;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
};

/// A refund a store platform reported, by its id (so a refund reported twice counts once).
struct OrderRefund {
  std::string id;
  int64_t amount_cents = 0;
};

struct Order {
  std::string order_id;
  std::optional<std::string> order_number;  ///< what the shop shows, e.g. `#1001`
  OrderStatus status = OrderStatus::placed;
  int64_t total_cents = 0;
  std::string currency;
  std::optional<int64_t> ordered_at;  ///< Unix ms; none: when Stockbell first saw it
  std::optional<OrderCustomer> customer;
  std::vector<OrderItem> items;
  std::optional<int64_t> refund_amount_cents;
  Json properties = Json::object();
  OrderSource source = OrderSource::api;
  std::vector<OrderRefund> refunds;  ///< platform refunds; refund_amount_cents is their sum
};

/// A stored order (row id `id`, Unix ms).
struct OrderRecord {
  int64_t id = 0;
  int64_t store_id = 0;
  Order order;
  int64_t ordered_at = 0;  ///< `orderedAt`, else when first seen: when its purchases count
  /// When the order was first seen as a purchase: its buyer's waiting requests for the items
  /// ended and its conversions were attributed then, once.
  std::optional<int64_t> purchased_at;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

/// Parses and validates a `POST /api/v1/orders` body; the error lists every problem by path
/// (`items[2].quantity`). `customer` is optional (an order without one ends and converts no
/// request); when given it is §5's customer (`email` required; `attributes` accepted, not kept).
Result<Order> parse_order(std::string_view body);
Result<Order> read_order(const Json& document);

/// The order as the API and its events show it (fixed key order, absent values as null):
/// `{"orderId","orderNumber","status","source","totalCents","currency","refundAmountCents",
///   "orderedAt","customer","items","properties"}`.
Json order_api_json(const Order& order);
/// `{"ok":true,"order":{...}}` or the error envelope (the shape of the shared vectors).
std::string validate_order_json(std::string_view body);

/// Storage form; order_from_storage never fails on what order_to_storage wrote.
std::string order_to_storage(const Order& order);
std::optional<Order> order_from_storage(std::string_view text);
/// The stored order without its customer (e-mail, names, external id), for the erasure of a
/// shopper (README "Privacy"): the order and what it counts for stay, the person does not.
/// nullopt when `stored` is not what order_to_storage writes.
std::optional<std::string> order_storage_without_customer(std::string_view stored);

/// The answer to a push (202, Sequenzy's shape):
/// `{"success":true,"queued":true,"orderId","status"}`. The work is done (and on disk) before it is
/// sent.
std::string order_accepted_json(const Order& order);

/// The sum of `refunds`, capped at 2^53 - 1.
int64_t refunds_total(const std::vector<OrderRefund>& refunds);
/// Adds or replaces (by id) one refund; refund_amount_cents becomes the sum.
void record_refund(Order& order, OrderRefund refund);

// ---- attribution ---------------------------------------------------------------------------

/// What a purchase did to one back-in-stock request of its buyer.
enum class PurchaseEffect {
  ended,      ///< the request was still waiting: it is `purchased` now
  converted,  ///< the request was notified within the attribution window: a conversion
};

/// The link between one request and the order that ended or converted it (one per request).
struct PurchaseRecord {
  int64_t request_id = 0;
  int64_t order_row = 0;
  int64_t store_id = 0;
  PurchaseEffect effect = PurchaseEffect::ended;
  std::string product_id;  ///< the request's target
  std::string variant_id;
  int64_t revenue_cents = 0;  ///< conversions: the item's revenue; 0 for ended requests
  std::string currency;
  int64_t at = 0;  ///< the purchase's time (the order's)
};

/// One bought thing: the order's items merged by (productId, variantId).
struct PurchasedItem {
  std::string product_id;
  std::optional<std::string> variant_id;
  int64_t quantity = 0;
  int64_t revenue_cents = 0;  ///< Σ priceCents × quantity (0 for items without a price)
};
std::vector<PurchasedItem> purchased_items(const Order& order);

/// Whether a request waiting on (product_id, variant_id) is for `item`: the same product, and
/// the item names no variant, or the same variant, or the request waits on the product itself
/// (variant_id == product_id).
bool item_matches(const PurchasedItem& item, std::string_view product_id,
                  std::string_view variant_id);

/// Whether a notification at `notified_at` converts a purchase at `ordered_at`: the purchase
/// came after it, within `window_days` (0: nothing converts).
bool within_attribution_window(int64_t notified_at, int64_t ordered_at, int64_t window_days);

}  // namespace stockbell
