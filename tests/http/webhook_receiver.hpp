#pragma once
// A real HTTP receiver for webhook tests: an httplib::Server on a free loopback port, in its own
// thread, inside the test process. It records every request (headers and raw body, on arrival)
// and answers each with a programmable status after a programmable delay.
//
//   WebhookReceiver receiver;                          // listening on 127.0.0.1:<free port>
//   receiver.script({{500}, {500}});                   // the next two answers, then the default
//   api.post("/api/v1/webhooks", {{"url", receiver.url()}});
//   REQUIRE(receiver.wait_for_count(3));
//   receiver.requests()[0].header("Stockbell-Event-Id");
//
// Delays end early when the receiver stops, so a hanging receiver never slows a test's teardown.

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace stockbell::testing {

/// How the receiver answers one request.
struct Reply {
  Reply(int status_code = 200, std::chrono::milliseconds wait = {}, std::string redirect = {})
      : status(status_code), delay(wait), location(std::move(redirect)) {}

  /// The status and headers at once, then a body that never ends: one byte every `interval`
  /// (chunked), until the receiver stops.
  static Reply dripping(int status_code, std::chrono::milliseconds interval) {
    Reply reply(status_code);
    reply.drip = interval;
    return reply;
  }

  int status = 200;
  std::chrono::milliseconds delay{0};  ///< wait this long before answering
  std::string location;                ///< a `Location` header, for redirects
  std::chrono::milliseconds drip{0};   ///< see dripping()
};

/// One request as it arrived.
struct ReceivedRequest {
  std::string method;
  std::string path;    ///< without the query
  std::string target;  ///< path and query as sent
  httplib::Headers headers;
  std::string body;  ///< the raw bytes
  std::chrono::steady_clock::time_point at;
  Reply reply;  ///< what it was (or is being) answered

  /// The header's value ("" when absent); names are case-insensitive.
  std::string header(const std::string& name) const;
  /// How many times the header was sent.
  size_t header_count(const std::string& name) const;
  bool answered_2xx() const { return reply.status >= 200 && reply.status < 300; }
};

class WebhookReceiver {
 public:
  /// Listens on `host` (an IP literal: "127.0.0.1", "::1") at a free port.
  explicit WebhookReceiver(const std::string& host = "127.0.0.1");
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  int port() const { return port_; }
  /// `http://127.0.0.1:PORT` (`http://[::1]:PORT` for IPv6) + `path_and_query`.
  std::string url(const std::string& path_and_query = "/hook") const;

  /// Answers for the next requests, in arrival order (after any still queued); then the default.
  void script(std::vector<Reply> replies);
  /// The answer once the script is used up (initially 200 at once). Also drops the script.
  void set_default(Reply reply);

  /// Every request so far, in arrival order.
  std::vector<ReceivedRequest> requests() const;
  size_t count() const;
  /// Waits until `done(requests())` holds; false if it still does not after `timeout`.
  bool wait_until(const std::function<bool(const std::vector<ReceivedRequest>&)>& done,
                  std::chrono::milliseconds timeout = std::chrono::seconds(15)) const;
  /// Waits until at least `n` requests arrived.
  bool wait_for_count(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(15)) const;

  /// Stops listening and cuts every pending delay short; idempotent.
  void stop();

 private:
  void handle(const httplib::Request& req, httplib::Response& res);

  httplib::Server server_;
  std::thread thread_;
  std::string host_;
  int port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool stopping_ = false;
  std::deque<Reply> script_;
  Reply default_;
  std::vector<ReceivedRequest> requests_;
};

/// A loopback port with a socket bound to it that never listens: a connection to it is refused,
/// and no other process can take the port while this object lives.
class ClosedPort {
 public:
  ClosedPort();
  ~ClosedPort();
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path_and_query = "/hook") const;

 private:
  int fd_ = -1;
  int port_ = 0;
};

/// Calls `done` every `step` until it returns true; false if it never did within `timeout`.
bool eventually(const std::function<bool()>& done,
                std::chrono::milliseconds timeout = std::chrono::seconds(15),
                std::chrono::milliseconds step = std::chrono::milliseconds(20));

}  // namespace stockbell::testing
