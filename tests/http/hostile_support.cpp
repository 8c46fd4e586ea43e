#include "hostile_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <stdexcept>

namespace stockbell::testing::hostile {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

}  // namespace

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t size = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// ---- raw HTTP --------------------------------------------------------------------------------

std::string RawResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string RawResponse::media_type() const {
  std::string type = lower(header("Content-Type"));
  return trim(type.substr(0, type.find(';')));
}

RawConnection::RawConnection(const std::string& host, int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    ::close(fd_);
    throw std::runtime_error("not an IPv4 address: " + host);
  }
  timeval timeout{5, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const std::string error = std::strerror(errno);
    ::close(fd_);
    throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port) + ": " +
                             error);
  }
  int yes = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool RawConnection::send_slowly(std::string_view bytes, std::chrono::milliseconds gap,
                                std::chrono::milliseconds give_up) {
  const Clock::time_point deadline = Clock::now() + give_up;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (Clock::now() >= deadline) return false;
    if (!send(bytes.substr(i, 1))) return false;
    // Waiting for the gap doubles as watching for an early answer or close.
    if (i + 1 < bytes.size() && fill(gap)) return false;
    if (eof_) return false;
  }
  return true;
}

void RawConnection::shutdown_write() {
  ::shutdown(fd_, SHUT_WR);
}

bool RawConnection::fill(std::chrono::milliseconds timeout) {
  if (eof_) return false;
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {  // end of input, or a reset: either way the server is done with us
      eof_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
}

RawResponse RawConnection::read_response(std::chrono::milliseconds timeout) {
  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = start + timeout;
  RawResponse response;
  size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill(std::chrono::milliseconds(remaining_ms(deadline)))) {
      response.elapsed =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      return response;
    }
  }
  const std::string head = buffer_.substr(0, head_end);
  size_t line_end = head.find("\r\n");
  response.status_line = head.substr(0, line_end);
  // "HTTP/1.1 200 OK"
  const size_t space = response.status_line.find(' ');
  const int status =
      space == std::string::npos ? 0 : std::atoi(response.status_line.c_str() + space + 1);
  while (line_end != std::string::npos) {
    const size_t next = head.find("\r\n", line_end + 2);
    const std::string line = head.substr(
        line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
    const size_t colon = line.find(':');
    if (colon != std::string::npos)
      response.headers.emplace(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    line_end = next;
  }
  buffer_.erase(0, head_end + 4);
  const std::string length = response.header("Content-Length");
  if (!length.empty()) {
    const size_t want = static_cast<size_t>(std::stoull(length));
    while (buffer_.size() < want)
      if (!fill(std::chrono::milliseconds(remaining_ms(deadline)))) break;
    if (buffer_.size() < want) {  // a short body is no response
      response.elapsed =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      return response;
    }
    response.body = buffer_.substr(0, want);
    buffer_.erase(0, want);
  } else {
    while (fill(std::chrono::milliseconds(remaining_ms(deadline)))) {
    }
    response.body = std::move(buffer_);
    buffer_.clear();
  }
  response.status = status;
  response.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return response;
}

bool RawConnection::wait_closed(std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!eof_ && Clock::now() < deadline) fill(std::chrono::milliseconds(remaining_ms(deadline)));
  return eof_;
}

// ---- SQLite ------------------------------------------------------------------------------------

SqliteReader::SqliteReader(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    const std::string error = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot open " + path + " read-only: " + error);
  }
  sqlite3_busy_timeout(db_, 5000);
}

SqliteReader::~SqliteReader() {
  sqlite3_close(db_);
}

std::vector<std::vector<std::optional<std::string>>> SqliteReader::rows(const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    throw std::runtime_error("SQL error in '" + sql + "': " + sqlite3_errmsg(db_));
  std::vector<std::vector<std::optional<std::string>>> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<std::optional<std::string>> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      if (sqlite3_column_type(st, i) == SQLITE_NULL) {
        row.emplace_back();
        continue;
      }
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
      row.emplace_back(std::string(text, static_cast<size_t>(sqlite3_column_bytes(st, i))));
    }
    out.push_back(std::move(row));
  }
  const std::string error = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
  sqlite3_finalize(st);
  if (!error.empty()) throw std::runtime_error("SQL error in '" + sql + "': " + error);
  return out;
}

std::string SqliteReader::text(const std::string& sql) {
  const auto result = rows(sql);
  if (result.empty() || result[0].empty() || !result[0][0]) return "";
  return *result[0][0];
}

