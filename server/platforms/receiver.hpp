#pragma once
// The store platforms' webhook receiver (README "Shopify and WooCommerce"):
//
//   1. the connection is found by the token in the delivery's address (404 if none), never by
//      the platform's unsigned headers;
//   2. the signature is checked on the raw body (401 if missing or wrong; nothing changes);
//      WooCommerce's unsigned ping (`webhook_id=N`) is answered 200 and changes nothing;
//   3. the payload is mapped by core (core/shopify.hpp, core/woocommerce.hpp): any problem is a
//      400 listing every field, and nothing is applied;
//   4. in one transaction: a delivery id processed before gets its first answer again and
//      changes nothing; a payload older than the last one applied to the same resource is
//      `stale`; else the action is applied (product upserts, stock changes and orders through
//      the same steps as the API, notifications through notify.hpp) and the delivery recorded.
// The work is done before the answer, so a 200 means it is on disk.

#include <optional>
#include <string>

#include "core/errors.hpp"
#include "core/platform.hpp"
#include "server/app/notify.hpp"
#include "server/platforms/integrations.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

/// What arrived: the headers that matter and the body as received.
struct PlatformDelivery {
  std::optional<std::string> topic;        ///< X-Shopify-Topic / X-WC-Webhook-Topic
  std::optional<std::string> signature;    ///< X-Shopify-Hmac-Sha256 / X-WC-Webhook-Signature
  std::optional<std::string> delivery_id;  ///< X-Shopify-Webhook-Id / X-WC-Webhook-Delivery-ID
  std::optional<std::string> shop_domain;  ///< X-Shopify-Shop-Domain (checked once signed)
  std::string content_type;
  std::string body;
};

class PlatformReceiver {
 public:
  /// `mail`: whether this server e-mails shoppers (a restock from a platform mails them too).
  PlatformReceiver(Storage& storage, IntegrationService& integrations, Mail mail)
      : storage_(storage), integrations_(integrations), mail_(mail) {}

  /// The answer's JSON (core's platform_outcome_json), or the error to answer with.
  Result<std::string> receive(Platform platform, const std::string& token,
                              const PlatformDelivery& delivery);

 private:
  Storage& storage_;
  IntegrationService& integrations_;
  Mail mail_;
};

}  // namespace stockbell::server
