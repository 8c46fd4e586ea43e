#pragma once
// `stockbell serve --demo`: a demo store with a catalog (some variants sold out), a publishable
// key for the server's own origin, and a secret key to try the API with.

#include <string>
#include <vector>

#include "server/app/catalog.hpp"
#include "server/app/keys.hpp"

namespace stockbell::server {

struct DemoKeys {
  std::string publishable;
  std::string secret;
};

/// Upserts `catalog_json` (the body of a product upsert) into the store "demo", revokes the keys
/// of earlier demo runs and creates fresh ones; the publishable key is allowed for `origins`.
/// Throws if the catalog is invalid.
DemoKeys seed_demo(KeyService& keys, CatalogService& catalog, Storage& storage,
                   const std::string& catalog_json, const std::vector<std::string>& origins);

}  // namespace stockbell::server
