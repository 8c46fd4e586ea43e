#pragma once
// The order use cases (README "Orders and conversions"): pushing an order (the API's
// `POST /api/v1/orders` and the store platforms' order webhooks alike), what a purchase does to
// the buyer's back-in-stock requests, and refunds reported on their own.
//
// An order is upserted by its id; every status it reaches records `ecommerce.order_<status>`
// once. The first time it is a purchase (placed or fulfilled) the buyer's waiting requests for
// the bought items end (`purchased`) and, per item, the request notified most recently within the
// store's attributionWindowDays converts with the item's revenue. Cancelled or refunded, its
// conversions stop counting; back to a purchase, they count again. Nothing counts twice.

#include <cstdint>

#include "core/order.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

struct OrderApplied {
  OrderRecord record;
  bool event_recorded = false;  ///< a new `ecommerce.order_<status>`
  int64_t ended = 0;            ///< waiting requests the purchase ended
  int64_t converted = 0;        ///< notified requests it converted
};

/// Upserts `order` and applies its effects, in the caller's transaction.
OrderApplied apply_order(WriteTx& tx, int64_t store_id, const Order& order, int64_t now);

/// Adds a refund to a stored order (by id: a refund reported twice counts once); its status
/// stays. False (nothing changed) if the order is unknown.
bool apply_refund(WriteTx& tx, int64_t store_id, const std::string& order_id,
                  const OrderRefund& refund, int64_t now);

class OrderService {
 public:
  explicit OrderService(Storage& storage) : storage_(storage) {}
  /// `POST /api/v1/orders`: one transaction, answered once durable.
  OrderApplied push(int64_t store_id, const Order& order);

 private:
  Storage& storage_;
};

}  // namespace stockbell::server
