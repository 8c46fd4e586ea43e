// core/locale: language tags and the order templates and strings are looked up in.

#include <doctest/doctest.h>

#include "core/locale.hpp"

using namespace stockbell;

TEST_CASE("language tags are read in canonical case") {
  CHECK(normalize_locale("en") == "en");
  CHECK(normalize_locale("DE-ch") == "de-CH");
  CHECK(normalize_locale("de_CH") == "de-CH");
  CHECK(normalize_locale("zh-hant-tw") == "zh-Hant-TW");
  CHECK(normalize_locale("es-419") == "es-419");
  CHECK(normalize_locale("sl-rozaj-biske") == "sl-rozaj-biske");
  CHECK(normalize_locale("de-1996") == "de-1996");
}

TEST_CASE("anything else is not a tag") {
  for (const char* bad : {"", "e", "english", "en-", "-en", "en--US", "en-U", "en-USA1",
                          "12", "en US", "en-US-x", "de-CH-ab", "ü"}) {
    CAPTURE(bad);
    CHECK_FALSE(normalize_locale(bad).has_value());
  }
  CHECK_FALSE(normalize_locale(std::string(36, 'a')).has_value());
}

TEST_CASE("lookup order: exact, its language, the store's default, English") {
  CHECK(locale_candidates("de-CH", "fr") == std::vector<std::string>{"de-CH", "de", "fr", "en"});
  CHECK(locale_candidates("zh-Hant-TW", "en") ==
        std::vector<std::string>{"zh-Hant-TW", "zh-Hant", "zh", "en"});
  CHECK(locale_candidates("de", "de") == std::vector<std::string>{"de", "en"});
  CHECK(locale_candidates("not a tag", "es") == std::vector<std::string>{"es", "en"});
  CHECK(locale_candidates("", "") == std::vector<std::string>{"en"});
}
