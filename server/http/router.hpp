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
#include "server/app/catalog.hpp"
#include "server/app/keys.hpp"
#include "server/app/requests.hpp"
#include "server/app/settings.hpp"
#include "server/app/status.hpp"
#include "server/config.hpp"
#include "server/http/rate_limit.hpp"
#include "server/http/static_files.hpp"
#include "server/mail/mail_service.hpp"
#include "server/webhooks/webhook_service.hpp"

namespace stockbell::server {

/// Who may call a route.
enum class Access {
  open,        ///< no key (health check)
  storefront,  ///< a publishable or a secret key
  secret,      ///< a secret key only
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
};

/// The use cases the routes call.
struct UseCases {
  KeyService& keys;
  RequestService& requests;
  CatalogService& catalog;
  WebhookService& webhooks;
  SettingsService& settings;
  StatusService& status;
  MailService& mail;
  const IdCodec& ids;
};

class Router {
 public:
  Router(const ServeConfig& config, UseCases use_cases, StaticFiles files);

  /// Every request goes through here.
  void handle(const httplib::Request& req, httplib::Response& res);
  /// Fills the body of an error status httplib produced itself (400, 413, 414, ...).
  void render_transport_error(const httplib::Request& req, httplib::Response& res);

  /// The route table (tests check every route is covered by the access tests).
  const std::vector<Route>& routes() const { return routes_; }

  static void send_json(httplib::Response& res, int status, const std::string& body);
  static void send_error(httplib::Response& res, const ApiError& error);

 private:
  // Route handlers: routes_status.cpp, routes_requests.cpp, routes_catalog.cpp,
  // routes_webhooks.cpp, routes_settings.cpp, routes_mail.cpp, routes_pages.cpp.
  void health(RouteContext& ctx);
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

  void dispatch_api(const httplib::Request& req, httplib::Response& res,
                    const std::vector<std::string>& segments);
  void serve_static(const httplib::Request& req, httplib::Response& res, const std::string& path);
  void preflight(httplib::Response& res, const std::string& origin);
  std::optional<Principal> authorize(const httplib::Request& req, httplib::Response& res,
                                     Access access, const std::optional<std::string>& origin);
  /// Checks the JSON body is within `limit` bytes; sends 415/413 and returns false otherwise.
  bool accept_json_body(RouteContext& ctx, size_t limit);
  /// 429 with Retry-After if the storefront bucket for `key` is empty.
  bool within_limit(RateLimiter& limiter, const std::string& key, httplib::Response& res);

  const ServeConfig& config_;
  UseCases use_;
  StaticFiles files_;
  std::vector<Route> routes_;
  RateLimiter ip_limiter_;
  RateLimiter email_limiter_;
  std::vector<Cidr> trusted_proxies_;
};

/// The query parameters of a request, in order, for core's query parsers.
QueryParams query_params(const httplib::Request& req);

}  // namespace stockbell::server
