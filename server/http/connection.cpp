#include "server/http/connection.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/limits.hpp"
#include "server/http/framing.hpp"
#include "server/http/rate_limit.hpp"
#include "server/http/request_scope.hpp"
#include "server/ops/log.hpp"

namespace stockbell::server {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kReadPerEvent = 256 * 1024;  // then other connections get their turn
constexpr size_t kLingerBytes = 64 * 1024;    // read and dropped after a refusal, then close
// ...and after a 413 to a client whose key passed: its whole declared body up to this, so a
// client that sends a body before reading reads the answer instead of a reset.
constexpr size_t kLingerTooLargeBytes = 8 * 1024 * 1024;
constexpr int kLingerMs = 2000;
constexpr size_t kAcceptPerEvent = 256;
constexpr int kScanMs = 50;

std::string address_of(const sockaddr_storage& addr, int& port) {
  char text[INET6_ADDRSTRLEN] = {0};
  if (addr.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(addr);
    inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
    port = ntohs(in.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(addr);
    port = ntohs(in6.sin6_port);
    if (IN6_IS_ADDR_V4MAPPED(&in6.sin6_addr))  // a dual-stack listener's IPv4 peer
      inet_ntop(AF_INET, &in6.sin6_addr.s6_addr[12], text, sizeof text);
    else
      inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
  }
  return text;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

std::string serialize(const httplib::Response& res, bool close) {
  std::string out = "HTTP/1.1 " + std::to_string(res.status) + " " + reason_phrase(res.status) + "\r\n";
  for (const auto& [name, value] : res.headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(res.body.size()) + "\r\n";
  out += close ? "Connection: close\r\n\r\n" : "\r\n";
  return out + res.body;
}

// The request as the worker hands it to httplib: reads come from the complete request's bytes,
// writes go to an output buffer the worker then sends.
class RequestStream : public httplib::Stream {
 public:
  RequestStream(const std::string& request, const std::string& peer, int peer_port,
                const std::string& local, int local_port)
      : in_(request), peer_(peer), peer_port_(peer_port), local_(local), local_port_(local_port) {}

  bool is_readable() const override { return at_ < in_.size(); }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const size_t count = std::min(size, in_.size() - at_);
    std::memcpy(ptr, in_.data() + at_, count);
    at_ += count;
    return static_cast<ssize_t>(count);
  }
  ssize_t write(const char* ptr, size_t size) override {
    out_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = peer_;
    port = peer_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = local_;
    port = local_port_;
  }
  socket_t socket() const override { return INVALID_SOCKET; }

  std::string& output() { return out_; }

 private:
  const std::string& in_;
  size_t at_ = 0;
  std::string out_;
  const std::string& peer_;
  int peer_port_;
  const std::string& local_;
  int local_port_;
};

thread_local bool close_requested = false;

enum class Phase {
  idle,     ///< between requests (or before the first byte)
  head,     ///< a head has begun
  body,     ///< the head is in, the body is being read
  worker,   ///< a worker has the request
  writing,  ///< an answer waits for the socket
  linger,   ///< answered, write side shut: dropping what the client still sends, then close
  closed,
};


}  // namespace

struct Conn {
  int fd = -1;
  std::string peer;
  int peer_port = 0;
  std::string local;
  int local_port = 0;
  std::string bucket;  ///< per-client count key
  Phase phase = Phase::idle;
  Clock::time_point deadline;   ///< when the connection is closed (or answered 408)
  Clock::time_point phase_end;  ///< the end of the head's or body's own time
  std::list<Conn*>* list = nullptr;
  std::list<Conn*>::iterator at;

  std::string in;         ///< bytes read, not yet handed on
  size_t scan = 0;        ///< where the search for the end of the head resumes
  std::optional<RequestHead> head;
  std::optional<size_t> length;  ///< Content-Length
  std::optional<ChunkedBody> chunked;
  size_t discard = 0;     ///< body bytes of a refused request still to be dropped
  bool close_after = false;
  size_t served = 0;

  std::string request;  ///< the complete request at a worker
  std::string out;      ///< answer bytes not yet sent
  size_t out_at = 0;
  size_t lingered = 0;
  size_t linger_budget = kLingerBytes;
  size_t body_limit = 0;  ///< this request's (its route's, or the front's largest)
};

struct HttpServer::Impl {
  HttpServer& server;
  ConnectionLimits limits;
  int listener = -1;
  int epoll = -1;
  int wake = -1;  // eventfd: stop() and workers returning connections
  std::atomic<bool> stopping{false};

  // I/O thread only.
  size_t open = 0;
  size_t at_workers = 0;
  std::unordered_map<std::string, size_t> per_client;
  std::list<Conn*> idle, heads, bodies, writing, lingering;
  std::vector<Conn*> graveyard;
  Clock::time_point accept_paused_until{};
  Clock::time_point next_scan{};
  bool listener_armed = false;

  // Workers.
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<Conn*> queue;
  bool workers_stop = false;
  std::vector<Conn*> returned;
  std::vector<std::thread> workers;

  char listener_tag = 0;
  char wake_tag = 0;

  Impl(HttpServer& s, ConnectionLimits l) : server(s), limits(l) {}

  // --- lists and deadlines -------------------------------------------------------------------

  void place(Conn* c, Phase phase, std::list<Conn*>* list, int timeout_ms) {
    unlist(c);
    c->phase = phase;
    if (list != nullptr) {
      const Clock::time_point now = Clock::now();
      c->phase_end = now + milliseconds(timeout_ms);
      c->deadline = c->phase_end;
      if (phase == Phase::head || phase == Phase::body)  // and no read may stall longer
        c->deadline = std::min(c->phase_end, now + milliseconds(limits.read_timeout_ms));
      c->at = list->insert(list->end(), c);
      c->list = list;
    }
  }

  // Bytes arrived: a request being read gets another read_timeout_ms, within its phase's time.
  void progressed(Conn* c) {
    if (c->phase == Phase::head || c->phase == Phase::body)
      c->deadline = std::min(c->phase_end, Clock::now() + milliseconds(limits.read_timeout_ms));
  }
  void unlist(Conn* c) {
    if (c->list != nullptr) c->list->erase(c->at);
    c->list = nullptr;
  }

  void arm(Conn* c, uint32_t events) {
    epoll_event ev{};
    ev.events = events | EPOLLONESHOT;
    ev.data.ptr = c;
    epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &ev);
  }

  void close_conn(Conn* c) {
    if (c->phase == Phase::closed) return;
    unlist(c);
    c->phase = Phase::closed;
    ::close(c->fd);
    if (auto it = per_client.find(c->bucket); it != per_client.end() && --it->second == 0)
      per_client.erase(it);
    --open;
    graveyard.push_back(c);
  }

  // --- accepting -----------------------------------------------------------------------------

  void arm_listener(bool on) {
    if (listener < 0 || on == listener_armed) return;
    epoll_event ev{};
    ev.events = on ? static_cast<uint32_t>(EPOLLIN) : 0u;
    ev.data.ptr = &listener_tag;
    epoll_ctl(epoll, EPOLL_CTL_MOD, listener, &ev);
    listener_armed = on;
  }

  void accept_all() {
    for (size_t n = 0; n < kAcceptPerEvent; ++n) {
      sockaddr_storage addr{};
      socklen_t length = sizeof addr;
      const int fd = ::accept4(listener, reinterpret_cast<sockaddr*>(&addr), &length,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: the connection waits in the backlog; try again shortly.
          accept_paused_until = Clock::now() + milliseconds(100);
          arm_listener(false);
        }
        return;
      }
      auto c = std::make_unique<Conn>();
      c->fd = fd;
      c->peer = address_of(addr, c->peer_port);
      c->bucket = client_bucket(c->peer);
      if (!admit(*c)) {
        ::close(fd);
        continue;
      }
      sockaddr_storage local{};
      socklen_t local_length = sizeof local;
      if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length) == 0)
        c->local = address_of(local, c->local_port);
      int yes = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      Conn* conn = c.release();
      ++open;
      ++per_client[conn->bucket];
      place(conn, Phase::idle, &idle, limits.idle_timeout_ms);
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
      ev.data.ptr = conn;
      epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);
    }
  }

  // Room for one more: per client first (a client over its cap is refused), then in all (the
  // oldest idle connection makes room, then the oldest unfinished head).
  bool admit(const Conn& c) {
    if (limits.max_per_client > 0 && !(server.exempt_peer_ && server.exempt_peer_(c.peer))) {
      auto it = per_client.find(c.bucket);
      if (it != per_client.end() && it->second >= limits.max_per_client) return false;
    }
    if (open < limits.max_connections) return true;
    if (!idle.empty()) {
      close_conn(idle.front());
      return true;
    }
    if (!heads.empty()) {
      close_conn(heads.front());
      return true;
    }
    return false;
  }

  // --- reading -------------------------------------------------------------------------------

  void on_readable(Conn* c) {
    if (c->phase == Phase::linger) {
      linger_read(c);
      return;
    }
    if (c->phase == Phase::writing) {  // EPOLLOUT armed; an error or hang-up may land here too
      flush(c);
      return;
    }
    static thread_local char buffer[kReadChunk];
    size_t taken = 0;
    bool eof = false;
    while (taken < kReadPerEvent) {
      const ssize_t n = ::recv(c->fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        taken += static_cast<size_t>(n);
        if (c->discard > 0) {
          const size_t dropped = std::min(c->discard, static_cast<size_t>(n));
          c->discard -= dropped;
          c->in.append(buffer + dropped, static_cast<size_t>(n) - dropped);
        } else {
          c->in.append(buffer, static_cast<size_t>(n));
        }
        if (static_cast<size_t>(n) < sizeof buffer) break;
        continue;
      }
      if (n == 0) eof = true;
      else if (errno == EINTR) continue;
      else if (errno != EAGAIN && errno != EWOULDBLOCK) eof = true;
      break;
    }
    if (taken > 0) progressed(c);
    advance(c);
    if (c->phase == Phase::closed || c->phase == Phase::worker || c->phase == Phase::writing ||
        c->phase == Phase::linger)
      return;
    if (eof) {
      close_conn(c);  // the client is gone: a half-sent request is not answered
      return;
    }
    if (taken > 0 && c->phase != Phase::idle) {
      // Part of a request came: acknowledge it now. A client that writes head and body
      // separately (httplib's does) holds the body back under Nagle until this ACK, which
      // the kernel would otherwise delay by up to 40 ms.
      int yes = 1;
      setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &yes, sizeof yes);
    }
    arm(c, EPOLLIN | EPOLLRDHUP);
  }

  // Moves a connection on with what its buffer holds: starts a head, checks a complete head,
  // completes a body, hands a complete request to a worker. Leaves it armed or not as the
  // caller decides (see on_readable / on_returned).
  void advance(Conn* c) {
    if (c->discard > 0 && !c->in.empty()) {
      const size_t dropped = std::min(c->discard, c->in.size());
      c->in.erase(0, dropped);
      c->discard -= dropped;
    }
    if (c->phase == Phase::idle) {
      if (c->in.empty() || c->discard > 0) return;
      c->scan = 0;
      place(c, Phase::head, &heads, limits.head_timeout_ms);
    }
    if (c->phase == Phase::head) {
      const size_t end = find_head_end(c->in, c->scan);
      if (end == 0) {
        if (c->in.size() > max_head()) refuse(c, make_error(ApiCode::headers_too_large), true);
        return;
      }
      if (!check_head(c, end)) return;
    }
    if (c->phase == Phase::body) {
      std::optional<size_t> total = body_end(c);
      if (c->phase != Phase::body || !total) return;
      dispatch(c, *total);
    }
  }

  size_t max_head() const {
    return limits.max_head_bytes ? limits.max_head_bytes : stockbell::kMaxHeadBytes;
  }
  size_t max_body() const { return limits.max_body_bytes ? limits.max_body_bytes : kMaxBodyBytes; }

  // The head is in: framing, size, encoding and key, all before the body. False if answered.
  bool check_head(Conn* c, size_t end) {
    c->head = parse_head(std::string_view(c->in).substr(0, end), end);
    const RequestHead& head = *c->head;
    c->body_limit = max_body();
    c->length.reset();
    c->chunked.reset();
    const auto lengths = head.all("Content-Length");
    const auto codings = head.all("Transfer-Encoding");
    for (const std::string* value : lengths) {
      if (value->empty() || value->size() > 19 ||
          !std::all_of(value->begin(), value->end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        // A number too long for 64 bits is still a number: too large rather than malformed.
        if (!value->empty() && value->size() > 19 &&
            std::all_of(value->begin(), value->end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
          continue;  // a number past 64 bits is still a number: too large (below)
        refuse(c, ambiguous_framing(Framing::invalid_length), true);
        return false;
      }
      if (*value != *lengths.front() && !(value->size() > 19 && lengths.front()->size() > 19)) {
        refuse(c, ambiguous_framing(Framing::conflicting_lengths), true);
        return false;
      }
    }
    if (!lengths.empty() && !codings.empty()) {
      refuse(c, ambiguous_framing(Framing::length_and_chunked), true);
      return false;
    }
    if (!codings.empty()) {
      if (codings.size() > 1 || !iequals(*codings.front(), "chunked")) {
        refuse(c, ambiguous_framing(Framing::unsupported_coding), true);
        return false;
      }
      c->chunked.emplace(end);
    }
    uint64_t declared = 0;
    if (!lengths.empty()) {
      declared = lengths.front()->size() > 19 ? UINT64_MAX : std::stoull(*lengths.front());
      c->length = static_cast<size_t>(std::min<uint64_t>(declared, max_body() + 1));
    }
    const bool has_body = c->chunked || declared > 0;
    // Nothing is inflated: a body in any coding but identity is refused unread.
    for (const std::string* coding : head.all("Content-Encoding")) {
      if (!iequals(*coding, "identity")) {
        refuse(c, unsupported_content_encoding(*coding), !small_body(c));
        return false;
      }
    }
    if (has_body && server.head_check_) {
      begin_front_request(c);  // a refusal's body and log line carry the request's id
      httplib::Request req;
      req.method = head.method;
      req.target = head.target;
      // Every header: the check reads the key, the origin, the dashboard's session cookie and
      // its CSRF token, and whatever it reads next must not be missing here alone.
      for (const auto& [name, value] : head.headers) req.headers.emplace(name, value);
      httplib::Response refusal;
      size_t limit = max_body();
      if (server.head_check_(req, refusal, limit)) {
        answer_now(c, refusal, !small_body(c));
        return false;
      }
      c->body_limit = std::min(limit, max_body());
    }
    // Too large: refused unread; a client whose key passed may finish sending it (dropped).
    if (declared > c->body_limit) {
      refuse(c, payload_too_large(c->body_limit), true);
      c->linger_budget = static_cast<size_t>(std::min<uint64_t>(declared, kLingerTooLargeBytes));
      return false;
    }
    place(c, Phase::body, &bodies, limits.body_timeout_ms);
    // A client that waits for "100 Continue" before its body gets it now that the head passed.
    if (has_body && c->in.size() == end) {
      for (const std::string* expect : head.all("Expect"))
        if (iequals(*expect, "100-continue")) {
          ::send(c->fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
          break;
        }
    }
    return true;
  }

  // A refused request's body is dropped to keep the connection only when it is small.
  bool small_body(const Conn* c) const {
    return !c->chunked && c->length.value_or(0) <= limits.unauthenticated_body_bytes;
  }

  // Where the body (and so the request) ends, once it is all in.
  std::optional<size_t> body_end(Conn* c) {
    const size_t start = c->head->length;
    if (c->length) {
      if (c->in.size() >= start + *c->length) return start + *c->length;
      if (c->in.capacity() < start + *c->length) c->in.reserve(start + *c->length);
      return std::nullopt;
    }
    if (!c->chunked) return start;  // neither Content-Length nor chunked: an empty body
    switch (c->chunked->read(c->in, c->body_limit)) {
      case ChunkedBody::Step::more: return std::nullopt;
      case ChunkedBody::Step::done: return c->chunked->end();
      case ChunkedBody::Step::malformed:
        refuse(c, ambiguous_framing(Framing::malformed_chunk), true);
        return std::nullopt;
      case ChunkedBody::Step::too_large:
        refuse(c, payload_too_large(c->body_limit), true);
        c->linger_budget = kLingerTooLargeBytes;  // the key passed: let it finish sending
        return std::nullopt;
    }
    return std::nullopt;
  }

  // --- answering from the front ----------------------------------------------------------------

  // The request scope of an answer the front gives itself (the I/O thread's own scope).
  void begin_front_request(const Conn* c) {
    std::string client_id;
    if (c->head)
      for (const std::string* value : c->head->all("X-Request-Id")) {
        client_id = *value;
        break;
      }
    begin_request(client_id);
  }

  void refuse(Conn* c, const ApiError& error, bool close) {
    begin_front_request(c);
    httplib::Response res;
    if (server.front_error_) server.front_error_(error, res);
    else res.status = http_status(error.code);
    answer_now(c, res, close);
  }

  // Answers from the I/O thread. Keeping the connection means dropping the declared body first.
  void answer_now(Conn* c, httplib::Response& res, bool close) {
    const size_t head_length = c->head ? c->head->length : c->in.size();
    if (close || stopping) {
      c->in.clear();
    } else {
      const size_t body = c->length.value_or(0);
      const size_t have = c->in.size() - head_length;
      c->in.erase(0, head_length + std::min(body, have));
      c->discard = body > have ? body - have : 0;
    }
    res.set_header("X-Request-Id", current_request().id);
    if (server.front_answered_)
      server.front_answered_(c->head ? c->head->method : std::string(),
                             c->head ? c->head->target : std::string(), res);
    c->head.reset();
    c->close_after = close || stopping;
    c->out = serialize(res, c->close_after);
    c->out_at = 0;
    unlist(c);
    c->phase = Phase::writing;
    flush(c);
  }

  // --- workers ---------------------------------------------------------------------------------

  void dispatch(Conn* c, size_t total) {
    unlist(c);
    c->phase = Phase::worker;
    if (total == c->in.size()) {
      c->request = std::move(c->in);
      c->in.clear();
    } else {
      c->request.assign(c->in, 0, total);
      c->in.erase(0, total);
    }
    c->head.reset();
    ++at_workers;
    {
      std::lock_guard<std::mutex> lock(mutex);
      queue.push_back(c);
    }
    ready.notify_one();
  }

  void worker_loop() {
    while (true) {
      Conn* c;
      {
        std::unique_lock<std::mutex> lock(mutex);
        ready.wait(lock, [&] { return workers_stop || !queue.empty(); });
        if (queue.empty()) return;
        c = queue.front();
        queue.pop_front();
      }
      serve_request(c);
      bool first;
      {
        std::lock_guard<std::mutex> lock(mutex);
        first = returned.empty();
        returned.push_back(c);
      }
      if (first) {
        const uint64_t one = 1;
        [[maybe_unused]] ssize_t n = ::write(wake, &one, sizeof one);
      }
    }
  }

  void serve_request(Conn* c) {
    RequestStream stream(c->request, c->peer, c->peer_port, c->local, c->local_port);
    close_requested = false;
    begin_request();  // the pre-routing handler keeps the client's own id when it is sane
    const bool last = stopping || ++c->served >= limits.max_requests;
    bool closed_by_client = false;
    const bool ok = server.process_request(stream, last, closed_by_client, nullptr);
    std::string& out = stream.output();
    // The front answered "100 Continue" already (or the body came with the head).
    if (out.compare(0, kContinue.size(), kContinue) == 0) out.erase(0, kContinue.size());
    c->close_after = !ok || closed_by_client || close_requested || last;
    if (c->request.capacity() > 64 * 1024) std::string().swap(c->request);
    else c->request.clear();
    size_t sent = 0;
    while (sent < out.size()) {
      const ssize_t n = ::send(c->fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        break;  // EAGAIN: the I/O thread sends the rest; an error: it finds out
      }
    }
    out.erase(0, sent);
    c->out = std::move(out);
    c->out_at = 0;
  }

  void on_returned(Conn* c) {
    --at_workers;
    c->phase = Phase::writing;
    flush(c);
  }

  // --- writing ---------------------------------------------------------------------------------

  void flush(Conn* c) {
    while (c->out_at < c->out.size()) {
      const ssize_t n = ::send(c->fd, c->out.data() + c->out_at, c->out.size() - c->out_at,
                               MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        c->out_at += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        place(c, Phase::writing, &writing, limits.write_timeout_ms);  // progress resets it
        arm(c, EPOLLOUT);
        return;
      }
      close_conn(c);
      return;
    }
    c->out.clear();
    c->out_at = 0;
    if (c->close_after) {
      begin_linger(c);
      return;
    }
    if (stopping && c->in.empty()) {
      close_conn(c);
      return;
    }
    place(c, Phase::idle, &idle, limits.idle_timeout_ms);
    if (!c->in.empty()) {  // a pipelined request, or its beginning
      advance(c);
      if (c->phase == Phase::closed || c->phase == Phase::worker || c->phase == Phase::writing ||
          c->phase == Phase::linger)
        return;
    }
    arm(c, EPOLLIN | EPOLLRDHUP);
  }

  // After an answer that ends the connection: shut the write side, drop what the client is
  // still sending (at most kLingerBytes, kLingerMs) so the answer is not lost to a reset.
  void begin_linger(Conn* c) {
    ::shutdown(c->fd, SHUT_WR);
    c->in.clear();
    place(c, Phase::linger, &lingering, kLingerMs);
    arm(c, EPOLLIN | EPOLLRDHUP);
  }

  void linger_read(Conn* c) {
    static thread_local char buffer[16 * 1024];
    while (true) {
      const ssize_t n = ::recv(c->fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        c->lingered += static_cast<size_t>(n);
        if (c->lingered > c->linger_budget) break;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        place(c, Phase::linger, &lingering, kLingerMs);  // still sending: its time starts again
        arm(c, EPOLLIN | EPOLLRDHUP);
        return;
      }
      break;
    }
    close_conn(c);
  }

  // --- time ------------------------------------------------------------------------------------

  // Idle, writing and lingering connections sit in their lists in deadline order. Heads and
  // bodies don't (a read moves a deadline): those lists are scanned every kScanMs.
  void expire(Clock::time_point now) {
    while (!idle.empty() && idle.front()->deadline <= now) close_conn(idle.front());
    if (now >= next_scan) {
      next_scan = now + milliseconds(kScanMs);
      std::vector<Conn*> late;
      for (const std::list<Conn*>* list : {&heads, &bodies})
        for (Conn* c : *list)
          if (c->deadline <= now) late.push_back(c);
      for (Conn* c : late)
        refuse(c, c->phase == Phase::head ? request_timeout(Late::head, limits.head_timeout_ms)
                                          : request_timeout(Late::body, limits.body_timeout_ms),
               true);
    }
    while (!writing.empty() && writing.front()->deadline <= now) close_conn(writing.front());
    while (!lingering.empty() && lingering.front()->deadline <= now) close_conn(lingering.front());
  }

  int next_timeout(Clock::time_point now) const {
    Clock::time_point next = now + milliseconds(1000);
    for (const std::list<Conn*>* list : {&idle, &writing, &lingering})
      if (!list->empty()) next = std::min(next, list->front()->deadline);
    if (!heads.empty() || !bodies.empty()) next = std::min(next, next_scan);
    if (!listener_armed && listener >= 0) next = std::min(next, accept_paused_until);
    const auto ms = std::chrono::duration_cast<milliseconds>(next - now).count();
    return static_cast<int>(std::max<int64_t>(0, ms) + 1);
  }

  // --- the loop --------------------------------------------------------------------------------

  void begin_stop() {
    if (listener >= 0) {
      epoll_ctl(epoll, EPOLL_CTL_DEL, listener, nullptr);
      ::close(listener);
      listener = -1;
      listener_armed = false;
    }
    while (!idle.empty()) close_conn(idle.front());
  }

  void loop() {
    std::vector<epoll_event> events(1024);
    bool stop_seen = false;
    while (true) {
      if (stopping && !stop_seen) {
        stop_seen = true;
        begin_stop();
      }
      if (stop_seen && open == 0) break;
      const Clock::time_point now = Clock::now();
      if (!stop_seen && !listener_armed && now >= accept_paused_until) arm_listener(true);
      const int n = ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()),
                                 next_timeout(now));
      for (int i = 0; i < n; ++i) {
        void* tag = events[i].data.ptr;
        if (tag == &listener_tag) {
          if (!stopping) accept_all();
        } else if (tag == &wake_tag) {
          uint64_t count;
          [[maybe_unused]] ssize_t r = ::read(wake, &count, sizeof count);
          std::vector<Conn*> back;
          {
            std::lock_guard<std::mutex> lock(mutex);
            back.swap(returned);
          }
          for (Conn* c : back) on_returned(c);
        } else {
          Conn* c = static_cast<Conn*>(tag);
          if (c->phase == Phase::closed || c->phase == Phase::worker) continue;
          try {
            if (c->phase == Phase::writing && (events[i].events & (EPOLLERR | EPOLLHUP)) == 0)
              flush(c);
            else
              on_readable(c);
          } catch (const std::exception& e) {
            // One connection's failure (out of memory, say) ends that connection, not the server.
            log_line("error", std::string("connection dropped: ") + e.what());
            if (c->phase != Phase::worker) close_conn(c);
          }
        }
      }
      expire(Clock::now());
      for (Conn* c : graveyard) delete c;
      graveyard.clear();
    }
  }
};

HttpServer::HttpServer(ConnectionLimits limits) : limits_(limits) {}

HttpServer::~HttpServer() {
  if (impl_) {
    if (impl_->listener >= 0) ::close(impl_->listener);
    if (impl_->epoll >= 0) ::close(impl_->epoll);
    if (impl_->wake >= 0) ::close(impl_->wake);
  }
}

void HttpServer::close_after_response() { close_requested = true; }

int HttpServer::bind_and_listen(const std::string& host, int port) {
  impl_ = std::make_unique<Impl>(*this, limits_);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int yes = 1;
    // SO_REUSEADDR only: SO_REUSEPORT would let a second server silently share a taken port.
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, limits_.backlog) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) return -1;
  sockaddr_storage addr{};
  socklen_t length = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  int bound = 0;
  address_of(addr, bound);
  impl_->listener = fd;
  // httplib's process_request streams a content provider's body only while svr_sock_ is valid
  // (INVALID_SOCKET reads as "shutting down": the static files' bodies came out empty). This
  // front owns the listener, so httplib's own socket stays unset unless it is named here.
  svr_sock_ = fd;
  impl_->epoll = ::epoll_create1(EPOLL_CLOEXEC);
  impl_->wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &impl_->listener_tag;
  epoll_ctl(impl_->epoll, EPOLL_CTL_ADD, fd, &ev);
  impl_->listener_armed = true;
  ev.data.ptr = &impl_->wake_tag;
  epoll_ctl(impl_->epoll, EPOLL_CTL_ADD, impl_->wake, &ev);
  return bound;
}

void HttpServer::run() {
  Impl& impl = *impl_;
  for (size_t i = 0; i < std::max<size_t>(1, limits_.threads); ++i)
    impl.workers.emplace_back([&impl] { impl.worker_loop(); });
  running_ = true;
  impl.loop();
  running_ = false;
  {
    std::lock_guard<std::mutex> lock(impl.mutex);
    impl.workers_stop = true;
  }
  impl.ready.notify_all();
  for (std::thread& t : impl.workers) t.join();
  impl.workers.clear();
}

void HttpServer::stop() {
  if (!impl_) return;
  impl_->stopping = true;
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(impl_->wake, &one, sizeof one);
}

}  // namespace stockbell::server
