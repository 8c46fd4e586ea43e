#include "core/shopify.hpp"

#include <algorithm>
#include <utility>

#include "core/fields.hpp"
#include "core/text.hpp"

namespace stockbell {
namespace {

constexpr TextRule kSkuRule{kMaxSkuChars};
constexpr TextRule kOptionRule{kMaxOptionChars};
constexpr TextRule kShortText{255};

constexpr std::string_view kProductTopics[] = {"products/create", "products/update"};
constexpr std::string_view kOrderTopics[] = {"orders/create",
                                             "orders/updated",
                                             "orders/cancelled",
                                             "orders/fulfilled",
                                             "orders/partially_fulfilled",
                                             "orders/paid",
                                             "orders/edited"};
constexpr std::string_view kLevelTopics[] = {"inventory_levels/update", "inventory_levels/connect"};
constexpr std::string_view kItemTopics[] = {"inventory_items/create", "inventory_items/update"};

template <size_t N>
bool one_of(std::string_view topic, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), topic) != std::end(list);
}

// Product prices are in the shop's currency, which product payloads do not carry.
std::string price_currency(const ShopifyContext& context) {
  return context.currency.value_or("");
}

PlatformAction map_product(const Json& payload, const ShopifyContext& context, Problems& problems) {
  PlatformAction action;
  action.kind = PlatformActionKind::upsert_product;
  PayloadReader r(payload, "", problems);
  std::optional<std::string> id = r.id("id", true);
  std::optional<std::string> title = r.text("title", kTitleRule, true);
  action.updated_at = r.timestamp("updated_at");
  const std::optional<std::string> status = r.text("status", kShortText, false);
  action.product_active = status != "draft" && status != "archived";
  ProductPatch& p = action.product;
  p.in_stock = action.product_active ? Patch<bool>::null_patch() : Patch<bool>::of(false);
  if (context.currency) p.currency = Patch<std::string>::of(*context.currency);
  if (std::optional<std::string> handle = r.text("handle", kShortText, false);
      handle && !context.shop_domain.empty())
    p.url = Patch<std::string>::of("https://" + context.shop_domain + "/products/" + *handle);

  // Images: the featured one for the product, and by id for variants.
  std::vector<std::pair<std::string, std::string>> images;  // id → src
  if (const Json* list = r.array("images")) {
    for (size_t i = 0; i < list->size(); ++i) {
      if (!expect_object((*list)[i], index_path(r.field("images"), i), problems)) continue;
      PayloadReader image((*list)[i], index_path(r.field("images"), i), problems);
      std::optional<std::string> image_id = image.id("id", false);
      std::optional<std::string> src = image.url("src");
      if (image_id && src) images.emplace_back(*image_id, *src);
    }
  }
  std::optional<std::string> featured;
  if (const Json* image = r.object("image"))
    featured = PayloadReader(*image, "image", problems).url("src");
  if (!featured && !images.empty()) featured = images.front().second;
  p.image_url = featured ? Patch<std::string>::of(*featured) : Patch<std::string>::null_patch();

  std::vector<std::string> option_names;
  if (const Json* options = r.array("options")) {
    for (size_t i = 0; i < options->size(); ++i) {
      if (!(*options)[i].is_object()) continue;
      PayloadReader option((*options)[i], index_path("options", i), problems);
      option_names.push_back(option.text("name", kOptionRule, false).value_or(""));
    }
  }

  if (const Json* variants = r.array("variants")) {
    if (variants->size() > kMaxVariantsPerProduct) {
      problems.add("variants", FieldCode::too_many_items,
                   static_cast<int64_t>(kMaxVariantsPerProduct));
    } else {
      std::vector<VariantPatch> list;
      action.variants_complete = variants->size() < kMaxPlatformVariantsListed;
      for (size_t i = 0; i < variants->size(); ++i) {
        const std::string path = index_path("variants", i);
        if (!expect_object((*variants)[i], path, problems)) continue;
        PayloadReader v((*variants)[i], path, problems);
        VariantPatch vp;
        VariantStockFacts facts;
        std::optional<std::string> variant_id = v.id("id", true);
        std::optional<std::string> variant_title = v.text("title", kTitleRule, false);
        const bool default_variant = variant_title == "Default Title";
        std::optional<int64_t> price = v.money("price", price_currency(context), false);
        std::optional<int64_t> compare =
            v.money("compare_at_price", price_currency(context), false);
        vp.price_cents = price ? Patch<int64_t>::of(*price) : Patch<int64_t>::null_patch();
        // "0.00" or a compare-at price not above the price is no sale.
        vp.compare_at_price_cents = compare && price && *compare > *price
                                        ? Patch<int64_t>::of(*compare)
                                        : Patch<int64_t>::null_patch();
        std::optional<std::string> sku = v.text("sku", kSkuRule, false);
        vp.sku = sku ? Patch<std::string>::of(*sku) : Patch<std::string>::null_patch();
        std::optional<std::string> image_id = v.id("image_id", false);
        std::optional<std::string> image;
        for (const auto& [known_id, src] : images)
          if (image_id && known_id == *image_id) image = src;
        vp.image_url = image ? Patch<std::string>::of(*image) : Patch<std::string>::null_patch();
        std::vector<VariantOption> options;
        for (size_t k = 0; k < 3 && !default_variant; ++k) {
          const std::string key = "option" + std::to_string(k + 1);
          std::optional<std::string> value = v.text(key, kOptionRule, false);
          const std::string name = k < option_names.size() && !option_names[k].empty()
                                       ? option_names[k]
                                       : "Option " + std::to_string(k + 1);
          if (value) options.push_back({name, *value});
        }
        vp.options = Patch<std::vector<VariantOption>>::of(std::move(options));
        std::optional<std::string> item = v.id("inventory_item_id", false);
        facts.continue_selling = v.text("inventory_policy", kShortText, false) == "continue";
        // `inventory_management`: "shopify" (or a fulfilment service) tracks stock, null does
        // not; absent (API 2024-07 and later) says nothing.
        if (v.has("inventory_management")) facts.tracked = v.given("inventory_management");
        facts.quantity = v.integer("inventory_quantity", -kMaxSafeInteger, kMaxSafeInteger);
        if (!variant_id) continue;
        vp.variant_id = *variant_id;
        vp.title = default_variant || !variant_title ? title.value_or(*variant_id) : *variant_title;
        facts.variant_id = *variant_id;
        facts.inventory_item_id = item.value_or("");
        action.stock.push_back(std::move(facts));
        list.push_back(std::move(vp));
      }
      p.variants = std::move(list);
    }
  }
  if (id && title) {
    p.product_id = *id;
    p.title = *title;
    action.resource_id = *id;
  }
  // Stock as the facts say, until the server knows better about untracked items.
  resolve_shopify_stock(action, [](const std::string&) { return std::optional<bool>(); });
  return action;
}

