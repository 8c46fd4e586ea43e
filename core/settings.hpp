#pragma once
// A store's settings (README "Settings"): `GET`/`PATCH /api/v1/settings` with a secret key.
//
//   {"storeName": "Linen & Co",
//    "email": {"enabled": true, "from": "Linen & Co <shop@linen.example>", "replyTo": null,
//              "doubleOptIn": false, "defaultLocale": "en"},
//    "release": {"mode": "all", "perUnit": 1, "batchIntervalSeconds": 900},
//    "requestTtlDays": 0, "attributionWindowDays": 7, "timeZone": "UTC"}
//
// A PATCH is a merge: an omitted member keeps its value, `null` puts the default back, nested
// objects merge member by member. Every problem is reported with its path (`email.from`,
// `release.perUnit`); unknown members are `unknown_field`. Nothing is changed unless the whole
// body is valid.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"

namespace stockbell {

constexpr size_t kMaxStoreNameChars = 100;
constexpr int64_t kMaxPerUnit = 1'000'000;
constexpr int64_t kMinBatchIntervalSeconds = 1;
constexpr int64_t kMaxBatchIntervalSeconds = 86'400;
constexpr int64_t kMaxRequestTtlDays = 3'650;
constexpr int64_t kMaxAttributionWindowDays = 365;
constexpr size_t kMaxTimeZoneChars = 64;

/// How a restock releases the waiting requests of a target.
enum class ReleaseMode {
  all,           ///< every waiting request at once (the Sequenzy behaviour, the default)
  proportional,  ///< at most perUnit × quantity at a time, in batches (README "Release")
};
std::string_view release_mode_name(ReleaseMode mode);

struct ReleasePolicy {
  ReleaseMode mode = ReleaseMode::all;
  int64_t per_unit = 1;                   ///< requests released per unit in stock
  int64_t batch_interval_seconds = 900;  ///< between batches while the target stays in stock
  bool operator==(const ReleasePolicy& o) const {
    return mode == o.mode && per_unit == o.per_unit &&
           batch_interval_seconds == o.batch_interval_seconds;
  }
};

struct EmailSettings {
  bool enabled = true;               ///< e-mail to shoppers, when the server has SMTP set up
  std::optional<Mailbox> from;       ///< null: the server's default sender
  std::optional<Mailbox> reply_to;
  bool double_opt_in = false;        ///< a request waits for the shopper's confirmation first
  std::string default_locale = "en";
  bool operator==(const EmailSettings& o) const {
    return enabled == o.enabled && from == o.from && reply_to == o.reply_to &&
           double_opt_in == o.double_opt_in && default_locale == o.default_locale;
  }
};

struct StoreSettings {
  std::optional<std::string> store_name;  ///< null: the store's id (`demo`)
  EmailSettings email;
  ReleasePolicy release;
  int64_t request_ttl_days = 0;         ///< 0: waiting requests never expire
  int64_t attribution_window_days = 7;  ///< a purchase this long after a notification converts
  std::string time_zone = "UTC";  ///< IANA name; the dashboard's days (`stats/timeline`) are its
  bool operator==(const StoreSettings& o) const {
    return store_name == o.store_name && email == o.email && release == o.release &&
           request_ttl_days == o.request_ttl_days &&
           attribution_window_days == o.attribution_window_days && time_zone == o.time_zone;
  }
};

/// True if `name` is spelt like an IANA time zone name: `UTC`, `Europe/Berlin`,
/// `America/Argentina/Buenos_Aires`, `Etc/GMT+5` (letters, digits, `_ + -`, `/` between parts;
/// no `.`, so never a path outside the zone database). Whether the zone exists is the host's
/// question (core has no zone database).
bool is_time_zone_name(std::string_view name);

/// Tells whether a time zone exists (the server reads its zone database).
using ZoneExists = std::function<bool(std::string_view)>;

/// The settings after applying a PATCH body onto `current`; the error lists every problem.
/// `zone_exists`, when given, is asked about a well-spelt `timeZone` (`invalid_time_zone` if not).
Result<StoreSettings> apply_settings_patch(const StoreSettings& current, std::string_view body,
                                           const ZoneExists& zone_exists = {});

/// The settings as the API shows them and as they are stored: every member, fixed key order.
Json settings_json(const StoreSettings& settings);
/// Reads what settings_json wrote; members missing from an older version take their defaults.
/// nullopt for text settings_json could not have written.
std::optional<StoreSettings> settings_from_storage(std::string_view text);

}  // namespace stockbell
