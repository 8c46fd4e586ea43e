#include "server/http/log.hpp"

#include <cstdio>

#include "server/http/request_scope.hpp"
#include "server/ops/log.hpp"

namespace stockbell::server {

std::string printable(const std::string& text) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) {
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 15];
    } else {
      out += c;
    }
  }
  return out;
}

void log_failure(const httplib::Request& req, const char* what) {
  const RequestScope& scope = current_request();
  log_line("error", printable(req.method) + " " + scope.route + " failed: " + what,
           {{"requestId", scope.id}, {"store", scope.store}});
}

void log_refusal(const httplib::Request& req, const std::string& why) {
  const RequestScope& scope = current_request();
  log_line("warn", printable(req.method) + " " + scope.route + " refused: " + printable(why),
           {{"requestId", scope.id}, {"store", scope.store}});
}

}  // namespace stockbell::server
