#include "server/app/settings.hpp"

#include "server/app/clock.hpp"

namespace stockbell::server {

StoreSettings SettingsService::get(int64_t store_id) {
  return storage_.read([&](ReadTx& tx) { return tx.store_settings(store_id); });
}

Result<StoreSettings> SettingsService::patch(int64_t store_id, std::string_view body) {
  return storage_.write([&](WriteTx& tx) -> Result<StoreSettings> {
    Result<StoreSettings> next =
        apply_settings_patch(tx.store_settings(store_id), body,
                             [this](std::string_view zone) { return zones_.exists(zone); });
    if (next.ok()) tx.save_settings(store_id, next.value(), now_ms());
    return next;
  });
}

}  // namespace stockbell::server
