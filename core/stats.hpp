#pragma once
// Conversions (README "Orders and conversions"): what back-in-stock alerts brought back, as
// `GET /api/v1/stats/conversions` shows it and the dashboard reads it. A conversion is a
// notified request whose shopper bought the item within the store's attributionWindowDays;
// it counts on the day of the purchase, with the item's revenue in the order's currency.
// Refunded and cancelled orders don't count. Amounts are never summed across currencies.

#include <cstdint>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace stockbell {

/// Conversions and revenue in one currency.
struct ConversionTotal {
  std::string currency;
  int64_t conversions = 0;
  int64_t revenue_cents = 0;
};

/// Per product (all its variants), per currency.
struct ProductConversions {
  std::string product_id;
  std::string currency;
  int64_t conversions = 0;
  int64_t revenue_cents = 0;
};

/// Per UTC day (days since 1970-01-01), per currency.
struct DayConversions {
  int64_t day = 0;
  std::string currency;
  int64_t conversions = 0;
  int64_t revenue_cents = 0;
};

/// The figures of one period [from, to) (Unix ms).
struct ConversionStats {
  int64_t days = 0;
  int64_t from = 0;
  int64_t to = 0;
  int64_t notified = 0;                 ///< requests notified in the period
  int64_t purchased_while_waiting = 0;  ///< waiting requests a purchase ended in the period
  std::vector<ConversionTotal> totals;
  std::vector<ProductConversions> products;  ///< most revenue first
  std::vector<DayConversions> timeline;      ///< oldest day first; days without any are left out
};

/// `{"success":true,"stats":{"days","from","to","notified","purchasedWhileWaiting","totals":[...],
/// "products":[...],"timeline":[{"date":"2026-11-27","currency","conversions","revenueCents"}]}}`.
std::string conversion_stats_response_json(const ConversionStats& stats);

}  // namespace stockbell
