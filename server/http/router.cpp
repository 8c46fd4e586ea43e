#include "server/http/router.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>

#include "core/email.hpp"
#include "core/limits.hpp"
#include "core/url.hpp"
#include "server/http/connection.hpp"
#include "server/http/log.hpp"
#include "server/http/paths.hpp"
#include "server/http/request_scope.hpp"
#include "server/ops/metrics.hpp"

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

std::string Route::template_path() const {
  std::string out;
  for (const std::string& segment : pattern) out += "/" + segment;
  return out;
}

std::string page_csp(const std::string& html) {
  std::string hashes;
  const std::string open = "<script>";
  const std::string close = "</script>";
  for (size_t at = html.find(open); at != std::string::npos; at = html.find(open, at)) {
    const size_t begin = at + open.size();
    const size_t end = html.find(close, begin);
    if (end == std::string::npos) break;
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(html.data() + begin), end - begin, digest);
    unsigned char base64[64];
    EVP_EncodeBlock(base64, digest, sizeof digest);
    hashes += " 'sha256-" + std::string(reinterpret_cast<char*>(base64)) + "'";
    at = end;
  }
  return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" + hashes +
         "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
         "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

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
                                  static_cast<double>(config.rate_email_burst)}),
      store_limiter_(BucketPolicy{static_cast<double>(config.rate_store_per_minute),
                                  static_cast<double>(config.rate_store_per_minute)}) {
  trusted_proxies_ = parse_cidr_list(config.trusted_proxies);
  if (const StaticFile* demo = files_.find("/demo/index.html")) demo_csp_ = page_csp(demo->identity.bytes);
  routes_ = route_table();
}

std::vector<Route> Router::route_table() {
  using H = Router;
  // Every route is in docs/openapi.json too (tests/server/test_openapi.cpp checks both ways).
  return {
      {"GET", {"healthz"}, Access::open, &H::health},
      {"GET", {"openapi.json"}, Access::open, &H::openapi},
      {"GET", {"readyz"}, Access::open, &H::ready},
      {"GET", {"metrics"}, Access::open, &H::metrics_text},
      {"POST", {"api", "v1", "back-in-stock"}, Access::storefront, &H::register_request,
       kMaxRequestBodyBytes},
      {"GET", {"api", "v1", "back-in-stock"}, Access::secret, &H::list_requests},
      {"DELETE", {"api", "v1", "back-in-stock", "{}"}, Access::secret, &H::cancel_request},
      {"POST", {"api", "v1", "products"}, Access::secret, &H::upsert_products, kMaxUpsertBodyBytes},
      {"GET", {"api", "v1", "products"}, Access::secret, &H::list_products},
      {"GET", {"api", "v1", "products", "{}"}, Access::secret, &H::get_product},
      {"DELETE", {"api", "v1", "products", "{}"}, Access::secret, &H::delete_product},
      {"GET", {"api", "v1", "events"}, Access::secret, &H::list_events},
      {"GET", {"api", "v1", "storefront", "availability"}, Access::storefront, &H::availability},
      {"POST", {"api", "v1", "webhooks"}, Access::secret, &H::create_webhook, kMaxWebhookBodyBytes},
      {"GET", {"api", "v1", "webhooks"}, Access::secret, &H::list_webhooks},
      {"GET", {"api", "v1", "webhooks", "{}"}, Access::secret, &H::get_webhook},
      {"PATCH", {"api", "v1", "webhooks", "{}"}, Access::secret, &H::update_webhook,
       kMaxWebhookBodyBytes},
      {"DELETE", {"api", "v1", "webhooks", "{}"}, Access::secret, &H::delete_webhook},
      {"POST", {"api", "v1", "webhooks", "{}", "rotate-secret"}, Access::secret,
       &H::rotate_webhook_secret},
      {"GET", {"api", "v1", "webhooks", "{}", "deliveries"}, Access::secret, &H::list_deliveries},
      {"POST", {"api", "v1", "webhooks", "{}", "deliveries", "{}", "retry"}, Access::secret,
       &H::resend_delivery},
      // Sequenzy's name for the same action (replay_webhook_delivery).
      {"POST", {"api", "v1", "webhooks", "{}", "deliveries", "{}", "replay"}, Access::secret,
       &H::resend_delivery},
      {"GET", {"api", "v1", "settings"}, Access::secret, &H::get_settings},
      {"PATCH", {"api", "v1", "settings"}, Access::secret, &H::update_settings,
       kMaxSettingsBodyBytes},
      {"POST", {"api", "v1", "inventory"}, Access::secret, &H::update_inventory},
      {"POST", {"api", "v1", "orders"}, Access::secret, &H::push_order},
      {"GET", {"api", "v1", "stats", "conversions"}, Access::secret, &H::conversion_stats},
      {"GET", {"api", "v1", "integrations"}, Access::secret, &H::list_integrations},
      {"DELETE", {"api", "v1", "integrations", "{}"}, Access::secret, &H::disconnect_integration},
      {"PUT", {"api", "v1", "integrations", "shopify"}, Access::secret, &H::connect_shopify},
      {"PUT", {"api", "v1", "integrations", "woocommerce"}, Access::secret, &H::connect_woocommerce},
      {"POST", {"api", "v1", "integrations", "shopify", "webhook", "{}"}, Access::platform,
       &H::shopify_webhook},
      {"POST", {"api", "v1", "integrations", "woocommerce", "webhook", "{}"}, Access::platform,
       &H::woocommerce_webhook},
      {"POST", {"api", "woocommerce", "back-in-stock", "subscribe"}, Access::platform,
       &H::woocommerce_subscribe, kMaxRequestBodyBytes},
      {"GET", {"dashboard", "sign-in"}, Access::open, &H::sign_in},
      {"GET", {"api", "v1", "session"}, Access::secret, &H::get_session},
      {"DELETE", {"api", "v1", "session"}, Access::secret, &H::sign_out},
      {"GET", {"api", "v1", "stats", "demand"}, Access::secret, &H::demand_stats},
      {"GET", {"api", "v1", "stats", "timeline"}, Access::secret, &H::timeline_stats},
      {"GET", {"api", "v1", "templates"}, Access::secret, &H::list_templates},
      {"PUT", {"api", "v1", "templates", "{}", "{}"}, Access::secret, &H::put_template,
       kMaxTemplateBodyBytes},
      {"DELETE", {"api", "v1", "templates", "{}", "{}"}, Access::secret, &H::delete_template},
      {"POST", {"api", "v1", "templates", "{}", "{}", "preview"}, Access::secret,
       &H::preview_template, kMaxTemplateBodyBytes},
      {"GET", {"api", "v1", "messages"}, Access::secret, &H::list_messages},
      {"GET", {"api", "v1", "subscribers", "{}"}, Access::secret, &H::get_subscriber},
      {"DELETE", {"api", "v1", "subscribers", "{}"}, Access::secret, &H::erase_subscriber},
      // The shopper's pages from an e-mail: the token in the path is the key.
      {"GET", {"u", "{}"}, Access::open, &H::unsubscribe_view},
      {"POST", {"u", "{}"}, Access::open, &H::unsubscribe_act, kMaxShopperFormBytes},
      {"GET", {"c", "{}"}, Access::open, &H::confirm_view},
      {"POST", {"c", "{}"}, Access::open, &H::confirm_act, kMaxShopperFormBytes},
  };
}

