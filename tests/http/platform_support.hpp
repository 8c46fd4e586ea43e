#pragma once
// Store platform deliveries for the HTTP tests: the research fixtures
// (tests/fixtures/platforms, README there), their recorded headers and signatures, and signing
// changed bodies the way Shopify and WooCommerce do — with OpenSSL here, independently of the
// server's code.
//
//   const std::string hook = connect_shopify(api, "stockbell-test.myshopify.com");
//   for (const Delivery& d : deliveries("shopify")) send_delivery(api, hook, d);

#include <optional>
#include <string>
#include <vector>

#include "api_client.hpp"

namespace stockbell::testing {

constexpr const char* kShopifySecret = "stockbell-shopify-test-secret";
constexpr const char* kWooSecret = "stockbell-woo-test-secret";
constexpr const char* kShopDomain = "stockbell-test.myshopify.com";
constexpr const char* kWooStore = "https://woo.example.test";

/// The bytes of tests/fixtures/platforms/<path>.
std::string fixture_bytes(const std::string& path);

/// One delivery of a `_deliveries.json`: the body's file, its headers as the platform sent them
/// (Content-Type apart), and what Stockbell should do.
struct Delivery {
  std::optional<int> step;  ///< none: the extra deliveries after the chain
  std::string file;
  std::string content_type;
  httplib::Headers headers;
  std::string body;
  std::string expect;

  std::string header(const std::string& name) const;
  /// The same delivery with another body, signed with `secret` and a new delivery id.
  Delivery with_body(const std::string& new_body, const std::string& secret,
                     const std::string& delivery_id) const;
};
/// Every delivery of `<platform>/_deliveries.json`, in file order.
std::vector<Delivery> deliveries(const std::string& platform);
/// The numbered step `step` of the chain.
Delivery delivery_step(const std::string& platform, int step);

/// `base64(HMAC-SHA256(secret, body))`.
std::string platform_hmac(const std::string& secret, const std::string& body);

/// PUT /api/v1/integrations/<platform> and the path of the webhook URL it answers.
std::string connect_platform(const Api& api, const std::string& platform, const json& body);
std::string connect_shopify(const Api& api, const std::string& shop = kShopDomain,
                            const std::optional<std::string>& currency = std::string("USD"));
std::string connect_woocommerce(const Api& api, const std::string& store_url = kWooStore);

/// POSTs a delivery to `hook` (a webhook URL's path) as the platform would.
HttpResponse send_delivery(const Api& api, const std::string& hook, const Delivery& delivery);

}  // namespace stockbell::testing
