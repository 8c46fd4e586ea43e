#include "webhook_receiver.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace stockbell::testing {

using Clock = std::chrono::steady_clock;

std::string ReceivedRequest::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

size_t ReceivedRequest::header_count(const std::string& name) const {
  return headers.count(name);
}

WebhookReceiver::WebhookReceiver(const std::string& host) : host_(host) {
  // Only SO_REUSEADDR: httplib's default SO_REUSEPORT would let another socket share the port.
  server_.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    handle(req, res);
  };
  server_.Post(".*", handler);
  server_.Put(".*", handler);
  server_.Get(".*", handler);
  port_ = server_.bind_to_any_port(host_);
  if (port_ <= 0) throw std::runtime_error("webhook receiver: cannot bind a port on " + host_);
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // stop() is ignored until the accept loop runs: wait for it.
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(10);
  while (!server_.is_running()) {
    if (Clock::now() > deadline) {
      stop();
      throw std::runtime_error("webhook receiver: the server thread did not start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

WebhookReceiver::~WebhookReceiver() {
  stop();
}

std::string WebhookReceiver::url(const std::string& path_and_query) const {
  const bool ipv6 = host_.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_) +
         path_and_query;
}

void WebhookReceiver::script(std::vector<Reply> replies) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (Reply& r : replies) script_.push_back(std::move(r));
}

void WebhookReceiver::set_default(Reply reply) {
  std::lock_guard<std::mutex> lock(mutex_);
  script_.clear();
  default_ = std::move(reply);
}

std::vector<ReceivedRequest> WebhookReceiver::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

size_t WebhookReceiver::count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_.size();
}

bool WebhookReceiver::wait_until(
    const std::function<bool(const std::vector<ReceivedRequest>&)>& done,
    std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return done(requests_); });
}

bool WebhookReceiver::wait_for_count(size_t n, std::chrono::milliseconds timeout) const {
  return wait_until([n](const std::vector<ReceivedRequest>& r) { return r.size() >= n; }, timeout);
}

void WebhookReceiver::handle(const httplib::Request& req, httplib::Response& res) {
  Reply reply;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!script_.empty()) {
      reply = script_.front();
      script_.pop_front();
    } else {
      reply = default_;
    }
    ReceivedRequest r;
    r.method = req.method;
    r.path = req.path;
    r.target = req.target;
    r.headers = req.headers;
    r.body = req.body;
    r.at = Clock::now();
    r.reply = reply;
    requests_.push_back(std::move(r));
  }
  changed_.notify_all();
  if (reply.delay.count() > 0) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, reply.delay, [this] { return stopping_; });
  }
  res.status = reply.status;
  if (!reply.location.empty()) res.set_header("Location", reply.location);
  if (reply.drip.count() > 0) {
    const std::chrono::milliseconds interval = reply.drip;
    res.set_chunked_content_provider(
        "application/json", [this, interval](size_t, httplib::DataSink& sink) {
          std::unique_lock<std::mutex> lock(mutex_);
          if (changed_.wait_for(lock, interval, [this] { return stopping_; })) {
            sink.done();
            return true;
          }
          lock.unlock();
          return sink.write(" ", 1);
        });
    return;
  }
  res.set_content("{\"received\":true}", "application/json");
}

void WebhookReceiver::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  changed_.notify_all();
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

ClosedPort::ClosedPort() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t size = sizeof address;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    const std::string error = std::strerror(errno);
    ::close(fd_);
    throw std::runtime_error("binding a closed port: " + error);
  }
  port_ = ntohs(address.sin_port);
}

ClosedPort::~ClosedPort() {
  if (fd_ >= 0) ::close(fd_);
}

std::string ClosedPort::url(const std::string& path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds step) {
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(step);
  }
}

}  // namespace stockbell::testing
