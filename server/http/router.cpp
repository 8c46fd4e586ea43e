#include "server/http/router.hpp"

#include <algorithm>

#include "core/limits.hpp"
#include "core/url.hpp"
#include "server/http/connection.hpp"
#include "server/http/log.hpp"
#include "server/http/paths.hpp"

namespace stockbell::server {
namespace {

bool route_matches(const Route& route, const std::vector<std::string>& segments) {
  if (route.pattern.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i)
    if (route.pattern[i] != "{}" && route.pattern[i] != segments[i]) return false;
  return true;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_json_media_type(const std::string& content_type) {
  const std::string type = lower(content_type.substr(0, content_type.find(';')));
  const auto begin = type.find_first_not_of(" \t");
  const auto end = type.find_last_not_of(" \t");
  if (begin == std::string::npos) return false;
  return type.substr(begin, end - begin + 1) == "application/json";
}

ApiCode code_for_status(int status) {
  switch (status) {
    case 400: return ApiCode::bad_request;
    case 408: return ApiCode::request_timeout;
    case 414: return ApiCode::uri_too_long;
    case 431: return ApiCode::headers_too_large;
    case 401: return ApiCode::unauthorized;
    case 403: return ApiCode::forbidden;
    case 404: return ApiCode::not_found;
    case 405: return ApiCode::method_not_allowed;
    case 413: return ApiCode::payload_too_large;
    case 415: return ApiCode::unsupported_media_type;
    case 429: return ApiCode::rate_limited;
    case 503: return ApiCode::unavailable;
    default: return status >= 500 ? ApiCode::internal : ApiCode::bad_request;
  }
}

}  // namespace

QueryParams query_params(const httplib::Request& req) {
  QueryParams params;
  for (const auto& [key, value] : req.params) params.emplace_back(key, value);
  return params;
}

Router::Router(const ServeConfig& config, UseCases use_cases, StaticFiles files)
    : config_(config),
      use_(use_cases),
      files_(std::move(files)),
      ip_limiter_(BucketPolicy{static_cast<double>(config.rate_ip_per_minute),
                               static_cast<double>(config.rate_ip_burst)}),
      email_limiter_(BucketPolicy{static_cast<double>(config.rate_email_per_hour) / 60.0,
                                  static_cast<double>(config.rate_email_burst)}) {
  for (size_t start = 0; start < config.trusted_proxies.size();) {
    size_t end = config.trusted_proxies.find(',', start);
    if (end == std::string::npos) end = config.trusted_proxies.size();
    if (std::optional<Cidr> cidr = Cidr::parse(config.trusted_proxies.substr(start, end - start)))
      trusted_proxies_.push_back(*cidr);
    start = end + 1;
  }
  using H = Router;
  routes_ = {
      {"GET", {"healthz"}, Access::open, &H::health},
      {"POST", {"api", "v1", "back-in-stock"}, Access::storefront, &H::register_request},
      {"GET", {"api", "v1", "back-in-stock"}, Access::secret, &H::list_requests},
      {"DELETE", {"api", "v1", "back-in-stock", "{}"}, Access::secret, &H::cancel_request},
      {"POST", {"api", "v1", "products"}, Access::secret, &H::upsert_products},
      {"GET", {"api", "v1", "products"}, Access::secret, &H::list_products},
      {"GET", {"api", "v1", "products", "{}"}, Access::secret, &H::get_product},
      {"DELETE", {"api", "v1", "products", "{}"}, Access::secret, &H::delete_product},
      {"GET", {"api", "v1", "events"}, Access::secret, &H::list_events},
      {"GET", {"api", "v1", "storefront", "availability"}, Access::storefront, &H::availability},
      {"POST", {"api", "v1", "webhooks"}, Access::secret, &H::create_webhook},
      {"GET", {"api", "v1", "webhooks"}, Access::secret, &H::list_webhooks},
      {"GET", {"api", "v1", "webhooks", "{}"}, Access::secret, &H::get_webhook},
      {"PATCH", {"api", "v1", "webhooks", "{}"}, Access::secret, &H::update_webhook},
      {"DELETE", {"api", "v1", "webhooks", "{}"}, Access::secret, &H::delete_webhook},
      {"POST", {"api", "v1", "webhooks", "{}", "rotate-secret"}, Access::secret,
       &H::rotate_webhook_secret},
      {"GET", {"api", "v1", "webhooks", "{}", "deliveries"}, Access::secret, &H::list_deliveries},
      {"POST", {"api", "v1", "webhooks", "{}", "deliveries", "{}", "retry"}, Access::secret,
       &H::resend_delivery},
      {"GET", {"api", "v1", "settings"}, Access::secret, &H::get_settings},
      {"PATCH", {"api", "v1", "settings"}, Access::secret, &H::update_settings},
      {"GET", {"api", "v1", "templates"}, Access::secret, &H::list_templates},
      {"PUT", {"api", "v1", "templates", "{}", "{}"}, Access::secret, &H::put_template},
      {"DELETE", {"api", "v1", "templates", "{}", "{}"}, Access::secret, &H::delete_template},
      {"POST", {"api", "v1", "templates", "{}", "{}", "preview"}, Access::secret,
       &H::preview_template},
      {"GET", {"api", "v1", "messages"}, Access::secret, &H::list_messages},
      {"GET", {"api", "v1", "subscribers", "{}"}, Access::secret, &H::get_subscriber},
      {"DELETE", {"api", "v1", "subscribers", "{}"}, Access::secret, &H::erase_subscriber},
      // The shopper's pages from an e-mail: the token in the path is the key.
      {"GET", {"u", "{}"}, Access::open, &H::unsubscribe_view},
      {"POST", {"u", "{}"}, Access::open, &H::unsubscribe_act},
      {"GET", {"c", "{}"}, Access::open, &H::confirm_view},
      {"POST", {"c", "{}"}, Access::open, &H::confirm_act},
  };
}

void Router::send_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body, "application/json; charset=utf-8");
}

