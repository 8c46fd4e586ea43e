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

// ---- the messages the widget injects at run time (MessageTable) -------------------------------

namespace {

// A language's field messages as JSON, from the compiled table: what the widget's i18n/<lang>.json
// holds under "field" (web/build.mjs writes it from the same messages.json).
std::string field_table_json(const std::string& language) {
  Json field = Json::object();
  for (std::string_view key : section_keys(TextSection::field))
    field[key] = std::string(localized(TextSection::field, key, language, language));
  Json out = Json::object();
  out["field"] = std::move(field);
  return dump(out);
}

}  // namespace

TEST_CASE("an injected table words every field message as the compiled table does") {
  for (const std::string& language : supported_locales()) {
    const MessageTable table = MessageTable::from_json(field_table_json(language));
    for (int code = 0; code <= static_cast<int>(FieldCode::invalid_locale); ++code) {
      const auto c = static_cast<FieldCode>(code);
      CAPTURE(language);
      CAPTURE(field_code_name(c));
      CHECK(table.field_message(c, 254, "x, y") ==
            fill_placeholders(localized(TextSection::field, field_code_name(c), language),
                              {{"limit", "254"}, {"expected", "x, y"}}));
    }
  }
}

TEST_CASE("{expected}: the core's English phrases and ranges in the table's words") {
  const MessageTable de = MessageTable::from_json(
      R"({"field":{"invalid_type":"Muss {expected} sein.","out_of_range":"Muss zwischen {expected} liegen."},)"
      R"("expected":{"a string":"eine Zeichenkette","{min} and {max}":"{min} und {max}"}})");
  CHECK(de.field_message(FieldCode::invalid_type, std::nullopt, "a string") ==
        "Muss eine Zeichenkette sein.");
  CHECK(de.field_message(FieldCode::out_of_range, std::nullopt, "0 and 10") ==
        "Muss zwischen 0 und 10 liegen.");
  CHECK(de.field_message(FieldCode::out_of_range, std::nullopt, "-5 and 1000000") ==
        "Muss zwischen -5 und 1000000 liegen.");
  // A phrase the table lacks stays as the core said it; a code it lacks stays English.
  CHECK(de.field_message(FieldCode::invalid_type, std::nullopt, "an object") == "Muss an object sein.");
  CHECK(de.field_message(FieldCode::too_long, 20, "") == "Must be at most 20 characters.");
}

TEST_CASE("a table that is not JSON, or empty, leaves the core's English") {
  for (std::string_view text : {"", "{", "[]", R"({"field":7})", R"({"field":{"too_long":5}})"}) {
    CAPTURE(text);
    CHECK(MessageTable::from_json(text).field_message(FieldCode::too_long, 20, "") ==
          field_message(FieldCode::too_long, 20));
  }
}

TEST_CASE("reword: every detail and the summary's first message, the rest of the summary kept") {
  Problems problems;
  problems.add("customer.email", FieldCode::invalid_email);
  problems.add("productId", FieldCode::too_long, 255);
  ApiError error = validation_error(problems);
  MessageTable::from_json(field_table_json("fr")).reword(error);
  const std::string email = std::string(localized(TextSection::field, "invalid_email", "fr"));
  CHECK(error.details[0].message == email);
  CHECK(error.details[1].message ==
        fill_placeholders(localized(TextSection::field, "too_long", "fr"), {{"limit", "255"}}));
  CHECK(error.message == "Validation failed: customer.email: " + email + " (and 1 more)");
}