void Router::send_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body, "application/json; charset=utf-8");
}

void Router::send_error(httplib::Response& res, const ApiError& error) {
  if (error.code == ApiCode::unauthorized) res.set_header("WWW-Authenticate", "Bearer");
  // The envelope carries the request's id, so a client's complaint leads to the log line.
  Json body = error_envelope(error);
  body["requestId"] = current_request().id;
  send_json(res, http_status(error.code), dump(body));
}

void Router::render_transport_error(const httplib::Request& req, httplib::Response& res) {
  (void)req;
  if (!res.body.empty()) return;  // our own error, already rendered
  // An error httplib produced while parsing (the front has checked framing, sizes and time):
  // the rest of the connection's bytes can't be trusted to start a request, so it closes.
  HttpServer::close_after_response();
  const ApiCode code = code_for_status(res.status);
  ApiError error = make_error(code);
  if (code == ApiCode::payload_too_large) error = payload_too_large(kMaxBodyBytes);
  res.set_header("Cache-Control", "no-store");
  Json body = error_envelope(error);
  body["requestId"] = current_request().id;
  res.set_content(dump(body), "application/json; charset=utf-8");
}

bool Router::refuse_before_body(const httplib::Request& head, httplib::Response& refusal,
                                size_t& body_limit) {
  std::optional<std::vector<std::string>> segments = path_segments(head.target);
  if (!segments) return false;
  const std::string method = head.method == "HEAD" ? "GET" : head.method;
  const Route* route = nullptr;
  for (const Route& r : routes_)
    if (method == r.method && route_matches(r, *segments)) route = &r;
  if (route == nullptr) return false;
  body_limit = route->body_limit;
  current_request().route = route->template_path();
  // A platform's webhook proves itself by a signature over the body, which must be read first.
  if (route->access == Access::open || route->access == Access::platform) return false;
  std::optional<std::string> origin;
  if (head.has_header("Origin")) origin = normalize_origin(head.get_header_value("Origin"));
  refusal.set_header("X-Content-Type-Options", "nosniff");
  return !authorize(head, refusal, route->access, origin).has_value();
}

