#pragma once
// The figures of what back-in-stock alerts brought back (core/stats.hpp), read on one snapshot,
// and the dashboard's (core/demand.hpp): demand per target and activity per day, both from
// counters the storage maintains (no scan of the requests per call).

#include <cstdint>

#include "core/demand.hpp"
#include "core/query.hpp"
#include "core/stats.hpp"
#include "server/app/time_zone.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

class StatsService {
 public:
  StatsService(Storage& storage, TimeZones& zones) : storage_(storage), zones_(zones) {}

  /// The last `query.days` days up to now: [now - days, now).
  ConversionStats conversions(int64_t store_id, const ConversionStatsQuery& query);

  struct DemandPage {
    std::vector<DemandItem> items;
    int64_t targets = 0;  ///< targets with waiting requests (the pagination total)
    int64_t waiting = 0;  ///< waiting requests in all
  };
  /// One page of targets by waiting shoppers, with the catalog's titles and stock state now.
  DemandPage demand(int64_t store_id, const Page& page);

  struct Timeline {
    std::string time_zone;
    std::vector<TimelineDay> days;  ///< oldest first, `days` of them, the last one today
  };
  /// The last `days` days of the store's time zone (settings `timeZone`), today included.
  Timeline timeline(int64_t store_id, int64_t days);

 private:
  Storage& storage_;
  TimeZones& zones_;
};

}  // namespace stockbell::server
