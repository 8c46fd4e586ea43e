#include "server/http/connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace stockbell::server {
namespace {

using Clock = std::chrono::steady_clock;

std::string address_of(const sockaddr_storage& addr, int& port) {
  char text[INET6_ADDRSTRLEN] = {0};
  if (addr.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(addr);
    inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
    port = ntohs(in.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(addr);
    inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
    port = ntohs(in6.sin6_port);
  }
  return text;
}

// One connection's stream, alive for the whole connection.
class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(socket_t sock, const ConnectionLimits& limits)
      : sock_(sock), limits_(limits), buffer_(16 * 1024) {}

  void begin_request() {
    deadline_ = Clock::now() + std::chrono::milliseconds(limits_.head_timeout_ms);
    bytes_this_request_ = 0;
    over_limits_ = HttpServer::OverLimit::none;
  }

  HttpServer::OverLimit over_limits() const { return over_limits_; }

  void head_complete() {
    deadline_ = Clock::now() + std::chrono::milliseconds(limits_.body_timeout_ms);
  }

  /// Waits for the next request. False on idle timeout, a closed peer, or a stopping server.
  bool wait_for_request(const std::atomic<socket_t>& listening) {
    if (offset_ < filled_) return true;
    const auto until = Clock::now() + std::chrono::milliseconds(limits_.idle_timeout_ms);
    while (listening != INVALID_SOCKET) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left.count() <= 0) return false;
      pollfd p{sock_, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 100)));
      if (ready > 0) return (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0 && peer_has_data();
      if (ready < 0 && errno != EINTR) return false;
    }
    return false;  // the server is stopping: close idle connections now
  }

  bool is_readable() const override {
    return offset_ < filled_ || wait(POLLIN, limits_.io_timeout_ms);
  }

  bool is_writable() const override { return wait(POLLOUT, limits_.io_timeout_ms); }

  ssize_t read(char* ptr, size_t size) override {
    if (offset_ == filled_) {
      if (bytes_this_request_ >= max_bytes()) {
        over_limits_ = HttpServer::OverLimit::size;
        return -1;
      }
      if (!wait(POLLIN, limits_.io_timeout_ms)) {
        if (Clock::now() >= deadline_) over_limits_ = HttpServer::OverLimit::time;
        return -1;
      }
      ssize_t n;
      do {
        n = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      offset_ = 0;
      filled_ = static_cast<size_t>(n);
      bytes_this_request_ += static_cast<size_t>(n);
    }
    const size_t count = std::min(size, filled_ - offset_);
    std::memcpy(ptr, buffer_.data() + offset_, count);
    offset_ += count;
    return static_cast<ssize_t>(count);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!wait(POLLOUT, limits_.io_timeout_ms)) return -1;
    ssize_t n;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t length = sizeof addr;
    if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&addr), &length) == 0)
      ip = address_of(addr, port);
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t length = sizeof addr;
    if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&addr), &length) == 0)
      ip = address_of(addr, port);
  }

  socket_t socket() const override { return sock_; }

 private:
  size_t max_bytes() const { return limits_.max_request_bytes; }

  // Waits for `events` for at most `timeout_ms`, and never past the request's deadline.
  bool wait(short events, int timeout_ms) const {
    const auto until = std::min(deadline_, Clock::now() + std::chrono::milliseconds(timeout_ms));
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left.count() <= 0) return false;
      pollfd p{sock_, events, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
      if (ready > 0) return (p.revents & events) != 0 || (p.revents & (POLLHUP | POLLERR)) != 0;
      if (ready < 0 && errno != EINTR) return false;
    }
  }

  // A readable socket may only be saying the peer closed; keep-alive waits must tell apart.
  bool peer_has_data() const {
    char byte;
    ssize_t n;
    do {
      n = ::recv(sock_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    return n > 0;
  }

  socket_t sock_;
  const ConnectionLimits& limits_;
  std::vector<char> buffer_;
  size_t offset_ = 0;
  size_t filled_ = 0;
  Clock::time_point deadline_ = Clock::time_point::max();
  size_t bytes_this_request_ = 0;
  HttpServer::OverLimit over_limits_ = HttpServer::OverLimit::none;
};

struct CurrentConnection {
  ConnectionStream* stream = nullptr;
  bool close = false;
};
thread_local CurrentConnection current;

}  // namespace

void HttpServer::close_after_response() { current.close = true; }

void HttpServer::head_complete() {
  if (current.stream != nullptr) current.stream->head_complete();
}

HttpServer::OverLimit HttpServer::request_over_limits() {
  return current.stream != nullptr ? current.stream->over_limits() : OverLimit::none;
}

bool HttpServer::process_and_close_socket(socket_t sock) {
  ConnectionLimits limits = limits_;
  if (limits.max_request_bytes == 0) limits.max_request_bytes = payload_max_length_ + 64 * 1024;
  ConnectionStream stream(sock, limits);
  current = CurrentConnection{&stream, false};
  bool ok = true;
  for (size_t served = 0; served < limits.max_requests; ++served) {
    if (!stream.wait_for_request(svr_sock_)) break;
    stream.begin_request();
    const bool last = served + 1 == limits.max_requests || svr_sock_ == INVALID_SOCKET;
    bool closed_by_client = false;
    ok = process_request(stream, last, closed_by_client, nullptr);
    if (!ok || closed_by_client || current.close || last) break;
  }
  current = CurrentConnection{};
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace stockbell::server
