#include "server/app/notify.hpp"

#include "core/event.hpp"
#include "core/mail_template.hpp"
#include "server/app/release.hpp"

namespace stockbell::server {

void queue_back_in_stock(WriteTx& tx, int64_t store_id, const EventRange& events, int64_t now) {
  tx.mail_key(store_id);  // the links are signed with it when the messages are sent
  tx.enqueue_back_in_stock(store_id, events.first, events.last, current_mail_setup(tx, store_id, now),
                           now);
}

bool sends_mail(WriteTx& tx, int64_t store_id, Mail mail) {
  return mail == Mail::on && tx.store_settings(store_id).email.enabled;
}

int64_t current_mail_setup(WriteTx& tx, int64_t store_id, int64_t now) {
  const StoreSettings settings = tx.store_settings(store_id);
  MailSetup setup;
  setup.store_name = settings.store_name ? *settings.store_name : tx.store_name(store_id);
  setup.from = settings.email.from;
  setup.reply_to = settings.email.reply_to;
  setup.default_locale = settings.email.default_locale;
  setup.templates = tx.list_mail_templates(store_id);
  return tx.mail_setup_id(store_id, dump(mail_setup_json(setup)), now);
}

int64_t notify_in_stock(WriteTx& tx, int64_t store_id, const Product& product, int64_t now,
                        Mail mail) {
  int64_t notified = 0;
  std::optional<ReleasePolicy> policy;  // read once, when a target has waiting requests
  for (const WaitingTarget& target : tx.waiting_targets(store_id, product.product_id)) {
    if (!policy) policy = tx.store_settings(store_id).release;
    notified +=
        release_target(tx, store_id, target.id, product, target.variant_id, *policy, now, mail);
  }
  return notified;
}

int64_t notify_confirmed(WriteTx& tx, int64_t store_id, const std::vector<RequestRecord>& requests,
                         int64_t now, Mail mail) {
  int64_t notified = 0;
  for (const RequestRecord& request : requests) {
    std::optional<ProductRecord> product = tx.find_product(store_id, request.product_id);
    if (!product || !resolve_target(product->product, request.variant_id).in_stock) continue;
    const int64_t snapshot =
        tx.snapshot_id(request.target_id, snapshot_of(&product->product, request.variant_id));
    const std::optional<int64_t> event = tx.notify_request(store_id, request.id, snapshot, now);
    if (!event) continue;
    ++notified;
    const EventRange events{1, *event, *event};
    if (tx.has_enabled_webhooks(store_id))
      tx.enqueue_deliveries(store_id, EventType::back_in_stock, *event, *event, now);
    if (sends_mail(tx, store_id, mail)) queue_back_in_stock(tx, store_id, events, now);
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

void queue_confirmation(WriteTx& tx, int64_t store_id, int64_t request_id, int64_t snapshot_id,
                        int64_t now) {
  tx.mail_key(store_id);
  tx.enqueue_message(store_id, MailKind::confirm_request, request_id, snapshot_id,
                     current_mail_setup(tx, store_id, now), now);
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
