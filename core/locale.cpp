#include "core/locale.hpp"

#include <algorithm>

namespace stockbell {
namespace {

bool all_of(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

void append_lower(std::string& out, std::string_view s) {
  for (char c : s) out += lower(c);
}

}  // namespace

std::optional<std::string> normalize_locale(std::string_view tag) {
  if (tag.empty() || tag.size() > kMaxLocaleChars) return std::nullopt;
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t dash = tag.find_first_of("-_", start);
    parts.push_back(tag.substr(start, dash == std::string_view::npos ? tag.size() - start
                                                                       : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  size_t i = 0;
  std::string out;
  // language
  if (!all_of(parts[0], is_alpha) || parts[0].size() < 2 || parts[0].size() > 3)
    return std::nullopt;
  append_lower(out, parts[i++]);
  // script
  if (i < parts.size() && parts[i].size() == 4 && all_of(parts[i], is_alpha)) {
    out += '-';
    out += upper(parts[i][0]);
    append_lower(out, parts[i].substr(1));
    ++i;
  }
  // region
  if (i < parts.size() && ((parts[i].size() == 2 && all_of(parts[i], is_alpha)) ||
                           (parts[i].size() == 3 && all_of(parts[i], is_digit)))) {
    out += '-';
    for (char c : parts[i]) out += upper(c);
    ++i;
  }
  // variants
  for (; i < parts.size(); ++i) {
    const std::string_view v = parts[i];
    const bool variant = all_of(v, is_alnum) &&
                         ((v.size() >= 5 && v.size() <= 8) || (v.size() == 4 && is_digit(v[0])));
    if (!variant) return std::nullopt;
    out += '-';
    append_lower(out, v);
  }
  return out;
}

std::vector<std::string> locale_candidates(std::string_view tag, std::string_view fallback) {
  std::vector<std::string> out;
  auto add = [&out](std::string candidate) {
    if (!candidate.empty() && std::find(out.begin(), out.end(), candidate) == out.end())
      out.push_back(std::move(candidate));
  };
  for (std::string_view t : {tag, fallback}) {
    std::optional<std::string> normal = normalize_locale(t);
    if (!normal) continue;
    // Every prefix, longest first: zh-Hant-TW → zh-Hant-TW, zh-Hant, zh.
    for (std::string candidate = *normal;;) {
      add(candidate);
      const size_t dash = candidate.rfind('-');
      if (dash == std::string::npos) break;
      candidate.resize(dash);
    }
  }
  add("en");
  return out;
}

}  // namespace stockbell
