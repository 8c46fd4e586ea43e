// The dashboard's counters (migration 7's triggers, read by tx_dashboard.cpp): after any mix of
// registrations, cancels, restocks and purchases, the demand ranking and the activity counts
// equal what a scan of the requests gives. A model of the requests is kept in the test.

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "server/store/storage.hpp"
#include "support.hpp"

using namespace stockbell;
using namespace stockbell::server;
using stockbell::testing::TempDir;

namespace {

struct ModelRequest {
  int64_t id, target, created;
  RequestStatus status = RequestStatus::waiting;
};

}  // namespace

TEST_CASE("demand and activity counters match the requests after a random history") {
  TempDir dir;
  std::unique_ptr<Storage> storage = open_storage(dir.file("counters.db"));
  std::mt19937 random(7);
  const int64_t day = 86'400'000;
  const int64_t start = 1'780'000'000'000;
  int64_t store = 0;
  std::vector<int64_t> targets;
  std::vector<ModelRequest> model;
  std::map<std::pair<Activity, int64_t>, int64_t> activity;  // (kind, bucket) → count
  storage->write([&](WriteTx& tx) {
    store = tx.create_store("shop", start);
    for (int t = 0; t < 6; ++t)
      targets.push_back(tx.target_id(store, "P" + std::to_string(t), "P" + std::to_string(t)));
  });
  for (int step = 0; step < 400; ++step) {
    const int64_t now = start + step * (day / 20);
    const int op = static_cast<int>(random() % 10);
    storage->write([&](WriteTx& tx) {
      if (op < 6) {  // register
        const int64_t target = targets[random() % targets.size()];
        const int64_t subscriber =
            tx.insert_subscriber(store, "s" + std::to_string(step) + "@x.example", {}, now);
        const int64_t id = tx.insert_request(target, subscriber, std::nullopt, std::nullopt, now);
        model.push_back({id, target, now});
        ++activity[{Activity::requested, now / kActivityBucketMs}];
      } else if (op < 8 && !model.empty()) {  // cancel one (only waiting ones change)
        ModelRequest& r = model[random() % model.size()];
        const bool changed = tx.cancel_request(store, r.id, now);
        CHECK(changed == (r.status == RequestStatus::waiting));
        if (changed) {
          r.status = RequestStatus::cancelled;
          ++activity[{Activity::cancelled, now / kActivityBucketMs}];
        }
      } else if (op < 9) {  // a restock of one target
        const int64_t target = targets[random() % targets.size()];
        const EventRange events =
            tx.notify_target(store, target, tx.snapshot_id(target, ProductSnapshot{}), now);
        int64_t notified = 0;
        for (ModelRequest& r : model)
          if (r.target == target && r.status == RequestStatus::waiting) {
            r.status = RequestStatus::notified;
            ++notified;
          }
        CHECK(events.count == notified);
        if (notified) activity[{Activity::notified, now / kActivityBucketMs}] += notified;
      } else if (!model.empty()) {  // a purchase while waiting
        ModelRequest& r = model[random() % model.size()];
        const bool changed = tx.mark_request_purchased(r.id);
        if (changed) {
          CHECK(r.status == RequestStatus::waiting);
          r.status = RequestStatus::purchased;
        }
      }
    });
  }
  // purchased: counted at the time the database sees it (the triggers' clock), so compare the
  // totals of that kind only.
  int64_t purchased = 0;
  for (const ModelRequest& r : model) purchased += r.status == RequestStatus::purchased;

  // The ranking a scan gives: waiting per target, then the oldest wait.
  std::map<int64_t, std::pair<int64_t, int64_t>> waiting;  // target → (count, oldest)
  for (const ModelRequest& r : model)
    if (r.status == RequestStatus::waiting) {
      auto& w = waiting.try_emplace(r.target, 0, r.created).first->second;
      ++w.first;
      w.second = std::min(w.second, r.created);
    }
  std::vector<std::pair<int64_t, std::pair<int64_t, int64_t>>> expected(waiting.begin(),
                                                                        waiting.end());
  std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) {
    return a.second.first != b.second.first ? a.second.first > b.second.first
                                            : a.second.second < b.second.second;
  });
  int64_t total = 0;
  for (const auto& e : expected) total += e.second.first;

  storage->read([&](ReadTx& tx) {
    const auto [targets_waiting, requests_waiting] = tx.demand_totals(store);
    CHECK(targets_waiting == static_cast<int64_t>(expected.size()));
    CHECK(requests_waiting == total);
    const std::vector<DemandRow> rows = tx.demand_page(store, Page{100, 0});
    REQUIRE(rows.size() == expected.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      CAPTURE(i);
      CHECK(rows[i].target_id == expected[i].first);
      CHECK(rows[i].waiting == expected[i].second.first);
      CHECK(rows[i].oldest_waiting_at == expected[i].second.second);
    }
    std::map<std::pair<Activity, int64_t>, int64_t> counted;
    int64_t counted_purchased = 0;
    for (const ActivityCount& c :
         tx.activity_counts(store, 0, (start + 400 * day) / kActivityBucketMs)) {
      if (c.kind == Activity::purchased)
        counted_purchased += c.count;
      else
        counted[{c.kind, c.bucket}] = c.count;
    }
    CHECK(counted == activity);
    CHECK(counted_purchased == purchased);
  });
  storage->stop();
}
