// core/release: batch sizes, the proportional schedule, and target quantities.

#include <doctest/doctest.h>

#include <limits>

#include "core/release.hpp"

using namespace stockbell;

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

ReleasePolicy proportional(int64_t per_unit, int64_t interval_seconds = 900) {
  ReleasePolicy p;
  p.mode = ReleaseMode::proportional;
  p.per_unit = per_unit;
  p.batch_interval_seconds = interval_seconds;
  return p;
}

Variant variant(const char* id, std::optional<int64_t> quantity) {
  Variant v;
  v.variant_id = id;
  v.title = id;
  v.inventory_quantity = quantity;
  return v;
}

}  // namespace

TEST_CASE("the allowance is perUnit × quantity, never negative, saturating") {
  CHECK(release_allowance(2, 2) == 4);
  CHECK(release_allowance(1, 0) == 0);
  CHECK(release_allowance(3, -5) == 0);
  CHECK(release_allowance(0, 5) == 0);
  CHECK(release_allowance(1'000'000, kMax / 2) == kMax);
  CHECK(release_allowance(kMax, kMax) == kMax);
  CHECK(release_allowance(2, kMax / 2) == kMax - 1);
}

TEST_CASE("a variant's quantity, or a product-level target's positive quantities summed") {
  Product p;
  p.product_id = "SHOE";
  p.variants = {variant("S", 3), variant("M", -2), variant("L", std::nullopt), variant("XL", 4)};
  CHECK(target_quantity(p, "S") == 3);
  CHECK(target_quantity(p, "M") == -2);
  CHECK(target_quantity(p, "L") == std::nullopt);
  CHECK(target_quantity(p, "SHOE") == 7);  // 3 + 4; -2 and unknown count nothing
  CHECK(target_quantity(p, "NOPE") == std::nullopt);
  p.variants = {variant("S", std::nullopt)};
  CHECK(target_quantity(p, "SHOE") == std::nullopt);  // no variant knows its quantity
  p.variants = {variant("S", kMax), variant("M", kMax)};
  CHECK(target_quantity(p, "SHOE") == kMax);
  p.variants.clear();
  CHECK(target_quantity(p, "SHOE") == std::nullopt);
}

TEST_CASE("mode all, or an unknown quantity, releases everything with no schedule") {
  const ReleaseStep all = plan_release(ReleasePolicy{}, true, 2, std::nullopt, 1000);
  CHECK(all.limit == std::nullopt);
  CHECK(all.schedule == std::nullopt);
  const ReleaseStep unknown = plan_release(proportional(2), true, std::nullopt, std::nullopt, 1000);
  CHECK(unknown.limit == std::nullopt);
  CHECK(unknown.schedule == std::nullopt);
  // A stored schedule under mode all (the store switched back): everything, schedule removed.
  const ReleaseStep switched =
      plan_release(ReleasePolicy{}, true, 2, ReleaseSchedule{5000, 4}, 1000);
  CHECK(switched.limit == std::nullopt);
  CHECK(switched.schedule == std::nullopt);
}

TEST_CASE("sold out: nothing released and the schedule stops") {
  const ReleaseStep step = plan_release(proportional(2), false, 0, ReleaseSchedule{5000, 4}, 1000);
  CHECK(step.limit == 0);
  CHECK(step.schedule == std::nullopt);
  CHECK(schedule_after(step, 0) == std::nullopt);
}

TEST_CASE("a restock starts a batch of perUnit × Q and schedules the next after the interval") {
  const ReleaseStep step = plan_release(proportional(2, 900), true, 2, std::nullopt, 1000);
  CHECK(step.limit == 4);
  CHECK(step.schedule == ReleaseSchedule{1000 + 900'000, 4});
  CHECK(schedule_after(step, 4) == ReleaseSchedule{901'000, 4});
  // A partial batch: only 3 were waiting, nobody is left, no schedule.
  CHECK(schedule_after(step, 3) == std::nullopt);
}

TEST_CASE("within a batch, a raised quantity releases the difference at once, a lowered none") {
  const ReleaseSchedule stored{901'000, 4};
  const ReleaseStep raised = plan_release(proportional(2), true, 5, stored, 2000);
  CHECK(raised.limit == 6);
  CHECK(raised.schedule == ReleaseSchedule{901'000, 10});  // the due time stays
  const ReleaseStep lowered = plan_release(proportional(2), true, 1, stored, 2000);
  CHECK(lowered.limit == 0);
  CHECK(lowered.schedule == stored);
  CHECK(schedule_after(lowered, 0) == stored);  // still waiting: keep the schedule
}

TEST_CASE("a due batch is sized from the quantity then current") {
  const ReleaseSchedule stored{901'000, 4};
  const ReleaseStep next = plan_release(proportional(2, 60), true, 3, stored, 901'000);
  CHECK(next.limit == 6);
  CHECK(next.schedule == ReleaseSchedule{961'000, 6});
  // Q = 0 but explicitly in stock: nothing now, the schedule goes on.
  const ReleaseStep zero = plan_release(proportional(2, 60), true, 0, stored, 901'000);
  CHECK(zero.limit == 0);
  CHECK(schedule_after(zero, 0) == ReleaseSchedule{961'000, 0});
  // Negative quantities count as none.
  CHECK(plan_release(proportional(2), true, -3, std::nullopt, 0).limit == 0);
}

TEST_CASE("huge perUnit × Q saturates instead of overflowing") {
  const ReleaseStep step = plan_release(proportional(kMaxPerUnit), true, kMax, std::nullopt, 0);
  CHECK(step.limit == kMax);
  const ReleaseStep late =
      plan_release(proportional(1, kMaxBatchIntervalSeconds), true, 1, std::nullopt, kMax - 5);
  CHECK(late.schedule->next_batch_at == kMax);
}
