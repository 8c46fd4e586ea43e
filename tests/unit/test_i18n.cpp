// core/i18n: one table of words in four languages; the same keys and placeholders in each, and
// English field messages identical to core/errors.cpp's.

#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "core/errors.hpp"
#include "core/i18n.hpp"

using namespace stockbell;

namespace {

std::set<std::string> placeholders(std::string_view text) {
  std::set<std::string> names;
  const std::string s(text);
  const std::regex brace(R"(\{([A-Za-z]+)\})");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), brace); it != std::sregex_iterator(); ++it)
    names.insert((*it)[1].str());
  return names;
}

}  // namespace

TEST_CASE("four languages, English first") {
  const std::vector<std::string>& locales = supported_locales();
  REQUIRE(locales.size() == 4);
  CHECK(locales[0] == "en");
  CHECK(std::set<std::string>(locales.begin(), locales.end()) ==
        std::set<std::string>{"en", "de", "fr", "es"});
}

TEST_CASE("every language has every key, with the same placeholders") {
  for (TextSection section : {TextSection::field, TextSection::widget, TextSection::page}) {
    const std::vector<std::string_view> keys = section_keys(section);
    CHECK(keys.size() >= 12);
    for (const std::string& language : supported_locales()) {
      for (std::string_view key : keys) {
        CAPTURE(language);
        CAPTURE(key);
        const std::string_view text = localized(section, key, language, language);
        const std::string_view english = localized(section, key, "en");
        CHECK_FALSE(text.empty());
        CHECK(placeholders(text) == placeholders(english));
        if (language != "en") CHECK(text != english);  // actually translated
      }
    }
  }
}

TEST_CASE("the English field messages are core/errors.cpp's, for every code") {
  for (int code = 0; code <= static_cast<int>(FieldCode::unknown_variable); ++code) {
    const auto c = static_cast<FieldCode>(code);
    CAPTURE(field_code_name(c));
    CHECK(localized(TextSection::field, field_code_name(c), "en") ==
          field_message(c, std::nullopt, "{expected}"));
  }
}

TEST_CASE("lookup: exact, language, fallback, English") {
  CHECK(localized(TextSection::widget, "submit", "de-CH") == localized(TextSection::widget, "submit", "de"));
  CHECK(localized(TextSection::widget, "submit", "pt-BR") == localized(TextSection::widget, "submit", "en"));
  CHECK(localized(TextSection::widget, "submit", "pt-BR", "fr") == localized(TextSection::widget, "submit", "fr"));
  CHECK(localized(TextSection::widget, "no-such-key", "de").empty());
  CHECK(resolved_locale("de-AT") == "de");
  CHECK(resolved_locale("xx", "es") == "es");
  CHECK(resolved_locale("") == "en");
}

TEST_CASE("placeholders are filled, unknown ones kept") {
  CHECK(fill_placeholders("{store}: {item} for {email}", {{"store", "Linen"}, {"item", "Shirt {x}"}}) ==
        "Linen: Shirt {x} for {email}");
}
