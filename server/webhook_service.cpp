#include "server/webhook_service.hpp"

#include <arpa/inet.h>

#include "core/net_address.hpp"
#include "core/url.hpp"
#include "server/auth.hpp"

namespace stockbell::server {

ApiError WebhookService::not_found() const {
  return make_error(ApiCode::not_found, "No webhook endpoint with that id.");
}

std::optional<ApiError> WebhookService::refuse_private(const std::string& url) const {
  if (!public_only_) return std::nullopt;
  std::optional<UrlParts> parts = split_http_url(url);
  bool refuse = !parts || is_localhost_name(parts->host);
  if (parts && !refuse) {
    // inet_aton reads every spelling a resolver accepts: 127.1, 2130706433, 0x7f000001, 0177.0.0.1.
    in_addr v4{};
    unsigned char v6[16];
    if (inet_aton(parts->host.c_str(), &v4) != 0)
      refuse = !is_public_address(reinterpret_cast<const uint8_t*>(&v4.s_addr), 4);
    else if (inet_pton(AF_INET6, parts->host.c_str(), v6) == 1)
      refuse = !is_public_address(v6, 16);
  }
  if (!refuse) return std::nullopt;
  Problems problems;
  problems.add("url", FieldCode::private_address);
  return validation_error(problems);
}

Result<WebhookService::WithSecret> WebhookService::create(int64_t store_id,
                                                          const WebhookPatch& patch) {
  if (std::optional<ApiError> refused = refuse_private(patch.url.value)) return *refused;
  WithSecret out;
  out.secret = random_token("whsec_");
  Result<store::WebhookRow> created =
      service_.writer().run([&](Database& db) -> Result<store::WebhookRow> {
        if (store::count_webhooks(db, store_id) >= static_cast<int64_t>(kMaxWebhooksPerStore)) {
          Problems problems;
          problems.add("", FieldCode::too_many_items, static_cast<int64_t>(kMaxWebhooksPerStore));
          return validation_error(problems);
        }
        store::WebhookRow row;
        row.store_id = store_id;
        row.url = patch.url.value;
        row.description =
            patch.description.has_value() ? std::optional(patch.description.value) : std::nullopt;
        row.events = patch.events.has_value() ? patch.events.value : kAllEvents;
        row.enabled = patch.enabled.has_value() ? patch.enabled.value : true;
        row.secret = out.secret;
        row.created_at = row.updated_at = now_ms();
        row.id = store::insert_webhook(db, row);
        service_.write_cache().webhooks_changed(store_id);
        return row;
      });
  if (!created.ok()) return created.error();
  out.webhook = std::move(created.value());
  return out;
}

std::vector<store::WebhookRow> WebhookService::list(int64_t store_id) {
  auto db = service_.reads().acquire();
  return store::list_webhooks(*db, store_id);
}

Result<store::WebhookRow> WebhookService::get(int64_t store_id, const std::string& id) {
  std::optional<int64_t> row = service_.row_of(IdKind::webhook, id);
  if (!row) return not_found();
  auto db = service_.reads().acquire();
  std::optional<store::WebhookRow> webhook = store::find_webhook(*db, store_id, *row);
  if (!webhook) return not_found();
  return *webhook;
}

Result<store::WebhookRow> WebhookService::update(int64_t store_id, const std::string& id,
                                                 const WebhookPatch& patch) {
  std::optional<int64_t> row = service_.row_of(IdKind::webhook, id);
  if (!row) return not_found();
  if (patch.url.has_value())
    if (std::optional<ApiError> refused = refuse_private(patch.url.value)) return *refused;
  return service_.writer().run([&](Database& db) -> Result<store::WebhookRow> {
    std::optional<store::WebhookRow> webhook = store::find_webhook(db, store_id, *row);
    if (!webhook) return not_found();
    if (patch.url.has_value()) webhook->url = patch.url.value;
    patch.description.apply_to(webhook->description);
    if (patch.events.has_value()) webhook->events = patch.events.value;
    if (patch.enabled.has_value()) webhook->enabled = patch.enabled.value;
    webhook->updated_at = now_ms();
    store::update_webhook(db, *webhook);
    service_.write_cache().webhooks_changed(store_id);
    return *webhook;
  });
}

Result<bool> WebhookService::remove(int64_t store_id, const std::string& id) {
  std::optional<int64_t> row = service_.row_of(IdKind::webhook, id);
  if (!row) return not_found();
  const bool deleted = service_.writer().run([&](Database& db) {
    service_.write_cache().webhooks_changed(store_id);
    return store::delete_webhook(db, store_id, *row);
  });
  if (!deleted) return not_found();
  return true;
}

Result<WebhookService::WithSecret> WebhookService::rotate_secret(int64_t store_id,
                                                                 const std::string& id) {
  std::optional<int64_t> row = service_.row_of(IdKind::webhook, id);
  if (!row) return not_found();
  const std::string secret = random_token("whsec_");
  return service_.writer().run([&](Database& db) -> Result<WithSecret> {
    std::optional<store::WebhookRow> webhook = store::find_webhook(db, store_id, *row);
    if (!webhook) return not_found();
    const int64_t now = now_ms();
    webhook->previous_secret = webhook->secret;
    webhook->previous_secret_until = now + kSecretRotationGraceMs;
    webhook->secret = secret;
    webhook->updated_at = now;
    store::update_webhook(db, *webhook);
    return WithSecret{*webhook, secret};
  });
}

Result<WebhookService::DeliveryPage> WebhookService::deliveries(int64_t store_id,
                                                                const std::string& id,
                                                                const DeliveryListQuery& query) {
  std::optional<int64_t> row = service_.row_of(IdKind::webhook, id);
  if (!row) return not_found();
  auto db = service_.reads().acquire();
  Transaction snapshot(*db, Transaction::Mode::deferred);
  if (!store::find_webhook(*db, store_id, *row)) return not_found();
  DeliveryPage page;
  page.rows = store::list_deliveries(*db, *row, query.status, query.page);
  page.total = store::count_deliveries(*db, *row, query.status);
  return page;
}

Result<store::DeliveryRow> WebhookService::resend(int64_t store_id, const std::string& id,
                                                  const std::string& delivery_id) {
  std::optional<int64_t> webhook = service_.row_of(IdKind::webhook, id);
  std::optional<int64_t> delivery = service_.row_of(IdKind::delivery, delivery_id);
  if (!webhook || !delivery) return make_error(ApiCode::not_found, "No such delivery.");
  Result<store::DeliveryRow> result =
      service_.writer().run([&](Database& db) -> Result<store::DeliveryRow> {
        if (!store::find_webhook(db, store_id, *webhook) ||
            !store::resend_delivery(db, *webhook, *delivery, now_ms()))
          return make_error(ApiCode::not_found, "No such delivery.");
        return *store::find_delivery(db, *webhook, *delivery);
      });
  if (result.ok()) service_.outbox_written();
  return result;
}

WebhookView WebhookService::view(const store::WebhookRow& row) const {
  return WebhookView{service_.public_id(IdKind::webhook, row.id), row.url, row.description,
                     row.events, row.enabled, row.created_at, row.updated_at};
}

DeliveryView WebhookService::view(const store::DeliveryRow& row) const {
  DeliveryView v;
  v.id = service_.public_id(IdKind::delivery, row.id);
  v.event_id = service_.public_id(IdKind::event, row.event_id);
  v.event_type = row.event_type;
  v.status = row.status;
  v.attempts = row.attempts;
  v.next_attempt_at_ms = row.next_attempt_at;
  v.created_at_ms = row.created_at;
  v.delivered_at_ms = row.delivered_at;
  v.attempt_log = row.attempt_log;
  return v;
}

}  // namespace stockbell::server