PlatformAction map_level(std::string_view topic, const Json& payload, Problems& problems) {
  PlatformAction action;
  action.kind = PlatformActionKind::inventory_level;
  PayloadReader r(payload, "", problems);
  action.level.inventory_item_id = r.id("inventory_item_id", true).value_or("");
  action.level.location_id = r.id("location_id", true).value_or("");
  action.level.available = r.integer("available", -kMaxSafeInteger, kMaxSafeInteger);
  action.level.updated_at = r.timestamp("updated_at");
  action.level.disconnected = topic == "inventory_levels/disconnect";
  action.resource_id = action.level.inventory_item_id;
  return action;
}

std::optional<OrderCustomer> map_customer(PayloadReader& r, Problems& problems) {
  std::optional<std::string> email = r.email("email");
  if (!email) email = r.email("contact_email");
  std::optional<std::string> first, last, external;
  if (const Json* customer = r.object("customer")) {
    PayloadReader c(*customer, "customer", problems);
    if (!email) email = c.email("email");
    first = c.text("first_name", kNameRule, false);
    last = c.text("last_name", kNameRule, false);
    external = c.id("id", false);
  }
  if (!email) return std::nullopt;
  return OrderCustomer{*email, external, first, last};
}

// The successful refund transactions of one Refund object.
std::optional<OrderRefund> map_refund(const Json& refund, const std::string& path,
                                      const std::string& order_currency, Problems& problems) {
  if (!expect_object(refund, path, problems)) return std::nullopt;
  PayloadReader r(refund, path, problems);
  std::optional<std::string> id = r.id("id", true);
  int64_t amount = 0;
  if (const Json* transactions = r.array("transactions")) {
    for (size_t i = 0; i < transactions->size(); ++i) {
      const std::string t_path = index_path(r.field("transactions"), i);
      if (!expect_object((*transactions)[i], t_path, problems)) continue;
      PayloadReader t((*transactions)[i], t_path, problems);
      if (t.text("kind", kShortText, false) != "refund" ||
          t.text("status", kShortText, false) != "success")
        continue;
      const std::string currency = t.currency("currency", false).value_or(order_currency);
      amount = std::min(kMaxSafeInteger, amount + t.money("amount", currency, false).value_or(0));
    }
  }
  if (!id) return std::nullopt;
  return OrderRefund{*id, std::max<int64_t>(0, amount)};
}

