#include "server/app/notify.hpp"

#include "core/event.hpp"
#include "server/app/release.hpp"

namespace stockbell::server {

int64_t notify_in_stock(WriteTx& tx, int64_t store_id, const Product& product, int64_t now) {
  int64_t notified = 0;
  std::optional<ReleasePolicy> policy;  // read once, when a target has waiting requests
  for (const WaitingTarget& target : tx.waiting_targets(store_id, product.product_id)) {
    if (!policy) policy = tx.store_settings(store_id).release;
    notified += release_target(tx, store_id, target.id, product, target.variant_id, *policy, now);
  }
  return notified;
}

void record_requested(WriteTx& tx, int64_t store_id, int64_t request_id, int64_t snapshot_id,
                      int64_t now) {
  const int64_t event =
      tx.insert_event(store_id, EventType::back_in_stock_requested, request_id, snapshot_id, now);
  if (tx.has_enabled_webhooks(store_id))
    tx.enqueue_deliveries(store_id, EventType::back_in_stock_requested, event, event, now);
}

bool record_order_event(WriteTx& tx, int64_t store_id, int64_t order_row, const Order& order,
                        int64_t now) {
  const EventType type = order_event_type(order.status);
  const std::optional<int64_t> event =
      tx.insert_order_event(store_id, type, order_row, order_to_storage(order), now);
  if (!event) return false;
  if (tx.has_enabled_webhooks(store_id)) tx.enqueue_deliveries(store_id, type, *event, *event, now);
  return true;
}

}  // namespace stockbell::server
