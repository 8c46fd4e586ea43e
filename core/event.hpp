#pragma once
// Events (README "Requests and events"): `ecommerce.back_in_stock_requested` when a request is created and
// `ecommerce.back_in_stock` when it is notified; `ecommerce.order_<status>` once per order and
// status (README "Orders and conversions"). This one builder makes the JSON for the event feed
// and for webhook deliveries, so both always carry the same bytes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/order.hpp"
#include "core/product.hpp"

namespace stockbell {

enum class EventType {
  back_in_stock_requested,  ///< `ecommerce.back_in_stock_requested`
  back_in_stock,            ///< `ecommerce.back_in_stock`
  order_placed,             ///< `ecommerce.order_placed`
  order_cancelled,          ///< `ecommerce.order_cancelled`
  order_fulfilled,          ///< `ecommerce.order_fulfilled`
  order_refunded,           ///< `ecommerce.order_refunded`
};

std::string_view event_type_name(EventType type);
std::optional<EventType> parse_event_type(std::string_view name);
/// Every event type, in declaration order.
const std::vector<EventType>& all_event_types();
/// Their names joined by ", " (what `invalid_value` lists).
std::string event_type_names();
/// `ecommerce.order_<status>`.
EventType order_event_type(OrderStatus status);
bool is_order_event(EventType type);

/// Catalog facts captured when an event happens: what the shopper's e-mail should show even if
/// the catalog changes later. Empty when the product was not in the catalog yet.
struct ProductSnapshot {
  std::optional<std::string> product_title;
  std::optional<std::string> variant_title;
  std::optional<std::string> url;
  std::optional<std::string> image_url;
  std::optional<int64_t> price_cents;
  std::optional<std::string> currency;

  bool operator==(const ProductSnapshot& o) const {
    return product_title == o.product_title && variant_title == o.variant_title &&
           url == o.url && image_url == o.image_url && price_cents == o.price_cents &&
           currency == o.currency;
  }
};

/// The snapshot of the target `variant_id` of `product` (nullptr: not in the catalog).
/// The variant's image and price win over the product's.
ProductSnapshot snapshot_of(const Product* product, std::string_view variant_id);

/// The subscriber as an event shows it (as the subscriber is now).
struct EventSubscriber {
  int64_t id = 0;  ///< row id (`sub_...`)
  std::string email;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> external_id;
};

/// A stored event with everything its JSON is made from (row ids, Unix milliseconds).
struct EventRecord {
  int64_t id = 0;  ///< `evt_...`
  EventType type = EventType::back_in_stock_requested;
  int64_t created_at = 0;
  EventSubscriber subscriber;
  std::string product_id;
  std::string variant_id;
  /// Titles the request itself carried (`productTitle`, `variantTitle`); they win over the
  /// catalog's.
  std::optional<std::string> request_product_title;
  std::optional<std::string> request_variant_title;
  ProductSnapshot catalog;
  int64_t request_id = 0;  ///< `bisr_...`
  int64_t request_created_at = 0;
  /// Order events: the order as it was when the event was recorded (the fields above are unused).
  std::optional<Order> order;
};

/// Back-in-stock events: `{"id","type","createdAt","subscriber":{...},"product":{...},
/// "request":{...}}`; order events: order_event_json. Fixed key order, absent values as null.
/// `product` carries the ids twice: `productId`/`variantId` and Sequenzy's
/// `providerProductId`/`providerVariantId`.
Json event_json(const EventRecord& event, const IdCodec& ids);
/// `{"id","type","createdAt","order":{...}}` with core/order.hpp's order_api_json.
Json order_event_json(const EventRecord& event, const IdCodec& ids);

}  // namespace stockbell
