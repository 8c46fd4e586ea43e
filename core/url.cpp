#include "core/url.hpp"

#include "core/text.hpp"

namespace stockbell {
namespace {

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && ascii_lower(text.substr(0, prefix.size())) == prefix;
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '%' || c == '[' || c == ']' || c == ':' ||
         static_cast<unsigned char>(c) >= 0x80;  // IDN hosts, sent as UTF-8
}

// Length of the scheme prefix ("http://" or "https://"), or 0.
size_t http_scheme_length(std::string_view url) {
  if (starts_with_ci(url, "https://")) return 8;
  if (starts_with_ci(url, "http://")) return 7;
  return 0;
}

}  // namespace

bool is_valid_http_url(std::string_view url) {
  const size_t scheme = http_scheme_length(url);
  if (scheme == 0) return false;
  for (char c : url)
    if (c == ' ' || c == '\\' || c == '"' || c == '<' || c == '>') return false;
  if (has_control_chars(url)) return false;
  std::string_view rest = url.substr(scheme);
  const size_t host_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, host_end);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);  // user info is allowed by URLs; the host follows it
  if (authority.empty() || authority.front() == ':' || authority.front() == '.') return false;
  for (char c : authority)
    if (!is_host_char(c)) return false;
  // A host name's labels are not empty: `a..b` and `.a` are not hosts (`a.` is: a root label).
  const size_t name_end = authority.front() == '[' ? authority.find(']') : authority.rfind(':');
  if (authority.substr(0, name_end).find("..") != std::string_view::npos) return false;
  // A port is 1..65535 (`:0` and `:65536` name no port a request can reach); empty is the default.
  const size_t colon = authority.front() == '[' ? authority.find(':', authority.find(']'))
                                                : authority.rfind(':');
  if (colon == std::string_view::npos) return true;
  const std::string_view port = authority.substr(colon + 1);
  if (port.empty()) return true;
  if (port.size() > 5) return false;
  int value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return value >= 1 && value <= 65535;
}

std::optional<UrlParts> split_http_url(std::string_view url) {
  if (!is_valid_http_url(url)) return std::nullopt;
  const size_t scheme_length = http_scheme_length(url);
  UrlParts parts;
  parts.scheme = scheme_length == 8 ? "https" : "http";
  std::string_view rest = url.substr(scheme_length);
  const size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  std::string_view target =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (const size_t hash = target.find('#'); hash != std::string_view::npos)
    target = target.substr(0, hash);
  parts.target = target.empty() || target.front() != '/' ? "/" + std::string(target)
                                                          : std::string(target);
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      port = authority.substr(close + 2);
    }
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return std::nullopt;
  parts.host = ascii_lower(host);
  parts.port = parts.scheme == "https" ? 443 : 80;
  if (!port.empty()) {
    if (port.size() > 5) return std::nullopt;
    int value = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) return std::nullopt;
    parts.port = value;
  }
  return parts;
}

std::optional<std::string> normalize_origin(std::string_view origin) {
  const size_t scheme = http_scheme_length(origin);
  if (scheme == 0) return std::nullopt;
  std::string out = ascii_lower(origin);
  if (out.size() > scheme && out.back() == '/') out.pop_back();
  std::string_view authority = std::string_view(out).substr(scheme);
  if (authority.empty()) return std::nullopt;
  for (char c : authority)
    if (!is_host_char(c) || c == '%' || c == '~') return std::nullopt;
  const bool https = scheme == 8;
  const std::string_view default_port = https ? ":443" : ":80";
  if (authority.size() > default_port.size() &&
      authority.substr(authority.size() - default_port.size()) == default_port &&
      authority.find(']') == std::string_view::npos)
    out.resize(out.size() - default_port.size());
  return out;
}

}  // namespace stockbell
