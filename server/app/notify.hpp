#pragma once
// The steps every write that changes a request's life shares, so an upsert, a later stock-only
// push, a release batch or a confirmed address notify in exactly the same way: in the caller's
// transaction, each event with its outbox rows (webhook deliveries, and the shopper's e-mail
// when the server sends mail).

#include <cstdint>
#include <vector>

#include "core/product.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

/// Whether this server sends shoppers e-mail (`serve --smtp-url`). A store's `email.enabled`
/// decides for that store on top; without SMTP nothing is queued and nobody waits for a
/// confirmation mail that can't come.
enum class Mail { off, on };

/// True if `store_id`'s shoppers get e-mail from this server.
bool sends_mail(WriteTx& tx, int64_t store_id, Mail mail);

/// Queues the back_in_stock messages of the events `events.first..last` (one per event).
void queue_back_in_stock(WriteTx& tx, int64_t store_id, const EventRange& events, int64_t now);

/// The waiting requests of `product`'s targets that are now in stock become `notified`, each
/// with one `ecommerce.back_in_stock` event (carrying a snapshot of the catalog as it is now); the
/// events' webhook deliveries and, when the store sends mail, their back_in_stock messages are
/// queued: all of them, or under a proportional release (store setting `release`,
/// server/app/release.hpp) a batch of the oldest, the target's schedule stored, moved or
/// stopped. Returns how many requests were notified.
int64_t notify_in_stock(WriteTx& tx, int64_t store_id, const Product& product, int64_t now,
                        Mail mail);

/// Requests that just became waiting (a confirmed address): each whose target is in stock now
/// is notified at once, as an upsert would. Returns how many were notified.
int64_t notify_confirmed(WriteTx& tx, int64_t store_id, const std::vector<RequestRecord>& requests,
                         int64_t now, Mail mail);

/// Records the `ecommerce.back_in_stock_requested` event of a new request and queues its
/// webhook deliveries.
void record_requested(WriteTx& tx, int64_t store_id, int64_t request_id, int64_t snapshot_id,
                      int64_t now);

/// Queues the confirm_request e-mail of a pending request.
void queue_confirmation(WriteTx& tx, int64_t store_id, int64_t request_id, int64_t snapshot_id,
                        int64_t now);

/// The store's e-mail setup as it is now (settings and its own templates), as a row the
/// messages queued now keep.
int64_t current_mail_setup(WriteTx& tx, int64_t store_id, int64_t now);

/// Records `ecommerce.order_<status>` of the order (row `order_row`) as it is now, unless the
/// order has that event already, and queues its webhook deliveries. True if it was recorded.
bool record_order_event(WriteTx& tx, int64_t store_id, int64_t order_row, const Order& order,
                        int64_t now);

}  // namespace stockbell::server