void Router::handle(const httplib::Request& req, httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  std::optional<std::vector<std::string>> segments = path_segments(req.target);
  if (!segments) {
    send_error(res, malformed_path());
    return;
  }
  // `/api/woocommerce/...`: Sequenzy's WooCommerce storefront capture; `/u/{token}` and
  // `/c/{token}`: the shopper's pages from an e-mail; `/dashboard/sign-in`: the one dashboard
  // path that is a route (it starts a session).
  const bool shopper_page =
      segments->size() == 2 && ((*segments)[0] == "u" || (*segments)[0] == "c");
  const bool api = (segments->size() >= 2 && (*segments)[0] == "api" &&
                    ((*segments)[1] == "v1" || (*segments)[1] == "woocommerce")) ||
                   (segments->size() == 1 &&
                    ((*segments)[0] == "healthz" || (*segments)[0] == "openapi.json" ||
                     (*segments)[0] == "readyz" || (*segments)[0] == "metrics")) ||
                   shopper_page ||
                   (segments->size() == 2 && (*segments)[0] == "dashboard" &&
                    (*segments)[1] == "sign-in");
  if (api) {
    dispatch_api(req, res, *segments);
    return;
  }
  std::string path = "/";
  for (size_t i = 0; i < segments->size(); ++i) path += (i ? "/" : "") + (*segments)[i];
  current_request().route = "static";
  serve_static(req, res, path);
}

void Router::dispatch_api(const httplib::Request& req, httplib::Response& res,
                           const std::vector<std::string>& segments) {
  try {
    route_api(req, res, segments);
  } catch (const StorageUnavailable& e) {
    metrics().count_database_error();
    res.set_header("Retry-After", std::to_string(retry_after_seconds(e.why())));
    send_error(res, unavailable(e.why()));
  } catch (const std::exception& e) {
    metrics().count_database_error();
    log_failure(req, e.what());
    send_error(res, make_error(ApiCode::internal));
  }
}

void Router::route_api(const httplib::Request& req, httplib::Response& res,
                       const std::vector<std::string>& segments) {
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  std::vector<const Route*> matching;
  for (const Route& route : routes_)
    if (route_matches(route, segments)) matching.push_back(&route);
  if (matching.empty()) {
    send_error(res, no_such_endpoint(req.method, req.path));
    return;
  }
  current_request().route = matching.front()->template_path();
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
    // The WooCommerce capture: only a connected store's own origin is offered CORS.
    if (segments.size() >= 2 && segments[1] == "woocommerce" && origin) {
      if (!use_.integrations.by_origin(Platform::woocommerce, *origin)) {
        send_error(res, forbidden(Refusal::origin_not_allowed));
        return;
      }
      res.status = 204;
      res.set_header("Access-Control-Allow-Origin", *origin);
      res.set_header("Access-Control-Allow-Methods", "POST");
      res.set_header("Access-Control-Allow-Headers", "Content-Type");
      res.set_header("Access-Control-Max-Age", "600");
      res.set_header("Vary", "Origin");
      return;
    }
  }
  const Route* route = nullptr;
  std::string allowed;
  for (const Route* r : matching) {
    allowed += (allowed.empty() ? "" : ", ") + std::string(r->method);
    if (method == r->method) route = r;
  }
  current_request().route = (route != nullptr ? route : matching.front())->template_path();
  if (route == nullptr) {
    res.set_header("Allow", allowed);
    send_error(res, method_not_allowed(req.method, allowed));
    return;
  }
  std::optional<Principal> principal;
  if (route->access != Access::open && route->access != Access::platform) {
    principal = authorize(req, res, route->access, origin);
    if (!principal) return;
  }
  if (principal) current_request().store = principal->store_name;
  // CORS: only for a publishable key's own allowed origins (authorize() refused the others).
  if (principal && origin && principal->kind == KeyKind::publishable) {
    res.set_header("Access-Control-Allow-Origin", *origin);
    res.set_header("Vary", "Origin");
  }
  RouteContext ctx{req, res, {}, principal.value_or(Principal{}), {}};
  if (principal && principal->kind == KeyKind::publishable) {
    ctx.client = client_of(req);
    if (!within_limit(ip_limiter_,
                      std::to_string(principal->store_id) + "|" + client_bucket(ctx.client), res))
      return;
  }
  for (size_t i = 0; i < segments.size(); ++i)
    if (route->pattern[i] == "{}") ctx.params.push_back(segments[i]);
  (this->*(route->handler))(ctx);
}

