#pragma once
// What the platform fuzz targets check on every mapped delivery, beyond "no crash": the input is
// `<topic>\n<body>` (the seeds are the fixtures' deliveries, tests/fixtures/platforms).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/order.hpp"
#include "core/platform.hpp"
#include "core/text.hpp"

namespace stockbell::fuzz {

/// Splits `<topic>\n<body>`; no newline: an empty topic.
inline std::pair<std::string, std::string> split_delivery(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == std::string::npos) return {"", input};
  return {input.substr(0, newline), input.substr(newline + 1)};
}

inline bool same(const Product& a, const Product& b) {
  return product_to_storage(a) == product_to_storage(b);
}

/// An error always says what failed; an action applies to the catalog consistently.
inline void check_action(Result<PlatformAction>& mapped) {
  if (!mapped.ok()) {
    if (mapped.error().code == ApiCode::validation_failed && mapped.error().details.empty())
      __builtin_trap();
    return;
  }
  PlatformAction& a = mapped.value();
  switch (a.kind) {
    case PlatformActionKind::upsert_product: {
      if (a.product.product_id.empty() || a.product.title.empty()) __builtin_trap();
      if (a.product.variants && a.product.variants->size() > kMaxVariantsPerProduct)
        __builtin_trap();
      resolve_shopify_stock(a, [](const std::string&) { return std::optional<bool>(false); });
      const Product fresh = apply_platform_product(nullptr, a);
      // Applying the same payload again changes nothing (platforms resend).
      if (!same(apply_platform_product(&fresh, a), fresh)) __builtin_trap();
      std::optional<Product> restored = product_from_storage(product_to_storage(fresh));
      if (!restored || !same(*restored, fresh)) __builtin_trap();
      if (!a.product_active && product_in_stock(fresh)) __builtin_trap();  // drafts never in stock
      for (const Variant& v : fresh.variants)
        if (!a.product_active && variant_in_stock(v)) __builtin_trap();
      break;
    }
    case PlatformActionKind::patch_variant: {
      if (a.product_id.empty() || a.variant.variant_id.empty()) __builtin_trap();
      const Product fresh = apply_variant_patch(nullptr, a);
      if (!same(apply_variant_patch(&fresh, a), fresh)) __builtin_trap();
      if (find_variant(fresh, a.variant.variant_id) == nullptr) __builtin_trap();
      break;
    }
    case PlatformActionKind::order: {
      const Order& o = a.order;
      if (o.order_id.empty() || o.currency.size() != 3 || o.total_cents < 0) __builtin_trap();
      std::optional<Order> back = order_from_storage(order_to_storage(o));
      if (!back || order_to_storage(*back) != order_to_storage(o)) __builtin_trap();
      for (const PurchasedItem& item : purchased_items(o))
        if (item.revenue_cents < 0 || item.revenue_cents > kMaxSafeInteger || item.quantity <= 0)
          __builtin_trap();
      if (o.refund_amount_cents && *o.refund_amount_cents < 0) __builtin_trap();
      break;
    }
    case PlatformActionKind::refund:
      if (a.resource_id.empty() || a.refund.amount_cents < 0) __builtin_trap();
      break;
    default:
      break;
  }
}

}  // namespace stockbell::fuzz
