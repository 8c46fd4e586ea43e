#include "server/app/orders.hpp"

#include <algorithm>
#include <set>

#include "server/app/clock.hpp"
#include "server/app/notify.hpp"

namespace stockbell::server {
namespace {

bool is_waiting(RequestStatus status) {
  return status == RequestStatus::waiting || status == RequestStatus::pending;
}

// The buyer's requests the purchase ends or converts (core/order.hpp's rules), linked to it.
void apply_purchase(WriteTx& tx, int64_t store_id, const OrderRecord& record, OrderApplied& out) {
  const Order& order = record.order;
  if (!order.customer) return;
  const std::optional<SubscriberRecord> buyer = tx.find_subscriber(store_id, order.customer->email);
  if (!buyer) return;
  const int64_t window = tx.store_settings(store_id).attribution_window_days;
  std::set<int64_t> used;  // one request, one effect, also across the order's items
  for (const PurchasedItem& item : purchased_items(order)) {
    const std::vector<BuyerRequest> requests = tx.subscriber_requests(buyer->id, item.product_id);
    const BuyerRequest* convert = nullptr;
    for (const BuyerRequest& r : requests) {
      if (r.linked || used.count(r.id) || !item_matches(item, item.product_id, r.variant_id))
        continue;
      if (is_waiting(r.status)) {
        if (!tx.mark_request_purchased(r.id)) continue;
        tx.insert_purchase(PurchaseRecord{r.id, record.id, store_id, PurchaseEffect::ended,
                                          item.product_id, r.variant_id, 0, order.currency,
                                          record.ordered_at});
        used.insert(r.id);
        ++out.ended;
      } else if (r.status == RequestStatus::notified && r.notified_at &&
                 within_attribution_window(*r.notified_at, record.ordered_at, window) &&
                 (convert == nullptr || *r.notified_at >= *convert->notified_at)) {
        convert = &r;  // the latest notification before the purchase gets the credit
      }
    }
    if (convert != nullptr &&
        tx.insert_purchase(PurchaseRecord{
            convert->id, record.id, store_id, PurchaseEffect::converted, item.product_id,
            convert->variant_id, item.revenue_cents, order.currency, record.ordered_at})) {
      used.insert(convert->id);
      ++out.converted;
    }
  }
}

}  // namespace

OrderApplied apply_order(WriteTx& tx, int64_t store_id, const Order& incoming, int64_t now) {
  OrderApplied out;
  const std::optional<OrderRecord> stored = tx.find_order(store_id, incoming.order_id);
  Order order = incoming;
  if (stored) {
    // Refunds a platform reported on their own stay known when a later payload omits them.
    for (const OrderRefund& r : stored->order.refunds)
      if (std::none_of(order.refunds.begin(), order.refunds.end(),
                       [&](const OrderRefund& o) { return o.id == r.id; }))
        order.refunds.push_back(r);
    if (!order.refunds.empty()) order.refund_amount_cents = refunds_total(order.refunds);
  }
  const int64_t ordered_at = incoming.ordered_at.value_or(stored ? stored->ordered_at : now);
  out.record = tx.save_order(store_id, order, ordered_at, now);
  out.event_recorded = record_order_event(tx, store_id, out.record.id, order, now);
  if (is_purchase(order.status)) {
    if (!out.record.purchased_at) {
      apply_purchase(tx, store_id, out.record, out);
      tx.mark_order_purchased(out.record.id, now);
      out.record.purchased_at = now;
    } else {
      tx.reverse_conversions(out.record.id, std::nullopt);  // a purchase again: they count again
    }
  } else {
    tx.reverse_conversions(out.record.id, now);
  }
  return out;
}

bool apply_refund(WriteTx& tx, int64_t store_id, const std::string& order_id,
                  const OrderRefund& refund, int64_t now) {
  std::optional<OrderRecord> stored = tx.find_order(store_id, order_id);
  if (!stored) return false;
  record_refund(stored->order, refund);
  tx.save_order(store_id, stored->order, stored->ordered_at, now);
  return true;
}

OrderApplied OrderService::push(int64_t store_id, const Order& order) {
  return storage_.write([&](WriteTx& tx) { return apply_order(tx, store_id, order, now_ms()); });
}

}  // namespace stockbell::server
