#pragma once
// WooCommerce webhooks → PlatformAction (core/platform.hpp). Payloads are the REST API v3
// resources `WC_Webhook` delivers (`X-WC-Webhook-Topic` names the topic).
//
//   product.created|updated|restored|published
//       simple / external  → upsert_product with one variant whose id is the product's
//       variable           → upsert_product without variants (the payload lists only their ids:
//                            stored variants not among them are removed, the others kept)
//       variation          → patch_variant of its parent (`parent_id`)
//       grouped            → ignore (no stock of its own)
//   product.deleted {"id"} → delete_product (the id may be a variation's)
//   order.created|updated|restored → order (status mapped; pending/draft orders ignored)
//   order.deleted {"id"}   → ignore (the order is kept)

#include <optional>
#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/platform.hpp"

namespace stockbell {

/// What a WooCommerce connection knows that payloads don't carry.
struct WooContext {
  std::optional<std::string> currency;  ///< the store's currency: product prices (none: 2 decimals)
};

std::string woocommerce_topics();

/// Maps one delivery (see the top of this file). An unknown topic is a `validation_failed` on
/// `X-WC-Webhook-Topic`.
Result<PlatformAction> map_woocommerce(std::string_view topic, const Json& payload,
                                       const WooContext& context);

/// A WooCommerce order status in Stockbell's terms; nullopt for orders that are not orders yet
/// or any more (`pending` payment, `checkout-draft`, `trash`) and for statuses of other plugins.
std::optional<OrderStatus> woocommerce_order_status(std::string_view status);

/// WooCommerce's ping when a webhook is saved: the form body `webhook_id=<digits>`, unsigned.
bool is_woocommerce_ping(std::string_view body);

}  // namespace stockbell
