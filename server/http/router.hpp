#pragma once
// HTTP ↔ use cases: the route table, authentication, CORS, rate limits, the error envelope and
// static files. One entry point (`handle`) receives every request httplib reads; the route
// handlers (routes_*.cpp) turn HTTP into core types, call a use case and render the answer with
// core's builders. Nothing here touches the database.

#include <httplib.h>

#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/limits.hpp"
#include "server/app/catalog.hpp"
#include "server/app/keys.hpp"
#include "server/app/orders.hpp"
#include "server/app/requests.hpp"
#include "server/app/sessions.hpp"
#include "server/app/settings.hpp"
#include "server/app/stats.hpp"
#include "server/app/status.hpp"
#include "server/config.hpp"
#include "server/http/rate_limit.hpp"
#include "server/http/static_files.hpp"
#include "server/mail/mail_service.hpp"
#include "server/platforms/integrations.hpp"
#include "server/platforms/receiver.hpp"
#include "server/webhooks/webhook_service.hpp"

namespace stockbell::server {

/// Who may call a route.
enum class Access {
  open,        ///< no key (health checks; `/metrics` checks the peer or its own token itself)
  storefront,  ///< a publishable or a secret key
  secret,      ///< a secret key only
  platform,    ///< no key: a store platform's signed webhook, or the WooCommerce storefront
               ///< capture (the connected store's origin); the handler authenticates
};

struct RouteContext {
  const httplib::Request& req;
  httplib::Response& res;
  std::vector<std::string> params;  ///< the `{}` segments of the route, percent-decoded
  Principal principal;
  std::string client;  ///< the client's address (storefront requests; see rate_limit.hpp)
};

class Router;
using RouteHandler = void (Router::*)(RouteContext&);

struct Route {
  const char* method;
  std::vector<std::string> pattern;  ///< path segments; "{}" matches any one segment
  Access access;
  RouteHandler handler;
  /// The largest body the route reads (core/limits.hpp): the connection front refuses a larger
  /// declared or chunked body with 413 before buffering it. The handler checks it too.
  size_t body_limit = kMaxBodyBytes;

  /// `/api/v1/webhooks/{}`: the route in the log and the metrics' labels.
  std::string template_path() const;
};

/// The use cases the routes call.
struct UseCases {
  KeyService& keys;
  RequestService& requests;
  CatalogService& catalog;
  WebhookService& webhooks;
  SettingsService& settings;
  StatusService& status;
  OrderService& orders;
  StatsService& stats;
  IntegrationService& integrations;
  PlatformReceiver& platforms;
  SessionService& sessions;
  MailService& mail;
  const IdCodec& ids;
};

class Router {
 public:
  Router(const ServeConfig& config, UseCases use_cases, StaticFiles files);

  /// Every request goes through here.
  void handle(const httplib::Request& req, httplib::Response& res);
  /// The connection front's check of a head whose body is not read yet: true (and the answer in
  /// `refusal`) if the route needs a key and the head's key is refused (401/403). Otherwise
  /// `body_limit` is the matched route's (unchanged when no route matches).
  bool refuse_before_body(const httplib::Request& head, httplib::Response& refusal,
                          size_t& body_limit);
  /// Fills the body of an error status httplib produced itself (400, 413, 414, ...).
  void render_transport_error(const httplib::Request& req, httplib::Response& res);

  /// The route table (tests check every route is covered by the access tests).
  const std::vector<Route>& routes() const { return routes_; }
  /// The same table without a router (tests check the OpenAPI document against it).
  static std::vector<Route> route_table();

  static void send_json(httplib::Response& res, int status, const std::string& body);
  static void send_error(httplib::Response& res, const ApiError& error);

