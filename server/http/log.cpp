#include "server/http/log.hpp"

#include <cstdio>

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
  std::fprintf(stderr, "stockbell: %s %s failed: %s\n", printable(req.method).c_str(),
               printable(req.path).c_str(), what);
}

void log_refusal(const httplib::Request& req, const std::string& why) {
  std::fprintf(stderr, "stockbell: %s %s refused: %s\n", printable(req.method).c_str(),
               printable(req.path).c_str(), printable(why).c_str());
}

}  // namespace stockbell::server
