#include "core/woocommerce.hpp"

#include <algorithm>
#include <utility>

#include "core/currency.hpp"
#include "core/fields.hpp"
#include "core/text.hpp"

namespace stockbell {
namespace {

constexpr TextRule kSkuRule{kMaxSkuChars};
constexpr TextRule kOptionRule{kMaxOptionChars};
constexpr TextRule kShortText{255};

constexpr std::string_view kProductTopics[] = {"product.created", "product.updated",
                                               "product.restored", "product.published"};
constexpr std::string_view kOrderTopics[] = {"order.created", "order.updated", "order.restored"};

template <size_t N>
bool one_of(std::string_view topic, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), topic) != std::end(list);
}

// Prices, stock and image of a product or variation payload: what a simple product's single
// variant and a variation share.
struct Offer {
  Patch<int64_t> price;
  Patch<int64_t> compare_at;
  Patch<std::string> sku;
  Patch<std::string> image;
  bool in_stock = false;
  Patch<int64_t> quantity;
};

Offer read_offer(PayloadReader& r, const WooContext& context, bool published) {
  Offer offer;
  const std::string currency = context.currency.value_or("");
  std::optional<int64_t> price = r.money("price", currency, false);
  std::optional<int64_t> regular = r.money("regular_price", currency, false);
  const bool on_sale = r.boolean("on_sale").value_or(false);
  offer.price = price ? Patch<int64_t>::of(*price) : Patch<int64_t>::null_patch();
  offer.compare_at = on_sale && price && regular && *regular > *price
                         ? Patch<int64_t>::of(*regular)
                         : Patch<int64_t>::null_patch();
  std::optional<std::string> sku = r.text("sku", kSkuRule, false);
  offer.sku = sku ? Patch<std::string>::of(*sku) : Patch<std::string>::null_patch();
  offer.image = Patch<std::string>::null_patch();
  if (const Json* images = r.array("images"); images != nullptr && !images->empty()) {
    const std::string path = index_path(r.field("images"), 0);
    if (expect_object((*images)[0], path, r.problems())) {
      PayloadReader image((*images)[0], path, r.problems());
      // Image id 0 is WooCommerce's placeholder for "no image".
      std::optional<std::string> src = image.url("src");
      if (image.id("id", false) && src) offer.image = Patch<std::string>::of(*src);
    }
  }
  // WooCommerce has applied managed stock, backorders and the store's threshold already:
  // `onbackorder` can be bought, so it is in stock.
  const std::optional<std::string> status = r.text("stock_status", kShortText, false);
  if (status && *status != "instock" && *status != "outofstock" && *status != "onbackorder")
    r.problems().add(r.field("stock_status"), FieldCode::invalid_value, std::nullopt,
                     "instock, outofstock, onbackorder");
  offer.in_stock = published && status != "outofstock";
  const bool managed = r.boolean("manage_stock").value_or(false);
  std::optional<int64_t> quantity = r.integer("stock_quantity", -kMaxSafeInteger, kMaxSafeInteger);
  offer.quantity =
      managed && quantity ? Patch<int64_t>::of(*quantity) : Patch<int64_t>::null_patch();
  return offer;
}

VariantPatch variant_from(const std::string& id, const std::string& title, const Offer& offer) {
  VariantPatch v;
  v.variant_id = id;
  v.title = title;
  v.sku = offer.sku;
  v.price_cents = offer.price;
  v.compare_at_price_cents = offer.compare_at;
  v.image_url = offer.image;
  v.in_stock = Patch<bool>::of(offer.in_stock);
  v.inventory_quantity = offer.quantity;
  return v;
}

