#include "core/order.hpp"

#include <algorithm>

#include "core/attributes.hpp"
#include "core/currency.hpp"
#include "core/fields.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"

namespace stockbell {
namespace {

constexpr TextRule kSkuRule{kMaxSkuChars};
constexpr TextRule kOrderNumberRule{kMaxIdChars};
constexpr TextRule kPropertyKeyRule{kMaxOrderPropertyKeyChars};

int64_t saturating_product(int64_t a, int64_t b) {
  if (a <= 0 || b <= 0) return 0;
  if (a > kMaxSafeInteger / b) return kMaxSafeInteger;
  return a * b;
}

int64_t saturating_sum(int64_t a, int64_t b) {
  return std::min<int64_t>(kMaxSafeInteger, a + b);  // both within [0, 2^53 - 1]: no overflow
}

// A required whole number in [min, max]: the patch reader's rules, with null/missing → required.
std::optional<int64_t> required_integer(ObjectReader& reader, std::string_view key, int64_t min,
                                        int64_t max) {
  const Patch<int64_t> patch = reader.patch_integer(key, min, max);
  if (patch.has_value()) return patch.value;
  if (patch.is_null() || (patch.absent() && reader.member(key) == nullptr))
    reader.problems().add(reader.field(key), FieldCode::required);
  return std::nullopt;
}

std::optional<OrderItem> read_item(const Json& value, const std::string& path, Problems& problems) {
  if (!expect_object(value, path, problems)) return std::nullopt;
  const size_t before = problems.size();
  ObjectReader reader(value, path, problems);
  OrderItem item;
  std::optional<std::string> product_id = reader.required_text("productId", kIdRule);
  if (const Json* v = reader.member("variantId"); v != nullptr && !v->is_null())
    item.variant_id = reader.required_text("variantId", kIdRule);
  std::optional<std::string> title = reader.required_text("title", kTitleRule);
  std::optional<int64_t> quantity = required_integer(reader, "quantity", 1, kMaxItemQuantity);
  item.sku = reader.optional_text("sku", kSkuRule);
  item.variant_title = reader.optional_text("variantTitle", kTitleRule);
  const Patch<int64_t> price = reader.patch_integer("priceCents", 0, kMaxSafeInteger);
  if (price.has_value()) item.price_cents = price.value;
  reader.reject_unknown();
  if (problems.size() != before || !product_id || !title || !quantity) return std::nullopt;
  item.product_id = std::move(*product_id);
  item.title = std::move(*title);
  item.quantity = *quantity;
  return item;
}

std::optional<OrderCustomer> read_customer(const Json& value, Problems& problems) {
  const std::string path = "customer";
  if (!expect_object(value, path, problems)) return std::nullopt;
  const size_t before = problems.size();
  ObjectReader reader(value, path, problems);
  OrderCustomer customer;
  std::optional<std::string> email = reader.required_email("email");
  customer.external_id = reader.optional_text("externalId", kIdRule);
  customer.first_name = reader.optional_text("firstName", kNameRule);
  customer.last_name = reader.optional_text("lastName", kNameRule);
  // Accepted as §5's customer has them; an order does not change subscribers.
  if (const Json* attributes = reader.member("attributes"))
    read_attributes(*attributes, reader.field("attributes"), problems);
  reader.reject_unknown();
  if (!email || problems.size() != before) return std::nullopt;
  customer.email = std::move(*email);
  return customer;
}

// `properties`: an object of at most kMaxOrderProperties keys (1..64 characters, no control
// characters); values are kept as sent.
Json read_properties(const Json& value, Problems& problems) {
  const std::string path = "properties";
  if (value.is_null()) return Json::object();
  if (!expect_object(value, path, problems)) return Json::object();
  if (value.size() > kMaxOrderProperties) {
    problems.add(path, FieldCode::too_many_items, static_cast<int64_t>(kMaxOrderProperties));
    return Json::object();
  }
  for (const auto& [key, ignored] : value.members()) {
    const std::string key_path = join_path(path, key);
    if (key.empty())
      problems.add(key_path, FieldCode::empty);
    else
      check_text(key, kPropertyKeyRule, key_path, problems);
  }
  return value;
}

std::optional<std::string> read_order_number(ObjectReader& reader) {
  const Json* value = reader.member("orderNumber");
  if (value == nullptr || value->is_null()) return std::nullopt;
  // Shops number orders: `1001` is read as "1001".
  if (value->is_number() && value->integrality() == Json::Integrality::integer &&
      value->compare(0) >= 0)
    return std::to_string(*value->as_integer());
  return reader.optional_text("orderNumber", kOrderNumberRule);
}

template <class T>
Json nullable(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

std::optional<std::string> get_text(const Json& object, const char* key) {
  const Json* value = object.find(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return value->as_string();
}

std::optional<int64_t> get_int(const Json& object, const char* key) {
  const Json* value = object.find(key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->as_integer();
}

Json customer_json(const std::optional<OrderCustomer>& customer) {
  if (!customer) return nullptr;
  Json out;
  out["email"] = customer->email;
  out["externalId"] = nullable(customer->external_id);
  out["firstName"] = nullable(customer->first_name);
  out["lastName"] = nullable(customer->last_name);
  return out;
}

Json items_json(const std::vector<OrderItem>& items) {
  Json list = Json::array();
  for (const OrderItem& item : items) {
    Json out;
    out["productId"] = item.product_id;
    out["variantId"] = nullable(item.variant_id);
    out["title"] = item.title;
    out["variantTitle"] = nullable(item.variant_title);
    out["sku"] = nullable(item.sku);
    out["quantity"] = item.quantity;
    out["priceCents"] = nullable(item.price_cents);
    list.push_back(std::move(out));
  }
  return list;
}

}  // namespace

std::string_view order_status_name(OrderStatus status) {
  switch (status) {
    case OrderStatus::placed:
      return "placed";
    case OrderStatus::cancelled:
      return "cancelled";
    case OrderStatus::fulfilled:
      return "fulfilled";
    case OrderStatus::refunded:
      return "refunded";
  }
  return "placed";
}

std::optional<OrderStatus> parse_order_status(std::string_view name) {
  for (OrderStatus s :
       {OrderStatus::placed, OrderStatus::cancelled, OrderStatus::fulfilled, OrderStatus::refunded})
    if (name == order_status_name(s)) return s;
  return std::nullopt;
}

bool is_purchase(OrderStatus status) {
  return status == OrderStatus::placed || status == OrderStatus::fulfilled;
}

std::string_view order_source_name(OrderSource source) {
  switch (source) {
    case OrderSource::api:
      return "api";
    case OrderSource::shopify:
      return "shopify";
    case OrderSource::woocommerce:
      return "woocommerce";
  }
  return "api";
}

Result<Order> read_order(const Json& document) {
  Problems problems;
  if (!expect_object(document, "", problems)) return validation_error(problems);
  ObjectReader reader(document, "", problems);
  Order order;
  std::optional<std::string> order_id = reader.required_text("orderId", kIdRule);
  order.order_number = read_order_number(reader);
  if (const Json* status = reader.member("status"); status != nullptr && !status->is_null()) {
    std::optional<OrderStatus> parsed;
    if (status->is_string()) parsed = parse_order_status(trim(status->as_string()));
    if (parsed)
      order.status = *parsed;
    else
      problems.add("status", FieldCode::invalid_value, std::nullopt,
                   "placed, cancelled, fulfilled, refunded");
  }
  std::optional<int64_t> total = required_integer(reader, "totalCents", 0, kMaxSafeInteger);
  const Patch<std::string> currency = reader.patch_currency("currency");
  if (currency.is_null() || (currency.absent() && !document.contains("currency")))
    problems.add("currency", FieldCode::required);
  if (const Json* at = reader.member("orderedAt"); at != nullptr && !at->is_null()) {
    std::optional<int64_t> parsed;
    if (at->is_string()) parsed = parse_timestamp(trim(at->as_string()));
    if (parsed)
      order.ordered_at = parsed;
    else
      problems.add("orderedAt", FieldCode::invalid_timestamp);
  }
  if (const Json* customer = reader.member("customer"); customer != nullptr && !customer->is_null())
    order.customer = read_customer(*customer, problems);
  if (const Json* items = reader.member("items"); items != nullptr && !items->is_null()) {
    if (!items->is_array()) {
      problems.add("items", FieldCode::invalid_type, std::nullopt, "an array");
    } else if (items->size() > kMaxOrderItems) {
      problems.add("items", FieldCode::too_many_items, static_cast<int64_t>(kMaxOrderItems));
    } else {
      for (size_t i = 0; i < items->size(); ++i)
        if (std::optional<OrderItem> item =
                read_item((*items)[i], index_path("items", i), problems))
          order.items.push_back(std::move(*item));
    }
  }
  const Patch<int64_t> refund = reader.patch_integer("refundAmountCents", 0, kMaxSafeInteger);
  if (refund.has_value()) order.refund_amount_cents = refund.value;
  if (const Json* properties = reader.member("properties"))
    order.properties = read_properties(*properties, problems);
  reader.reject_unknown();
  if (!problems.empty() || !order_id || !total || !currency.has_value())
    return validation_error(problems);
  order.order_id = std::move(*order_id);
  order.total_cents = *total;
  order.currency = currency.value;
  return order;
}

Result<Order> parse_order(std::string_view body) {
  Result<Json> document = parse_body(body);
  if (!document.ok()) return document.error();
  return read_order(document.value());
}

Json order_api_json(const Order& order) {
  Json out;
  out["orderId"] = order.order_id;
  out["orderNumber"] = nullable(order.order_number);
  out["status"] = order_status_name(order.status);
  out["source"] = order_source_name(order.source);
  out["totalCents"] = order.total_cents;
  out["currency"] = order.currency;
  out["refundAmountCents"] = nullable(order.refund_amount_cents);
  out["orderedAt"] = order.ordered_at ? Json(format_timestamp(*order.ordered_at)) : Json(nullptr);
  out["customer"] = customer_json(order.customer);
  out["items"] = items_json(order.items);
  out["properties"] = order.properties;
  return out;
}

std::string validate_order_json(std::string_view body) {
  return validation_outcome_json(parse_order(body), order_api_json, "order");
}

std::string order_to_storage(const Order& order) {
  Json out = order_api_json(order);
  out["orderedAt"] = nullable(order.ordered_at);  // Unix ms, exactly
  Json refunds = Json::array();
  for (const OrderRefund& r : order.refunds) {
    Json item;
    item["id"] = r.id;
    item["amountCents"] = r.amount_cents;
    refunds.push_back(std::move(item));
  }
  out["refunds"] = std::move(refunds);
  return dump(out);
}

std::optional<Order> order_from_storage(std::string_view text) {
  JsonParseFailure failure;
  std::optional<Json> doc = parse_json(text, failure);
  if (!doc || !doc->is_object()) return std::nullopt;
  Order order;
  std::optional<std::string> id = get_text(*doc, "orderId");
  std::optional<std::string> currency = get_text(*doc, "currency");
  std::optional<int64_t> total = get_int(*doc, "totalCents");
  std::optional<OrderStatus> status = parse_order_status(get_text(*doc, "status").value_or(""));
  if (!id || !currency || !total || !status) return std::nullopt;
  order.order_id = std::move(*id);
  order.currency = std::move(*currency);
  order.total_cents = *total;
  order.status = *status;
  order.order_number = get_text(*doc, "orderNumber");
  const std::string source = get_text(*doc, "source").value_or("api");
  for (OrderSource s : {OrderSource::api, OrderSource::shopify, OrderSource::woocommerce})
    if (source == order_source_name(s)) order.source = s;
  order.refund_amount_cents = get_int(*doc, "refundAmountCents");
  order.ordered_at = get_int(*doc, "orderedAt");
  if (const Json* c = doc->find("customer"); c != nullptr && c->is_object()) {
    OrderCustomer customer;
    customer.email = get_text(*c, "email").value_or("");
    customer.external_id = get_text(*c, "externalId");
    customer.first_name = get_text(*c, "firstName");
    customer.last_name = get_text(*c, "lastName");
    order.customer = std::move(customer);
  }
  if (const Json* items = doc->find("items"); items != nullptr && items->is_array()) {
    for (const Json& i : items->items()) {
      OrderItem item;
      item.product_id = get_text(i, "productId").value_or("");
      item.variant_id = get_text(i, "variantId");
      item.title = get_text(i, "title").value_or("");
      item.variant_title = get_text(i, "variantTitle");
      item.sku = get_text(i, "sku");
      item.quantity = get_int(i, "quantity").value_or(1);
      item.price_cents = get_int(i, "priceCents");
      order.items.push_back(std::move(item));
    }
  }
  if (const Json* p = doc->find("properties"); p != nullptr && p->is_object())
    order.properties = *p;
  if (const Json* refunds = doc->find("refunds"); refunds != nullptr && refunds->is_array())
    for (const Json& r : refunds->items())
      order.refunds.push_back(
          {get_text(r, "id").value_or(""), get_int(r, "amountCents").value_or(0)});
  return order;
}

std::optional<std::string> order_storage_without_customer(std::string_view stored) {
  std::optional<Order> order = order_from_storage(stored);
  if (!order) return std::nullopt;
  order->customer.reset();
  return order_to_storage(*order);
}

std::string order_accepted_json(const Order& order) {
  Json out;
  out["success"] = true;
  out["queued"] = true;
  out["orderId"] = order.order_id;
  out["status"] = order_status_name(order.status);
  return dump(out);
}

int64_t refunds_total(const std::vector<OrderRefund>& refunds) {
  int64_t total = 0;
  for (const OrderRefund& r : refunds)
    total = saturating_sum(total, std::max<int64_t>(0, std::min(r.amount_cents, kMaxSafeInteger)));
  return total;
}

void record_refund(Order& order, OrderRefund refund) {
  auto same = std::find_if(order.refunds.begin(), order.refunds.end(),
                           [&](const OrderRefund& r) { return r.id == refund.id; });
  if (same != order.refunds.end())
    *same = std::move(refund);
  else
    order.refunds.push_back(std::move(refund));
  order.refund_amount_cents = refunds_total(order.refunds);
}

std::vector<PurchasedItem> purchased_items(const Order& order) {
  std::vector<PurchasedItem> out;
  for (const OrderItem& item : order.items) {
    const int64_t revenue = saturating_product(item.price_cents.value_or(0), item.quantity);
    auto same = std::find_if(out.begin(), out.end(), [&](const PurchasedItem& p) {
      return p.product_id == item.product_id && p.variant_id == item.variant_id;
    });
    if (same == out.end()) {
      out.push_back({item.product_id, item.variant_id, item.quantity, revenue});
    } else {
      same->quantity = std::min(kMaxSafeInteger, same->quantity + item.quantity);
      same->revenue_cents = saturating_sum(same->revenue_cents, revenue);
    }
  }
  return out;
}

bool item_matches(const PurchasedItem& item, std::string_view product_id,
                  std::string_view variant_id) {
  if (item.product_id != product_id) return false;
  return !item.variant_id || *item.variant_id == variant_id || variant_id == product_id;
}

bool within_attribution_window(int64_t notified_at, int64_t ordered_at, int64_t window_days) {
  if (window_days <= 0 || ordered_at < notified_at) return false;
  return ordered_at - notified_at <= window_days * 86'400'000;
}

}  // namespace stockbell
