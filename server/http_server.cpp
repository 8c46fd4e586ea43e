#include "server/http_server.hpp"

#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <thread>

#include "core/version.hpp"
#include "core/fields.hpp"
#include "server/connection.hpp"
#include "server/demo.hpp"
#include "server/http_api.hpp"
#include "server/read_pool.hpp"
#include "server/service.hpp"
#include "server/webhook_dispatcher.hpp"
#include "server/webhook_service.hpp"
#include "server/writer.hpp"

#ifndef STOCKBELL_DEFAULT_WEB_ROOT
#define STOCKBELL_DEFAULT_WEB_ROOT ""
#endif

namespace stockbell::server {
namespace {

constexpr const char* kDemoKeyPlaceholder = "%STOCKBELL_PUBLISHABLE_KEY%";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

constexpr size_t kMaxHeaderLines = 100;

// Requests httplib would frame or parse in a way a proxy in front might not: refused before
// their body is read, and the connection closed so no byte of it is taken for a request.
std::optional<std::string> framing_problem(const httplib::Request& req) {
  const size_t lengths = req.get_header_value_count("Content-Length");
  for (size_t i = 1; i < lengths; ++i)
    if (req.get_header_value("Content-Length", i) != req.get_header_value("Content-Length", 0))
      return "Conflicting Content-Length headers.";
  if (lengths > 0 && req.has_header("Transfer-Encoding"))
    return "Both Content-Length and Transfer-Encoding: the body's length is ambiguous.";
  return std::nullopt;
}

void configure_http(httplib::Server& http, const ServeConfig& config, HttpApi& api) {
  http.set_payload_max_length(kMaxUpsertBodyBytes);
  const int threads = config.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  auto handler = [&api](const httplib::Request& req, httplib::Response& res) { api.handle(req, res); };
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
      HttpApi::send_error(res, make_error(ApiCode::headers_too_large,
                                          "More than " + std::to_string(kMaxHeaderLines) +
                                              " header lines."));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (std::optional<std::string> problem = framing_problem(req)) {
      HttpServer::close_after_response();
      HttpApi::send_error(res, make_error(ApiCode::bad_request, *problem));
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
  http.set_error_handler([&api](const httplib::Request& req, httplib::Response& res) {
    api.render_transport_error(req, res);
  });
  http.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          log_failure(req, e.what());
        } catch (...) {
        }
        HttpApi::send_error(res, make_error(ApiCode::internal));
      });
  if (config.log_requests) {
    // Method, path (no query: it may carry e-mails), status. Never headers: they carry keys.
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      std::fprintf(stderr, "%s %s %d\n", printable(req.method).c_str(),
                   printable(req.path).c_str(), res.status);
    });
  }
}

}  // namespace

int serve(const ServeConfig& config) {
  // Signals are taken by one thread with sigwait; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  const std::string web_root = config.web_root.empty() ? STOCKBELL_DEFAULT_WEB_ROOT : config.web_root;
  Writer writer(config.db, Writer::Options{});
  ReadPool reads(config.db);
  Service service(writer, reads);
  WebhookService webhooks(service, config.webhooks_public_only);
  WebhookDispatcher::Options dispatch;
  dispatch.timeout_ms = config.webhook_timeout_ms;
  dispatch.public_only = config.webhooks_public_only;
  dispatch.retry.first_delay_ms = config.webhook_retry_first_ms;
  dispatch.retry.max_delay_ms = config.webhook_retry_max_ms;
  dispatch.retry.give_up_after_ms = config.webhook_give_up_ms;
  WebhookDispatcher dispatcher(service, dispatch);
  service.set_outbox_listener([&dispatcher] { dispatcher.wake(); });
  StaticFiles files = StaticFiles::load(web_root);

  ConnectionLimits limits;
  limits.head_timeout_ms = static_cast<int>(config.head_timeout_ms);
  limits.body_timeout_ms = static_cast<int>(config.body_timeout_ms);
  HttpServer http(limits);
  // Socket options apply to the listening socket, which accepted connections inherit: they must
  // be set before binding. Without TCP_NODELAY every keep-alive answer stalls ~40 ms (Nagle and
  // delayed ACK); httplib's default options also set SO_REUSEPORT, which lets a second server
  // silently share a taken port, so only SO_REUSEADDR is set.
  http.set_tcp_nodelay(true);
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const int port = config.port == 0 ? http.bind_to_any_port(config.host)
                                    : (http.bind_to_port(config.host, config.port) ? config.port : -1);
  if (port < 0) {
    std::fprintf(stderr, "stockbell: cannot listen on %s:%d\n", config.host.c_str(), config.port);
    return 1;
  }
  const std::string base = "http://" + (config.host == "0.0.0.0" ? std::string("127.0.0.1") : config.host) +
                           ":" + std::to_string(port);
  std::string demo_secret;
  if (config.demo) {
    if (files.find("/demo/index.html") == nullptr) {
      std::fprintf(stderr, "stockbell: --demo needs the web root with demo/ (looked in '%s')\n",
                   web_root.c_str());
      return 1;
    }
    std::vector<std::string> origins = {"http://127.0.0.1:" + std::to_string(port),
                                        "http://localhost:" + std::to_string(port)};
    if (config.host != "127.0.0.1" && config.host != "0.0.0.0" && config.host != "localhost")
      origins.push_back("http://" + config.host + ":" + std::to_string(port));
    const DemoKeys keys = seed_demo(service, read_file(web_root + "/demo/catalog.json"), origins);
    files.substitute("/demo/index.html", kDemoKeyPlaceholder, keys.publishable);
    demo_secret = keys.secret;
  }

  HttpApi api(config, service, webhooks, std::move(files));
  configure_http(http, config, api);

  std::printf("stockbell %s listening on %s (database %s)\n", STOCKBELL_VERSION, base.c_str(),
              config.db.c_str());
  if (config.demo) {
    std::printf("demo storefront: %s/\n", base.c_str());
    std::printf("demo secret key (shown once): %s\n", demo_secret.c_str());
  }
  std::fflush(stdout);

  std::atomic<bool> listen_ended{false};
  std::thread signal_thread([&http, &listen_ended, signals] {
    int received = 0;
    sigwait(&signals, &received);
    if (received == SIGUSR1) return;  // our own wake-up: listening already ended
    // httplib ignores stop() until its accept loop runs; a signal right after start waits.
    while (!listen_ended.load()) {
      if (http.is_running()) {
        http.stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });

  dispatcher.start();
  http.listen_after_bind();  // returns once stopped and every in-flight request is answered
  listen_ended = true;
  dispatcher.stop();  // attempts under way finish and are recorded
  writer.stop();
  std::fprintf(stderr, "stockbell: %zu writes in %zu transactions\n", writer.jobs(), writer.commits());
  pthread_kill(signal_thread.native_handle(), SIGUSR1);  // harmless if it already returned
  signal_thread.join();
  std::fprintf(stderr, "stockbell: stopped\n");
  return 0;
}

}  // namespace stockbell::server
