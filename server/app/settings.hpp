#pragma once
// The store settings use cases (README "Settings"): read them, and change them with a merge
// PATCH that is applied whole or not at all.

#include <string_view>

#include "core/errors.hpp"
#include "core/settings.hpp"
#include "server/app/time_zone.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

class SettingsService {
 public:
  /// `zones` tells which `timeZone` names exist.
  SettingsService(Storage& storage, TimeZones& zones) : storage_(storage), zones_(zones) {}

  StoreSettings get(int64_t store_id);
  /// Applies a PATCH body (core/settings.hpp) onto the stored settings, in one transaction.
  Result<StoreSettings> patch(int64_t store_id, std::string_view body);

 private:
  Storage& storage_;
  TimeZones& zones_;
};

}  // namespace stockbell::server
