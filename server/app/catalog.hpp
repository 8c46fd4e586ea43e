#pragma once
// The catalog use cases (README "Upsert products"): upserts that notify, reading, listing and
// deleting products, and the storefront's availability check.

#include <cstdint>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/product.hpp"
#include "core/query.hpp"
#include "server/app/notify.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

class CatalogService {
 public:
  /// `mail`: whether notifications queue the shoppers' e-mail (`serve --smtp-url`).
  explicit CatalogService(Storage& storage, Mail mail = Mail::off)
      : storage_(storage), mail_(mail) {}

  /// Applies the batch, then notifies every waiting request whose target is now in stock, all
  /// in one transaction.
  struct UpsertOutcome {
    std::vector<ProductRecord> products;
    int64_t events_triggered = 0;
  };
  UpsertOutcome upsert_products(int64_t store_id, const ProductUpsert& upsert);

  Result<ProductRecord> get_product(int64_t store_id, const std::string& product_id);
  /// The id of the product deleted; `not_found` if there was none.
  Result<std::string> delete_product(int64_t store_id, const std::string& product_id);
  struct ProductPage {
    std::vector<ProductRecord> rows;
    int64_t total = 0;
  };
  ProductPage list_products(int64_t store_id, const ProductListQuery& query);

  struct Availability {
    bool in_stock = false;
    bool known = false;
  };
  Availability availability(int64_t store_id, const AvailabilityQuery& query);

 private:
  Storage& storage_;
  Mail mail_;
};

}  // namespace stockbell::server
