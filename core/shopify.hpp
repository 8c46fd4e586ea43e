#pragma once
// Shopify webhooks → PlatformAction (core/platform.hpp). Payloads are the REST resources Shopify
// delivers (`X-Shopify-Topic` names the topic). The mapping, field by field, is in the README's
// "Shopify" section; the research behind it in docs/platforms.md.
//
//   products/create, products/update   → upsert_product (variants: the complete list, unless
//                                        100 are listed) with each variant's stock facts
//   products/delete {"id"}             → delete_product
//   inventory_levels/update|connect    → inventory_level (an item at a location)
//   inventory_levels/disconnect        → inventory_level, disconnected
//   inventory_items/create|update      → inventory_item (`tracked`)
//   orders/create|updated|cancelled|fulfilled|partially_fulfilled|paid|edited → order
//   refunds/create                     → refund

#include <optional>
#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/platform.hpp"

namespace stockbell {

/// What a Shopify connection knows that payloads don't carry.
struct ShopifyContext {
  std::string shop_domain;              ///< `my-shop.myshopify.com`: product URLs
  std::optional<std::string> currency;  ///< the shop's currency: product prices (none: 2 decimals)
};

/// The topics the mapper understands, comma-separated (what an unknown topic's error lists).
std::string shopify_topics();

/// Maps one delivery. An unknown topic is a `validation_failed` on `X-Shopify-Topic`; a payload
/// whose mapped fields break the rules lists every problem by path.
Result<PlatformAction> map_shopify(std::string_view topic, const Json& payload,
                                   const ShopifyContext& context);

/// A Shopify order's status in Stockbell's terms: cancelled (cancelled_at set, or payment voided)
/// before refunded (financial_status refunded) before fulfilled (fulfillment_status fulfilled),
/// else placed.
OrderStatus shopify_order_status(bool cancelled, std::string_view financial_status,
                                 std::string_view fulfillment_status);

}  // namespace stockbell
