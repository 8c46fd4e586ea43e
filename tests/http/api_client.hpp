#pragma once
// Talking to a running `stockbell serve` over real HTTP, and a ready-made server with a store.
//
//   TestServer s;                                  // fresh database, store "shop", started
//   HttpResponse r = s.api().post("/api/v1/back-in-stock", {{"productId", "SKU-1"}, ...});
//   CHECK(r.status == 200);
//   CHECK(r.json()["created"] == true);

#include <httplib.h>

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server_process.hpp"

namespace stockbell::testing {

using json = nlohmann::json;

struct HttpResponse {
  int status = 0;     ///< 0: no response at all (see `error`)
  std::string error;  ///< the transport error when status is 0
  std::string body;
  httplib::Headers headers;

  bool has_header(const std::string& name) const { return headers.count(name) > 0; }
  /// The header's value ("" when absent); names are case-insensitive.
  std::string header(const std::string& name) const;
  /// The media type of Content-Type, lower-cased, without parameters: `application/json`.
  std::string media_type() const;
  /// The body parsed as JSON; throws (failing the test) with the body when it is not JSON.
  nlohmann::json json() const;
};

/// Percent-encodes everything but RFC 3986 unreserved characters (`a b/é` → `a%20b%2F%C3%A9`).
std::string url_encode(std::string_view text);
/// `?a=1&b=x%20y` from pairs (values encoded); "" for none.
std::string query(std::initializer_list<std::pair<std::string, std::string>> params);

/// A client of one server with one key (none: no Authorization header). Each call opens its own
/// connection, so an Api may be copied into threads freely.
class Api {
 public:
  Api(std::string host, int port, std::string key = {});

  Api with_key(std::string key) const { return Api(host_, port_, std::move(key)); }
  const std::string& key() const { return key_; }

  /// Any method and target (path + query, already encoded). `headers` win over the defaults
  /// (Authorization from the key). `content_type` nullopt sends no Content-Type.
  HttpResponse send(const std::string& method, const std::string& target,
                    const std::string& body = {}, const httplib::Headers& headers = {},
                    const std::optional<std::string>& content_type = std::nullopt) const;

  HttpResponse get(const std::string& target, const httplib::Headers& headers = {}) const;
  HttpResponse del(const std::string& target, const httplib::Headers& headers = {}) const;
  /// POST with a JSON body and `Content-Type: application/json`.
  HttpResponse post(const std::string& target, const json& body,
                    const httplib::Headers& headers = {}) const;
  HttpResponse post_raw(const std::string& target, const std::string& body,
                        const std::optional<std::string>& content_type = "application/json",
                        const httplib::Headers& headers = {}) const;

  // The endpoints most tests use.
  HttpResponse register_request(const json& body, const httplib::Headers& headers = {}) const;
  /// `POST /api/v1/products` with `{"products": products}`.
  HttpResponse upsert(const json& products) const;
  /// `GET /api/v1/events` with the query; asserts nothing.
  HttpResponse events(const std::string& query_string = {}) const;

 private:
  std::string host_;
  int port_;
  std::string key_;
};

/// `{"productId", "variantId"?, "customer": {"email"}}`, the smallest valid request.
json request_body(const std::string& product_id, const std::optional<std::string>& variant_id,
                  const std::string& email);

/// `serve` flags that turn the storefront rate limits off: the functional tests send far more
/// publishable-key requests from 127.0.0.1 than a shopper would (test_http_rate_limits.cpp
/// tests the limits themselves).
extern const std::vector<std::string> kNoRateLimits;

/// A server on a fresh database in a fresh directory, with store "shop" and its secret key.
class TestServer {
 public:
  /// `serve --db DB --port 0` plus `serve_flags`.
  explicit TestServer(const std::vector<std::string>& serve_flags = kNoRateLimits);

  /// A client with the shop's secret key.
  Api api() const { return Api(server.host(), server.port(), secret); }
  /// A client with another key (or none: "").
  Api api(const std::string& key) const { return Api(server.host(), server.port(), key); }
  /// `keys create` on this database (works while the server runs).
  std::string create_key(const std::string& store, const std::string& kind,
                         const std::vector<std::string>& origins = {}) const;

  TempDir dir;
  std::string db;
  std::string secret;  ///< sk_... of store "shop"
  ServerProcess server;
};

/// Every `details[].field` of an error body, in order.
std::vector<std::string> detail_fields(const json& error_body);
/// The `code` of the detail for `field` ("" when there is none).
std::string detail_code(const json& error_body, const std::string& field);

}  // namespace stockbell::testing