 private:
  // Route handlers: routes_status.cpp, routes_requests.cpp, routes_catalog.cpp,
  // routes_webhooks.cpp, routes_settings.cpp, routes_mail.cpp, routes_pages.cpp.
  void health(RouteContext& ctx);
  // routes_ops.cpp
  void ready(RouteContext& ctx);
  void metrics_text(RouteContext& ctx);
  void register_request(RouteContext& ctx);
  void list_requests(RouteContext& ctx);
  void cancel_request(RouteContext& ctx);
  void list_events(RouteContext& ctx);
  void upsert_products(RouteContext& ctx);
  void list_products(RouteContext& ctx);
  void get_product(RouteContext& ctx);
  void delete_product(RouteContext& ctx);
  void availability(RouteContext& ctx);
  void create_webhook(RouteContext& ctx);
  void list_webhooks(RouteContext& ctx);
  void get_webhook(RouteContext& ctx);
  void update_webhook(RouteContext& ctx);
  void delete_webhook(RouteContext& ctx);
  void rotate_webhook_secret(RouteContext& ctx);
  void list_deliveries(RouteContext& ctx);
  void resend_delivery(RouteContext& ctx);
  void get_settings(RouteContext& ctx);
  void update_settings(RouteContext& ctx);
  // routes_orders.cpp, routes_platforms.cpp
  void update_inventory(RouteContext& ctx);
  void push_order(RouteContext& ctx);
  void conversion_stats(RouteContext& ctx);
  void list_integrations(RouteContext& ctx);
  void connect_shopify(RouteContext& ctx);
  void connect_woocommerce(RouteContext& ctx);
  void disconnect_integration(RouteContext& ctx);
  void shopify_webhook(RouteContext& ctx);
  void woocommerce_webhook(RouteContext& ctx);
  void woocommerce_subscribe(RouteContext& ctx);
  void platform_webhook(RouteContext& ctx, Platform platform);
  // routes_openapi.cpp
  void openapi(RouteContext& ctx);
  // routes_dashboard.cpp
  void sign_in(RouteContext& ctx);
  void get_session(RouteContext& ctx);
  void sign_out(RouteContext& ctx);
  void demand_stats(RouteContext& ctx);
  void timeline_stats(RouteContext& ctx);
  /// `GET /api/v1/back-in-stock?format=csv`: every request the filters match, streamed.
  void export_requests(RouteContext& ctx, RequestListQuery query);
  void connect_integration(RouteContext& ctx, Platform platform);
  /// The address this server is reached at, for URLs to paste elsewhere: `http://` + the
  /// request's Host (`https://` when a trusted proxy says X-Forwarded-Proto: https).
  std::string public_base(const httplib::Request& req) const;
  // routes_mail.cpp, routes_pages.cpp
  void list_templates(RouteContext& ctx);
  void put_template(RouteContext& ctx);
  void delete_template(RouteContext& ctx);
  void preview_template(RouteContext& ctx);
  void list_messages(RouteContext& ctx);
  void get_subscriber(RouteContext& ctx);
  void erase_subscriber(RouteContext& ctx);
  void unsubscribe_view(RouteContext& ctx);
  void unsubscribe_act(RouteContext& ctx);
  void confirm_view(RouteContext& ctx);
  void confirm_act(RouteContext& ctx);

  /// route_api, with machinery failures (the key lookup's too) answered 503/500.
  void dispatch_api(const httplib::Request& req, httplib::Response& res,
                    const std::vector<std::string>& segments);
  void route_api(const httplib::Request& req, httplib::Response& res,
                 const std::vector<std::string>& segments);
  void serve_static(const httplib::Request& req, httplib::Response& res, const std::string& path);
  void preflight(httplib::Response& res, const std::string& origin);
  std::optional<Principal> authorize(const httplib::Request& req, httplib::Response& res,
                                     Access access, const std::optional<std::string>& origin);
  /// Checks the JSON body is within `limit` bytes; sends 415/413 and returns false otherwise.
  bool accept_json_body(RouteContext& ctx, size_t limit);
  /// 429 with Retry-After if the storefront bucket for `key` is empty.
  bool within_limit(RateLimiter& limiter, const std::string& key, httplib::Response& res);
  /// The shopper's address: the peer, or what a trusted proxy's X-Forwarded-For lines name.
  std::string client_of(const httplib::Request& req) const;
  /// A storefront registration's limits beyond the per-address one: per mailbox (`ann+1@`,
  /// `a.nn@gmail.com` are one person's), then per store. False: answered 429.
  bool within_registration_limits(int64_t store_id, const std::string& email,
                                  httplib::Response& res);

  const ServeConfig& config_;
  UseCases use_;
  StaticFiles files_;
  std::vector<Route> routes_;
  RateLimiter ip_limiter_;
  RateLimiter email_limiter_;
  RateLimiter store_limiter_;
  std::vector<Cidr> trusted_proxies_;
  std::string demo_csp_;  ///< the demo page's Content-Security-Policy (its inline script by hash)
};

/// The Content-Security-Policy of a page: its own origin only, its inline `<script>` blocks by
/// SHA-256, WebAssembly compilation (the widget's core), no framing, no plugins, no `<base>`.
std::string page_csp(const std::string& html);

/// The query parameters of a request, in order, for core's query parsers.
QueryParams query_params(const httplib::Request& req);

/// The dashboard session token of the request's `Cookie` header (sessions.hpp), if any.
std::optional<std::string> session_cookie(const httplib::Request& req);
/// The headers of the dashboard's pages: a Content-Security-Policy allowing only this origin's
/// scripts and styles (no inline script), no framing, no Referer.
void set_page_headers(httplib::Response& res);

}  // namespace stockbell::server
