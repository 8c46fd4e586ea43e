#include "core/i18n.hpp"

#include <algorithm>

#include "core/locale.hpp"

namespace stockbell {
namespace {

struct Entry {
  std::string_view language;
  TextSection section;
  std::string_view key;
  std::string_view text;
};

constexpr Entry kTable[] = {
#include "i18n_tables.inc"
};

const Entry* find(std::string_view language, TextSection section, std::string_view key) {
  for (const Entry& e : kTable)
    if (e.section == section && e.language == language && e.key == key) return &e;
  return nullptr;
}

bool has_language(std::string_view language) {
  return std::any_of(std::begin(kTable), std::end(kTable),
                     [&](const Entry& e) { return e.language == language; });
}

}  // namespace

const std::vector<std::string>& supported_locales() {
  static const std::vector<std::string> locales = [] {
    std::vector<std::string> out{"en"};
    for (const Entry& e : kTable)
      if (std::find(out.begin(), out.end(), e.language) == out.end())
        out.emplace_back(e.language);
    return out;
  }();
  return locales;
}

std::string resolved_locale(std::string_view locale, std::string_view fallback) {
  for (const std::string& candidate : locale_candidates(locale, fallback))
    if (has_language(candidate)) return candidate;
  return "en";
}

std::string_view localized(TextSection section, std::string_view key, std::string_view locale,
                           std::string_view fallback) {
  for (const std::string& candidate : locale_candidates(locale, fallback))
    if (const Entry* e = find(candidate, section, key)) return e->text;
  return {};
}

std::vector<std::string_view> section_keys(TextSection section) {
  std::vector<std::string_view> keys;
  for (const Entry& e : kTable)
    if (e.section == section && e.language == kTable[0].language) keys.push_back(e.key);
  return keys;
}

std::string fill_placeholders(std::string_view text,
                              const std::vector<std::pair<std::string, std::string>>& values) {
  std::string out(text);
  for (const auto& [name, value] : values) {
    const std::string placeholder = "{" + name + "}";
    for (size_t at = out.find(placeholder); at != std::string::npos;
         at = out.find(placeholder, at + value.size()))
      out.replace(at, placeholder.size(), value);
  }
  return out;
}

}  // namespace stockbell
