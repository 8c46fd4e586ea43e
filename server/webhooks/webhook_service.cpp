#include "server/webhooks/webhook_service.hpp"

#include "core/limits.hpp"
#include "server/app/clock.hpp"
#include "server/app/keys.hpp"
#include "server/webhooks/target_check.hpp"

namespace stockbell::server {

std::optional<ApiError> WebhookService::refuse_private(const std::string& url) const {
  if (!public_only_ || !url_targets_private_host(url)) return std::nullopt;
  Problems problems;
  problems.add("url", FieldCode::private_address);
  return validation_error(problems);
}

Result<WebhookService::WithSecret> WebhookService::create(int64_t store_id,
                                                          const WebhookPatch& patch) {
  if (std::optional<ApiError> refused = refuse_private(patch.url.value)) return *refused;
  WithSecret out;
  out.secret = random_token("whsec_");
  Result<WebhookRecord> created = storage_.write([&](WriteTx& tx) -> Result<WebhookRecord> {
    if (tx.count_webhooks(store_id) >= static_cast<int64_t>(kMaxWebhooksPerStore)) {
      Problems problems;
      problems.add("", FieldCode::too_many_items, static_cast<int64_t>(kMaxWebhooksPerStore));
      return validation_error(problems);
    }
    WebhookRecord row;
    row.store_id = store_id;
    row.url = patch.url.value;
    row.description =
        patch.description.has_value() ? std::optional(patch.description.value) : std::nullopt;
    row.events = patch.events.has_value() ? patch.events.value : kAllEvents;
    row.enabled = patch.enabled.has_value() ? patch.enabled.value : true;
    row.secret = out.secret;
    row.created_at = row.updated_at = now_ms();
    row.id = tx.insert_webhook(row);
    return row;
  });
  if (!created.ok()) return created.error();
  out.webhook = std::move(created.value());
  return out;
}

std::vector<WebhookRecord> WebhookService::list(int64_t store_id) {
  return storage_.read([&](ReadTx& tx) { return tx.list_webhooks(store_id); });
}

Result<WebhookRecord> WebhookService::get(int64_t store_id, const std::string& id) {
  const std::optional<int64_t> row = storage_.ids().parse(IdKind::webhook, id);
  if (!row) return not_found(Resource::webhook);
  std::optional<WebhookRecord> webhook =
      storage_.read([&](ReadTx& tx) { return tx.find_webhook(store_id, *row); });
  if (!webhook) return not_found(Resource::webhook);
  return std::move(*webhook);
}

Result<WebhookRecord> WebhookService::update(int64_t store_id, const std::string& id,
                                             const WebhookPatch& patch) {
  const std::optional<int64_t> row = storage_.ids().parse(IdKind::webhook, id);
  if (!row) return not_found(Resource::webhook);
  if (patch.url.has_value())
    if (std::optional<ApiError> refused = refuse_private(patch.url.value)) return *refused;
  return storage_.write([&](WriteTx& tx) -> Result<WebhookRecord> {
    std::optional<WebhookRecord> webhook = tx.find_webhook(store_id, *row);
    if (!webhook) return not_found(Resource::webhook);
    if (patch.url.has_value()) webhook->url = patch.url.value;
    patch.description.apply_to(webhook->description);
    if (patch.events.has_value()) webhook->events = patch.events.value;
    if (patch.enabled.has_value()) webhook->enabled = patch.enabled.value;
    webhook->updated_at = now_ms();
    tx.update_webhook(*webhook);
    return *webhook;
  });
}

Result<std::string> WebhookService::remove(int64_t store_id, const std::string& id) {
  const std::optional<int64_t> row = storage_.ids().parse(IdKind::webhook, id);
  if (!row) return not_found(Resource::webhook);
  const bool deleted =
      storage_.write([&](WriteTx& tx) { return tx.delete_webhook(store_id, *row); });
  if (!deleted) return not_found(Resource::webhook);
  return storage_.ids().format(IdKind::webhook, *row);
}

Result<WebhookService::WithSecret> WebhookService::rotate_secret(int64_t store_id,
                                                                 const std::string& id) {
  const std::optional<int64_t> row = storage_.ids().parse(IdKind::webhook, id);
  if (!row) return not_found(Resource::webhook);
  const std::string secret = random_token("whsec_");
  return storage_.write([&](WriteTx& tx) -> Result<WithSecret> {
    std::optional<WebhookRecord> webhook = tx.find_webhook(store_id, *row);
    if (!webhook) return not_found(Resource::webhook);
    const int64_t now = now_ms();
    webhook->previous_secret = webhook->secret;
    webhook->previous_secret_until = now + kSecretRotationGraceMs;
    webhook->secret = secret;
    webhook->updated_at = now;
    tx.update_webhook(*webhook);
    return WithSecret{*webhook, secret};
  });
}

Result<WebhookService::DeliveryPage> WebhookService::deliveries(int64_t store_id,
                                                                const std::string& id,
                                                                const DeliveryListQuery& query) {
  const std::optional<int64_t> row = storage_.ids().parse(IdKind::webhook, id);
  if (!row) return not_found(Resource::webhook);
  return storage_.read([&](ReadTx& tx) -> Result<DeliveryPage> {
    if (!tx.find_webhook(store_id, *row)) return not_found(Resource::webhook);
    return DeliveryPage{tx.list_deliveries(*row, query.status, query.page),
                        tx.count_deliveries(*row, query.status)};
  });
}

Result<DeliveryRecord> WebhookService::resend(int64_t store_id, const std::string& id,
                                              const std::string& delivery_id) {
  const std::optional<int64_t> webhook = storage_.ids().parse(IdKind::webhook, id);
  const std::optional<int64_t> delivery = storage_.ids().parse(IdKind::delivery, delivery_id);
  if (!webhook || !delivery) return not_found(Resource::delivery);
  return storage_.write([&](WriteTx& tx) -> Result<DeliveryRecord> {
    if (!tx.find_webhook(store_id, *webhook) || !tx.resend_delivery(*webhook, *delivery, now_ms()))
      return not_found(Resource::delivery);
    return *tx.find_delivery(*webhook, *delivery);
  });
}

}  // namespace stockbell::server
