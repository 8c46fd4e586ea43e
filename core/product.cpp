#include "core/product.hpp"

#include <algorithm>
#include <set>
#include <type_traits>

#include "core/timestamp.hpp"

namespace stockbell {
namespace {

constexpr TextRule kSkuRule{kMaxSkuChars};
constexpr TextRule kOptionRule{kMaxOptionChars};
constexpr TextRule kDescriptionRule{kMaxDescriptionChars, true};

// `options`: omitted keeps, null clears, else an array of {name, value}.
Patch<std::vector<VariantOption>> read_options(ObjectReader& parent) {
  const Json* value = parent.member("options");
  if (value == nullptr) return {};
  if (value->is_null()) return Patch<std::vector<VariantOption>>::null_patch();
  const std::string path = parent.field("options");
  Problems& problems = parent.problems();
  if (!value->is_array()) {
    problems.add(path, FieldCode::invalid_type, std::nullopt, "an array or null");
    return {};
  }
  if (value->size() > kMaxOptionsPerVariant) {
    problems.add(path, FieldCode::too_many_items, static_cast<int64_t>(kMaxOptionsPerVariant));
    return {};
  }
  std::vector<VariantOption> options;
  const size_t before = problems.size();
  for (size_t i = 0; i < value->size(); ++i) {
    const std::string item_path = index_path(path, i);
    if (!expect_object((*value)[i], item_path, problems)) continue;
    ObjectReader item((*value)[i], item_path, problems);
    std::optional<std::string> name = item.required_text("name", kOptionRule);
    std::optional<std::string> option_value = item.required_text("value", kOptionRule);
    item.reject_unknown();
    if (name && option_value) options.push_back({std::move(*name), std::move(*option_value)});
  }
  if (problems.size() != before) return {};
  return Patch<std::vector<VariantOption>>::of(std::move(options));
}

std::optional<VariantPatch> read_variant(const Json& value, const std::string& path,
                                         Problems& problems) {
  if (!expect_object(value, path, problems)) return std::nullopt;
  const size_t before = problems.size();
  ObjectReader reader(value, path, problems);
  VariantPatch v;
  std::optional<std::string> id = reader.required_text("variantId", kIdRule);
  std::optional<std::string> title = reader.required_text("title", kTitleRule);
  v.sku = reader.patch_text("sku", kSkuRule);
  v.price_cents = reader.patch_integer("priceCents", 0, kMaxSafeInteger);
  v.compare_at_price_cents = reader.patch_integer("compareAtPriceCents", 0, kMaxSafeInteger);
  v.image_url = reader.patch_url("imageUrl");
  v.in_stock = reader.patch_bool("inStock");
  v.inventory_quantity = reader.patch_integer("inventoryQuantity", -kMaxSafeInteger, kMaxSafeInteger);
  v.options = read_options(reader);
  reader.reject_unknown();
  if (problems.size() != before || !id || !title) return std::nullopt;
  v.variant_id = std::move(*id);
  v.title = std::move(*title);
  return v;
}

std::optional<ProductPatch> read_product(const Json& value, const std::string& path,
                                         Problems& problems) {
  if (!expect_object(value, path, problems)) return std::nullopt;
  const size_t before = problems.size();
  ObjectReader reader(value, path, problems);
  ProductPatch p;
  std::optional<std::string> id = reader.required_text("productId", kIdRule);
  std::optional<std::string> title = reader.required_text("title", kTitleRule);
  p.description = reader.patch_text("description", kDescriptionRule);
  p.image_url = reader.patch_url("imageUrl");
  p.url = reader.patch_url("url");
  p.price_cents = reader.patch_integer("priceCents", 0, kMaxSafeInteger);
  p.compare_at_price_cents = reader.patch_integer("compareAtPriceCents", 0, kMaxSafeInteger);
  p.currency = reader.patch_currency("currency");
  p.in_stock = reader.patch_bool("inStock");
  p.provider_created_at = reader.patch_timestamp("providerCreatedAt");
  if (const Json* variants = reader.member("variants")) {
    const std::string variants_path = reader.field("variants");
    if (variants->is_null()) {
      // `null` clears like every other optional field: no variants.
      p.variants.emplace();
    } else if (!variants->is_array()) {
      problems.add(variants_path, FieldCode::invalid_type, std::nullopt, "an array or null");
    } else if (variants->size() > kMaxVariantsPerProduct) {
      problems.add(variants_path, FieldCode::too_many_items,
                   static_cast<int64_t>(kMaxVariantsPerProduct));
    } else {
      std::vector<VariantPatch> list;
      std::set<std::string> seen;
      for (size_t i = 0; i < variants->size(); ++i) {
        const std::string item_path = index_path(variants_path, i);
        std::optional<VariantPatch> v = read_variant((*variants)[i], item_path, problems);
        if (!v) continue;
        if (!seen.insert(v->variant_id).second) {
          problems.add(join_path(item_path, "variantId"), FieldCode::duplicate_id);
          continue;
        }
        list.push_back(std::move(*v));
      }
      p.variants = std::move(list);
    }
  }
  reader.reject_unknown();
  if (problems.size() != before || !id || !title) return std::nullopt;
  p.product_id = std::move(*id);
  p.title = std::move(*title);
  return p;
}

template <class T>
void put_patch(Json& out, const char* key, const Patch<T>& patch) {
  if (patch.is_null()) out[key] = nullptr;
  if (patch.has_value()) out[key] = patch.value;
}

Json options_json(const std::vector<VariantOption>& options) {
  Json list = Json::array();
  for (const VariantOption& o : options) {
    Json item;
    item["name"] = o.name;
    item["value"] = o.value;
    list.push_back(std::move(item));
  }
  return list;
}

void put_options_patch(Json& out, const Patch<std::vector<VariantOption>>& patch) {
  if (patch.is_null()) out["options"] = nullptr;
  if (patch.has_value()) out["options"] = options_json(patch.value);
}

template <class T>
void put_optional(Json& out, const char* key, const std::optional<T>& value) {
  if (value) out[key] = *value;
}

template <class T>
void put_nullable(Json& out, const char* key, const std::optional<T>& value) {
  out[key] = value ? Json(*value) : Json(nullptr);
}

Variant apply_variant_patch(const Variant* stored, const VariantPatch& patch) {
  Variant v = stored ? *stored : Variant{};
  v.variant_id = patch.variant_id;
  v.title = patch.title;
  patch.sku.apply_to(v.sku);
  patch.price_cents.apply_to(v.price_cents);
  patch.compare_at_price_cents.apply_to(v.compare_at_price_cents);
  patch.image_url.apply_to(v.image_url);
  patch.in_stock.apply_to(v.in_stock);
  patch.inventory_quantity.apply_to(v.inventory_quantity);
  if (patch.options.is_null()) v.options.clear();
  if (patch.options.has_value()) v.options = patch.options.value;
  return v;
}

// Storage reading helpers: input written by product_to_storage. A number or boolean member of
// another type gives false (never an exception: this also runs without exception support).
bool get_optional(const Json& object, const char* key, std::optional<bool>& out) {
  const Json* value = object.find(key);
  if (value == nullptr || value->is_null()) return true;
  if (!value->is_bool()) return false;
  out = value->as_bool();
  return true;
}

bool get_optional(const Json& object, const char* key, std::optional<int64_t>& out) {
  const Json* value = object.find(key);
  if (value == nullptr || value->is_null()) return true;
  if (!value->is_number() || !value->as_integer()) return false;
  out = value->as_integer();
  return true;
}

std::optional<std::string> get_text(const Json& object, const char* key) {
  const Json* value = object.find(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return value->as_string();
}

}  // namespace

Result<ProductUpsert> read_product_upsert(const Json& document) {
  Problems problems;
  if (!expect_object(document, "", problems)) return validation_error(problems);
  ObjectReader reader(document, "", problems);
  ProductUpsert upsert;
  const Json* products = reader.member("products");
  if (products == nullptr || products->is_null()) {
    problems.add("products", FieldCode::required);
  } else if (!products->is_array()) {
    problems.add("products", FieldCode::invalid_type, std::nullopt, "an array");
  } else if (products->empty()) {
    problems.add("products", FieldCode::too_few_items);
  } else if (products->size() > kMaxProductsPerUpsert) {
    problems.add("products", FieldCode::too_many_items,
                 static_cast<int64_t>(kMaxProductsPerUpsert));
  } else {
    std::set<std::string> seen;
    for (size_t i = 0; i < products->size(); ++i) {
      const std::string path = index_path("products", i);
      std::optional<ProductPatch> p = read_product((*products)[i], path, problems);
      if (!p) continue;
      if (!seen.insert(p->product_id).second) {
        problems.add(join_path(path, "productId"), FieldCode::duplicate_id);
        continue;
      }
      upsert.products.push_back(std::move(*p));
    }
  }
  reader.reject_unknown();
  if (!problems.empty()) return validation_error(problems);
  return upsert;
}

Result<ProductUpsert> parse_product_upsert(std::string_view body) {
  Result<Json> document = parse_body(body);
  if (!document.ok()) return document.error();
  return read_product_upsert(document.value());
}

Json product_upsert_json(const ProductUpsert& upsert) {
  Json products = Json::array();
  for (const ProductPatch& p : upsert.products) {
    Json out;
    out["productId"] = p.product_id;
    out["title"] = p.title;
    put_patch(out, "description", p.description);
    put_patch(out, "imageUrl", p.image_url);
    put_patch(out, "url", p.url);
    put_patch(out, "priceCents", p.price_cents);
    put_patch(out, "compareAtPriceCents", p.compare_at_price_cents);
    put_patch(out, "currency", p.currency);
    put_patch(out, "inStock", p.in_stock);
    if (p.provider_created_at.is_null()) out["providerCreatedAt"] = nullptr;
    if (p.provider_created_at.has_value())
      out["providerCreatedAt"] = format_timestamp(p.provider_created_at.value);
    if (p.variants) {
      Json variants = Json::array();
      for (const VariantPatch& v : *p.variants) {
        Json vj;
        vj["variantId"] = v.variant_id;
        vj["title"] = v.title;
        put_patch(vj, "sku", v.sku);
        put_patch(vj, "priceCents", v.price_cents);
        put_patch(vj, "compareAtPriceCents", v.compare_at_price_cents);
        put_patch(vj, "imageUrl", v.image_url);
        put_patch(vj, "inStock", v.in_stock);
        put_patch(vj, "inventoryQuantity", v.inventory_quantity);
        put_options_patch(vj, v.options);
        variants.push_back(std::move(vj));
      }
      out["variants"] = std::move(variants);
    }
    products.push_back(std::move(out));
  }
  Json out;
  out["products"] = std::move(products);
  return out;
}

std::string validate_product_upsert_json(std::string_view body, std::string_view language) {
  Result<ProductUpsert> result = parse_product_upsert(body);
  if (!result.ok() && !language.empty()) {
    ApiError error = result.error();
    MessageTable::from_json(language).reword(error);
    result = Result<ProductUpsert>(std::move(error));
  }
  return validation_outcome_json(result, product_upsert_json, "upsert");
}

Product apply_patch(const Product* stored, const ProductPatch& patch) {
  Product p = stored ? *stored : Product{};
  p.product_id = patch.product_id;
  p.title = patch.title;
  patch.description.apply_to(p.description);
  patch.image_url.apply_to(p.image_url);
  patch.url.apply_to(p.url);
  patch.price_cents.apply_to(p.price_cents);
  patch.compare_at_price_cents.apply_to(p.compare_at_price_cents);
  patch.currency.apply_to(p.currency);
  patch.in_stock.apply_to(p.in_stock);
  patch.provider_created_at.apply_to(p.provider_created_at);
  if (patch.variants) {
    std::vector<Variant> variants;
    variants.reserve(patch.variants->size());
    for (const VariantPatch& vp : *patch.variants)
      variants.push_back(apply_variant_patch(stored ? find_variant(*stored, vp.variant_id) : nullptr, vp));
    p.variants = std::move(variants);
  }
  return p;
}

bool variant_in_stock(const Variant& variant) {
  if (variant.in_stock) return *variant.in_stock;
  if (variant.inventory_quantity) return *variant.inventory_quantity > 0;
  return true;
}

bool product_in_stock(const Product& product) {
  if (product.in_stock) return *product.in_stock;
  if (!product.variants.empty())
    return std::any_of(product.variants.begin(), product.variants.end(), variant_in_stock);
  return true;
}

std::optional<int64_t> effective_price_cents(const Product& product) {
  if (product.price_cents) return product.price_cents;
  std::optional<int64_t> lowest;
  for (const Variant& v : product.variants)
    if (v.price_cents && (!lowest || *v.price_cents < *lowest)) lowest = v.price_cents;
  return lowest;
}

const Variant* find_variant(const Product& product, std::string_view variant_id) {
  for (const Variant& v : product.variants)
    if (v.variant_id == variant_id) return &v;
  return nullptr;
}

TargetState resolve_target(const Product& product, std::string_view variant_id) {
  if (const Variant* v = find_variant(product, variant_id)) return {true, variant_in_stock(*v), v};
  if (variant_id == product.product_id) return {true, product_in_stock(product), nullptr};
  return {};
}

std::string product_to_storage(const Product& product) {
  Json out;
  out["productId"] = product.product_id;
  out["title"] = product.title;
  put_optional(out, "description", product.description);
  put_optional(out, "imageUrl", product.image_url);
  put_optional(out, "url", product.url);
  put_optional(out, "priceCents", product.price_cents);
  put_optional(out, "compareAtPriceCents", product.compare_at_price_cents);
  put_optional(out, "currency", product.currency);
  put_optional(out, "inStock", product.in_stock);
  put_optional(out, "providerCreatedAt", product.provider_created_at);
  Json variants = Json::array();
  for (const Variant& v : product.variants) {
    Json vj;
    vj["variantId"] = v.variant_id;
    vj["title"] = v.title;
    put_optional(vj, "sku", v.sku);
    put_optional(vj, "priceCents", v.price_cents);
    put_optional(vj, "compareAtPriceCents", v.compare_at_price_cents);
    put_optional(vj, "imageUrl", v.image_url);
    put_optional(vj, "inStock", v.in_stock);
    put_optional(vj, "inventoryQuantity", v.inventory_quantity);
    if (!v.options.empty()) vj["options"] = options_json(v.options);
    variants.push_back(std::move(vj));
  }
  out["variants"] = std::move(variants);
  return dump(out);
}

std::optional<Product> product_from_storage(std::string_view text) {
  JsonParseFailure failure;
  std::optional<Json> doc = parse_json(text, failure);
  if (!doc || !doc->is_object()) return std::nullopt;
  std::optional<std::string> id = get_text(*doc, "productId");
  std::optional<std::string> title = get_text(*doc, "title");
  if (!id || !title) return std::nullopt;
  Product p;
  p.product_id = std::move(*id);
  p.title = std::move(*title);
  p.description = get_text(*doc, "description");
  p.image_url = get_text(*doc, "imageUrl");
  p.url = get_text(*doc, "url");
  p.currency = get_text(*doc, "currency");
  if (!get_optional(*doc, "priceCents", p.price_cents) ||
      !get_optional(*doc, "compareAtPriceCents", p.compare_at_price_cents) ||
      !get_optional(*doc, "inStock", p.in_stock) ||
      !get_optional(*doc, "providerCreatedAt", p.provider_created_at))
    return std::nullopt;
  const Json* variants = doc->find("variants");
  if (variants != nullptr && variants->is_array()) {
    for (const Json& vj : variants->items()) {
      std::optional<std::string> vid = get_text(vj, "variantId");
      std::optional<std::string> vtitle = get_text(vj, "title");
      if (!vid || !vtitle) return std::nullopt;
      Variant v;
      v.variant_id = std::move(*vid);
      v.title = std::move(*vtitle);
      v.sku = get_text(vj, "sku");
      v.image_url = get_text(vj, "imageUrl");
      if (!get_optional(vj, "priceCents", v.price_cents) ||
          !get_optional(vj, "compareAtPriceCents", v.compare_at_price_cents) ||
          !get_optional(vj, "inStock", v.in_stock) ||
          !get_optional(vj, "inventoryQuantity", v.inventory_quantity))
        return std::nullopt;
      const Json* options = vj.find("options");
      if (options != nullptr && options->is_array())
        for (const Json& o : options->items())
          v.options.push_back({get_text(o, "name").value_or(""), get_text(o, "value").value_or("")});
      p.variants.push_back(std::move(v));
    }
  }
  return p;
}

Json product_api_json(const ProductRecord& record, const IdCodec& ids) {
  const Product& product = record.product;
  Json out;
  out["id"] = ids.format(IdKind::product, record.id);
  out["productId"] = product.product_id;
  out["provider"] = kProductProvider;
  out["title"] = product.title;
  put_nullable(out, "description", product.description);
  put_nullable(out, "imageUrl", product.image_url);
  put_nullable(out, "url", product.url);
  put_nullable(out, "priceCents", effective_price_cents(product));
  put_nullable(out, "compareAtPriceCents", product.compare_at_price_cents);
  put_nullable(out, "currency", product.currency);
  out["inStock"] = product_in_stock(product);
  Json variants = Json::array();
  for (const Variant& v : product.variants) {
    Json vj;
    vj["variantId"] = v.variant_id;
    vj["title"] = v.title;
    put_nullable(vj, "sku", v.sku);
    put_nullable(vj, "priceCents", v.price_cents);
    put_nullable(vj, "compareAtPriceCents", v.compare_at_price_cents);
    put_nullable(vj, "imageUrl", v.image_url);
    vj["inStock"] = variant_in_stock(v);
    put_nullable(vj, "inventoryQuantity", v.inventory_quantity);
    vj["options"] = options_json(v.options);
    variants.push_back(std::move(vj));
  }
  out["variants"] = std::move(variants);
  out["providerCreatedAt"] = product.provider_created_at
                                 ? Json(format_timestamp(*product.provider_created_at))
                                 : Json(nullptr);
  out["createdAt"] = format_timestamp(record.created_at);
  out["updatedAt"] = format_timestamp(record.updated_at);
  return out;
}

}  // namespace stockbell
