// SqliteTx: stores and API keys.

#include "server/store/sqlite/sqlite_tx.hpp"

namespace stockbell::server {

// The write cache in front of SqlTx's reads and writes of the settings.
StoreSettings SqliteTx::store_settings(int64_t store_id) {
  if (cache_ != nullptr)
    if (const StoreSettings* cached = cache_->settings(store_id)) return *cached;
  StoreSettings settings = SqlTx::store_settings(store_id);
  if (cache_ != nullptr) cache_->put_settings(store_id, settings);
  return settings;
}

void SqliteTx::save_settings(int64_t store_id, const StoreSettings& settings, int64_t now) {
  SqlTx::save_settings(store_id, settings, now);
  if (cache_ != nullptr) cache_->put_settings(store_id, settings);
}

}  // namespace stockbell::server
