#include "server/app/demo.hpp"

#include <stdexcept>

namespace stockbell::server {

DemoKeys seed_demo(KeyService& keys, CatalogService& catalog, Storage& storage,
                   const std::string& catalog_json, const std::vector<std::string>& origins) {
  Result<ProductUpsert> products = parse_product_upsert(catalog_json);
  if (!products.ok())
    throw std::runtime_error("demo catalog is invalid: " + products.error().message);
  // The keys of an earlier --demo run end now: each start prints a new secret key, and the old
  // one (in a terminal's scroll-back, a shell history) must not keep working.
  for (const ApiKeyRecord& key : keys.list(std::string("demo")))
    if (!key.revoked_at) keys.revoke(key.id);
  DemoKeys out;
  out.publishable = keys.create("demo", KeyKind::publishable, origins);
  out.secret = keys.create("demo", KeyKind::secret, {});
  const int64_t store_id = *storage.read([](ReadTx& tx) { return tx.find_store("demo"); });
  catalog.upsert_products(store_id, products.value());
  return out;
}

}  // namespace stockbell::server
