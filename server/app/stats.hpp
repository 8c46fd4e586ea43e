#pragma once
// The figures of what back-in-stock alerts brought back (core/stats.hpp), read on one snapshot.
// `GET /api/v1/stats/conversions` shows them; the dashboard reads the same storage methods.

#include <cstdint>

#include "core/query.hpp"
#include "core/stats.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

class StatsService {
 public:
  explicit StatsService(Storage& storage) : storage_(storage) {}

  /// The last `query.days` days up to now: [now - days, now).
  ConversionStats conversions(int64_t store_id, const ConversionStatsQuery& query);

 private:
  Storage& storage_;
};

}  // namespace stockbell::server
