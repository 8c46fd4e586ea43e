// server/store/sqlite/write_cache: what the writer remembers between transactions. A wrong entry
// here would give a registration another target's id or an outdated catalog snapshot, so each
// entry must be found only by exactly its key and dropped by exactly the writes that change it.

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "server/store/sqlite/write_cache.hpp"

using stockbell::server::WriteCache;
using Id = std::optional<int64_t>;

namespace {

/// write_cache.hpp's kMaxEntries: past this many entries a map is emptied.
constexpr int64_t kMaxEntries = 100'000;

}  // namespace

TEST_CASE("targets are found by store, product and variant") {
  WriteCache cache;
  CHECK(cache.target(1, "P", "V") == std::nullopt);
  cache.put_target(1, "P", "V", 7);
  CHECK(cache.target(1, "P", "V") == Id(7));
  CHECK(cache.target(2, "P", "V") == std::nullopt);
  CHECK(cache.target(1, "Q", "V") == std::nullopt);
  CHECK(cache.target(1, "P", "W") == std::nullopt);
  cache.put_target(1, "P", "V", 8);
  CHECK(cache.target(1, "P", "V") == Id(8));
}

TEST_CASE("keys don't run into each other where one part ends and the next begins") {
  WriteCache cache;
  cache.put_target(1, "ab", "c", 1);
  cache.put_target(1, "a", "bc", 2);
  cache.put_target(12, "x", "y", 3);
  cache.put_target(1, "2x", "y", 4);
  CHECK(cache.target(1, "ab", "c") == Id(1));
  CHECK(cache.target(1, "a", "bc") == Id(2));
  CHECK(cache.target(12, "x", "y") == Id(3));
  CHECK(cache.target(1, "2x", "y") == Id(4));

  cache.put_snapshot(12, "x", "y", 30);
  CHECK(cache.snapshot(1, "2x", "y") == std::nullopt);
}

TEST_CASE("snapshots are kept per product and variant") {
  WriteCache cache;
  cache.put_snapshot(1, "P", "V1", 10);
  cache.put_snapshot(1, "P", "V2", 11);
  cache.put_snapshot(1, "Q", "V1", 12);
  cache.put_snapshot(2, "P", "V1", 13);
  CHECK(cache.snapshot(1, "P", "V1") == Id(10));
  CHECK(cache.snapshot(1, "P", "V2") == Id(11));
  CHECK(cache.snapshot(1, "Q", "V1") == Id(12));
  CHECK(cache.snapshot(2, "P", "V1") == Id(13));
  CHECK(cache.snapshot(1, "P", "V3") == std::nullopt);
}

TEST_CASE("product_changed drops that product's snapshots only") {
  WriteCache cache;
  cache.put_snapshot(1, "P", "V1", 10);
  cache.put_snapshot(1, "P", "V2", 11);
  cache.put_snapshot(1, "Q", "V1", 12);
  cache.put_snapshot(2, "P", "V1", 13);
  cache.put_target(1, "P", "V1", 5);
  cache.put_has_webhooks(1, true);

  cache.product_changed(1, "P");
  CHECK(cache.snapshot(1, "P", "V1") == std::nullopt);
  CHECK(cache.snapshot(1, "P", "V2") == std::nullopt);
  CHECK(cache.snapshot(1, "Q", "V1") == Id(12));  // another product
  CHECK(cache.snapshot(2, "P", "V1") == Id(13));  // the same product id in another store
  CHECK(cache.target(1, "P", "V1") == Id(5));     // targets outlive catalog changes
  CHECK(cache.has_webhooks(1) == std::optional<bool>(true));
}

TEST_CASE("whether a store has webhooks: unknown, yes or no, until webhooks change") {
  WriteCache cache;
  CHECK(cache.has_webhooks(1) == std::nullopt);
  cache.put_has_webhooks(1, false);
  CHECK(cache.has_webhooks(1) == std::optional<bool>(false));  // a known "no" is not unknown
  cache.put_has_webhooks(1, true);
  cache.put_has_webhooks(2, false);
  CHECK(cache.has_webhooks(1) == std::optional<bool>(true));
  cache.webhooks_changed(1);
  CHECK(cache.has_webhooks(1) == std::nullopt);
  CHECK(cache.has_webhooks(2) == std::optional<bool>(false));
}

TEST_CASE("clear() forgets everything") {
  WriteCache cache;
  cache.put_target(1, "P", "V", 1);
  cache.put_snapshot(1, "P", "V", 2);
  cache.put_has_webhooks(1, true);
  cache.clear();
  CHECK(cache.target(1, "P", "V") == std::nullopt);
  CHECK(cache.snapshot(1, "P", "V") == std::nullopt);
  CHECK(cache.has_webhooks(1) == std::nullopt);
}

TEST_CASE("past the size cap the targets are emptied, then filled again") {
  WriteCache cache;
  for (int64_t i = 0; i < kMaxEntries; ++i) cache.put_target(1, std::to_string(i), "v", i + 1);
  CHECK(cache.target(1, "0", "v") == Id(1));
  CHECK(cache.target(1, std::to_string(kMaxEntries - 1), "v") == Id(kMaxEntries));

  cache.put_target(1, "new", "v", -1);
  CHECK(cache.target(1, "new", "v") == Id(-1));
  CHECK(cache.target(1, "0", "v") == std::nullopt);
  CHECK(cache.target(1, std::to_string(kMaxEntries - 1), "v") == std::nullopt);
}

TEST_CASE("past the size cap the snapshots are emptied, except for a product already there") {
  WriteCache cache;
  for (int64_t i = 0; i < kMaxEntries; ++i) cache.put_snapshot(1, std::to_string(i), "v", i + 1);
  // Another variant of a cached product adds no product entry: nothing is dropped.
  cache.put_snapshot(1, "0", "w", -2);
  CHECK(cache.snapshot(1, "0", "v") == Id(1));
  CHECK(cache.snapshot(1, "0", "w") == Id(-2));
  CHECK(cache.snapshot(1, "99999", "v") == Id(kMaxEntries));

  cache.put_snapshot(1, "new", "v", -1);
  CHECK(cache.snapshot(1, "new", "v") == Id(-1));
  CHECK(cache.snapshot(1, "0", "v") == std::nullopt);
  CHECK(cache.snapshot(1, "99999", "v") == std::nullopt);
}
