#include "server/app/stats.hpp"

#include <map>
#include <tuple>

#include "core/product.hpp"
#include "core/timestamp.hpp"
#include "server/app/clock.hpp"

namespace stockbell::server {
namespace {

constexpr int64_t kDayMs = 86'400'000;

}  // namespace

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

namespace stockbell::server {

StatsService::DemandPage StatsService::demand(int64_t store_id, const Page& page) {
  DemandPage out;
  const int64_t since = now_ms() - kDemandNotifiedDays * kDayMs;
  storage_.read([&](ReadTx& tx) {
    out.items.clear();
    std::tie(out.targets, out.waiting) = tx.demand_totals(store_id);
    std::map<std::string, std::optional<ProductRecord>> products;  // each product read once
    for (DemandRow& row : tx.demand_page(store_id, page)) {
      DemandItem item;
      item.product_id = row.product_id;
      item.variant_id = row.variant_id;
      item.product_title = std::move(row.product_title);
      item.variant_title = std::move(row.variant_title);
      item.waiting = row.waiting;
      item.oldest_waiting_at = row.oldest_waiting_at;
      item.notified_last_30_days = tx.count_target_notified(row.target_id, since);
      auto found = products.find(row.product_id);
      if (found == products.end())
        found = products.emplace(row.product_id, tx.find_product(store_id, row.product_id)).first;
      if (const std::optional<ProductRecord>& product = found->second) {
        const TargetState state = resolve_target(product->product, row.variant_id);
        if (state.known) {
          item.stock = state.in_stock ? StockState::in_stock : StockState::out_of_stock;
          item.product_title = product->product.title;
          if (state.variant != nullptr) item.variant_title = state.variant->title;
        }
      }
      out.items.push_back(std::move(item));
    }
  });
  return out;
}

StatsService::Timeline StatsService::timeline(int64_t store_id, int64_t days) {
  Timeline out;
  const int64_t now = now_ms();
  std::vector<ActivityCount> counts;
  storage_.read([&](ReadTx& tx) {
    out.time_zone = tx.store_settings(store_id).time_zone;
    std::shared_ptr<const TimeZone> zone = zones_.find(out.time_zone);
    if (!zone) zone = zones_.find("UTC");  // a zone the system lost since: days in UTC
    const int64_t today = zone->local_day(now);
    const int64_t first_day = today - days + 1;
    // Local midnight of the first day is within a day of UTC midnight: read one day more on
    // each side, then keep the buckets whose local day is in range.
    const int64_t first_bucket = (first_day - 1) * kDayMs / kActivityBucketMs;
    const int64_t last_bucket = (today + 2) * kDayMs / kActivityBucketMs;
    counts = tx.activity_counts(store_id, first_bucket, last_bucket);
    out.days.resize(static_cast<size_t>(days));
    for (int64_t d = 0; d < days; ++d) out.days[static_cast<size_t>(d)].date = format_date(first_day + d);
    for (const ActivityCount& c : counts) {
      const int64_t day = zone->local_day(c.bucket * kActivityBucketMs);
      if (day < first_day || day > today) continue;
      TimelineDay& slot = out.days[static_cast<size_t>(day - first_day)];
      switch (c.kind) {
        case Activity::requested: slot.requested += c.count; break;
        case Activity::notified: slot.notified += c.count; break;
        case Activity::cancelled: slot.cancelled += c.count; break;
        case Activity::expired: slot.expired += c.count; break;
        case Activity::mail_sent: slot.mails_sent += c.count; break;
        case Activity::purchased: break;
      }
    }
  });
  return out;
}

}  // namespace stockbell::server
