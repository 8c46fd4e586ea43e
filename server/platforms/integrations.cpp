#include "server/platforms/integrations.hpp"

#include "server/app/clock.hpp"
#include "server/app/keys.hpp"

namespace stockbell::server {

Result<IntegrationRecord> IntegrationService::connect(int64_t store_id, Platform platform,
                                                      std::string_view body) {
  Result<IntegrationSettings> settings = parse_integration(platform, body);
  if (!settings.ok()) return settings.error();
  std::optional<std::string> origin;
  if (platform == Platform::woocommerce) origin = store_origin(settings.value().address);
  const std::string token = random_token("");
  return storage_.write([&](WriteTx& tx) -> Result<IntegrationRecord> {
    if (origin)
      if (std::optional<IntegrationRecord> other = tx.find_integration_by_origin(platform, *origin);
          other && other->store_id != store_id)
        return already_connected();
    return tx.save_integration(store_id, settings.value(), origin, token, now_ms());
  });
}

std::vector<IntegrationRecord> IntegrationService::list(int64_t store_id) {
  return storage_.read([&](ReadTx& tx) { return tx.list_integrations(store_id); });
}

Result<bool> IntegrationService::disconnect(int64_t store_id, Platform platform) {
  const bool deleted =
      storage_.write([&](WriteTx& tx) { return tx.delete_integration(store_id, platform); });
  if (!deleted) return not_found(Resource::integration);
  return true;
}

std::optional<IntegrationRecord> IntegrationService::by_token(Platform platform,
                                                              const std::string& token) {
  return storage_.read([&](ReadTx& tx) { return tx.find_integration_by_token(platform, token); });
}

std::optional<IntegrationRecord> IntegrationService::by_origin(Platform platform,
                                                               const std::string& origin) {
  return storage_.read([&](ReadTx& tx) { return tx.find_integration_by_origin(platform, origin); });
}

}  // namespace stockbell::server