std::string Router::client_of(const httplib::Request& req) const {
  std::vector<std::string> forwarded;
  for (size_t i = 0, n = req.get_header_value_count("X-Forwarded-For"); i < n; ++i)
    forwarded.push_back(req.get_header_value("X-Forwarded-For", i));
  return client_address(req.remote_addr, forwarded, trusted_proxies_);
}

bool Router::within_registration_limits(int64_t store_id, const std::string& email,
                                        httplib::Response& res) {
  const std::string store = std::to_string(store_id);
  return within_limit(email_limiter_, store + "|" + email_mailbox_key(email), res) &&
         within_limit(store_limiter_, store, res);
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
  // Who is calling: a key in `Authorization`, else the dashboard's session cookie, which acts as
  // a secret key; a change made with the cookie also needs the session's CSRF token.
  if (!req.has_header("Authorization")) {
    if (const std::optional<std::string> token = session_cookie(req)) {
      std::optional<Principal> who = use_.sessions.authenticate(*token);
      if (!who) {
        send_error(res, unauthorized(KeyProblem::session_ended));
        return std::nullopt;
      }
      const bool change = req.method != "GET" && req.method != "HEAD";
      if (change &&
          !SessionService::csrf_matches(*token, req.get_header_value("X-CSRF-Token"))) {
        send_error(res, forbidden(Refusal::csrf_token));
        return std::nullopt;
      }
      return who;
    }
  }
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
  const bool dashboard_page = path == "/dashboard";  // also `/dashboard/` (same segments)
  const StaticFile* file = files_.find(demo_page         ? "/demo/index.html"
                                       : dashboard_page ? "/dashboard/index.html"
                                                        : path);
  const bool widget = path.rfind("/widget/", 0) == 0;
  const bool demo_asset = path.rfind("/demo/", 0) == 0 && config_.demo;
  const bool dashboard = dashboard_page || path.rfind("/dashboard/", 0) == 0;
  if (dashboard) set_page_headers(res);
  if (file == nullptr || !(widget || demo_page || demo_asset || dashboard)) {
    send_error(res, no_such_file(path));
    return;
  }
  if (req.method != "GET" && req.method != "HEAD") {
    res.set_header("Allow", "GET, HEAD");
    send_error(res, method_not_allowed());
    return;
  }
  // Precompressed at build time (web/build.mjs): brotli or gzip as the client accepts, never
  // compressed per request. Every answer names Accept-Encoding in Vary, so a cache between
  // keeps one copy per coding.
  const ContentCoding coding = choose_coding(req.get_header_value("Accept-Encoding"),
                                             file->br.has_value(), file->gzip.has_value());
  const StaticFile::Body& body = *file->body(coding);
  res.set_header("ETag", body.etag);
  res.set_header("Vary", "Accept-Encoding");
  if (demo_page || demo_asset) {
    res.set_header("Cache-Control", "no-store");  // the demo page carries this run's key
    // Nobody frames the demo page (clickjacking) and it runs only its own code.
    res.set_header("Content-Security-Policy", demo_csp_);
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
  } else if (dashboard_page) {
    res.set_header("Cache-Control", "no-store");  // its own headers: set_page_headers()
  } else if (req.has_param("v") && req.get_param_value("v") == file->version)
    // A versioned URL names exactly this content (the loader asks for FILE?v=<its hash>).
    res.set_header("Cache-Control", "public, max-age=31536000, immutable");
  else
    // The loader's own URL never changes: browsers check it again after 5 minutes.
    res.set_header("Cache-Control", "public, max-age=300, stale-while-revalidate=86400");
  if (widget) res.set_header("Access-Control-Allow-Origin", "*");  // public, credential-free files
  if (etag_matches(req.get_header_value("If-None-Match"), body.etag)) {
    res.status = 304;
    return;
  }
  res.status = 200;
  if (coding != ContentCoding::identity)
    res.set_header("Content-Encoding", coding == ContentCoding::br ? "br" : "gzip");
  // A provider of known length: httplib compresses a plain body itself when the client accepts
  // gzip (reading Accept-Encoding loosely, q=0 included), which would compress a precompressed
  // copy twice. The files live as long as the router.
  const std::string* bytes = &body.bytes;
  if (bytes->empty()) return res.set_content(std::string(), file->content_type);
  res.set_content_provider(bytes->size(), file->content_type,
                           [bytes](size_t offset, size_t length, httplib::DataSink& sink) {
                             sink.write(bytes->data() + offset, length);
                             return true;
                           });
}

}  // namespace stockbell::server
