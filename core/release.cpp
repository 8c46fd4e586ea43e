#include "core/release.hpp"

#include <limits>

namespace stockbell {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

int64_t saturating_add(int64_t a, int64_t b) {
  return a > kMax - b ? kMax : a + b;
}

}  // namespace

int64_t release_allowance(int64_t per_unit, int64_t quantity) {
  if (per_unit <= 0 || quantity <= 0) return 0;
  if (quantity > kMax / per_unit) return kMax;
  return per_unit * quantity;
}

std::optional<int64_t> target_quantity(const Product& product, std::string_view variant_id) {
  if (const Variant* v = find_variant(product, variant_id)) return v->inventory_quantity;
  if (variant_id != product.product_id) return std::nullopt;
  std::optional<int64_t> sum;
  for (const Variant& v : product.variants) {
    if (!v.inventory_quantity) continue;
    sum = saturating_add(sum.value_or(0), *v.inventory_quantity > 0 ? *v.inventory_quantity : 0);
  }
  return sum;
}

ReleaseStep plan_release(const ReleasePolicy& policy, bool in_stock,
                         std::optional<int64_t> quantity,
                         const std::optional<ReleaseSchedule>& stored, int64_t now) {
  if (!in_stock) return ReleaseStep{0, std::nullopt};
  if (policy.mode == ReleaseMode::all || !quantity) return ReleaseStep{std::nullopt, std::nullopt};
  const int64_t allowance = release_allowance(policy.per_unit, *quantity);
  if (stored && now < stored->next_batch_at) {
    const int64_t more = allowance > stored->released ? allowance - stored->released : 0;
    return ReleaseStep{more, ReleaseSchedule{stored->next_batch_at, stored->released + more}};
  }
  const int64_t interval_ms = policy.batch_interval_seconds * 1000;
  const int64_t next = now > kMax - interval_ms ? kMax : now + interval_ms;
  return ReleaseStep{allowance, ReleaseSchedule{next, allowance}};
}

std::optional<ReleaseSchedule> schedule_after(const ReleaseStep& step, int64_t notified) {
  if (!step.schedule || !step.limit || notified < *step.limit) return std::nullopt;
  return step.schedule;
}

}  // namespace stockbell
