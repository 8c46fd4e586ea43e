#pragma once
// Store platform connections (README "Shopify and WooCommerce"): `PUT /api/v1/integrations/
// shopify` `{"shopDomain","webhookSecret","currency"?}` and `PUT /api/v1/integrations/
// woocommerce` `{"storeUrl","webhookSecret","currency"?}`. Each connection gets its own webhook
// address (a random token in the path): deliveries are routed by it, never by the platform's
// unsigned headers. The secret is never shown again.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/platform.hpp"

namespace stockbell {

constexpr size_t kMaxWebhookSecretChars = 255;

/// A PUT body, normalised: `address` is the shop domain (`my-shop.myshopify.com`, lower case)
/// or the store URL (`https://shop.example` or `https://example.com/shop`, no trailing slash).
struct IntegrationSettings {
  Platform platform = Platform::shopify;
  std::string address;
  std::string secret;
  std::optional<std::string> currency;  ///< the shop's currency (product prices carry none)
};
Result<IntegrationSettings> parse_integration(Platform platform, std::string_view body);

/// `my-shop.myshopify.com` from `My-Shop.myshopify.com`, `https://my-shop.myshopify.com/`;
/// nullopt for anything that is not a `*.myshopify.com` name.
std::optional<std::string> normalize_shop_domain(std::string_view text);

/// A stored connection (Unix ms).
struct IntegrationRecord {
  int64_t id = 0;
  int64_t store_id = 0;
  Platform platform = Platform::shopify;
  std::string token;                  ///< the path segment of the webhook address
  std::string address;                ///< see IntegrationSettings
  std::optional<std::string> origin;  ///< WooCommerce: the store's browser origin
  std::string secret;
  std::optional<std::string> currency;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

/// `/api/v1/integrations/<platform>/webhook/<token>`.
std::string integration_webhook_path(Platform platform, std::string_view token);

/// `{"platform","shopDomain"|"storeUrl","currency","webhookUrl","createdAt","updatedAt"}`; never
/// the secret. `base_url` is what the server is reached at (`https://stockbell.example`).
Json integration_json(const IntegrationRecord& record, std::string_view base_url);

/// Sequenzy's WooCommerce storefront capture, `POST /api/woocommerce/back-in-stock/subscribe`:
/// `{"storeUrl","email","providerProductId","providerVariantId","productTitle","variantTitle"}`.
/// Fields of other plugin versions are ignored (it is the plugin's body, not ours).
struct WooSubscribe {
  std::string store_origin;  ///< the origin of `storeUrl`
  std::string product_id;
  std::string variant_id;  ///< default: the product id
  std::optional<std::string> product_title;
  std::optional<std::string> variant_title;
  std::string email;  ///< identity form
};
Result<WooSubscribe> parse_woo_subscribe(std::string_view body);

/// The browser origin of a store URL: `https://Shop.Example/shop/` → `https://shop.example`.
std::optional<std::string> store_origin(std::string_view store_url);

}  // namespace stockbell
