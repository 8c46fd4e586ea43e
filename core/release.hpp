#pragma once
// The release policy (README "Release"): how many waiting requests of a target a restock
// notifies, and when the next batch of a proportional release is due. The server stores the
// schedule and runs due batches; every rule about sizes and times is here.
//
//   {"mode": "proportional", "perUnit": 2, "batchIntervalSeconds": 900}, 10 waiting, Q = 2:
//   the upsert notifies the 4 oldest and stores {nextBatchAt: now + 900 s, released: 4}.
//   An upsert raising Q to 3 before then notifies 2 more at once (allowance 6, 4 released);
//   at nextBatchAt the next batch is sized from the quantity then current (3 → 6 more).

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/product.hpp"
#include "core/settings.hpp"

namespace stockbell {

/// A target's stored release schedule: when its next batch is due (Unix ms) and how many
/// requests the batch under way has released so far.
struct ReleaseSchedule {
  int64_t next_batch_at = 0;
  int64_t released = 0;
  bool operator==(const ReleaseSchedule& o) const {
    return next_batch_at == o.next_batch_at && released == o.released;
  }
};

/// perUnit × quantity, saturating at INT64_MAX; a quantity ≤ 0 (or per_unit ≤ 0) allows 0.
int64_t release_allowance(int64_t per_unit, int64_t quantity);

/// The known stock quantity of a target: the variant's `inventoryQuantity`; for a product-level
/// target (variant_id == product_id, no such variant) the sum of its variants' positive
/// quantities (saturating), nullopt if none of them has one. nullopt when unknown.
std::optional<int64_t> target_quantity(const Product& product, std::string_view variant_id);

/// What a write (an upsert, a stock push, a due batch) does to one target with waiting requests.
struct ReleaseStep {
  /// How many waiting requests to notify now, oldest first; nullopt: all of them.
  std::optional<int64_t> limit;
  /// The schedule to keep if requests are still waiting once `limit` are notified; nullopt:
  /// no schedule (remove a stored one).
  std::optional<ReleaseSchedule> schedule;
};

/// The step for a target in `in_stock` state with `quantity` (target_quantity) under `policy`,
/// given its stored schedule (if any), at `now` (Unix ms):
///  - not in stock: nothing notified, the schedule stops;
///  - mode all, or quantity unknown: everything, no schedule;
///  - proportional, no schedule or one that is due: a new batch of perUnit × Q, the next one due
///    after the interval;
///  - proportional, a batch under way (not due): whatever the allowance perUnit × Q now exceeds
///    the count already released (a raised quantity releases more at once; a lowered one none).
ReleaseStep plan_release(const ReleasePolicy& policy, bool in_stock,
                         std::optional<int64_t> quantity,
                         const std::optional<ReleaseSchedule>& stored, int64_t now);

/// The schedule to store once `notified` requests were notified for `step`: none when fewer
/// than the limit were found (nobody is left waiting) or the step has none.
std::optional<ReleaseSchedule> schedule_after(const ReleaseStep& step, int64_t notified);

}  // namespace stockbell
