#include "core/event.hpp"

#include "core/timestamp.hpp"

namespace stockbell {
namespace {

template <class T>
Json nullable(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

}  // namespace

std::string_view event_type_name(EventType type) {
  switch (type) {
    case EventType::back_in_stock_requested: return "ecommerce.back_in_stock_requested";
    case EventType::back_in_stock: return "ecommerce.back_in_stock";
    case EventType::order_placed: return "ecommerce.order_placed";
    case EventType::order_cancelled: return "ecommerce.order_cancelled";
    case EventType::order_fulfilled: return "ecommerce.order_fulfilled";
    case EventType::order_refunded: return "ecommerce.order_refunded";
  }
  return "ecommerce.back_in_stock";
}

const std::vector<EventType>& all_event_types() {
  static const std::vector<EventType> types = {
      EventType::back_in_stock_requested, EventType::back_in_stock,  EventType::order_placed,
      EventType::order_cancelled,         EventType::order_fulfilled, EventType::order_refunded};
  return types;
}

std::optional<EventType> parse_event_type(std::string_view name) {
  for (EventType t : all_event_types())
    if (name == event_type_name(t)) return t;
  return std::nullopt;
}

std::string event_type_names() {
  std::string names;
  for (EventType t : all_event_types()) {
    if (!names.empty()) names += ", ";
    names += event_type_name(t);
  }
  return names;
}

EventType order_event_type(OrderStatus status) {
  switch (status) {
    case OrderStatus::placed: return EventType::order_placed;
    case OrderStatus::cancelled: return EventType::order_cancelled;
    case OrderStatus::fulfilled: return EventType::order_fulfilled;
    case OrderStatus::refunded: return EventType::order_refunded;
  }
  return EventType::order_placed;
}

bool is_order_event(EventType type) {
  return type == EventType::order_placed || type == EventType::order_cancelled ||
         type == EventType::order_fulfilled || type == EventType::order_refunded;
}

ProductSnapshot snapshot_of(const Product* product, std::string_view variant_id) {
  ProductSnapshot s;
  if (product == nullptr) return s;
  const TargetState target = resolve_target(*product, variant_id);
  s.product_title = product->title;
  s.url = product->url;
  s.image_url = product->image_url;
  s.price_cents = effective_price_cents(*product);
  s.currency = product->currency;
  if (const Variant* v = target.variant) {
    s.variant_title = v->title;
    if (v->image_url) s.image_url = v->image_url;
    if (v->price_cents) s.price_cents = v->price_cents;
  }
  return s;
}

Json order_event_json(const EventRecord& e, const IdCodec& ids) {
  Json out;
  out["id"] = ids.format(IdKind::event, e.id);
  out["type"] = event_type_name(e.type);
  out["createdAt"] = format_timestamp(e.created_at);
  out["order"] = e.order ? order_api_json(*e.order) : Json(nullptr);
  return out;
}

Json event_json(const EventRecord& e, const IdCodec& ids) {
  if (is_order_event(e.type)) return order_event_json(e, ids);
  Json subscriber;
  subscriber["id"] = ids.format(IdKind::subscriber, e.subscriber.id);
  subscriber["email"] = e.subscriber.email;
  subscriber["firstName"] = nullable(e.subscriber.first_name);
  subscriber["lastName"] = nullable(e.subscriber.last_name);
  subscriber["externalId"] = nullable(e.subscriber.external_id);

  Json product;
  product["productId"] = e.product_id;
  product["variantId"] = e.variant_id;
  // Sequenzy's names for the same ids (its automations match on `product.providerVariantId`):
  // every product is pushed through this API, so the store's ids are the provider's.
  product["providerProductId"] = e.product_id;
  product["providerVariantId"] = e.variant_id;
  product["productTitle"] =
      nullable(e.request_product_title ? e.request_product_title : e.catalog.product_title);
  product["variantTitle"] =
      nullable(e.request_variant_title ? e.request_variant_title : e.catalog.variant_title);
  product["url"] = nullable(e.catalog.url);
  product["imageUrl"] = nullable(e.catalog.image_url);
  product["priceCents"] = nullable(e.catalog.price_cents);
  product["currency"] = nullable(e.catalog.currency);

  Json request;
  request["id"] = ids.format(IdKind::request, e.request_id);
  request["createdAt"] = format_timestamp(e.request_created_at);

  Json out;
  out["id"] = ids.format(IdKind::event, e.id);
  out["type"] = event_type_name(e.type);
  out["createdAt"] = format_timestamp(e.created_at);
  out["subscriber"] = std::move(subscriber);
  out["product"] = std::move(product);
  out["request"] = std::move(request);
  return out;
}

}  // namespace stockbell
