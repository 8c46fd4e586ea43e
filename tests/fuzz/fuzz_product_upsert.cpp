// libFuzzer target: product upsert parsing and the merge onto a stored product
// (core/product.hpp). Beyond "no crash": an accepted batch holds 1..100 distinct products; each
// merged product survives the storage round trip unchanged; applying the same patch twice gives
// the same product (upserts are idempotent); effective stock never contradicts an explicit value.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "core/product.hpp"

using namespace stockbell;

namespace {

bool same(const Product& a, const Product& b) { return product_to_storage(a) == product_to_storage(b); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  const std::string outcome = validate_product_upsert_json(body);
  JsonParseFailure failure;
  if (!parse_json(outcome, failure)) __builtin_trap();

  Result<ProductUpsert> parsed = parse_product_upsert(body);
  if (!parsed.ok()) return 0;
  const ProductUpsert& upsert = parsed.value();
  if (upsert.products.empty() || upsert.products.size() > kMaxProductsPerUpsert) __builtin_trap();
  std::set<std::string> ids;
  for (const ProductPatch& patch : upsert.products) {
    if (!ids.insert(patch.product_id).second) __builtin_trap();
    const Product fresh = apply_patch(nullptr, patch);
    const Product twice = apply_patch(&fresh, patch);
    if (!same(fresh, twice)) __builtin_trap();
    std::optional<Product> restored = product_from_storage(product_to_storage(fresh));
    if (!restored || !same(*restored, fresh)) __builtin_trap();
    if (fresh.in_stock && product_in_stock(fresh) != *fresh.in_stock) __builtin_trap();
    for (const Variant& v : fresh.variants) {
      if (v.in_stock && variant_in_stock(v) != *v.in_stock) __builtin_trap();
      if (!resolve_target(fresh, v.variant_id).known) __builtin_trap();
    }
  }
  return 0;
}
