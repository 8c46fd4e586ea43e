#pragma once
// How core's enums are stored: one explicit function each way per enum, so a stored value never
// depends on an enum's declaration order, and SQL binds these values as parameters instead of
// spelling them as literals. Changing a value here is a schema change: add a migration.

#include <cstdint>
#include <optional>

#include "core/api_key.hpp"
#include "core/demand.hpp"
#include "core/event.hpp"
#include "core/mail_kind.hpp"
#include "core/message.hpp"
#include "core/order.hpp"
#include "core/request_status.hpp"
#include "core/responses.hpp"
#include "core/webhook.hpp"

namespace stockbell::server::db {

/// waiting 0, notified 1, cancelled 2, pending 3, expired 4, purchased 5.
int64_t value(RequestStatus status);
RequestStatus request_status(int64_t value);

/// ecommerce.back_in_stock_requested 0, ecommerce.back_in_stock 1, ecommerce.order_placed 2,
/// ecommerce.order_cancelled 3, ecommerce.order_fulfilled 4, ecommerce.order_refunded 5.
int64_t value(EventType type);
EventType event_type(int64_t value);

/// placed 0, cancelled 1, fulfilled 2, refunded 3.
int64_t value(OrderStatus status);
OrderStatus order_status(int64_t value);

/// ended 0, converted 1.
int64_t value(PurchaseEffect effect);
PurchaseEffect purchase_effect(int64_t value);

/// Platforms are stored by name ('shopify', 'woocommerce'); see core/platform.hpp.

/// pending 0, delivered 1, failed 2.
int64_t value(DeliveryStatus status);
DeliveryStatus delivery_status(int64_t value);

/// requested 0, notified 1, cancelled 2, expired 4, purchased 5 (the request status entered),
/// mail_sent 6. The SQLite triggers of migration 7 write these numbers as literals.
int64_t value(Activity kind);
std::optional<Activity> activity(int64_t value);
/// queued 0, sent 1, failed 2, suppressed 3.
int64_t value(MessageStatus status);
MessageStatus message_status(int64_t value);

/// back_in_stock 0, confirm_request 1.
int64_t value(MailKind kind);
MailKind mail_kind(int64_t value);

/// api 0, widget 1.
int64_t value(RequestSource source);
RequestSource request_source(int64_t value);

/// Key kinds are stored by name ('secret', 'publishable'); see core/api_key.hpp.

/// Bind helpers for optional filters: nullopt binds NULL ("any").
template <class E>
std::optional<int64_t> value(const std::optional<E>& e) {
  if (!e) return std::nullopt;
  return value(*e);
}

}  // namespace stockbell::server::db
