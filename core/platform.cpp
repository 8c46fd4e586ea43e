#include "core/platform.hpp"

#include <algorithm>

#include "core/currency.hpp"
#include "core/email.hpp"
#include "core/fields.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"
#include "core/url.hpp"

namespace stockbell {
namespace {

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view platform_name(Platform platform) {
  return platform == Platform::shopify ? "shopify" : "woocommerce";
}

std::optional<Platform> parse_platform(std::string_view name) {
  if (name == "shopify") return Platform::shopify;
  if (name == "woocommerce") return Platform::woocommerce;
  return std::nullopt;
}

std::string_view platform_action_name(PlatformActionKind kind) {
  switch (kind) {
    case PlatformActionKind::ignore:
      return "none";
    case PlatformActionKind::upsert_product:
      return "product";
    case PlatformActionKind::patch_variant:
      return "variant";
    case PlatformActionKind::delete_product:
      return "delete";
    case PlatformActionKind::inventory_level:
      return "inventory_level";
    case PlatformActionKind::inventory_item:
      return "inventory_item";
    case PlatformActionKind::order:
      return "order";
    case PlatformActionKind::refund:
      return "refund";
  }
  return "none";
}

// ---- applying ----------------------------------------------------------------------------

Product apply_platform_product(const Product* stored, const PlatformAction& action) {
  ProductPatch patch = action.product;
  if (stored != nullptr && patch.variants && !action.variants_complete) {
    // The list may be cut short: keep what it does not mention.
    for (const Variant& v : stored->variants) {
      const bool listed =
          std::any_of(patch.variants->begin(), patch.variants->end(),
                      [&](const VariantPatch& p) { return p.variant_id == v.variant_id; });
      if (listed || patch.variants->size() >= kMaxVariantsPerProduct) continue;
      VariantPatch keep;
      keep.variant_id = v.variant_id;
      keep.title = v.title;
      patch.variants->push_back(std::move(keep));  // merged onto the stored variant: unchanged
    }
  }
  Product product = apply_patch(stored, patch);
  if (action.keep_variant_ids) {
    const std::vector<std::string>& keep = *action.keep_variant_ids;
    product.variants.erase(std::remove_if(product.variants.begin(), product.variants.end(),
                                          [&](const Variant& v) {
                                            return std::find(keep.begin(), keep.end(),
                                                             v.variant_id) == keep.end();
                                          }),
                           product.variants.end());
  }
  return product;
}

Product apply_variant_patch(const Product* stored, const PlatformAction& action) {
  ProductPatch patch;
  patch.product_id = action.product_id;
  patch.title = stored ? stored->title : action.placeholder_title;
  std::vector<VariantPatch> variants;
  bool found = false;
  if (stored != nullptr) {
    for (const Variant& v : stored->variants) {
      if (v.variant_id == action.variant.variant_id) {
        variants.push_back(action.variant);
        found = true;
      } else {
        VariantPatch keep;
        keep.variant_id = v.variant_id;
        keep.title = v.title;
        variants.push_back(std::move(keep));
      }
    }
  }
  if (!found && variants.size() < kMaxVariantsPerProduct) variants.push_back(action.variant);
  patch.variants = std::move(variants);
  return apply_patch(stored, patch);
}

bool remove_variant(Product& product, std::string_view variant_id) {
  const auto it = std::find_if(product.variants.begin(), product.variants.end(),
                               [&](const Variant& v) { return v.variant_id == variant_id; });
  if (it == product.variants.end()) return false;
  product.variants.erase(it);
  return true;
}

bool shopify_in_stock(bool product_active, bool tracked, bool continue_selling,
                      std::optional<int64_t> quantity) {
  if (!product_active) return false;
  if (!tracked || continue_selling) return true;
  return quantity.value_or(0) > 0;
}

void resolve_shopify_stock(
    PlatformAction& action,
    const std::function<std::optional<bool>(const std::string&)>& stored_tracked) {
  if (!action.product.variants) return;
  for (const VariantStockFacts& facts : action.stock) {
    const bool tracked =
        facts.tracked ? *facts.tracked : stored_tracked(facts.inventory_item_id).value_or(true);
    for (VariantPatch& v : *action.product.variants) {
      if (v.variant_id != facts.variant_id) continue;
      v.in_stock = Patch<bool>::of(
          shopify_in_stock(action.product_active, tracked, facts.continue_selling, facts.quantity));
      // An untracked item's count means nothing: none is kept.
      if (tracked && facts.quantity)
        v.inventory_quantity = Patch<int64_t>::of(*facts.quantity);
      else
        v.inventory_quantity = Patch<int64_t>::null_patch();
    }
  }
}

StockUpdate shopify_level_stock(const std::string& product_id, const std::string& variant_id,
                                bool product_active, bool tracked, bool continue_selling,
                                std::optional<int64_t> quantity) {
  StockUpdate update;
  update.product_id = product_id;
  update.variant_id = variant_id;
  update.in_stock =
      Patch<bool>::of(shopify_in_stock(product_active, tracked, continue_selling, quantity));
  update.inventory_quantity =
      tracked ? Patch<int64_t>::of(quantity.value_or(0)) : Patch<int64_t>::null_patch();
  return update;
}

std::string platform_outcome_json(Platform platform, std::string_view topic,
                                  std::string_view outcome, PlatformActionKind kind,
                                  int64_t events_triggered, std::string_view note) {
  Json out;
  out["success"] = true;
  out["platform"] = platform_name(platform);
  out["topic"] = topic;
  out["outcome"] = outcome;
  out["action"] = platform_action_name(kind);
  out["backInStockEventsTriggered"] = events_triggered;
  out["note"] = note.empty() ? Json(nullptr) : Json(note);
  return dump(out);
}

// ---- reading -----------------------------------------------------------------------------

PayloadReader::PayloadReader(const Json& object, std::string path, Problems& problems)
    : object_(object), path_(std::move(path)), problems_(problems) {}

const Json* PayloadReader::get(std::string_view key) const {
  return object_.is_object() ? object_.find(key) : nullptr;
}

bool PayloadReader::has(std::string_view key) const {
  return get(key) != nullptr;
}

bool PayloadReader::given(std::string_view key) const {
  const Json* value = get(key);
  return value != nullptr && !value->is_null();
}

std::optional<std::string> read_platform_id(const Json& value, const std::string& path,
                                            Problems& problems) {
  std::string text;
  if (value.is_number()) {
    if (all_digits(value.number_text())) {
      text = value.number_text();
      const size_t first = text.find_first_not_of('0');
      text = first == std::string::npos ? "" : text.substr(first);
    } else if (value.integrality() == Json::Integrality::integer && value.compare(0) >= 0) {
      text = std::to_string(*value.as_integer());  // `1.2e3`
      if (text == "0") text.clear();
    } else {
      problems.add(path, FieldCode::invalid_type, std::nullopt, "an id");
      return std::nullopt;
    }
  } else if (value.is_string()) {
    text = std::string(trim(value.as_string()));
    if (text == "0") text.clear();
  } else {
    problems.add(path, FieldCode::invalid_type, std::nullopt, "an id");
    return std::nullopt;
  }
  if (text.empty()) return std::nullopt;
  if (!check_text(text, kIdRule, path, problems)) return std::nullopt;
  return text;
}

std::optional<std::string> PayloadReader::id(std::string_view key, bool required) {
  const Json* value = get(key);
  const size_t before = problems_.size();
  std::optional<std::string> id = value == nullptr || value->is_null()
                                      ? std::nullopt
                                      : read_platform_id(*value, field(key), problems_);
  if (!id && required && problems_.size() == before) problems_.add(field(key), FieldCode::required);
  return id;
}

std::optional<std::string> PayloadReader::text(std::string_view key, const TextRule& rule,
                                               bool required) {
  const Json* value = get(key);
  if (value != nullptr && !value->is_null() && !value->is_string()) {
    problems_.add(field(key), FieldCode::invalid_type, std::nullopt, "a string");
    return std::nullopt;
  }
  const std::string_view text =
      value != nullptr && value->is_string() ? trim(value->as_string()) : std::string_view();
  if (text.empty()) {
    if (required) problems_.add(field(key), FieldCode::required);
    return std::nullopt;
  }
  if (!check_text(text, rule, field(key), problems_)) return std::nullopt;
  return std::string(text);
}

std::optional<std::string> PayloadReader::url(std::string_view key) {
  std::optional<std::string> text = this->text(key, TextRule{kMaxUrlChars}, false);
  if (text && !is_valid_http_url(*text)) {
    problems_.add(field(key), FieldCode::invalid_url);
    return std::nullopt;
  }
  return text;
}

std::optional<int64_t> PayloadReader::money(std::string_view key, std::string_view currency,
                                            bool required) {
  const Json* value = get(key);
  std::string_view text;
  if (value != nullptr && value->is_string())
    text = value->as_string();
  else if (value != nullptr && value->is_number())
    text = value->number_text();
  else if (value != nullptr && !value->is_null()) {
    problems_.add(field(key), FieldCode::invalid_type, std::nullopt, "a decimal amount");
    return std::nullopt;
  }
  if (text.empty()) {
    if (required) problems_.add(field(key), FieldCode::required);
    return std::nullopt;
  }
  const MinorUnits amount = parse_minor_units(text, currency);
  if (!amount.value) {
    problems_.add(field(key), FieldCode::invalid_amount);
    return std::nullopt;
  }
  return amount.value;
}

std::optional<int64_t> PayloadReader::integer(std::string_view key, int64_t min, int64_t max) {
  const Json* value = get(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  const std::string range = std::to_string(min) + " and " + std::to_string(max);
  if (!value->is_number()) {
    problems_.add(field(key), FieldCode::invalid_type, std::nullopt, "a whole number");
    return std::nullopt;
  }
  if (value->compare(min) < 0 || value->compare(max) > 0) {
    problems_.add(field(key), FieldCode::out_of_range, std::nullopt, range);
    return std::nullopt;
  }
  if (value->integrality() != Json::Integrality::integer) {
    problems_.add(field(key), FieldCode::not_integer);
    return std::nullopt;
  }
  return value->as_integer();
}

std::optional<bool> PayloadReader::boolean(std::string_view key) {
  const Json* value = get(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_bool()) {
    problems_.add(field(key), FieldCode::invalid_type, std::nullopt, "a boolean");
    return std::nullopt;
  }
  return value->as_bool();
}

std::optional<int64_t> PayloadReader::timestamp(std::string_view key, bool assume_utc) {
  const Json* value = get(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  std::optional<int64_t> parsed;
  if (value->is_string()) parsed = parse_timestamp(trim(value->as_string()), assume_utc);
  if (!parsed) problems_.add(field(key), FieldCode::invalid_timestamp);
  return parsed;
}

std::optional<std::string> PayloadReader::currency(std::string_view key, bool required) {
  std::optional<std::string> code = text(key, TextRule{16}, required);
  if (!code) return std::nullopt;
  std::string upper = *code;
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (!is_iso4217_currency(upper)) {
    problems_.add(field(key), FieldCode::invalid_currency);
    return std::nullopt;
  }
  return upper;
}

std::optional<std::string> PayloadReader::email(std::string_view key) {
  std::optional<std::string> text = this->text(key, TextRule{kMaxEmailLength}, false);
  if (!text) return std::nullopt;
  if (!is_valid_email(*text)) {
    problems_.add(field(key), FieldCode::invalid_email);
    return std::nullopt;
  }
  return email_identity(*text);
}

const Json* PayloadReader::object(std::string_view key) {
  const Json* value = get(key);
  if (value == nullptr || value->is_null()) return nullptr;
  if (!value->is_object()) {
    problems_.add(field(key), FieldCode::invalid_type, std::nullopt, "an object");
    return nullptr;
  }
  return value;
}

const Json* PayloadReader::array(std::string_view key) {
  const Json* value = get(key);
  if (value == nullptr || value->is_null()) return nullptr;
  if (!value->is_array()) {
    problems_.add(field(key), FieldCode::invalid_type, std::nullopt, "an array");
    return nullptr;
  }
  return value;
}

Result<Json> parse_platform_body(std::string_view body) {
  return parse_body(body);
}

}  // namespace stockbell
