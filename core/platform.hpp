#pragma once
// Store platforms (README "Shopify and WooCommerce"): what one signed webhook delivery of
// Shopify or WooCommerce means for Stockbell, as a PlatformAction the server applies in one
// transaction. The mappers (core/shopify.hpp, core/woocommerce.hpp) read only the fields they
// map and ignore every other one (platforms add fields with every API version), but a field they
// map must be valid by the same rules as the API's own bodies: every problem is reported by its
// path in the payload (`variants[2].price`), and nothing is applied.
//
// Ids are the platform's numeric ids as decimal strings (`8412345670001`), read from the JSON
// number's text, never through a double.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/inventory.hpp"
#include "core/json.hpp"
#include "core/order.hpp"
#include "core/product.hpp"

namespace stockbell {

enum class Platform { shopify, woocommerce };
std::string_view platform_name(Platform platform);
std::optional<Platform> parse_platform(std::string_view name);

/// Shopify's REST-shaped payloads list at most 100 variants, while a product may have 2,048: a
/// list this long is not taken as complete (stored variants it misses are kept).
constexpr size_t kMaxPlatformVariantsListed = 100;

enum class PlatformActionKind {
  ignore,           ///< understood; nothing to change (`note` says why: a ping, a grouped product)
  upsert_product,   ///< `product`; its `variants`, when present, are the platform's list
  patch_variant,    ///< one variant (`variant`) of product `product_id`: WooCommerce variations
  delete_product,   ///< `resource_id`: a product, or (WooCommerce) one of its variations
  inventory_level,  ///< Shopify `inventory_levels/*`: `level`
  inventory_item,   ///< Shopify `inventory_items/*`: item `resource_id` is `tracked` or not
  order,            ///< `order`, upserted by its id
  refund,           ///< Shopify `refunds/create`: `refund` of order `resource_id`
};
std::string_view platform_action_name(PlatformActionKind kind);

/// What decides a Shopify variant's stock, kept per inventory item so a later
/// `inventory_levels/update` (which names only the item) can be applied.
struct VariantStockFacts {
  std::string variant_id;
  std::string inventory_item_id;
  bool continue_selling = false;    ///< `inventory_policy: "continue"`
  std::optional<bool> tracked;      ///< none: the payload does not say (API 2024-07 and later)
  std::optional<int64_t> quantity;  ///< `inventory_quantity`
};

/// Which variant a platform item stands for: a Shopify inventory item (`inventory_item_id`), a
/// WooCommerce variation (its id). Kept from product payloads; one item may serve several
/// variants.
struct ItemLink {
  std::string item_id;
  std::string product_id;
  std::string variant_id;
  bool continue_selling = false;
};

/// One inventory level: an item at a location.
struct InventoryLevel {
  std::string inventory_item_id;
  std::string location_id;
  std::optional<int64_t> available;  ///< null: the item is not tracked
  bool disconnected = false;         ///< `inventory_levels/disconnect`: the location is gone
  std::optional<int64_t> updated_at;
};

struct PlatformAction {
  PlatformActionKind kind = PlatformActionKind::ignore;
  std::string note;         ///< why a delivery is ignored
  std::string resource_id;  ///< the platform's id of what the delivery is about
  /// The resource's own modification time: a delivery older than the last one applied to the
  /// same resource is stale and skipped (deliveries arrive out of order).
  std::optional<int64_t> updated_at;

  // upsert_product
  ProductPatch product;
  bool product_active = true;     ///< Shopify draft/archived, WooCommerce not published: false
  bool variants_complete = true;  ///< false: stored variants missing from the list are kept
  /// WooCommerce variable products list only their variations' ids: stored variants not among
  /// them are removed, the others kept as stored.
  std::optional<std::vector<std::string>> keep_variant_ids;
  std::vector<VariantStockFacts> stock;  ///< Shopify: per variant

  // patch_variant
  std::string product_id;
  std::string placeholder_title;  ///< the product's title if the variation arrives first
  VariantPatch variant;

