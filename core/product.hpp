#pragma once
// The catalog (README "Upsert products"): the product upsert body, the merge of a partial update onto a stored
// product, effective stock and price, and which back-in-stock targets a product has in stock.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/fields.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"

namespace stockbell {

struct VariantOption {
  std::string name;   ///< "Size"
  std::string value;  ///< "M"
  bool operator==(const VariantOption& o) const { return name == o.name && value == o.value; }
};

/// A stored variant: only what the store sent (derived values are computed, never stored).
struct Variant {
  std::string variant_id;
  std::string title;
  std::optional<std::string> sku;
  std::optional<int64_t> price_cents;
  std::optional<int64_t> compare_at_price_cents;
  std::optional<std::string> image_url;
  std::optional<bool> in_stock;
  std::optional<int64_t> inventory_quantity;
  std::vector<VariantOption> options;
};

/// Where a product comes from, as Sequenzy names it (`GET /api/v1/products?provider=`): every
/// product Stockbell holds was pushed through this API, so its provider is `api`.
constexpr std::string_view kProductProvider = "api";

/// A stored product: only what the store sent.
struct Product {
  std::string product_id;
  std::string title;
  std::optional<std::string> description;
  std::optional<std::string> image_url;
  std::optional<std::string> url;
  std::optional<int64_t> price_cents;
  std::optional<int64_t> compare_at_price_cents;
  std::optional<std::string> currency;
  std::optional<bool> in_stock;
  std::optional<int64_t> provider_created_at;  ///< `providerCreatedAt`: Unix ms, as sent
  std::vector<Variant> variants;
};

/// One variant of an upsert. Omitted fields keep the stored variant's values.
struct VariantPatch {
  std::string variant_id;
  std::string title;
  Patch<std::string> sku;
  Patch<int64_t> price_cents;
  Patch<int64_t> compare_at_price_cents;
  Patch<std::string> image_url;
  Patch<bool> in_stock;
  Patch<int64_t> inventory_quantity;
  Patch<std::vector<VariantOption>> options;
};

/// One product of an upsert. `variants`, when present, is the complete new list of variants.
struct ProductPatch {
  std::string product_id;
  std::string title;
  Patch<std::string> description;
  Patch<std::string> image_url;
  Patch<std::string> url;
  Patch<int64_t> price_cents;
  Patch<int64_t> compare_at_price_cents;
  Patch<std::string> currency;
  Patch<bool> in_stock;
  Patch<int64_t> provider_created_at;  ///< ISO 8601 in the body, Unix ms here
  std::optional<std::vector<VariantPatch>> variants;
};

struct ProductUpsert {
  std::vector<ProductPatch> products;  ///< 1..100, distinct product ids
};

/// Parses and validates `{"products": [...]}`. Any invalid item fails the whole batch, with every
/// problem listed (`products[3].variants[0].variantId`).
Result<ProductUpsert> parse_product_upsert(std::string_view body);
Result<ProductUpsert> read_product_upsert(const Json& document);

/// The normalised upsert as JSON: omitted fields stay omitted, explicit nulls stay null.
Json product_upsert_json(const ProductUpsert& upsert);

/// `{"ok":true,"upsert":{...}}` or `{"ok":false,"status":400,"error":{...}}` (see back_in_stock.hpp).
/// `language`: as for validate_back_in_stock_json.
std::string validate_product_upsert_json(std::string_view body, std::string_view language = {});

/// Applies a patch onto the stored product (nullptr: a new product). Omitted fields keep their
/// stored values, null clears them. When the patch has `variants`, the stored list is replaced:
/// variants not listed are removed, and each listed variant is merged field by field onto the
/// stored variant with the same id (so a stock-only push keeps a variant's price and image).
Product apply_patch(const Product* stored, const ProductPatch& patch);

/// Effective stock of a variant: explicit `inStock`; else `inventoryQuantity > 0` when known;
/// else in stock.
bool variant_in_stock(const Variant& variant);
/// Effective stock of a product: explicit `inStock`; else any variant in stock when it has
/// variants; else in stock.
bool product_in_stock(const Product& product);
/// `priceCents`, else the lowest variant price, else none.
std::optional<int64_t> effective_price_cents(const Product& product);

const Variant* find_variant(const Product& product, std::string_view variant_id);

/// What a back-in-stock request for (product, variant_id) waits on: the variant `variant_id`, or
/// the product itself when `variant_id == product_id` and no such variant exists. A variant id
/// the product does not have is an unknown target (not in stock).
struct TargetState {
  bool known = false;
  bool in_stock = false;
  const Variant* variant = nullptr;  ///< the target variant, if the target is a variant
};
TargetState resolve_target(const Product& product, std::string_view variant_id);

/// Storage form: compact JSON of what the store sent. `product_from_storage` never fails on what
/// `product_to_storage` wrote; anything else gives nullopt.
std::string product_to_storage(const Product& product);
std::optional<Product> product_from_storage(std::string_view text);

/// A stored product with its row id and times (Unix milliseconds).
struct ProductRecord {
  int64_t id = 0;  ///< `prod_...`
  Product product;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

/// The API form of a stored product (responses and `GET /api/v1/products`), with effective
/// `priceCents` and `inStock`; keys in a fixed order.
Json product_api_json(const ProductRecord& record, const IdCodec& ids);

}  // namespace stockbell
