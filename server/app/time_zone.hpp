#pragma once
// Time zones for the dashboard's days (`GET /api/v1/stats/timeline`, settings `timeZone`), read
// from the system's zone database (/usr/share/zoneinfo, Debian's tzdata, TZif files per RFC 8536).
// Offsets come from the file's transition table; past its last transition (2037 in the "fat"
// files Debian ships) the last offset holds.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace stockbell::server {

/// One zone's offsets from UTC over time.
class TimeZone {
 public:
  /// UTC: offset 0 always.
  TimeZone() = default;
  /// Parses a TZif file's bytes; nullptr if they are not one.
  static std::shared_ptr<const TimeZone> parse(std::string_view bytes);

  /// Local time minus UTC at the instant `unix_ms`, in milliseconds (Berlin in July: 7,200,000).
  int64_t offset_ms(int64_t unix_ms) const;
  /// The local day (days since 1970-01-01 of local dates) of an instant.
  int64_t local_day(int64_t unix_ms) const;

 private:
  std::vector<int64_t> transitions_;  ///< Unix seconds, ascending
  std::vector<int64_t> offsets_;      ///< offset (s) from transitions_[i] on
  int64_t initial_ = 0;               ///< offset (s) before the first transition
};

/// The zones of the system's database, loaded once each.
class TimeZones {
 public:
  explicit TimeZones(std::string directory = "/usr/share/zoneinfo")
      : directory_(std::move(directory)) {}
  /// The zone, or nullptr if `name` is not one (`UTC` always is).
  std::shared_ptr<const TimeZone> find(std::string_view name);
  bool exists(std::string_view name) { return find(name) != nullptr; }

 private:
  std::string directory_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones_;
};

}  // namespace stockbell::server
