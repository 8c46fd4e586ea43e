#pragma once
// Store platform connections (core/integration.hpp): connecting a store to Shopify or
// WooCommerce, listing and removing connections, and finding the connection a delivery or a
// storefront capture belongs to.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/integration.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

class IntegrationService {
 public:
  explicit IntegrationService(Storage& storage) : storage_(storage) {}

  /// `PUT /api/v1/integrations/{platform}`: creates the connection (a new webhook address) or
  /// updates it (same address, new secret). A WooCommerce storeUrl another store connected is a
  /// `conflict`.
  Result<IntegrationRecord> connect(int64_t store_id, Platform platform, std::string_view body);
  std::vector<IntegrationRecord> list(int64_t store_id);
  /// `not_found` if the store has no such connection.
  Result<bool> disconnect(int64_t store_id, Platform platform);

  std::optional<IntegrationRecord> by_token(Platform platform, const std::string& token);
  std::optional<IntegrationRecord> by_origin(Platform platform, const std::string& origin);

 private:
  Storage& storage_;
};

}  // namespace stockbell::server
