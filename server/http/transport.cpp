#include "server/http/transport.hpp"

#include <cstdio>

#include "core/limits.hpp"
#include "server/http/log.hpp"
#include "server/http/request_scope.hpp"
#include "server/ops/log.hpp"
#include "server/ops/metrics.hpp"

namespace stockbell::server {
namespace {

// Counts an answered request and, with --log-requests, logs it: method, path (no query: it may
// carry e-mails), status, duration, request id. Never headers: they carry keys. The JSON line
// names the route template instead of the path, so a token in a path never reaches it.
void answered(const std::string& method, const std::string& path, int status, bool log) {
  const RequestScope& scope = current_request();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - scope.start).count();
  metrics().observe_request(method, scope.route, status, seconds);
  if (!log) return;
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", seconds * 1000.0);
  if (log_format() == LogFormat::json) {
    log_line("info", "request",
             {{"requestId", scope.id}, {"method", printable(method)}, {"route", scope.route},
              {"status", status}, LogField::decimal("durationMs", duration),
              {"store", scope.store}});
    return;
  }
  const std::string line = printable(method) + " " + scrub(printable(path)) + " " +
                           std::to_string(status) + " " + duration + "ms " + scope.id + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

void configure_transport(HttpServer& http, const ServeConfig& config, Router& router) {
  (void)config;
  http.set_payload_max_length(kMaxBodyBytes);
  // The front (connection.cpp) asks before it reads a body whether the key lets it in, and has
  // its own refusals (framing, size, time, encoding) rendered like every other error.
  http.set_head_check([&router](const httplib::Request& head, httplib::Response& refusal,
                                 size_t& body_limit) {
    try {
      return router.refuse_before_body(head, refusal, body_limit);
    } catch (const std::exception&) {
      // The key lookup failed (the store is unavailable): the worker's own check answers it.
      return false;
    }
  });
  http.set_front_answered([&config](const std::string& method, const std::string& target,
                                     const httplib::Response& res) {
    answered(method.empty() ? "-" : method, target.substr(0, target.find('?')), res.status,
             config.log_requests);
  });
  http.set_front_error([](const ApiError& error, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    Router::send_error(res, error);
  });
  auto handler = [&router](const httplib::Request& req, httplib::Response& res) {
    router.handle(req, res);
  };
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Patch(".*", handler);
  http.Delete(".*", handler);
  http.Options(".*", handler);
  // Framing, sizes, time and encoding were checked by the front before the body was read.
  // Here: refuse too many header lines, and keep httplib from parsing form bodies itself.
  http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    current_request().id = request_id_from(req.get_header_value("X-Request-Id"));
    if (req.headers.size() > kMaxHeaderLines) {
      HttpServer::close_after_response();
      Router::send_error(res, too_many_header_lines(kMaxHeaderLines));
      return httplib::Server::HandlerResponse::Handled;
    }
    // httplib parses form bodies itself before any handler runs (a JSON body sent as
    // multipart/form-data got a bare 400, a form over 8 KiB a 413). Relabel them, so the body is
    // read as is and the route answers 415 like for any other wrong Content-Type. (Request is
    // const here but not in httplib's own frame, which owns it.)
    const std::string type = req.get_header_value("Content-Type");
    if (req.is_multipart_form_data() || type.rfind("application/x-www-form-urlencoded", 0) == 0) {
      auto range = const_cast<httplib::Request&>(req).headers.equal_range("Content-Type");
      for (auto it = range.first; it != range.second; ++it) it->second = "application/x-form-not-parsed";
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_error_handler([&router](const httplib::Request& req, httplib::Response& res) {
    router.render_transport_error(req, res);
  });
  http.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          log_failure(req, e.what());
        } catch (...) {
        }
        Router::send_error(res, make_error(ApiCode::internal));
      });
  // Every answer names its request (the id the client sent when sane, else a new one), but what
  // the widget loads before a shopper interacts, when it succeeds: its static files and its
  // availability read. The widget's budget on the wire before interaction (6,144 bytes, README
  // "Performance") has no room for ~50 more bytes per answer, and its script can't read the
  // header anyway (not exposed to CORS). Every error carries one.
  http.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    const std::string& route = current_request().route;
    if (res.status < 400 && (route == "static" || route == "/api/v1/storefront/availability"))
      return;
    res.set_header("X-Request-Id", current_request().id);
  });
  http.set_logger([&config](const httplib::Request& req, const httplib::Response& res) {
    answered(req.method, req.path, res.status, config.log_requests);
  });
}

}  // namespace stockbell::server
