// The webhook routes (secret key only): endpoints and their deliveries.

#include "core/fields.hpp"
#include "core/query.hpp"
#include "core/responses.hpp"
#include "core/webhook.hpp"
#include "server/http_api.hpp"

namespace stockbell::server {
namespace {

constexpr size_t kWebhookBodyLimit = 16 * 1024;

QueryParams query_params(const httplib::Request& req) {
  QueryParams params;
  for (const auto& [key, value] : req.params) params.emplace_back(key, value);
  return params;
}

}  // namespace

void HttpApi::create_webhook(RouteContext& ctx) {
  if (!accept_json_body(ctx, kWebhookBodyLimit)) return;
  Result<WebhookPatch> patch = parse_webhook_create(ctx.req.body);
  if (!patch.ok()) return send_error(ctx.res, patch.error());
  Result<WebhookService::WithSecret> created = webhooks_.create(ctx.principal.store_id, patch.value());
  if (!created.ok()) return send_error(ctx.res, created.error());
  send_json(ctx.res, 200,
            success_json("webhook", webhook_json(webhooks_.view(created.value().webhook),
                                                 created.value().secret)));
}

void HttpApi::list_webhooks(RouteContext& ctx) {
  Json items = Json::array();
  for (const store::WebhookRow& row : webhooks_.list(ctx.principal.store_id))
    items.push_back(webhook_json(webhooks_.view(row)));
  send_json(ctx.res, 200, success_json("webhooks", std::move(items)));
}

void HttpApi::get_webhook(RouteContext& ctx) {
  Result<store::WebhookRow> row = webhooks_.get(ctx.principal.store_id, ctx.params[0]);
  if (!row.ok()) return send_error(ctx.res, row.error());
  send_json(ctx.res, 200, success_json("webhook", webhook_json(webhooks_.view(row.value()))));
}

void HttpApi::update_webhook(RouteContext& ctx) {
  if (!accept_json_body(ctx, kWebhookBodyLimit)) return;
  Result<WebhookPatch> patch = parse_webhook_update(ctx.req.body);
  if (!patch.ok()) return send_error(ctx.res, patch.error());
  Result<store::WebhookRow> row = webhooks_.update(ctx.principal.store_id, ctx.params[0], patch.value());
  if (!row.ok()) return send_error(ctx.res, row.error());
  send_json(ctx.res, 200, success_json("webhook", webhook_json(webhooks_.view(row.value()))));
}

void HttpApi::delete_webhook(RouteContext& ctx) {
  Result<bool> deleted = webhooks_.remove(ctx.principal.store_id, ctx.params[0]);
  if (!deleted.ok()) return send_error(ctx.res, deleted.error());
  send_json(ctx.res, 200, success_json("deleted", true));
}

void HttpApi::rotate_webhook_secret(RouteContext& ctx) {
  Result<WebhookService::WithSecret> rotated =
      webhooks_.rotate_secret(ctx.principal.store_id, ctx.params[0]);
  if (!rotated.ok()) return send_error(ctx.res, rotated.error());
  send_json(ctx.res, 200,
            success_json("webhook", webhook_json(webhooks_.view(rotated.value().webhook),
                                                 rotated.value().secret)));
}

void HttpApi::list_deliveries(RouteContext& ctx) {
  Result<DeliveryListQuery> query = parse_delivery_list_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  Result<WebhookService::DeliveryPage> page =
      webhooks_.deliveries(ctx.principal.store_id, ctx.params[0], query.value());
  if (!page.ok()) return send_error(ctx.res, page.error());
  Json items = Json::array();
  for (const store::DeliveryRow& row : page.value().rows)
    items.push_back(delivery_json(webhooks_.view(row)));
  send_json(ctx.res, 200,
            list_response_json("deliveries", std::move(items), page.value().rows.size(),
                               query.value().page, page.value().total));
}

void HttpApi::resend_delivery(RouteContext& ctx) {
  Result<store::DeliveryRow> row =
      webhooks_.resend(ctx.principal.store_id, ctx.params[0], ctx.params[1]);
  if (!row.ok()) return send_error(ctx.res, row.error());
  send_json(ctx.res, 200, success_json("delivery", delivery_json(webhooks_.view(row.value()))));
}

}  // namespace stockbell::server
