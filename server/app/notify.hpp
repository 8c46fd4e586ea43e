#pragma once
// The steps every write that changes a request's life shares, so an upsert, a later stock-only
// push or a release batch notify in exactly the same way: in the caller's transaction, each
// event with its outbox rows.

#include <cstdint>

#include "core/product.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

/// The waiting requests of `product`'s targets that are now in stock become `notified`, each
/// with one `ecommerce.back_in_stock` event (carrying a snapshot of the catalog as it is now), and
/// the events' webhook deliveries are queued: all of them, or under a proportional release
/// (store setting `release`, server/app/release.hpp) a batch of the oldest, the target's
/// schedule stored, moved or stopped. Returns how many requests were notified.
int64_t notify_in_stock(WriteTx& tx, int64_t store_id, const Product& product, int64_t now);

/// Records the `ecommerce.back_in_stock_requested` event of a new request and queues its
/// webhook deliveries.
void record_requested(WriteTx& tx, int64_t store_id, int64_t request_id, int64_t snapshot_id,
                      int64_t now);

/// Records `ecommerce.order_<status>` of the order (row `order_row`) as it is now, unless the
/// order has that event already, and queues its webhook deliveries. True if it was recorded.
bool record_order_event(WriteTx& tx, int64_t store_id, int64_t order_row, const Order& order,
                        int64_t now);

}  // namespace stockbell::server
