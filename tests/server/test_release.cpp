// server/app/release + store/sqlite/tx_release: batches of the oldest waiting requests, the
// stored schedule run exactly once by whoever comes first, places in line, expiry, and the
// scheduler with an injected clock, on a real SQLite file.

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "server/app/notify.hpp"
#include "server/app/release.hpp"
#include "server/store/storage.hpp"
#include "support.hpp"

using namespace stockbell;
using namespace stockbell::server;
using stockbell::testing::TempDir;

namespace {

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kDayMs = 86'400'000;

Product shoe(std::optional<int64_t> quantity) {
  Product p;
  p.product_id = "SHOE";
  p.title = "Shoe";
  Variant v;
  v.variant_id = "SHOE-42";
  v.title = "42";
  v.inventory_quantity = quantity;
  p.variants.push_back(v);
  return p;
}

struct Shop {
  TempDir dir;
  std::unique_ptr<Storage> storage = open_storage(dir.file("stockbell.db"));
  int64_t store = storage->write([](WriteTx& tx) { return tx.create_store("shop", kNow); });
  int64_t target =
      storage->write([&](WriteTx& tx) { return tx.target_id(store, "SHOE", "SHOE-42"); });

  /// `n` waiting requests for SHOE-42 created at `at`; their row ids, oldest first.
  std::vector<int64_t> wait(int n, int64_t at = kNow) {
    return storage->write([&](WriteTx& tx) {
      std::vector<int64_t> ids;
      for (int i = 0; i < n; ++i) {
        const int64_t sub = tx.insert_subscriber(
            store, "s" + std::to_string(next_email++) + "@example.com", {}, at);
        ids.push_back(tx.insert_request(target, sub, std::nullopt, std::nullopt, at));
      }
      return ids;
    });
  }
  void proportional(int64_t per_unit, int64_t interval_seconds, int64_t ttl_days = 0) {
    storage->write([&](WriteTx& tx) {
      StoreSettings s;
      s.release.mode = ReleaseMode::proportional;
      s.release.per_unit = per_unit;
      s.release.batch_interval_seconds = interval_seconds;
      s.request_ttl_days = ttl_days;
      tx.save_settings(store, s, kNow);
    });
  }
  /// An upsert of SHOE: saved and notified as the catalog use case does.
  int64_t upsert(std::optional<int64_t> quantity, int64_t at) {
    return storage->write([&](WriteTx& tx) {
      const ProductRecord saved = tx.save_product(store, shoe(quantity), at);
      return notify_in_stock(tx, store, saved.product, at, Mail::off);
    });
  }
  RequestStatus status(int64_t id) {
    return storage->read([&](ReadTx& tx) { return tx.find_request(store, id)->status; });
  }
  std::optional<ReleaseSchedule> schedule() {
    return storage->write([&](WriteTx& tx) { return tx.release_schedule(target); });
  }
  int next_email = 0;
};

}  // namespace

TEST_CASE("notify_target with a limit takes the oldest waiting requests, exactly that many") {
  Shop shop;
  const std::vector<int64_t> ids = shop.wait(5);
  shop.storage->write([&](WriteTx& tx) { tx.cancel_request(shop.store, ids[1], kNow); });
  const EventRange events = shop.storage->write([&](WriteTx& tx) {
    const int64_t snapshot = tx.current_snapshot_id(shop.store, shop.target, "SHOE", "SHOE-42");
    return tx.notify_target(shop.store, shop.target, snapshot, kNow, int64_t{2});
  });
  CHECK(events.count == 2);
  CHECK(shop.status(ids[0]) == RequestStatus::notified);
  CHECK(shop.status(ids[1]) == RequestStatus::cancelled);
  CHECK(shop.status(ids[2]) == RequestStatus::notified);
  CHECK(shop.status(ids[3]) == RequestStatus::waiting);
  CHECK(shop.status(ids[4]) == RequestStatus::waiting);
}

TEST_CASE("places in line count only the waiting requests ahead, per target") {
  Shop shop;
  const std::vector<int64_t> ids = shop.wait(6);
  shop.storage->write([&](WriteTx& tx) { tx.cancel_request(shop.store, ids[2], kNow); });
  const std::vector<int64_t> positions = shop.storage->read([&](ReadTx& tx) {
    return tx.waiting_positions(shop.target, {ids[0], ids[3], ids[5]});
  });
  CHECK(positions == std::vector<int64_t>{1, 3, 5});
  CHECK_THROWS(shop.storage->read([&](ReadTx& tx) {
    return tx.waiting_positions(shop.target, {ids[3], ids[0]});
  }));
}

TEST_CASE("an upsert stores the schedule; a due batch runs once, whoever runs it") {
  Shop shop;
  shop.proportional(2, 60);
  const std::vector<int64_t> ids = shop.wait(10);
  CHECK(shop.upsert(2, kNow) == 4);
  CHECK(shop.schedule() == ReleaseSchedule{kNow + 60'000, 4});
  const std::vector<DueRelease> none =
      shop.storage->read([&](ReadTx& tx) { return tx.due_releases(kNow + 59'999, 10); });
  CHECK(none.empty());
  const std::vector<DueRelease> due =
      shop.storage->read([&](ReadTx& tx) { return tx.due_releases(kNow + 60'000, 10); });
  REQUIRE(due.size() == 1);
  CHECK(due[0].target_id == shop.target);
  CHECK(due[0].variant_id == "SHOE-42");
  // Two runs of the same due batch (the scheduler and a replay, say): the second finds it taken.
  CHECK(shop.storage->write(
            [&](WriteTx& tx) { return run_due_release(tx, due[0], kNow + 60'000, Mail::off); }) == 4);
  CHECK(shop.storage->write(
            [&](WriteTx& tx) { return run_due_release(tx, due[0], kNow + 60'000, Mail::off); }) == 0);
  CHECK(shop.status(ids[7]) == RequestStatus::notified);
  CHECK(shop.status(ids[8]) == RequestStatus::waiting);
  // Sold out: the schedule is removed, and a due round finds nothing.
  CHECK(shop.upsert(0, kNow + 61'000) == 0);
  CHECK_FALSE(shop.schedule().has_value());
  CHECK(shop.storage->read([&](ReadTx& tx) { return tx.next_release_due_at(); }) == std::nullopt);
}

TEST_CASE("the scheduler runs due batches and expiry on its injected clock") {
  Shop shop;
  shop.proportional(1, 60, 1);
  std::atomic<int64_t> now{kNow};
  ReleaseScheduler scheduler(*shop.storage, {}, [&] { return now.load(); });
  const std::vector<int64_t> old_ones = shop.wait(2, kNow - 2 * kDayMs);
  const std::vector<int64_t> ids = shop.wait(3);
  CHECK(scheduler.run_once() == 2);  // the two old ones expire
  CHECK(shop.status(old_ones[0]) == RequestStatus::expired);
  CHECK(shop.upsert(1, kNow) == 1);
  CHECK(scheduler.run_once() == 0);  // nothing due yet
  now = kNow + 60'000;
  CHECK(scheduler.run_once() == 1);
  now = kNow + 120'000;
  CHECK(scheduler.run_once() == 1);  // the last one; a full batch, so the schedule stays
  CHECK(shop.status(ids[2]) == RequestStatus::notified);
  CHECK(shop.schedule().has_value());
  now = kNow + 180'000;
  CHECK(scheduler.run_once() == 0);  // nobody left: the schedule ends
  CHECK_FALSE(shop.schedule().has_value());
  // Expired requests stay out of every batch.
  CHECK(shop.status(old_ones[1]) == RequestStatus::expired);
}
