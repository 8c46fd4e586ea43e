#pragma once
// Connections: an event-driven front in front of cpp-httplib.
//
// One I/O thread owns every socket (epoll, non-blocking, one-shot events). It accepts, reads a
// request's head within `head_timeout_ms` and its body within `body_timeout_ms`, and decides
// everything that must be decided before a body is read: the framing (RFC 9112 §6: one decimal
// Content-Length, or `Transfer-Encoding: chunked` alone, else 400; neither means an empty body,
// also for a POST), the size (413 from the declared length), the encoding (any
// `Content-Encoding` but `identity` is 415: nothing is ever inflated) and, through the head
// check, the key (401/403 before the body). Only a COMPLETE request, head and body in one
// buffer, goes to a worker thread. So an idle, slow or trickling connection costs a few hundred
// bytes and no thread; a worker is busy only while a handler runs.
//
// The worker hands the buffer to cpp-httplib's own `process_request` through a Stream over
// memory (reads come from the buffer, writes go to an output buffer), so httplib still parses
// the request line and headers and routes exactly as before (the hostile-input corpus pins that
// behaviour), then sends the answer itself (non-blocking; the I/O thread finishes a partial
// send). Why not replace httplib: its parsing and response writing are well tested by that
// corpus, and the measured cost of parsing a head twice is small next to a durable write
// (docs/architecture.md, "Connections").
//
// Caps: `max_connections` in all (the oldest idle keep-alive connection is closed to make room,
// then the oldest unfinished head; else the new connection is closed), `max_per_client` per
// client address (IPv4 address or IPv6 /64; trusted proxies exempt), a real listen backlog.
// Pipelined requests are answered in order (one request per connection at a worker at a time).
// stop(): the listener closes, idle connections close at once, requests being read or handled
// are finished and answered with `Connection: close`; run() returns when none is left.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/errors.hpp"

namespace stockbell::server {

struct ConnectionLimits {
  int head_timeout_ms = 5000;      ///< from a request's first byte to the end of its head
  int body_timeout_ms = 30000;     ///< from the end of the head to the end of the body
  int read_timeout_ms = 5000;      ///< no byte of a request begun for this long: 408
  int idle_timeout_ms = 5000;      ///< between requests on a keep-alive connection
  int write_timeout_ms = 5000;     ///< an answer that makes no progress for this long
  size_t max_body_bytes = 0;       ///< the largest body read (413 beyond); 0: 1 MiB
  size_t max_head_bytes = 0;       ///< 431 beyond; 0: core's kMaxHeadBytes
  size_t unauthenticated_body_bytes = 4096;  ///< a refused request's body read to keep the line
  size_t max_connections = 10000;  ///< open connections in all
  size_t max_per_client = 256;     ///< open connections per client address (0: no cap)
  int backlog = 4096;              ///< listen(2) backlog
  size_t threads = 32;             ///< workers: requests handled at once
  size_t max_requests = 100000;    ///< per connection
};

/// A request's head as the front read it, for the head check (method, target, headers): true and
/// a filled `refusal` to refuse it; else it may lower `body_limit` (the route's own limit).
using HeadCheck = std::function<bool(const httplib::Request& head, httplib::Response& refusal,
                                     size_t& body_limit)>;
/// Renders an error answer of the front (400, 408, 413, 415, 431) into `res`.
using FrontError = std::function<void(const ApiError& error, httplib::Response& res)>;
/// Told of every answer the front gives itself (method and target empty when no head was read),
/// after the current request scope (request_scope.hpp) names its id: the log and the metrics.
using FrontAnswered = std::function<void(const std::string& method, const std::string& target,
                                         const httplib::Response& res)>;
/// True for a peer exempt from the per-client cap (a trusted proxy).
using ExemptPeer = std::function<bool(const std::string& address)>;

class HttpServer : public httplib::Server {
 public:
  explicit HttpServer(ConnectionLimits limits);
  ~HttpServer() override;

  /// Called on the I/O thread once a head with a body is in, before the body is read: true and
  /// a filled `refusal` to answer at once (the body is then read only up to
  /// `unauthenticated_body_bytes`, else the connection closes).
  void set_head_check(HeadCheck check) { head_check_ = std::move(check); }
  void set_front_error(FrontError render) { front_error_ = std::move(render); }
  void set_exempt_peer(ExemptPeer exempt) { exempt_peer_ = std::move(exempt); }
  void set_front_answered(FrontAnswered answered) { front_answered_ = std::move(answered); }

  /// Binds and listens; the port (the chosen one for 0), or -1.
  int bind_and_listen(const std::string& host, int port);
  /// Serves until stop(); returns once every request being read or handled is answered.
  void run();
  /// From any thread (a signal thread): stop accepting and drain.
  void stop();
  bool running() const { return running_.load(); }

  /// Closes the connection serving the calling worker's request after its answer.
  static void close_after_response();

  struct Impl;

 private:
  ConnectionLimits limits_;
  HeadCheck head_check_;
  FrontError front_error_;
  ExemptPeer exempt_peer_;
  FrontAnswered front_answered_;
  std::atomic<bool> running_{false};
  std::unique_ptr<Impl> impl_;
};

}  // namespace stockbell::server
