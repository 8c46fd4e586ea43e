#include "server/http/framing.hpp"

#include <algorithm>
#include <cctype>

namespace stockbell::server {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

size_t find_head_end(std::string_view bytes, size_t& scan) {
  const size_t first = bytes.find('\n');
  if (first == std::string_view::npos) return 0;
  const size_t blank = bytes.find("\n\r\n", std::max(first, scan));
  if (blank == std::string_view::npos) {
    scan = bytes.size() >= 2 ? bytes.size() - 2 : 0;
    return 0;
  }
  return blank + 3;
}

std::vector<const std::string*> RequestHead::all(std::string_view name) const {
  std::vector<const std::string*> values;
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) values.push_back(&value);
  return values;
}

RequestHead parse_head(std::string_view bytes, size_t length) {
  RequestHead head;
  head.length = length;
  bytes = bytes.substr(0, length);
  const size_t line_end = std::min(bytes.find('\n'), bytes.size());
  std::string_view request_line = bytes.substr(0, line_end);
  if (!request_line.empty() && request_line.back() == '\r') request_line.remove_suffix(1);
  const size_t sp1 = request_line.find(' ');
  head.method = std::string(request_line.substr(0, sp1));
  if (sp1 != std::string_view::npos) {
    const size_t sp2 = request_line.find(' ', sp1 + 1);
    head.target = std::string(request_line.substr(
        sp1 + 1, sp2 == std::string_view::npos ? std::string_view::npos : sp2 - sp1 - 1));
  }
  size_t at = line_end + 1;
  while (at < bytes.size()) {
    const size_t nl = std::min(bytes.find('\n', at), bytes.size());
    std::string_view line = bytes.substr(at, nl - at);
    at = nl + 1;
    if (line.empty() || line.back() != '\r') continue;  // LF alone: httplib skips the line
    line.remove_suffix(1);
    if (line.empty()) break;  // the blank line
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    head.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return head;
}

ChunkedBody::Step ChunkedBody::read(std::string_view bytes, size_t max_body) {
  while (true) {
    if (at_ - start_ > 2 * max_body + 64 * 1024) return Step::too_large;
    switch (state_) {
      case State::size: {
        const size_t nl = bytes.find('\n', at_);
        if (nl == std::string_view::npos)
          return bytes.size() - at_ > 1024 ? Step::malformed : Step::more;
        std::string_view line = bytes.substr(at_, nl - at_);
        if (line.empty() || line.back() != '\r') return Step::malformed;
        line.remove_suffix(1);
        size_t size = 0;
        size_t digits = 0;
        for (; digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits])); ++digits) {
          if (digits == 8) return Step::malformed;
          const char h = static_cast<char>(std::tolower(static_cast<unsigned char>(line[digits])));
          size = size * 16 + static_cast<size_t>(h <= '9' ? h - '0' : h - 'a' + 10);
        }
        if (digits == 0 || (digits < line.size() && line[digits] != ';')) return Step::malformed;
        at_ = nl + 1;
        if (size == 0) {
          state_ = State::last;
          break;
        }
        decoded_ += size;
        if (decoded_ > max_body) return Step::too_large;
        remaining_ = size;
        state_ = State::data;
        break;
      }
      case State::data: {
        const size_t take = std::min(remaining_, bytes.size() - at_);
        at_ += take;
        remaining_ -= take;
        if (remaining_ > 0) return Step::more;
        state_ = State::data_end;
        break;
      }
      case State::data_end:
      case State::last: {
        if (bytes.size() - at_ < 2) return Step::more;
        if (bytes.substr(at_, 2) != "\r\n") return Step::malformed;
        at_ += 2;
        if (state_ == State::last) return Step::done;  // no trailers: httplib reads none
        state_ = State::size;
        break;
      }
    }
  }
}

}  // namespace stockbell::server
