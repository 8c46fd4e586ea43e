#include "core/responses.hpp"

#include "core/timestamp.hpp"

namespace stockbell {
namespace {

Json success() {
  Json out;
  out["success"] = true;
  return out;
}

Json nullable_text(const std::optional<std::string>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json nullable_time(const std::optional<int64_t>& ms) {
  return ms ? Json(format_timestamp(*ms)) : Json(nullptr);
}

}  // namespace

std::string_view request_source_name(RequestSource source) {
  return source == RequestSource::widget ? "widget" : "api";
}

std::string register_response_json(const RegisterOutcome& outcome, const IdCodec& ids,
                                   Trust trust) {
  Json out = success();
  out["subscriberId"] = ids.format(IdKind::subscriber, outcome.subscriber_id);
  out["requestId"] = ids.format(IdKind::request, outcome.request_id);
  out["status"] = request_status_name(outcome.status);
  if (trust == Trust::secret) out["created"] = outcome.created;
  out["position"] = outcome.position ? Json(*outcome.position) : Json(nullptr);
  return dump(out);
}

Json request_json(const RequestRecord& r, const IdCodec& ids) {
  Json out;
  out["id"] = ids.format(IdKind::request, r.id);
  out["productId"] = r.product_id;
  out["variantId"] = r.variant_id;
  out["productTitle"] = nullable_text(r.product_title);
  out["variantTitle"] = nullable_text(r.variant_title);
  out["status"] = request_status_name(r.status);
  out["position"] = r.position ? Json(*r.position) : Json(nullptr);
  out["subscriberId"] = ids.format(IdKind::subscriber, r.subscriber_id);
  out["email"] = r.email;
  out["createdAt"] = format_timestamp(r.created_at);
  out["notifiedAt"] = nullable_time(r.notified_at);
  out["cancelledAt"] = nullable_time(r.cancelled_at);
  out["orderId"] = nullable_text(r.order_id);
  out["convertedAt"] = nullable_time(r.converted_at);
  out["revenueCents"] = r.revenue_cents ? Json(*r.revenue_cents) : Json(nullptr);
  out["revenueCurrency"] = nullable_text(r.revenue_currency);
  out["locale"] = nullable_text(r.locale);
  Json consent;
  consent["source"] = r.consent.source ? Json(request_source_name(*r.consent.source)) : Json(nullptr);
  consent["at"] = format_timestamp(r.created_at);
  consent["clientAddress"] = nullable_text(r.consent.client_address);
  consent["userAgent"] = nullable_text(r.consent.user_agent);
  consent["text"] = nullable_text(r.consent.text);
  consent["confirmedAt"] = nullable_time(r.consent.confirmed_at);
  out["consent"] = std::move(consent);
  return out;
}

std::string list_response_json(const char* key, Json items, size_t count, const Page& page,
                               int64_t total) {
  Json out = success();
  out[key] = std::move(items);
  out["pagination"] = pagination_json(count, page, total);
  return dump(out);
}

std::string upsert_response_json(size_t created, size_t updated, int64_t events_triggered,
                                 Json products) {
  Json out = success();
  out["upserted"] = created + updated;
  out["created"] = created;
  out["updated"] = updated;
  out["backInStockEventsTriggered"] = events_triggered;
  out["products"] = std::move(products);
  return dump(out);
}

std::string deleted_response_json(const char* key, const std::string& id) {
  Json out = success();
  out["deleted"] = true;
  out[key] = id;
  return dump(out);
}

std::string inventory_response_json(size_t updated, int64_t events_triggered, Json items) {
  Json out = success();
  out["updated"] = updated;
  out["backInStockEventsTriggered"] = events_triggered;
  out["items"] = std::move(items);
  return dump(out);
}

std::string events_response_json(Json events, const std::optional<std::string>& next_cursor,
                                  bool has_more) {
  Json out = success();
  out["events"] = std::move(events);
  out["nextCursor"] = nullable_text(next_cursor);
  out["hasMore"] = has_more;
  return dump(out);
}

std::string availability_response_json(bool in_stock, bool known) {
  Json out = success();
  out["inStock"] = in_stock;
  out["known"] = known;
  return dump(out);
}

std::string success_json(const char* key, Json value) {
  Json out = success();
  out[key] = std::move(value);
  return dump(out);
}

}  // namespace stockbell