void Router::send_error(httplib::Response& res, const ApiError& error) {
  if (error.code == ApiCode::unauthorized) res.set_header("WWW-Authenticate", "Bearer");
  send_json(res, http_status(error.code), error_envelope_json(error));
}

void Router::render_transport_error(const httplib::Request& req, httplib::Response& res) {
  if (!res.body.empty()) return;  // our own error, already rendered
  // An error httplib produced while reading: the rest of the connection's bytes can't be
  // trusted to start a request, so the connection closes after this answer.
  HttpServer::close_after_response();
  // Over a limit while reading: the head if it never completed, else the body.
  const bool in_body = req.has_header("Content-Length") || req.has_header("Transfer-Encoding");
  switch (HttpServer::request_over_limits()) {
    case HttpServer::OverLimit::time: res.status = 408; break;
    case HttpServer::OverLimit::size: res.status = in_body ? 413 : 431; break;
    case HttpServer::OverLimit::none: break;
  }
  const ApiCode code = code_for_status(res.status);
  ApiError error = make_error(code);
  if (code == ApiCode::payload_too_large)
    error = payload_too_large(kMaxBodyBytes);
  else if (code == ApiCode::request_timeout)
    error = in_body ? request_timeout(Late::body, config_.body_timeout_ms)
                    : request_timeout(Late::head, config_.head_timeout_ms);
  res.set_header("Cache-Control", "no-store");
  res.set_content(error_envelope_json(error), "application/json; charset=utf-8");
}

void Router::handle(const httplib::Request& req, httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  std::optional<std::vector<std::string>> segments = path_segments(req.target);
  if (!segments) {
    send_error(res, malformed_path());
    return;
  }
  const bool shopper_page =
      segments->size() == 2 && ((*segments)[0] == "u" || (*segments)[0] == "c");
  const bool api = (segments->size() >= 2 && (*segments)[0] == "api" && (*segments)[1] == "v1") ||
                   (segments->size() == 1 && (*segments)[0] == "healthz") || shopper_page;
  if (api) {
    dispatch_api(req, res, *segments);
    return;
  }
  std::string path = "/";
  for (size_t i = 0; i < segments->size(); ++i) path += (i ? "/" : "") + (*segments)[i];
  serve_static(req, res, path);
}

