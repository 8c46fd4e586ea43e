#include "server/demo.hpp"

#include <stdexcept>

#include "server/auth.hpp"

namespace stockbell::server {

DemoKeys seed_demo(Service& service, const std::string& catalog_json,
                   const std::vector<std::string>& origins) {
  Result<ProductUpsert> catalog = parse_product_upsert(catalog_json);
  if (!catalog.ok())
    throw std::runtime_error("demo catalog is invalid: " + catalog.error().message);
  DemoKeys keys;
  const int64_t store_id = service.writer().run([&](Database& db) {
    const int64_t now = now_ms();
    keys.publishable = create_key(db, "demo", KeyKind::publishable, origins, now);
    keys.secret = create_key(db, "demo", KeyKind::secret, {}, now);
    return *store::find_store(db, "demo");
  });
  service.upsert_products(store_id, catalog.value());
  return keys;
}

}  // namespace stockbell::server
