#pragma once
// The user-facing words in every language Stockbell speaks (English, German, French, Spanish),
// from one table: core/i18n/messages.json, turned into C++ at build time. Sections:
//   field   the messages of FieldCode (English is core/errors.cpp's table, checked equal)
//   widget  the widget's words for shoppers
//   page    the pages a shopper opens from an e-mail (unsubscribe, confirm)
// Placeholders are `{name}`. Stores may override any string where they are shown.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stockbell {

enum class TextSection { field, widget, page };

/// The languages the table has, `en` first.
const std::vector<std::string>& supported_locales();

/// `key` of `section` in the first of locale_candidates(locale, fallback) the table has, else in
/// English; empty if no language has the key.
std::string_view localized(TextSection section, std::string_view key, std::string_view locale,
                           std::string_view fallback = "en");

/// The language the table would answer `locale` with (`de-CH` → `de`, `pt` → `en`).
std::string resolved_locale(std::string_view locale, std::string_view fallback = "en");

/// Every key of a section, in the table's order.
std::vector<std::string_view> section_keys(TextSection section);

/// `text` with each `{name}` of `values` replaced; unknown placeholders stay as they are.
std::string fill_placeholders(std::string_view text,
                              const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace stockbell
