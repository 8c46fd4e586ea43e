#include "server/http/paths.hpp"

namespace stockbell::server {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = hex_value(text[i + 1]);
    const int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::optional<std::vector<std::string>> path_segments(const std::string& target) {
  const std::string_view path = std::string_view(target).substr(0, target.find('?'));
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::optional<std::string> segment = percent_decode(path.substr(start, end - start));
    if (!segment) return std::nullopt;
    segments.push_back(std::move(*segment));
    start = end + 1;
  }
  // "/" and trailing slashes produce empty last segments; "/api/v1/products/" means the list.
  while (!segments.empty() && segments.back().empty()) segments.pop_back();
  if (segments.size() >= 1 && segments[0] == "v1") segments.insert(segments.begin(), "api");
  return segments;
}

}  // namespace stockbell::server