PlatformAction map_product(const Json& payload, const WooContext& context, Problems& problems) {
  PlatformAction action;
  PayloadReader r(payload, "", problems);
  std::optional<std::string> id = r.id("id", true);
  std::optional<std::string> name = r.text("name", kTitleRule, true);
  const std::string type = r.text("type", kShortText, false).value_or("simple");
  const bool published = r.text("status", kShortText, false).value_or("publish") == "publish";
  action.updated_at = r.timestamp("date_modified_gmt", true);
  std::optional<std::string> parent = r.id("parent_id", false);
  if (type == "grouped") {
    action.note = "a grouped product has no stock of its own";
    return action;
  }
  if (type == "variation" || parent) {
    // One variation of a variable product: a single-variant patch of its parent.
    action.kind = PlatformActionKind::patch_variant;
    const Offer offer = read_offer(r, context, published);
    std::vector<VariantOption> options;
    std::string option_title;
    if (const Json* attributes = r.array("attributes")) {
      for (size_t i = 0; i < attributes->size(); ++i) {
        const std::string path = index_path("attributes", i);
        if (!expect_object((*attributes)[i], path, problems)) continue;
        PayloadReader a((*attributes)[i], path, problems);
        std::optional<std::string> attr_name = a.text("name", kOptionRule, false);
        std::optional<std::string> value = a.text("option", kOptionRule, false);
        if (!attr_name || !value || options.size() >= kMaxOptionsPerVariant) continue;
        options.push_back({*attr_name, *value});
        option_title += (option_title.empty() ? "" : " / ") + *value;
      }
    }
    if (!parent) problems.add("parent_id", FieldCode::required);
    if (id && name && parent) {
      action.resource_id = *id;
      action.product_id = *parent;
      // "Wool Beanie - Forest Green": the parent's title until the parent's own payload comes.
      const size_t dash = name->rfind(" - ");
      action.placeholder_title = dash == std::string::npos ? *name : name->substr(0, dash);
      action.variant = variant_from(*id, option_title.empty() ? *name : option_title, offer);
      action.variant.options = Patch<std::vector<VariantOption>>::of(std::move(options));
    }
    return action;
  }
  action.kind = PlatformActionKind::upsert_product;
  action.product_active = published;
  ProductPatch& p = action.product;
  std::optional<std::string> url = r.url("permalink");
  p.url = url ? Patch<std::string>::of(*url) : Patch<std::string>::null_patch();
  if (context.currency) p.currency = Patch<std::string>::of(*context.currency);
  p.in_stock = published ? Patch<bool>::null_patch() : Patch<bool>::of(false);
  const Offer offer = read_offer(r, context, published);
  p.image_url = offer.image;
  if (type == "variable") {
    // The parent lists its variations' ids only: product fields here, variants from their own
    // payloads. Its price is the lowest variation's, which the variants give already.
    std::vector<std::string> keep;
    if (const Json* variations = r.array("variations")) {
      for (size_t i = 0; i < variations->size(); ++i)
        if (std::optional<std::string> vid =
                read_platform_id((*variations)[i], index_path("variations", i), problems))
          keep.push_back(*vid);
    }
    action.keep_variant_ids = std::move(keep);
  } else {
    // simple, external: one variant, its id the product's, so orders and requests may name
    // either.
    if (id && name) p.variants = std::vector<VariantPatch>{variant_from(*id, *name, offer)};
  }
  if (id && name) {
    p.product_id = *id;
    p.title = *name;
    action.resource_id = *id;
  }
  return action;
}

// A line's unit price from its `subtotal` (before discounts) and quantity, both exact: the
// JSON number `price` is total / quantity as a float. Not divisible: rounded half up.
std::optional<int64_t> unit_price(PayloadReader& line, const std::string& currency,
                                  int64_t quantity) {
  std::optional<int64_t> subtotal = line.money("subtotal", currency, false);
  if (!subtotal || quantity <= 0 || *subtotal < 0) return std::nullopt;
  return (*subtotal + quantity / 2) / quantity;
}

