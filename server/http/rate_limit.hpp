#pragma once
// Token buckets for storefront (publishable-key) traffic: one per client address and one per
// e-mail address, per store. A bucket holds `burst` tokens and refills at `per_minute`; a request
// takes one token or is refused with the seconds until the next token (429 + Retry-After).
// The per-e-mail bucket stops anyone from using the widget to sign a third party up for a flood
// of notifications. Secret-key traffic (the store's own backend) is not limited.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace stockbell::server {

struct BucketPolicy {
  double per_minute = 0;  ///< refill rate; 0 disables the limit
  double burst = 0;       ///< bucket size
};

class RateLimiter {
 public:
  explicit RateLimiter(BucketPolicy policy, size_t max_buckets = 200'000);

  /// Takes a token for `key`; nullopt if allowed, else the seconds to wait (≥ 1).
  std::optional<int64_t> take(const std::string& key);
  /// `take` at an explicit time (tests).
  std::optional<int64_t> take_at(const std::string& key, std::chrono::steady_clock::time_point now);

  size_t size() const;

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  void evict_full(std::chrono::steady_clock::time_point now);

  BucketPolicy policy_;
  size_t max_buckets_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

/// An IPv4/IPv6 network like `10.0.0.0/8`, `::1/128` or a bare address.
class Cidr {
 public:
  static std::optional<Cidr> parse(const std::string& text);
  bool contains(const std::string& address) const;

 private:
  int family_ = 0;
  unsigned char bytes_[16] = {};
  int prefix_ = 0;
};

/// `--trusted-proxies`: comma-separated addresses and networks (entries that are neither are
/// skipped).
std::vector<Cidr> parse_cidr_list(const std::string& list);

/// `::ffff:192.0.2.1` (an IPv4 client seen through an IPv6 socket or header) → `192.0.2.1`;
/// anything else unchanged.
std::string unmap_ipv4(const std::string& address);

/// The key a client is counted and rate-limited under: an IPv4 address as it is, an IPv6
/// address by its /64 (`2001:db8:1:2::/64`: one subscriber gets a whole /64), anything else as
/// it is.
std::string client_bucket(const std::string& address);

/// The client's address: the peer, unless the peer is a trusted proxy; then the right-most
/// `X-Forwarded-For` entry that is not a trusted proxy (left-most entries can be forged).
/// `forwarded_for` holds the header's lines in order (each proxy may append its own line or
/// entry); they are read as one list. IPv4-mapped addresses (`::ffff:a.b.c.d`) are IPv4 before
/// any match; `[v6]:port` and `v4:port` entries lose the port. An entry that is no address
/// (empty, `unknown`) ends the walk: the client is then the last address taken (a trusted entry
/// or the peer). The bucket a client counts in is client_bucket() of this.
std::string client_address(const std::string& peer, const std::vector<std::string>& forwarded_for,
                           const std::vector<Cidr>& trusted_proxies);

}  // namespace stockbell::server
