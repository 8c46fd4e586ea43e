// The store platform routes: connecting Shopify and WooCommerce (secret key), their signed
// webhook receivers, and Sequenzy's WooCommerce storefront capture.

#include <algorithm>

#include "core/back_in_stock.hpp"
#include "core/integration.hpp"
#include "core/limits.hpp"
#include "core/query.hpp"
#include "core/responses.hpp"
#include "core/url.hpp"
#include "server/http/log.hpp"
#include "server/http/router.hpp"

namespace stockbell::server {
namespace {

// The first of the header names present (Shopify's newer Events deliveries drop the `X-`).
std::optional<std::string> header(const httplib::Request& req,
                                  std::initializer_list<const char*> names) {
  for (const char* name : names)
    if (req.has_header(name)) return req.get_header_value(name);
  return std::nullopt;
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == ':' || c == '[' || c == ']';
}

}  // namespace

std::string Router::public_base(const httplib::Request& req) const {
  // `--public-url` names this server as the world reaches it; without it, the request says.
  if (!config_.public_url.empty()) {
    std::string base = config_.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
  }
  std::string host = req.get_header_value("Host");
  if (host.empty() || host.size() > 255 || !std::all_of(host.begin(), host.end(), is_host_char))
    host = req.local_addr + ":" + std::to_string(req.local_port);
  std::string scheme = "http";
  const bool via_proxy = std::any_of(trusted_proxies_.begin(), trusted_proxies_.end(),
                                     [&](const Cidr& c) { return c.contains(req.remote_addr); });
  if (via_proxy && req.get_header_value("X-Forwarded-Proto") == "https") scheme = "https";
  return scheme + "://" + host;
}

void Router::list_integrations(RouteContext& ctx) {
  Result<IntegrationListQuery> query = parse_integration_list_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  Json items = Json::array();
  const std::string base = public_base(ctx.req);
  for (const IntegrationRecord& r : use_.integrations.list(ctx.principal.store_id))
    items.push_back(integration_json(r, base));
  send_json(ctx.res, 200, success_json("integrations", std::move(items)));
}

void Router::connect_integration(RouteContext& ctx, Platform platform) {
  if (!accept_json_body(ctx, kMaxIntegrationBodyBytes)) return;
  Result<IntegrationRecord> r =
      use_.integrations.connect(ctx.principal.store_id, platform, ctx.req.body);
  if (!r.ok()) return send_error(ctx.res, r.error());
  send_json(ctx.res, 200,
            success_json("integration", integration_json(r.value(), public_base(ctx.req))));
}

void Router::connect_shopify(RouteContext& ctx) {
  connect_integration(ctx, Platform::shopify);
}
void Router::connect_woocommerce(RouteContext& ctx) {
  connect_integration(ctx, Platform::woocommerce);
}

void Router::disconnect_integration(RouteContext& ctx) {
  const std::optional<Platform> platform = parse_platform(ctx.params[0]);
  if (!platform) return send_error(ctx.res, not_found(Resource::integration));
  Result<bool> done = use_.integrations.disconnect(ctx.principal.store_id, *platform);
  if (!done.ok()) return send_error(ctx.res, done.error());
  send_json(ctx.res, 200, success_json("deleted", true));
}

void Router::platform_webhook(RouteContext& ctx, Platform platform) {
  const httplib::Request& req = ctx.req;
  if (req.body.size() > kMaxPlatformBodyBytes)
    return send_error(ctx.res, payload_too_large(kMaxPlatformBodyBytes));
  PlatformDelivery delivery;
  delivery.body = req.body;
  delivery.content_type = req.get_header_value("Content-Type");
  if (platform == Platform::shopify) {
    delivery.topic = header(req, {"X-Shopify-Topic", "Shopify-Topic"});
    delivery.signature = header(req, {"X-Shopify-Hmac-Sha256", "Shopify-Hmac-Sha256"});
    delivery.delivery_id = header(req, {"X-Shopify-Webhook-Id", "Shopify-Webhook-Id"});
    delivery.shop_domain = header(req, {"X-Shopify-Shop-Domain", "Shopify-Shop-Domain"});
  } else {
    delivery.topic = header(req, {"X-WC-Webhook-Topic"});
    delivery.signature = header(req, {"X-WC-Webhook-Signature"});
    // The code sends X-WC-Webhook-Delivery-ID; the REST docs call it X-WC-Delivery-ID.
    delivery.delivery_id = header(req, {"X-WC-Webhook-Delivery-ID", "X-WC-Delivery-ID"});
  }
  Result<std::string> outcome = use_.platforms.receive(platform, ctx.params[0], delivery);
  if (!outcome.ok()) {
    const ApiError& error = outcome.error();
    if (error.code == ApiCode::validation_failed || error.code == ApiCode::invalid_json)
      log_refusal(req, std::string(platform_name(platform)) + " " +
                           delivery.topic.value_or("(no topic)") + ": " + error.message);
    return send_error(ctx.res, error);
  }
  send_json(ctx.res, 200, outcome.value());
}

void Router::shopify_webhook(RouteContext& ctx) {
  platform_webhook(ctx, Platform::shopify);
}
void Router::woocommerce_webhook(RouteContext& ctx) {
  platform_webhook(ctx, Platform::woocommerce);
}

void Router::woocommerce_subscribe(RouteContext& ctx) {
  if (!accept_json_body(ctx, kMaxRequestBodyBytes)) return;
  Result<WooSubscribe> body = parse_woo_subscribe(ctx.req.body);
  if (!body.ok()) return send_error(ctx.res, body.error());
  const WooSubscribe& w = body.value();
  const std::optional<IntegrationRecord> store =
      use_.integrations.by_origin(Platform::woocommerce, w.store_origin);
  if (!store) return send_error(ctx.res, forbidden(Refusal::store_not_connected));
  // No key: the page the shopper is on must be the connected store's own.
  const std::optional<std::string> origin =
      ctx.req.has_header("Origin") ? normalize_origin(ctx.req.get_header_value("Origin"))
                                   : std::nullopt;
  if (origin != w.store_origin)
    return send_error(ctx.res, forbidden(Refusal::origin_not_for_store));
  ctx.res.set_header("Access-Control-Allow-Origin", *origin);
  ctx.res.set_header("Vary", "Origin");
  // The same limits as publishable-key traffic: per client address and per e-mail, per store.
  const std::string client = client_of(ctx.req);
  if (!within_limit(ip_limiter_, std::to_string(store->store_id) + "|" + client_bucket(client),
                    ctx.res) ||
      !within_registration_limits(store->store_id, w.email, ctx.res))
    return;
  BackInStockRequest request;
  request.product_id = w.product_id;
  request.variant_id = w.variant_id;
  request.product_title = w.product_title;
  request.variant_title = w.variant_title;
  request.customer.email = w.email;
  // The consent record of a storefront request: where it came from.
  RequestOrigin from;
  from.client_address = client;
  if (ctx.req.has_header("User-Agent")) from.user_agent = ctx.req.get_header_value("User-Agent");
  const RegisterOutcome outcome =
      use_.requests.register_request(store->store_id, Trust::publishable, request, from);
  send_json(ctx.res, 200, register_response_json(outcome, use_.ids, Trust::publishable));
}

}  // namespace stockbell::server