PlatformAction map_order(const Json& payload, Problems& problems) {
  PlatformAction action;
  PayloadReader r(payload, "", problems);
  std::optional<std::string> id = r.id("id", true);
  const std::string status = r.text("status", kShortText, false).value_or("");
  std::optional<OrderStatus> mapped = woocommerce_order_status(status);
  if (!mapped) {
    action.note = "order status '" + truncate_chars(status, 40) + "' is not a placed order";
    if (id) action.resource_id = *id;
    return action;
  }
  action.kind = PlatformActionKind::order;
  Order& order = action.order;
  order.source = OrderSource::woocommerce;
  order.status = *mapped;
  order.order_number = r.text("number", kIdRule, false);
  std::optional<std::string> currency = r.currency("currency", true);
  const std::string code = currency.value_or("");
  std::optional<int64_t> total = r.money("total", code, true);
  order.ordered_at = r.timestamp("date_created_gmt", true);
  action.updated_at = r.timestamp("date_modified_gmt", true);
  if (const Json* billing = r.object("billing")) {
    PayloadReader b(*billing, "billing", problems);
    if (std::optional<std::string> email = b.email("email")) {
      OrderCustomer customer;
      customer.email = *email;
      customer.first_name = b.text("first_name", kNameRule, false);
      customer.last_name = b.text("last_name", kNameRule, false);
      customer.external_id = r.id("customer_id", false);  // 0: a guest
      order.customer = std::move(customer);
    }
  }
  if (const Json* lines = r.array("line_items")) {
    if (lines->size() > kMaxOrderItems)
      problems.add("line_items", FieldCode::too_many_items, static_cast<int64_t>(kMaxOrderItems));
    for (size_t i = 0; i < lines->size() && i < kMaxOrderItems; ++i) {
      const std::string path = index_path("line_items", i);
      if (!expect_object((*lines)[i], path, problems)) continue;
      PayloadReader line((*lines)[i], path, problems);
      std::optional<std::string> product_id = line.id("product_id", false);
      std::optional<std::string> variation_id = line.id("variation_id", false);
      std::optional<std::string> name = line.text("name", kTitleRule, false);
      std::optional<std::string> parent_name = line.text("parent_name", kTitleRule, false);
      std::optional<int64_t> quantity = line.integer("quantity", 0, kMaxItemQuantity);
      OrderItem item;
      item.sku = line.text("sku", kSkuRule, false);
      item.price_cents = unit_price(line, code, quantity.value_or(0));
      if (!product_id || !quantity || *quantity <= 0) continue;  // a deleted product, an empty line
      item.product_id = *product_id;
      // A simple product is its own single variant (see map_product).
      item.variant_id = variation_id ? *variation_id : *product_id;
      item.title = name.value_or(*product_id);
      if (parent_name && name && name->rfind(*parent_name + " - ", 0) == 0) {
        item.title = *parent_name;
        item.variant_title = name->substr(parent_name->size() + 3);
      }
      item.quantity = *quantity;
      order.items.push_back(std::move(item));
    }
  }
  if (const Json* refunds = r.array("refunds")) {
    for (size_t i = 0; i < refunds->size(); ++i) {
      const std::string path = index_path("refunds", i);
      if (!expect_object((*refunds)[i], path, problems)) continue;
      PayloadReader refund((*refunds)[i], path, problems);
      std::optional<std::string> refund_id = refund.id("id", true);
      // Refund totals are written negative ("-100.70").
      std::optional<int64_t> amount = refund.money("total", code, false);
      if (refund_id)
        order.refunds.push_back({*refund_id, amount ? std::max<int64_t>(0, -*amount) : 0});
    }
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

std::string woocommerce_topics() {
  std::string out;
  const auto add = [&out](std::string_view t) {
    if (!out.empty()) out += ", ";
    out += t;
  };
  for (std::string_view t : kProductTopics) add(t);
  add("product.deleted");
  for (std::string_view t : kOrderTopics) add(t);
  add("order.deleted");
  return out;
}

std::optional<OrderStatus> woocommerce_order_status(std::string_view status) {
  if (status == "processing" || status == "on-hold") return OrderStatus::placed;
  if (status == "completed") return OrderStatus::fulfilled;
  if (status == "cancelled" || status == "failed") return OrderStatus::cancelled;
  if (status == "refunded") return OrderStatus::refunded;
  return std::nullopt;
}

bool is_woocommerce_ping(std::string_view body) {
  constexpr std::string_view kPrefix = "webhook_id=";
  if (body.size() <= kPrefix.size() || body.size() > kPrefix.size() + 20 ||
      body.substr(0, kPrefix.size()) != kPrefix)
    return false;
  const std::string_view digits = body.substr(kPrefix.size());
  return std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<PlatformAction> map_woocommerce(std::string_view topic, const Json& payload,
                                       const WooContext& context) {
  Problems problems;
  if (!expect_object(payload, "", problems)) return validation_error(problems);
  PlatformAction action;
  if (one_of(topic, kProductTopics)) {
    action = map_product(payload, context, problems);
  } else if (topic == "product.deleted") {
    action.kind = PlatformActionKind::delete_product;
    action.resource_id = PayloadReader(payload, "", problems).id("id", true).value_or("");
  } else if (one_of(topic, kOrderTopics)) {
    action = map_order(payload, problems);
  } else if (topic == "order.deleted") {
    action.resource_id = PayloadReader(payload, "", problems).id("id", false).value_or("");
    action.note = "a trashed order is kept as it was";
  } else {
    problems.add("X-WC-Webhook-Topic", FieldCode::invalid_value, std::nullopt,
                 woocommerce_topics());
  }
  if (!problems.empty()) return validation_error(problems);
  return action;
}

}  // namespace stockbell
