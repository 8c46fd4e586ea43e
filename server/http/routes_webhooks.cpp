// The webhook routes (secret key only): endpoints and their deliveries.

#include "core/limits.hpp"
#include "core/query.hpp"
#include "core/responses.hpp"
#include "core/webhook.hpp"
#include "server/http/router.hpp"

namespace stockbell::server {

void Router::create_webhook(RouteContext& ctx) {
  if (!accept_json_body(ctx, kMaxWebhookBodyBytes)) return;
  Result<WebhookPatch> patch = parse_webhook_create(ctx.req.body);
  if (!patch.ok()) return send_error(ctx.res, patch.error());
  Result<WebhookService::WithSecret> created = use_.webhooks.create(ctx.principal.store_id, patch.value());
  if (!created.ok()) return send_error(ctx.res, created.error());
  send_json(ctx.res, 200,
            success_json("webhook", webhook_json(created.value().webhook, use_.ids,
                                                 created.value().secret)));
}

void Router::list_webhooks(RouteContext& ctx) {
  Result<WebhookListQuery> query = parse_webhook_list_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  Json items = Json::array();
  for (const WebhookRecord& row : use_.webhooks.list(ctx.principal.store_id))
    items.push_back(webhook_json(row, use_.ids));
  send_json(ctx.res, 200, success_json("webhooks", std::move(items)));
}

void Router::get_webhook(RouteContext& ctx) {
  Result<WebhookRecord> row = use_.webhooks.get(ctx.principal.store_id, ctx.params[0]);
  if (!row.ok()) return send_error(ctx.res, row.error());
  send_json(ctx.res, 200, success_json("webhook", webhook_json(row.value(), use_.ids)));
}

void Router::update_webhook(RouteContext& ctx) {
  if (!accept_json_body(ctx, kMaxWebhookBodyBytes)) return;
  Result<WebhookPatch> patch = parse_webhook_update(ctx.req.body);
  if (!patch.ok()) return send_error(ctx.res, patch.error());
  Result<WebhookRecord> row = use_.webhooks.update(ctx.principal.store_id, ctx.params[0], patch.value());
  if (!row.ok()) return send_error(ctx.res, row.error());
  send_json(ctx.res, 200, success_json("webhook", webhook_json(row.value(), use_.ids)));
}

void Router::delete_webhook(RouteContext& ctx) {
  Result<std::string> deleted = use_.webhooks.remove(ctx.principal.store_id, ctx.params[0]);
  if (!deleted.ok()) return send_error(ctx.res, deleted.error());
  send_json(ctx.res, 200, deleted_response_json("webhookId", deleted.value()));
}

void Router::rotate_webhook_secret(RouteContext& ctx) {
  Result<WebhookService::WithSecret> rotated =
      use_.webhooks.rotate_secret(ctx.principal.store_id, ctx.params[0]);
  if (!rotated.ok()) return send_error(ctx.res, rotated.error());
  send_json(ctx.res, 200,
            success_json("webhook", webhook_json(rotated.value().webhook, use_.ids,
                                                 rotated.value().secret)));
}

void Router::list_deliveries(RouteContext& ctx) {
  Result<DeliveryListQuery> query = parse_delivery_list_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  Result<WebhookService::DeliveryPage> page =
      use_.webhooks.deliveries(ctx.principal.store_id, ctx.params[0], query.value());
  if (!page.ok()) return send_error(ctx.res, page.error());
  Json items = Json::array();
  for (const DeliveryRecord& row : page.value().rows)
    items.push_back(delivery_json(row, use_.ids));
  send_json(ctx.res, 200,
            list_response_json("deliveries", std::move(items), page.value().rows.size(),
                               query.value().page, page.value().total));
}

void Router::resend_delivery(RouteContext& ctx) {
  Result<DeliveryRecord> row =
      use_.webhooks.resend(ctx.principal.store_id, ctx.params[0], ctx.params[1]);
  if (!row.ok()) return send_error(ctx.res, row.error());
  send_json(ctx.res, 200, success_json("delivery", delivery_json(row.value(), use_.ids)));
}

}  // namespace stockbell::server
