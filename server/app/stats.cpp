#include "server/app/stats.hpp"

#include "server/app/clock.hpp"

namespace stockbell::server {

ConversionStats StatsService::conversions(int64_t store_id, const ConversionStatsQuery& query) {
  ConversionStats stats;
  stats.days = query.days;
  stats.to = now_ms() + 1;  // inclusive of this millisecond
  stats.from = stats.to - query.days * 86'400'000;
  storage_.read([&](ReadTx& tx) {
    stats.notified = tx.count_notified(store_id, stats.from, stats.to);
    stats.purchased_while_waiting =
        tx.count_purchased_while_waiting(store_id, stats.from, stats.to);
    stats.totals = tx.conversion_totals(store_id, stats.from, stats.to);
    stats.products = tx.conversions_by_product(store_id, stats.from, stats.to, query.limit);
    stats.timeline = tx.conversions_by_day(store_id, stats.from, stats.to);
  });
  return stats;
}

}  // namespace stockbell::server
