#include "server/http/transport.hpp"

#include <cstdio>

#include "core/limits.hpp"
#include "server/http/log.hpp"

namespace stockbell::server {
namespace {

// Requests httplib would frame or parse in a way a proxy in front might not: refused before
// their body is read, and the connection closed so no byte of it is taken for a request.
std::optional<ApiError> framing_problem(const httplib::Request& req) {
  const size_t lengths = req.get_header_value_count("Content-Length");
  for (size_t i = 1; i < lengths; ++i)
    if (req.get_header_value("Content-Length", i) != req.get_header_value("Content-Length", 0))
      return ambiguous_framing(Framing::conflicting_lengths);
  if (lengths > 0 && req.has_header("Transfer-Encoding"))
    return ambiguous_framing(Framing::length_and_chunked);
  return std::nullopt;
}

}  // namespace

void configure_transport(HttpServer& http, const ServeConfig& config, Router& router) {
  http.set_payload_max_length(kMaxBodyBytes);
  const auto threads = static_cast<size_t>(config.threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  auto handler = [&router](const httplib::Request& req, httplib::Response& res) {
    router.handle(req, res);
  };
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Patch(".*", handler);
  http.Delete(".*", handler);
  http.Options(".*", handler);
  // Once a head is in: refuse too many header lines and ambiguous framing before the body is
  // read, and keep httplib from parsing form bodies itself.
  http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    HttpServer::head_complete();  // the body's own clock starts
    if (req.headers.size() > kMaxHeaderLines) {
      HttpServer::close_after_response();
      Router::send_error(res, too_many_header_lines(kMaxHeaderLines));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (std::optional<ApiError> problem = framing_problem(req)) {
      HttpServer::close_after_response();
      Router::send_error(res, *problem);
      return httplib::Server::HandlerResponse::Handled;
    }
    // RFC 9112 §6.3: a request with neither Content-Length nor Transfer-Encoding has no body.
    // httplib 0.11.4 instead reads the body of such a POST, PUT, PATCH or DELETE until the
    // client closes its side, which a client waiting for the answer never does: `curl -X POST
    // .../rotate-secret` waited out the read timeout and got 400. Say what the RFC says. (Request
    // is const here but not in httplib's own frame; see below.)
    if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding"))
      const_cast<httplib::Request&>(req).headers.emplace("Content-Length", "0");
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
  if (config.log_requests) {
    // Method, path (no query: it may carry e-mails), status. Never headers: they carry keys.
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      std::fprintf(stderr, "%s %s %d\n", printable(req.method).c_str(),
                   printable(req.path).c_str(), res.status);
    });
  }
}

}  // namespace stockbell::server
