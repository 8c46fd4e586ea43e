#include "server/app/notify.hpp"

#include "core/event.hpp"

namespace stockbell::server {

int64_t notify_in_stock(WriteTx& tx, int64_t store_id, const Product& product, int64_t now) {
  int64_t notified = 0;
  for (const WaitingTarget& target : tx.waiting_targets(store_id, product.product_id)) {
    if (!resolve_target(product, target.variant_id).in_stock) continue;
    const int64_t snapshot = tx.snapshot_id(target.id, snapshot_of(&product, target.variant_id));
    const EventRange events = tx.notify_target(store_id, target.id, snapshot, now);
    notified += events.count;
    if (events.count > 0)
      tx.enqueue_deliveries(store_id, EventType::back_in_stock, events.first, events.last, now);
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
