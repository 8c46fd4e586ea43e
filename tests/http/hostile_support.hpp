#pragma once
// Tools of the reliability and security suites (crash safety, hostile input, access, shutdown):
// raw TCP connections that say what httplib's client refuses to say, a read-only look into the
// SQLite file behind the API, a webhook receiver inside the test process, whole-store
// snapshots read through the API, and the hostile request corpus read from
// tests/vectors/hostile_http.json.
//
//   RawConnection c("127.0.0.1", port);
//   c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
//   RawResponse r = c.read_response(2s);          // r.status == 200, r.body == "{...}"
//
//   SqliteReader db(path);                         // SQLITE_OPEN_READONLY, works beside the server
//   CHECK(db.text("PRAGMA integrity_check") == "ok");

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "api_client.hpp"

struct sqlite3;

namespace stockbell::testing::hostile {

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
int free_port();

/// The bytes of a file; "" when it does not exist.
std::string read_file_bytes(const std::string& path);

/// One response read off a raw socket.
struct RawResponse {
  int status = 0;            ///< 0: no complete status line and head arrived
  std::string status_line;   ///< `HTTP/1.1 400 Bad Request`
  httplib::Headers headers;  ///< names compare case-insensitively
  std::string body;
  std::chrono::milliseconds elapsed{0};  ///< from read_response() to the end of the body

  std::string header(const std::string& name) const;
  /// Content-Type's media type, lower-cased, without parameters.
  std::string media_type() const;
};

/// A client TCP connection that sends exactly the bytes it is given.
class RawConnection {
 public:
  /// Connects (blocking, 5 s at most); throws when nobody listens.
  RawConnection(const std::string& host, int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  /// Sends every byte; false once the peer has closed or reset the connection.
  bool send(std::string_view bytes);
  /// Sends one byte every `gap`. Stops early (false) when the peer answers or closes (the answer
  /// stays readable through read_response()), or once `give_up` has passed.
  bool send_slowly(std::string_view bytes, std::chrono::milliseconds gap,
                   std::chrono::milliseconds give_up);
  /// No more bytes from us (the server sees end of input).
  void shutdown_write();
  /// Reads one response: the head, then Content-Length bytes of body (or up to the close).
  /// `status` stays 0 when the peer closes or `timeout` passes first.
  RawResponse read_response(std::chrono::milliseconds timeout);
  /// True when the peer closes (end of input or reset) within `timeout`; bytes read meanwhile
  /// are kept for read_response().
  bool wait_closed(std::chrono::milliseconds timeout);
  /// Whether the peer closed the connection (seen by a read).
  bool closed() const { return eof_; }
  /// Bytes received and not yet consumed by read_response().
  const std::string& unread() const { return buffer_; }

 private:
  /// Reads what is there within `timeout`; false on timeout or end of input.
  bool fill(std::chrono::milliseconds timeout);

  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

/// A read-only connection to a Stockbell database file; it may be open while the server runs
/// (WAL mode lets readers in beside the writer).
class SqliteReader {
 public:
  explicit SqliteReader(const std::string& path);
  ~SqliteReader();
  SqliteReader(const SqliteReader&) = delete;
  SqliteReader& operator=(const SqliteReader&) = delete;

  /// Every row of `sql`, columns as text (NULL as nullopt). Throws on an SQL error.
  std::vector<std::vector<std::optional<std::string>>> rows(const std::string& sql);
  /// The first column of the first row ("" when there is no row or it is NULL).
  std::string text(const std::string& sql);
  int64_t integer(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
};

/// A webhook receiver on a fixed loopback port, inside the test process. up() starts listening
/// (a real httplib::Server), down() stops it so that connections are refused. Every POST is
/// answered 200 and its Stockbell-Event-Id recorded (deliveries are at least once: the same id
/// may come more than once).
class SwitchableReceiver {
 public:
  explicit SwitchableReceiver(int port);
  ~SwitchableReceiver();
  SwitchableReceiver(const SwitchableReceiver&) = delete;
  SwitchableReceiver& operator=(const SwitchableReceiver&) = delete;

  void up();
  void down();
  bool is_up() const { return server_ != nullptr; }
  /// `http://127.0.0.1:PORT/hook`.
  std::string url() const;
  /// Event id → how many deliveries carried it.
  std::map<std::string, int> received() const;
  size_t posts() const;

 private:
  int port_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::map<std::string, int> received_;
  size_t posts_ = 0;
};

/// Every item of a paginated list route (`?limit=100&offset=...`), e.g. "/api/v1/products" with
/// key "products". Throws when a page is not a 200.
json list_all(const Api& api, const std::string& path, const std::string& key,
              const std::string& filter = {});
/// Every event of the feed, oldest first (following nextCursor). Throws when a page is not 200.
json feed_events(const Api& api, const std::string& type = {});
/// What a store holds, as its secret key reads it: {"products", "requests", "events"}.
json store_snapshot(const Api& api);

// ---- the hostile request corpus (format: tests/vectors/README.md) ----------------------------

/// One request of tests/vectors/hostile_http.json and the error answer it must get.
struct HostileCase {
  std::string name;
  std::string group;   ///< a run of cases after which the store is checked, e.g. "wrong types"
  std::string method;  ///< "POST"
  std::string target;  ///< path + query as sent, e.g. "/api/v1/webhooks/{webhookId}"
  httplib::Headers headers;  ///< exactly these (Content-Type included, when there is one)
  std::string key;           ///< "secret", "publishable" or "none"
  std::string body;          ///< the bytes, generators expanded
  int status = 0;
  std::vector<std::string> codes;  ///< the answer's `code` is one of these
  std::string field;               ///< when set, `details` names this field...
  std::string field_code;          ///< ...with this code, when set
  size_t detail_count = 0;         ///< when set, exactly this many details...
  std::string detail_code;         ///< ...each with this code
};

/// The bytes of a vector's body: `"body": "text"`, `"body": [part, ...]` with a part a string,
/// `{"hex": "c0af"}` or `{"repeat": "\"k{i}\":0", "times": 3, "separator": ","}` (→
/// `"k0":0,"k1":0,"k2":0`), or `"bodyHex": "7b7d"`; no body at all is "". Throws
/// std::runtime_error when the spec is malformed.
std::string vector_body(const json& vector);

/// Every case of a hostile corpus file, in file order. Throws std::runtime_error, naming the
/// case, when the file is not a valid corpus (unknown members too: a typo must not drop a check).
std::vector<HostileCase> load_hostile_cases(const std::string& path);

}  // namespace stockbell::testing::hostile
