#pragma once
// Connections: cpp-httplib parses requests and routes them, but the loop that serves one
// connection is ours. httplib 0.11.4's own loop bounds each read (5 s) but not a whole request,
// so a client sending one byte a second holds a worker for ever (slowloris); it drops pipelined
// requests (its read buffer lives per request); it polls idle keep-alive connections every
// 10 ms; and it keeps idle connections for their full keep-alive time after a stop.
//
// Here one stream lives as long as its connection (pipelined bytes survive), each request must
// arrive within its time (the head in `head_timeout_ms`, the body in `body_timeout_ms`) and
// `max_request_bytes` (head and body), idle
// connections sleep in poll() and are closed at once when the server stops, and a handler can
// ask for the connection to be closed after its answer (ambiguous framing, transport errors).

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <vector>

namespace stockbell::server {

struct ConnectionLimits {
  int io_timeout_ms = 5000;       ///< one read or write
  int head_timeout_ms = 5000;     ///< from a request's first byte to the end of its head
  int body_timeout_ms = 30000;    ///< from the end of the head to the end of the body
  int idle_timeout_ms = 5000;     ///< between requests on a keep-alive connection
  size_t max_request_bytes = 0;   ///< head + body; 0: payload limit + 64 KiB of head
  size_t max_requests = 100000;   ///< per connection
};

class HttpServer : public httplib::Server {
 public:
  explicit HttpServer(ConnectionLimits limits) : limits_(limits) {}

  /// Closes the connection serving the calling thread's request after its answer.
  static void close_after_response();
  /// The calling thread's request head is complete: its body gets body_timeout_ms from now.
  static void head_complete();

  enum class OverLimit { none, time, size };
  /// Whether the calling thread's request ran out of time or bytes while being read.
  static OverLimit request_over_limits();

 private:
  bool process_and_close_socket(socket_t sock) override;

  ConnectionLimits limits_;
};

}  // namespace stockbell::server
