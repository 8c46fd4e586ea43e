#pragma once
// HTTP ↔ core: routing, authentication, CORS, the error envelope and static files. One entry
// point (`handle`) receives every request httplib reads; the route handlers (routes.cpp) turn
// HTTP into core types, call the Service and render with core's builders.

#include <httplib.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "server/auth.hpp"
#include "server/config.hpp"
#include "server/rate_limit.hpp"
#include "server/service.hpp"
#include "server/static_files.hpp"
#include "server/webhook_service.hpp"

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

class HttpApi;
using RouteHandler = void (HttpApi::*)(RouteContext&);

struct Route {
  const char* method;
  std::vector<std::string> pattern;  ///< path segments; "{}" matches any one segment
  Access access;
  RouteHandler handler;
};

class HttpApi {
 public:
  HttpApi(const ServeConfig& config, Service& service, WebhookService& webhooks,
          StaticFiles files);

  /// Every request goes through here.
  void handle(const httplib::Request& req, httplib::Response& res);
  /// Fills the body of an error status httplib produced itself (400, 413, 414, ...).
  void render_transport_error(const httplib::Request& req, httplib::Response& res);

  static void send_json(httplib::Response& res, int status, const std::string& body);
  static void send_error(httplib::Response& res, const ApiError& error);

  // Route handlers (routes.cpp).
  void health(RouteContext& ctx);
  void register_request(RouteContext& ctx);
  void list_requests(RouteContext& ctx);
  void cancel_request(RouteContext& ctx);
  void upsert_products(RouteContext& ctx);
  void list_products(RouteContext& ctx);
  void get_product(RouteContext& ctx);
  void delete_product(RouteContext& ctx);
  void list_events(RouteContext& ctx);
  void availability(RouteContext& ctx);
  // Webhook route handlers (webhook_routes.cpp).
  void create_webhook(RouteContext& ctx);
  void list_webhooks(RouteContext& ctx);
  void get_webhook(RouteContext& ctx);
  void update_webhook(RouteContext& ctx);
  void delete_webhook(RouteContext& ctx);
  void rotate_webhook_secret(RouteContext& ctx);
  void list_deliveries(RouteContext& ctx);
  void resend_delivery(RouteContext& ctx);

 private:
  void dispatch_api(const httplib::Request& req, httplib::Response& res,
                    const std::vector<std::string>& segments);
  void serve_static(const httplib::Request& req, httplib::Response& res, const std::string& path);
  void preflight(const httplib::Request& req, httplib::Response& res, const std::string& origin);
  std::optional<Principal> authorize(const httplib::Request& req, httplib::Response& res,
                                     Access access, const std::optional<std::string>& origin);
  /// Reads a JSON body within `limit` bytes; sends 415/413 and returns false otherwise.
  bool accept_json_body(RouteContext& ctx, size_t limit);

  /// 429 with Retry-After if the storefront bucket for `key` is empty.
  bool within_limit(RateLimiter& limiter, const std::string& key, httplib::Response& res);

  const ServeConfig& config_;
  Service& service_;
  WebhookService& webhooks_;
  StaticFiles files_;
  std::vector<Route> routes_;
  Authenticator authenticator_;
  RateLimiter ip_limiter_;
  RateLimiter email_limiter_;
  std::vector<Cidr> trusted_proxies_;
};

/// `text` with control characters escaped as `\xNN`, for log lines a request can't forge.
std::string printable(const std::string& text);
/// Logs (stderr) that handling `req` failed with `what`.
void log_failure(const httplib::Request& req, const char* what);

/// Splits a request target's path into percent-decoded segments:
/// `/v1/products/SKU%2F1?x` → {"api", "v1", "products", "SKU/1"} (the `/v1` alias is mapped onto
/// `/api/v1`). Returns nullopt for a malformed escape.
std::optional<std::vector<std::string>> path_segments(const std::string& target);

}  // namespace stockbell::server