  InventoryLevel level;         // inventory_level
  std::optional<bool> tracked;  // inventory_item
  Order order;                  // order
  OrderRefund refund;           // refund
};

// ---- applying an action onto the stored catalog (the server's transaction calls these) ---------

/// The product after an upsert_product action (nullptr: not stored yet). Like an API upsert, with
/// the platform's completeness rules: `variants_complete` false keeps stored variants the list
/// misses, `keep_variant_ids` keeps stored variants (removing those not listed).
Product apply_platform_product(const Product* stored, const PlatformAction& action);
/// The product after a patch_variant action: that one variant is merged or added, the others
/// stay. A product not stored yet is created with `placeholder_title`.
Product apply_variant_patch(const Product* stored, const PlatformAction& action);
/// Removes variant `variant_id`; false if the product has none.
bool remove_variant(Product& product, std::string_view variant_id);

/// A Shopify variant's stock: a draft or archived product is out of stock; an untracked item is
/// in stock; "continue selling when out of stock" is in stock at any quantity; else quantity > 0.
bool shopify_in_stock(bool product_active, bool tracked, bool continue_selling,
                      std::optional<int64_t> quantity);
/// Fills each variant's `inStock` and `inventoryQuantity` of an upsert_product action from its
/// stock facts. `stored_tracked(item)` is what Stockbell learnt earlier about an item whose
/// payload does not say (absent `inventory_management` is not "untracked"); unknown: tracked.
/// Calling it again with better knowledge recomputes from the same facts.
void resolve_shopify_stock(
    PlatformAction& action,
    const std::function<std::optional<bool>(const std::string&)>& stored_tracked);
/// The stock update of one variant after its item changed: `quantity` is the sum of its known
/// levels (none known: 0); an untracked item keeps no quantity.
StockUpdate shopify_level_stock(const std::string& product_id, const std::string& variant_id,
                                bool product_active, bool tracked, bool continue_selling,
                                std::optional<int64_t> quantity);

/// The outcome a delivery is answered (and remembered) with:
/// `{"success":true,"platform","topic","outcome","action","backInStockEventsTriggered","note"}`
/// with `outcome` one of applied, ignored, stale, replayed.
std::string platform_outcome_json(Platform platform, std::string_view topic,
                                  std::string_view outcome, PlatformActionKind kind,
                                  int64_t events_triggered, std::string_view note);

// ---- reading platform payloads (shared by the two mappers) ----------------------------------

/// Reads mapped fields of one payload object at `path`, reporting problems by path; unmapped
/// fields are ignored.
class PayloadReader {
 public:
  PayloadReader(const Json& object, std::string path, Problems& problems);

  bool has(std::string_view key) const;
  /// Present and not null.
  bool given(std::string_view key) const;
  const Json* get(std::string_view key) const;
  std::string field(std::string_view key) const { return join_path(path_, key); }
  Problems& problems() { return problems_; }

  /// A platform id: a non-negative whole number (its digits) or a non-empty string.
  /// `0` counts as absent (WooCommerce's "no variation"). Missing with `required` → required.
  std::optional<std::string> id(std::string_view key, bool required);
  /// Text: trimmed; empty and null count as absent.
  std::optional<std::string> text(std::string_view key, const TextRule& rule, bool required);
  /// An absolute http(s) URL; empty counts as absent.
  std::optional<std::string> url(std::string_view key);
  /// A decimal amount (string, or a number's exact text) in minor units of `currency`;
  /// `""` and null count as absent.
  std::optional<int64_t> money(std::string_view key, std::string_view currency, bool required);
  std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max);
  std::optional<bool> boolean(std::string_view key);
  /// An RFC 3339 time (core/timestamp.hpp); `assume_utc` for WooCommerce's `*_gmt` fields.
  std::optional<int64_t> timestamp(std::string_view key, bool assume_utc = false);
  /// A currency code (ISO 4217, upper case).
  std::optional<std::string> currency(std::string_view key, bool required);
  /// The e-mail's identity, or none for "" and null.
  std::optional<std::string> email(std::string_view key);
  /// An object or array member; a wrong type is reported, null and missing are nullptr.
  const Json* object(std::string_view key);
  const Json* array(std::string_view key);

 private:
  const Json& object_;
  std::string path_;
  Problems& problems_;
};

/// A platform id value at `path`: a non-negative whole number (its digits) or a non-empty
/// string; `0` and `""` are nullopt without a problem (WooCommerce writes 0 for "none").
std::optional<std::string> read_platform_id(const Json& value, const std::string& path,
                                            Problems& problems);

/// The body as a JSON document, or the invalid_json error.
Result<Json> parse_platform_body(std::string_view body);

}  // namespace stockbell