PlatformAction map_order(const Json& payload, Problems& problems) {
  PlatformAction action;
  action.kind = PlatformActionKind::order;
  PayloadReader r(payload, "", problems);
  Order& order = action.order;
  order.source = OrderSource::shopify;
  std::optional<std::string> id = r.id("id", true);
  order.order_number = r.text("name", kIdRule, false);
  if (!order.order_number) order.order_number = r.id("order_number", false);
  std::optional<std::string> currency = r.currency("currency", true);
  const std::string code = currency.value_or("");
  std::optional<int64_t> total = r.money("total_price", code, true);
  order.status = shopify_order_status(r.given("cancelled_at"),
                                      r.text("financial_status", kShortText, false).value_or(""),
                                      r.text("fulfillment_status", kShortText, false).value_or(""));
  r.timestamp("cancelled_at");  // checked: a malformed time is a malformed payload
  order.ordered_at = r.timestamp("processed_at");
  if (!order.ordered_at) order.ordered_at = r.timestamp("created_at");
  action.updated_at = r.timestamp("updated_at");
  order.customer = map_customer(r, problems);
  if (const Json* lines = r.array("line_items")) {
    if (lines->size() > kMaxOrderItems)
      problems.add("line_items", FieldCode::too_many_items, static_cast<int64_t>(kMaxOrderItems));
    for (size_t i = 0; i < lines->size() && i < kMaxOrderItems; ++i) {
      const std::string path = index_path("line_items", i);
      if (!expect_object((*lines)[i], path, problems)) continue;
      PayloadReader line((*lines)[i], path, problems);
      OrderItem item;
      std::optional<std::string> product_id = line.id("product_id", false);
      item.variant_id = line.id("variant_id", false);
      std::optional<std::string> title = line.text("title", kTitleRule, false);
      if (!title) title = line.text("name", kTitleRule, false);
      item.variant_title = line.text("variant_title", kTitleRule, false);
      item.sku = line.text("sku", kSkuRule, false);
      item.price_cents = line.money("price", code, false);
      std::optional<int64_t> quantity = line.integer("quantity", 0, kMaxItemQuantity);
      // Custom items (no product) and emptied lines buy nothing Stockbell knows.
      if (!product_id || !quantity || *quantity <= 0) continue;
      item.product_id = *product_id;
      item.title = title.value_or(*product_id);
      item.quantity = *quantity;
      order.items.push_back(std::move(item));
    }
  }
  if (const Json* refunds = r.array("refunds")) {
    for (size_t i = 0; i < refunds->size(); ++i)
      if (std::optional<OrderRefund> refund =
              map_refund((*refunds)[i], index_path("refunds", i), code, problems))
        order.refunds.push_back(std::move(*refund));
    if (!order.refunds.empty()) order.refund_amount_cents = refunds_total(order.refunds);
  }
  if (id && currency && total) {
    order.order_id = *id;
    order.currency = *currency;
    order.total_cents = std::max<int64_t>(0, *total);
    action.resource_id = *id;
  }
  return action;
}

}  // namespace

std::string shopify_topics() {
  std::string out;
  const auto add = [&out](std::string_view t) {
    if (!out.empty()) out += ", ";
    out += t;
  };
  for (std::string_view t : kProductTopics) add(t);
  add("products/delete");
  for (std::string_view t : kLevelTopics) add(t);
  add("inventory_levels/disconnect");
  for (std::string_view t : kItemTopics) add(t);
  for (std::string_view t : kOrderTopics) add(t);
  add("refunds/create");
  return out;
}

OrderStatus shopify_order_status(bool cancelled, std::string_view financial_status,
                                 std::string_view fulfillment_status) {
  if (cancelled || financial_status == "voided") return OrderStatus::cancelled;
  if (financial_status == "refunded") return OrderStatus::refunded;
  if (fulfillment_status == "fulfilled") return OrderStatus::fulfilled;
  return OrderStatus::placed;
}

Result<PlatformAction> map_shopify(std::string_view topic, const Json& payload,
                                   const ShopifyContext& context) {
  Problems problems;
  if (!expect_object(payload, "", problems)) return validation_error(problems);
  PlatformAction action;
  if (one_of(topic, kProductTopics)) {
    action = map_product(payload, context, problems);
  } else if (topic == "products/delete") {
    action.kind = PlatformActionKind::delete_product;
    action.resource_id = PayloadReader(payload, "", problems).id("id", true).value_or("");
  } else if (one_of(topic, kLevelTopics) || topic == "inventory_levels/disconnect") {
    action = map_level(topic, payload, problems);
  } else if (one_of(topic, kItemTopics)) {
    PayloadReader r(payload, "", problems);
    action.kind = PlatformActionKind::inventory_item;
    action.resource_id = r.id("id", true).value_or("");
    action.tracked = r.boolean("tracked");
    if (!action.tracked) {
      action.kind = PlatformActionKind::ignore;
      action.note = "the item does not say whether it is tracked";
    }
  } else if (one_of(topic, kOrderTopics)) {
    action = map_order(payload, problems);
  } else if (topic == "refunds/create") {
    PayloadReader r(payload, "", problems);
    action.kind = PlatformActionKind::refund;
    action.resource_id = r.id("order_id", true).value_or("");
    if (std::optional<OrderRefund> refund = map_refund(payload, "", "", problems))
      action.refund = std::move(*refund);
  } else {
    problems.add("X-Shopify-Topic", FieldCode::invalid_value, std::nullopt, shopify_topics());
  }
  if (!problems.empty()) return validation_error(problems);
  return action;
}

}  // namespace stockbell
