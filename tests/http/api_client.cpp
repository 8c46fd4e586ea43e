#include "api_client.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

namespace stockbell::testing {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// With STOCKBELL_RECORD_EXCHANGES=DIR, every exchange goes to DIR/exchanges-<pid>.jsonl, one JSON
// object a line: {method, target, status, contentType, body, requestBody}.
// tests/openapi/responses.test.mjs checks each against docs/openapi.json (a JSON body against its
// declared schema; other bodies by media type only, so theirs is not kept).
void record_exchange(const std::string& method, const std::string& target,
                     const httplib::Request& request, const HttpResponse& response) {
  static const char* dir = std::getenv("STOCKBELL_RECORD_EXCHANGES");
  if (dir == nullptr || *dir == '\0' || response.status == 0) return;
  nlohmann::json line = {{"method", method},
                         {"target", target},
                         {"status", response.status},
                         {"contentType", response.header("Content-Type")}};
  if (response.media_type() == "application/json") line["body"] = response.body;
  // The JSON body sent, so a request the server accepted is checked against the documented
  // request body too (large ones are left out: the limits tests send megabytes).
  const auto type = request.headers.find("Content-Type");
  if (type != request.headers.end() && !request.body.empty() && request.body.size() <= 256 * 1024 &&
      lower(type->second).rfind("application/json", 0) == 0)
    line["requestBody"] = request.body;
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  static std::mutex mutex;
  const std::lock_guard<std::mutex> lock(mutex);
  const std::string path = std::string(dir) + "/exchanges-" + std::to_string(getpid()) + ".jsonl";
  if (FILE* out = std::fopen(path.c_str(), "a")) {
    std::fwrite(text.data(), 1, text.size(), out);
    std::fclose(out);
  }
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string HttpResponse::media_type() const {
  std::string type = lower(header("Content-Type"));
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type;
}

nlohmann::json HttpResponse::json() const {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded())
    throw std::runtime_error("response (status " + std::to_string(status) +
                             ") is not JSON: " + body.substr(0, 500) +
                             (status == 0 ? " [transport error: " + error + "]" : ""));
  return parsed;
}

std::string url_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string query(std::initializer_list<std::pair<std::string, std::string>> params) {
  std::string out;
  for (const auto& [name, value] : params)
    out += (out.empty() ? "?" : "&") + url_encode(name) + "=" + url_encode(value);
  return out;
}

Api::Api(std::string host, int port, std::string key)
    : host_(std::move(host)), port_(port), key_(std::move(key)) {}

HttpResponse Api::send(const std::string& method, const std::string& target,
                       const std::string& body, const httplib::Headers& headers,
                       const std::optional<std::string>& content_type) const {
  httplib::Client client(host_, port_);
  client.set_url_encode(false);  // targets are encoded by the tests, exactly as meant
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(15, 0);
  client.set_write_timeout(15, 0);
  client.set_keep_alive(false);

  httplib::Request req;
  req.method = method;
  req.path = target;
  req.headers = headers;
  if (!key_.empty() && req.headers.count("Authorization") == 0)
    req.headers.emplace("Authorization", "Bearer " + key_);
  if (content_type && req.headers.count("Content-Type") == 0)
    req.headers.emplace("Content-Type", *content_type);
  req.body = body;

  HttpResponse out;
  httplib::Result result = client.send(req);
  if (!result) {
    out.error = httplib::to_string(result.error());
    return out;
  }
  out.status = result->status;
  out.body = result->body;
  out.headers = result->headers;
  record_exchange(method, target, req, out);
  return out;
}

HttpResponse Api::get(const std::string& target, const httplib::Headers& headers) const {
  return send("GET", target, {}, headers);
}

HttpResponse Api::del(const std::string& target, const httplib::Headers& headers) const {
  return send("DELETE", target, {}, headers);
}

HttpResponse Api::post(const std::string& target, const json& body,
                       const httplib::Headers& headers) const {
  return send("POST", target, body.dump(), headers, std::string("application/json"));
}

HttpResponse Api::post_raw(const std::string& target, const std::string& body,
                           const std::optional<std::string>& content_type,
                           const httplib::Headers& headers) const {
  return send("POST", target, body, headers, content_type);
}

HttpResponse Api::register_request(const json& body, const httplib::Headers& headers) const {
  return post("/api/v1/back-in-stock", body, headers);
}

HttpResponse Api::upsert(const json& products) const {
  return post("/api/v1/products", json{{"products", products}});
}

HttpResponse Api::events(const std::string& query_string) const {
  return get("/api/v1/events" + query_string);
}

json request_body(const std::string& product_id, const std::optional<std::string>& variant_id,
                  const std::string& email) {
  json body = {{"productId", product_id}, {"customer", {{"email", email}}}};
  if (variant_id) body["variantId"] = *variant_id;
  return body;
}

const std::vector<std::string> kNoRateLimits = {"--rate-ip-per-minute", "0",
                                                "--rate-email-per-hour", "0"};

namespace {

ServerProcess::Options serve_options(const std::string& db, const std::vector<std::string>& flags) {
  ServerProcess::Options options;
  options.args = {"--db", db, "--port", "0"};
  options.args.insert(options.args.end(), flags.begin(), flags.end());
  options.log_path = db + ".stderr";
  return options;
}

}  // namespace

TestServer::TestServer(const std::vector<std::string>& serve_flags)
    : db(dir.file("stockbell.db")),
      secret(testing::create_key(db, "shop", "secret")),
      server(serve_options(db, serve_flags)) {}

std::string TestServer::create_key(const std::string& store, const std::string& kind,
                                   const std::vector<std::string>& origins) const {
  return testing::create_key(db, store, kind, origins);
}

std::vector<std::string> detail_fields(const json& error_body) {
  std::vector<std::string> fields;
  if (error_body.contains("details"))
    for (const json& d : error_body["details"]) fields.push_back(d.value("field", ""));
  return fields;
}

std::string detail_code(const json& error_body, const std::string& field) {
  if (error_body.contains("details"))
    for (const json& d : error_body["details"])
      if (d.value("field", "") == field) return d.value("code", "");
  return "";
}

}  // namespace stockbell::testing
