#include "core/stats.hpp"

#include "core/timestamp.hpp"

namespace stockbell {

std::string conversion_stats_response_json(const ConversionStats& s) {
  Json totals = Json::array();
  for (const ConversionTotal& t : s.totals) {
    Json item;
    item["currency"] = t.currency;
    item["conversions"] = t.conversions;
    item["revenueCents"] = t.revenue_cents;
    totals.push_back(std::move(item));
  }
  Json products = Json::array();
  for (const ProductConversions& p : s.products) {
    Json item;
    item["productId"] = p.product_id;
    item["currency"] = p.currency;
    item["conversions"] = p.conversions;
    item["revenueCents"] = p.revenue_cents;
    products.push_back(std::move(item));
  }
  Json timeline = Json::array();
  for (const DayConversions& d : s.timeline) {
    Json item;
    item["date"] = format_date(d.day);
    item["currency"] = d.currency;
    item["conversions"] = d.conversions;
    item["revenueCents"] = d.revenue_cents;
    timeline.push_back(std::move(item));
  }
  Json stats;
  stats["days"] = s.days;
  stats["from"] = format_timestamp(s.from);
  stats["to"] = format_timestamp(s.to);
  stats["notified"] = s.notified;
  stats["purchasedWhileWaiting"] = s.purchased_while_waiting;
  stats["totals"] = std::move(totals);
  stats["products"] = std::move(products);
  stats["timeline"] = std::move(timeline);
  Json out;
  out["success"] = true;
  out["stats"] = std::move(stats);
  return dump(out);
}

}  // namespace stockbell
