#pragma once
// The catalog use cases (README "Upsert products"): upserts that notify, reading, listing and
// deleting products, and the storefront's availability check.

#include <cstdint>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/inventory.hpp"
#include "core/product.hpp"
#include "core/query.hpp"
#include "server/app/notify.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

/// What stock updates did: the products they changed (each once, in first-named order) and how
/// many requests were notified; `missing` lists the updates whose target the catalog lacks.
struct StockApplied {
  std::vector<ProductRecord> products;
  std::vector<size_t> missing;  ///< indexes into the updates
  int64_t events_triggered = 0;
};

/// Applies stock-only updates to the stored catalog and notifies (notify.hpp) in the caller's
/// transaction: titles, prices and variant lists stay as stored. With `all_or_nothing`, an
/// update whose target is missing means nothing is written; else those updates are skipped.
StockApplied apply_stock_updates(WriteTx& tx, int64_t store_id,
                                 const std::vector<StockUpdate>& updates, int64_t now,
                                 bool all_or_nothing, Mail mail);

class CatalogService {
 public:
  /// `mail`: whether notifications queue the shoppers' e-mail (`serve --smtp-url`).
  explicit CatalogService(Storage& storage, Mail mail = Mail::off)
      : storage_(storage), mail_(mail) {}

  /// Applies the batch, then notifies every waiting request whose target is now in stock, all
  /// in one transaction.
  struct UpsertOutcome {
    std::vector<ProductRecord> products;
    size_t created = 0;  ///< products that were new; the others were updated
    int64_t events_triggered = 0;
  };
  UpsertOutcome upsert_products(int64_t store_id, const ProductUpsert& upsert);

  /// `POST /api/v1/inventory`: every target must exist (else `unknown_items`, nothing
  /// changed); the stock changes and their notifications commit together.
  struct InventoryOutcome {
    std::vector<ProductRecord> products;
    int64_t events_triggered = 0;
  };
  Result<InventoryOutcome> update_inventory(int64_t store_id, const InventoryUpdate& update);

  Result<ProductRecord> get_product(int64_t store_id, const std::string& product_id);
  /// The id of the product deleted; `not_found` if there was none.
  Result<std::string> delete_product(int64_t store_id, const std::string& product_id);
  struct ProductPage {
    std::vector<ProductRecord> rows;
    int64_t total = 0;
  };
  /// A provider other than kProductProvider matches no product: the page is empty.
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