void Router::dispatch_api(const httplib::Request& req, httplib::Response& res,
                           const std::vector<std::string>& segments) {
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  std::vector<const Route*> matching;
  for (const Route& route : routes_)
    if (route_matches(route, segments)) matching.push_back(&route);
  if (matching.empty()) {
    send_error(res, no_such_endpoint(req.method, req.path));
    return;
  }
  std::optional<std::string> origin;
  if (req.has_header("Origin")) origin = normalize_origin(req.get_header_value("Origin"));
  if (method == "OPTIONS") {
    const bool storefront = std::any_of(matching.begin(), matching.end(), [](const Route* r) {
      return r->access == Access::storefront;
    });
    if (storefront && origin) {
      preflight(res, *origin);
      return;
    }
  }
  const Route* route = nullptr;
  std::string allowed;
  for (const Route* r : matching) {
    allowed += (allowed.empty() ? "" : ", ") + std::string(r->method);
    if (method == r->method) route = r;
  }
  if (route == nullptr) {
    res.set_header("Allow", allowed);
    send_error(res, method_not_allowed(req.method, allowed));
    return;
  }
  std::optional<Principal> principal;
  if (route->access != Access::open) {
    principal = authorize(req, res, route->access, origin);
    if (!principal) return;
  }
  // CORS: only for a publishable key's own allowed origins (authorize() refused the others).
  if (principal && origin && principal->kind == KeyKind::publishable) {
    res.set_header("Access-Control-Allow-Origin", *origin);
    res.set_header("Vary", "Origin");
  }
  RouteContext ctx{req, res, {}, principal.value_or(Principal{}), {}};
  if (principal && principal->kind == KeyKind::publishable) {
    ctx.client = client_address(req.remote_addr, req.get_header_value("X-Forwarded-For"),
                                trusted_proxies_);
    if (!within_limit(ip_limiter_, std::to_string(principal->store_id) + "|" + ctx.client, res))
      return;
  }
  for (size_t i = 0; i < segments.size(); ++i)
    if (route->pattern[i] == "{}") ctx.params.push_back(segments[i]);
  try {
    (this->*(route->handler))(ctx);
  } catch (const StorageUnavailable&) {
    send_error(res, make_error(ApiCode::unavailable));
  } catch (const std::exception& e) {
    log_failure(req, e.what());
    send_error(res, make_error(ApiCode::internal));
  }
}

bool Router::within_limit(RateLimiter& limiter, const std::string& key,
                           httplib::Response& res) {
  std::optional<int64_t> wait = limiter.take(key);
  if (!wait) return true;
  res.set_header("Retry-After", std::to_string(*wait));
  send_error(res, rate_limited(*wait));
  return false;
}

std::optional<Principal> Router::authorize(const httplib::Request& req, httplib::Response& res,
                                            Access access,
                                            const std::optional<std::string>& origin) {
  const AuthResult auth = use_.keys.authenticate(req.get_header_value("Authorization"));
  if (!auth.principal) {
    send_error(res, unauthorized(auth.problem));
    return std::nullopt;
  }
  const Principal& who = *auth.principal;
  if (who.kind == KeyKind::publishable) {
    if (access == Access::secret) {
      send_error(res, forbidden(Refusal::publishable_key));
      return std::nullopt;
    }
    if (req.has_header("Origin") &&
        (!origin || std::find(who.origins.begin(), who.origins.end(), *origin) == who.origins.end())) {
      send_error(res, forbidden(Refusal::origin_not_for_key));
      return std::nullopt;
    }
  }
  return auth.principal;
}

void Router::preflight(httplib::Response& res, const std::string& origin) {
  if (!use_.keys.origin_allowed(origin)) {
    send_error(res, forbidden(Refusal::origin_not_allowed));
    return;
  }
  res.status = 204;
  res.set_header("Access-Control-Allow-Origin", origin);
  res.set_header("Access-Control-Allow-Methods", "GET, POST");
  res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
  res.set_header("Access-Control-Max-Age", "600");
  res.set_header("Vary", "Origin");
}

bool Router::accept_json_body(RouteContext& ctx, size_t limit) {
  if (!is_json_media_type(ctx.req.get_header_value("Content-Type"))) {
    send_error(ctx.res, make_error(ApiCode::unsupported_media_type));
    return false;
  }
  if (ctx.req.body.size() > limit) {
    send_error(ctx.res, payload_too_large(limit));
    return false;
  }
  return true;
}

void Router::serve_static(const httplib::Request& req, httplib::Response& res,
                           const std::string& path) {
  const bool demo_page = path == "/" && config_.demo;
  const StaticFile* file = files_.find(demo_page ? "/demo/index.html" : path);
  const bool widget = path.rfind("/widget/", 0) == 0;
  const bool demo_asset = path.rfind("/demo/", 0) == 0 && config_.demo;
  if (file == nullptr || !(widget || demo_page || demo_asset)) {
    send_error(res, no_such_file(path));
    return;
  }
  if (req.method != "GET" && req.method != "HEAD") {
    res.set_header("Allow", "GET, HEAD");
    send_error(res, method_not_allowed());
    return;
  }
  res.set_header("ETag", file->etag);
  if (demo_page || demo_asset)
    res.set_header("Cache-Control", "no-store");  // the demo page carries this run's key
  else if (req.has_param("v"))
    res.set_header("Cache-Control", "public, max-age=31536000, immutable");  // versioned URL
  else
    res.set_header("Cache-Control", "public, max-age=300, stale-while-revalidate=86400");
  if (widget) res.set_header("Access-Control-Allow-Origin", "*");  // public, credential-free files
  if (req.get_header_value("If-None-Match") == file->etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(file->body, file->content_type);
}

}  // namespace stockbell::server