int64_t SqliteReader::integer(const std::string& sql) {
  const std::string value = text(sql);
  return value.empty() ? 0 : std::stoll(value);
}

// ---- webhook receiver --------------------------------------------------------------------------

SwitchableReceiver::SwitchableReceiver(int port) : port_(port) {}

SwitchableReceiver::~SwitchableReceiver() {
  down();
}

std::string SwitchableReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/hook";
}

void SwitchableReceiver::up() {
  if (server_) return;
  server_ = std::make_unique<httplib::Server>();
  server_->Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++posts_;
      ++received_[req.get_header_value("Stockbell-Event-Id")];
    }
    res.status = 200;
    res.set_content("ok", "text/plain");
  });
  if (!server_->bind_to_port("127.0.0.1", port_)) {
    server_.reset();
    throw std::runtime_error("webhook receiver cannot listen on port " + std::to_string(port_));
  }
  httplib::Server* server = server_.get();
  thread_ = std::thread([server] { server->listen_after_bind(); });
  // stop() is ignored until the accept loop runs: wait for it.
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(5);
  while (!server_->is_running() && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void SwitchableReceiver::down() {
  if (!server_) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

std::map<std::string, int> SwitchableReceiver::received() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

size_t SwitchableReceiver::posts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return posts_;
}

// ---- whole-store reads ----------------------------------------------------------------------

json list_all(const Api& api, const std::string& path, const std::string& key,
              const std::string& filter) {
  json items = json::array();
  for (int offset = 0;; offset += 100) {
    const HttpResponse r = api.get(path + "?limit=100&offset=" + std::to_string(offset) + filter);
    if (r.status != 200)
      throw std::runtime_error("GET " + path + " answered " + std::to_string(r.status) + ": " +
                               r.body + r.error);
    const json page = r.json();
    for (const json& item : page[key]) items.push_back(item);
    if (!page["pagination"]["hasMore"].get<bool>()) return items;
  }
}

json feed_events(const Api& api, const std::string& type) {
  json events = json::array();
  std::string after;
  for (;;) {
    std::string q = "?limit=1000";
    if (!type.empty()) q += "&type=" + url_encode(type);
    if (!after.empty()) q += "&after=" + url_encode(after);
    const HttpResponse r = api.events(q);
    if (r.status != 200)
      throw std::runtime_error("GET /api/v1/events answered " + std::to_string(r.status) + ": " +
                               r.body + r.error);
    const json page = r.json();
    for (const json& e : page["events"]) events.push_back(e);
    if (!page["hasMore"].get<bool>()) return events;
    after = page["nextCursor"].get<std::string>();
  }
}

json store_snapshot(const Api& api) {
  return json{{"products", list_all(api, "/api/v1/products", "products")},
              {"requests", list_all(api, "/api/v1/back-in-stock", "requests")},
              {"events", feed_events(api)}};
}

// ---- the hostile request corpus ------------------------------------------------------------

namespace {

[[noreturn]] void corpus_error(const std::string& what) {
  throw std::runtime_error("hostile corpus: " + what);
}

std::string from_hex(const std::string& hex) {
  if (hex.size() % 2 != 0) corpus_error("odd number of hex digits in '" + hex + "'");
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const std::string pair = hex.substr(i, 2);
    if (pair.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      corpus_error("not hex: '" + hex + "'");
    bytes += static_cast<char>(std::stoi(pair, nullptr, 16));
  }
  return bytes;
}

void require_only(const json& object, std::initializer_list<const char*> allowed,
                  const std::string& where) {
  for (const auto& [member, value] : object.items()) {
    (void)value;
    if (std::find_if(allowed.begin(), allowed.end(),
                     [&](const char* a) { return member == a; }) == allowed.end())
      corpus_error(where + ": unknown member '" + member + "'");
  }
}

std::string string_member(const json& object, const char* member, const std::string& where) {
  if (!object.contains(member) || !object[member].is_string())
    corpus_error(where + ": '" + member + "' must be a string");
  return object[member].get<std::string>();
}

// One part of a body: "text", {"hex"} or {"repeat", "times", "separator"?}.
void append_part(std::string& out, const json& part) {
  if (part.is_string()) {
    out += part.get<std::string>();
    return;
  }
  if (!part.is_object()) corpus_error("a body part must be a string or an object");
  if (part.contains("hex")) {
    require_only(part, {"hex"}, "a hex part");
    out += from_hex(string_member(part, "hex", "a hex part"));
    return;
  }
  require_only(part, {"repeat", "times", "separator"}, "a repeat part");
  const std::string unit = string_member(part, "repeat", "a repeat part");
  const std::string separator =
      part.contains("separator") ? string_member(part, "separator", "a repeat part") : "";
  if (!part.contains("times") || !part["times"].is_number_unsigned())
    corpus_error("a repeat part needs 'times', a whole number >= 0");
  const size_t times = part["times"].get<size_t>();
  const size_t index_at = unit.find("{i}");
  for (size_t i = 0; i < times; ++i) {
    if (i > 0) out += separator;
    if (index_at == std::string::npos) {
      out += unit;
    } else {
      std::string item = unit;
      for (size_t at = index_at; at != std::string::npos; at = item.find("{i}", at))
        item.replace(at, 3, std::to_string(i));
      out += item;
    }
    if (out.size() > 16 * 1024 * 1024) corpus_error("a body over 16 MiB");
  }
}

}  // namespace

std::string vector_body(const json& vector) {
  if (vector.contains("body") && vector.contains("bodyHex"))
    corpus_error("a vector has at most one of body and bodyHex");
  if (vector.contains("bodyHex")) return from_hex(string_member(vector, "bodyHex", "bodyHex"));
  if (!vector.contains("body")) return "";
  const json& body = vector["body"];
  if (body.is_string()) return body.get<std::string>();
  if (!body.is_array()) corpus_error("'body' must be a string or an array of parts");
  std::string out;
  for (const json& part : body) append_part(out, part);
  return out;
}

std::vector<HostileCase> load_hostile_cases(const std::string& path) {
  const std::string text = read_file_bytes(path);
  if (text.empty()) corpus_error("cannot read " + path);
  const json file = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!file.is_array()) corpus_error(path + " is not a JSON array");
  std::vector<HostileCase> cases;
  for (const json& v : file) {
    if (!v.is_object()) corpus_error("every case must be an object");
    const std::string name = string_member(v, "name", "a case");
    try {
      require_only(v, {"name", "group", "method", "target", "headers", "key", "body", "bodyHex",
                       "expect"},
                   "the case");
      HostileCase c;
      c.name = name;
      c.group = string_member(v, "group", "the case");
      c.method = string_member(v, "method", "the case");
      c.target = string_member(v, "target", "the case");
      if (v.contains("headers")) {
        if (!v["headers"].is_object()) corpus_error("'headers' must be an object");
        for (const auto& [header, value] : v["headers"].items())
          c.headers.emplace(header, string_member(v["headers"], header.c_str(), "'headers'"));
      }
      c.key = string_member(v, "key", "the case");
      if (c.key != "secret" && c.key != "publishable" && c.key != "none")
        corpus_error("'key' must be secret, publishable or none");
      c.body = vector_body(v);

      if (!v.contains("expect") || !v["expect"].is_object()) corpus_error("'expect' is missing");
      const json& e = v["expect"];
      require_only(e, {"status", "code", "field", "fieldCode", "details"}, "'expect'");
      if (!e.contains("status") || !e["status"].is_number_integer())
        corpus_error("'expect.status' must be a number");
      c.status = e["status"].get<int>();
      if (e.contains("code") && e["code"].is_string()) {
        c.codes = {e["code"].get<std::string>()};
      } else if (e.contains("code") && e["code"].is_array()) {
        for (const json& code : e["code"]) {
          if (!code.is_string()) corpus_error("'expect.code' must hold strings");
          c.codes.push_back(code.get<std::string>());
        }
      }
      if (c.codes.empty()) corpus_error("'expect.code' must be a code or a list of codes");
      if (e.contains("field")) c.field = string_member(e, "field", "'expect'");
      if (e.contains("fieldCode")) c.field_code = string_member(e, "fieldCode", "'expect'");
      if (!c.field_code.empty() && c.field.empty())
        corpus_error("'expect.fieldCode' needs 'expect.field'");
      if (e.contains("details")) {
        const json& d = e["details"];
        require_only(d, {"count", "code"}, "'expect.details'");
        if (!d.contains("count") || !d["count"].is_number_unsigned() || d["count"] == 0)
          corpus_error("'expect.details.count' must be a number > 0");
        c.detail_count = d["count"].get<size_t>();
        c.detail_code = string_member(d, "code", "'expect.details'");
      }
      cases.push_back(std::move(c));
    } catch (const std::runtime_error& error) {
      throw std::runtime_error(std::string(error.what()) + " (case '" + name + "')");
    }
  }
  return cases;
}

}  // namespace stockbell::testing::hostile
