#include "server/http/request_scope.hpp"

#include <random>

namespace stockbell::server {

RequestScope& current_request() {
  thread_local RequestScope scope;
  return scope;
}

bool is_sane_request_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string request_id_from(const std::string& client_id) {
  if (is_sane_request_id(client_id)) return client_id;
  // Not a secret: only unique enough to find one request's lines among a day's.
  thread_local std::mt19937_64 random{std::random_device{}()};
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (int half = 0; half < 2; ++half) {
    uint64_t bits = random();
    for (int i = 0; i < 16; ++i, bits >>= 4) id += kHex[bits & 15];
  }
  return id;
}

void begin_request(std::string id) {
  RequestScope& scope = current_request();
  scope.id = request_id_from(id);
  scope.route = "unmatched";
  scope.store.clear();
  scope.start = std::chrono::steady_clock::now();
}

}  // namespace stockbell::server
