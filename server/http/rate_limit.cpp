#include "server/http/rate_limit.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace stockbell::server {

RateLimiter::RateLimiter(BucketPolicy policy, size_t max_buckets)
    : policy_(policy), max_buckets_(max_buckets) {}

std::optional<int64_t> RateLimiter::take(const std::string& key) {
  return take_at(key, std::chrono::steady_clock::now());
}

std::optional<int64_t> RateLimiter::take_at(const std::string& key,
                                            std::chrono::steady_clock::time_point now) {
  if (policy_.per_minute <= 0) return std::nullopt;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_buckets_) evict_full(now);
    it = buckets_.emplace(key, Bucket{policy_.burst, now}).first;
  }
  Bucket& b = it->second;
  const double minutes = std::chrono::duration<double>(now - b.updated).count() / 60.0;
  b.tokens = std::min(policy_.burst, b.tokens + minutes * policy_.per_minute);
  b.updated = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  const double wait_seconds = (1.0 - b.tokens) / policy_.per_minute * 60.0;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_seconds)));
}

size_t RateLimiter::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return buckets_.size();
}

// A bucket that has refilled completely carries no information: drop those. If every bucket is
// still draining (an attack from very many addresses), drop them all rather than grow forever.
void RateLimiter::evict_full(std::chrono::steady_clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double minutes = std::chrono::duration<double>(now - it->second.updated).count() / 60.0;
    if (it->second.tokens + minutes * policy_.per_minute >= policy_.burst)
      it = buckets_.erase(it);
    else
      ++it;
  }
  if (buckets_.size() >= max_buckets_) buckets_.clear();
}

std::optional<Cidr> Cidr::parse(const std::string& text) {
  Cidr cidr;
  std::string address = text;
  int prefix = -1;
  if (const size_t slash = text.find('/'); slash != std::string::npos) {
    address = text.substr(0, slash);
    const std::string bits = text.substr(slash + 1);
    if (bits.empty() || bits.size() > 3 || !std::all_of(bits.begin(), bits.end(), ::isdigit))
      return std::nullopt;
    prefix = std::stoi(bits);
  }
  if (inet_pton(AF_INET, address.c_str(), cidr.bytes_) == 1) {
    cidr.family_ = AF_INET;
    cidr.prefix_ = prefix < 0 ? 32 : prefix;
    if (cidr.prefix_ > 32) return std::nullopt;
  } else if (inet_pton(AF_INET6, address.c_str(), cidr.bytes_) == 1) {
    cidr.family_ = AF_INET6;
    cidr.prefix_ = prefix < 0 ? 128 : prefix;
    if (cidr.prefix_ > 128) return std::nullopt;
  } else {
    return std::nullopt;
  }
  return cidr;
}

bool Cidr::contains(const std::string& address) const {
  unsigned char bytes[16];
  if (inet_pton(family_, address.c_str(), bytes) != 1) return false;
  const int full = prefix_ / 8;
  if (std::memcmp(bytes, bytes_, static_cast<size_t>(full)) != 0) return false;
  const int rest = prefix_ % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (bytes[full] & mask) == (bytes_[full] & mask);
}

std::vector<Cidr> parse_cidr_list(const std::string& list) {
  std::vector<Cidr> out;
  for (size_t start = 0; start < list.size();) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string entry = list.substr(start, end - start);
    entry.erase(0, entry.find_first_not_of(" \t"));
    entry.erase(entry.find_last_not_of(" \t") + 1);
    if (std::optional<Cidr> cidr = Cidr::parse(entry)) out.push_back(*cidr);
    start = end + 1;
  }
  return out;
}

std::string unmap_ipv4(const std::string& address) {
  unsigned char bytes[16];
  if (address.find(':') == std::string::npos || inet_pton(AF_INET6, address.c_str(), bytes) != 1)
    return address;
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::memcmp(bytes, mapped, sizeof mapped) != 0) return address;
  char text[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, bytes + 12, text, sizeof text);
  return text;
}

std::string client_bucket(const std::string& address) {
  if (std::string v4 = unmap_ipv4(address); v4 != address) return v4;
  unsigned char bytes[16] = {};
  if (address.find(':') == std::string::npos || inet_pton(AF_INET6, address.c_str(), bytes) != 1)
    return address;
  std::fill(bytes + 8, bytes + 16, 0);
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, bytes, text, sizeof text);
  return std::string(text) + "/64";
}

namespace {

// An X-Forwarded-For entry as an address: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
// `[2001:db8::1]:4711`, IPv4-mapped IPv6 as IPv4; nullopt for anything else (empty, `unknown`).
std::optional<std::string> entry_address(std::string entry) {
  entry.erase(0, entry.find_first_not_of(" \t"));
  entry.erase(entry.find_last_not_of(" \t") + 1);
  std::string host = entry;
  std::string port;
  if (!entry.empty() && entry.front() == '[') {
    const size_t close = entry.find(']');
    if (close == std::string::npos) return std::nullopt;
    host = entry.substr(1, close - 1);
    const std::string rest = entry.substr(close + 1);
    if (!rest.empty() && (rest.size() < 2 || rest[0] != ':')) return std::nullopt;
    if (!rest.empty()) port = rest.substr(1);
  } else if (std::count(entry.begin(), entry.end(), ':') == 1) {
    host = entry.substr(0, entry.find(':'));
    port = entry.substr(entry.find(':') + 1);
    if (port.empty()) return std::nullopt;
  }
  if (!std::all_of(port.begin(), port.end(), ::isdigit) || port.size() > 5) return std::nullopt;
  unsigned char bytes[16];
  char text[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, host.c_str(), bytes) == 1) return std::string(inet_ntop(AF_INET, bytes, text, sizeof text));
  if (inet_pton(AF_INET6, host.c_str(), bytes) == 1)
    return unmap_ipv4(inet_ntop(AF_INET6, bytes, text, sizeof text));
  return std::nullopt;
}

}  // namespace

std::string client_address(const std::string& peer, const std::vector<std::string>& forwarded_for,
                           const std::vector<Cidr>& trusted_proxies) {
  auto trusted = [&](const std::string& address) {
    return std::any_of(trusted_proxies.begin(), trusted_proxies.end(),
                       [&](const Cidr& c) { return c.contains(address); });
  };
  std::string candidate = unmap_ipv4(peer);
  if (!trusted(candidate)) return candidate;
  // Every line in order, each a comma-separated list; blank lines add nothing.
  std::vector<std::string> entries;
  for (const std::string& line : forwarded_for) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    for (size_t start = 0;;) {
      const size_t comma = line.find(',', start);
      entries.push_back(line.substr(start, comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    std::optional<std::string> address = entry_address(*it);
    if (!address) break;  // no address: nothing left of it can be trusted
    candidate = *address;
    if (!trusted(candidate)) break;
  }
  return candidate;
}

}  // namespace stockbell::server
