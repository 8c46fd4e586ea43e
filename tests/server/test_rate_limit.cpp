// server/http/rate_limit: the token buckets of storefront traffic (README "Rate limits"). Time is
// injected with take_at(), so refills are exact and nothing sleeps.

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "server/http/rate_limit.hpp"

using stockbell::server::BucketPolicy;
using stockbell::server::RateLimiter;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;
const Clock::time_point t0 = Clock::time_point() + 1h;  // any fixed instant

/// Takes `n` tokens at `at`; how many were allowed.
int allowed(RateLimiter& limiter, const std::string& key, int n, Clock::time_point at) {
  int ok = 0;
  for (int i = 0; i < n; ++i)
    if (!limiter.take_at(key, at)) ++ok;
  return ok;
}

}  // namespace

TEST_CASE("a bucket allows its burst at once, then refuses") {
  RateLimiter limiter(BucketPolicy{60, 3});
  CHECK(allowed(limiter, "1.2.3.4", 3, t0) == 3);
  const std::optional<int64_t> refused = limiter.take_at("1.2.3.4", t0);
  REQUIRE(refused.has_value());
  CHECK(*refused == 1);  // 60 per minute: the next token is 1 s away
}

TEST_CASE("keys have buckets of their own") {
  RateLimiter limiter(BucketPolicy{60, 2});
  CHECK(allowed(limiter, "a", 5, t0) == 2);
  CHECK(allowed(limiter, "b", 5, t0) == 2);
  CHECK(limiter.size() == 2);
}

TEST_CASE("a bucket refills at per_minute, never beyond its burst") {
  RateLimiter limiter(BucketPolicy{60, 2});  // one token per second
  CHECK(allowed(limiter, "k", 2, t0) == 2);
  CHECK(limiter.take_at("k", t0 + 500ms).has_value());         // half a token
  CHECK_FALSE(limiter.take_at("k", t0 + 1000ms).has_value());  // a whole one
  CHECK(limiter.take_at("k", t0 + 1000ms).has_value());
  // An hour idle fills the bucket to its burst, not to 3600 tokens.
  CHECK(allowed(limiter, "k", 10, t0 + 1h) == 2);
}

TEST_CASE("Retry-After is the seconds until the next token, rounded up, at least 1") {
  RateLimiter limiter(BucketPolicy{6, 1});  // one token per 10 s
  CHECK_FALSE(limiter.take_at("a", t0).has_value());
  CHECK(limiter.take_at("a", t0) == std::optional<int64_t>(10));

  CHECK_FALSE(limiter.take_at("b", t0).has_value());
  CHECK(limiter.take_at("b", t0 + 2500ms) == std::optional<int64_t>(8));  // 7.5 s → 8

  CHECK_FALSE(limiter.take_at("c", t0).has_value());
  CHECK(limiter.take_at("c", t0 + 9900ms) == std::optional<int64_t>(1));  // 0.1 s → 1
}

TEST_CASE("per_minute 0 disables the limit and keeps no buckets") {
  RateLimiter limiter(BucketPolicy{0, 0});
  CHECK(allowed(limiter, "k", 1000, t0) == 1000);
  CHECK(limiter.size() == 0);
}

TEST_CASE("at max_buckets, buckets that have refilled are dropped to make room") {
  RateLimiter limiter(BucketPolicy{60, 2}, 3);
  CHECK(allowed(limiter, "a", 1, t0) == 1);
  CHECK(allowed(limiter, "b", 1, t0) == 1);
  CHECK(allowed(limiter, "c", 2, t0 + 60s) == 2);  // c is empty at t0 + 60 s
  REQUIRE(limiter.size() == 3);

  // A fourth key: a and b are full again (they carry no information) and go; c stays.
  CHECK_FALSE(limiter.take_at("d", t0 + 60500ms).has_value());
  CHECK(limiter.size() == 2);
  CHECK(limiter.take_at("c", t0 + 60500ms).has_value());  // still limited: half a token
}

TEST_CASE("at max_buckets with every bucket still draining, all are dropped") {
  RateLimiter limiter(BucketPolicy{60, 2}, 2);
  CHECK(allowed(limiter, "a", 2, t0) == 2);
  CHECK(allowed(limiter, "b", 2, t0) == 2);
  CHECK_FALSE(limiter.take_at("c", t0).has_value());
  CHECK(limiter.size() == 1);  // never more than max_buckets
  // The price of a bounded table: a starts over with a full bucket.
  CHECK_FALSE(limiter.take_at("a", t0).has_value());
}
