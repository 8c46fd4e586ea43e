// core/text: JavaScript-compatible trimming, lengths in code points, control characters, UTF-8.

#include <doctest/doctest.h>

#include "core/text.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::repeat;

TEST_CASE("trim removes exactly what JavaScript's String.prototype.trim removes") {
  CHECK(trim("  SKU-1  ") == "SKU-1");
  CHECK(trim("\t\n\v\f\rSKU\r\n") == "SKU");
  CHECK(trim("\u00A0SKU\u00A0") == "SKU");        // no-break space
  CHECK(trim("\u3000SKU\u3000") == "SKU");        // ideographic space
  CHECK(trim("\uFEFFSKU\uFEFF") == "SKU");        // byte order mark
  CHECK(trim("\u1680\u2000\u200A\u2028\u2029\u202F\u205FSKU") == "SKU");
  CHECK(trim("S K U") == "S K U");                // inner spaces are data
  CHECK(trim(" \u00A0\u3000 ") == "");
  CHECK(trim("") == "");
  // Not white space for JavaScript, so kept: zero width space, NEL, Mongolian vowel separator.
  CHECK(trim("\u200BSKU") == "\u200BSKU");
  CHECK(trim("SKU\u0085") == "SKU\u0085");
  CHECK(trim("\u180ESKU") == "\u180ESKU");
  // A multi-byte character next to the trimmed space survives whole.
  CHECK(trim(" é ") == "é");
  CHECK(trim("\u3000日本\u3000") == "日本");
}

TEST_CASE("char_count counts code points, not bytes") {
  CHECK(char_count("") == 0);
  CHECK(char_count("abc") == 3);
  CHECK(char_count("Größe") == 5);
  CHECK(char_count("日本") == 2);
  CHECK(char_count("😀") == 1);
  CHECK(char_count(repeat("é", 255)) == 255);
  CHECK(repeat("é", 255).size() == 510);
}

TEST_CASE("has_control_chars finds C0, DEL and C1 controls") {
  CHECK_FALSE(has_control_chars("SKU-1 é 日本 😀"));
  CHECK(has_control_chars("SKU\x07"));
  CHECK(has_control_chars(std::string("a\0b", 3)));
  CHECK(has_control_chars("a\x7F"));
  CHECK(has_control_chars("a\u0080"));
  CHECK(has_control_chars("a\u0085"));
  CHECK(has_control_chars("a\u009F"));
  CHECK_FALSE(has_control_chars("a\u00A0"));  // the byte after C2 is past the C1 block
  CHECK_FALSE(has_control_chars("\u00C2"));   // "Â" is C3 82, no C2 lead byte
  CHECK(has_control_chars("a\tb"));
  CHECK(has_control_chars("a\nb"));
  CHECK_FALSE(has_control_chars("a\tb\nc\r\n", true));
  CHECK(has_control_chars("a\vb", true));  // only tab, LF and CR are line breaks
  CHECK(has_control_chars("a\x1B", true));
}

TEST_CASE("is_valid_utf8 accepts well-formed UTF-8 only") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("Größe 日本 😀"));
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF, the last code point
  CHECK(is_valid_utf8("\xEF\xBB\xBF"));       // U+FEFF
  CHECK_FALSE(is_valid_utf8("\xFF"));
  CHECK_FALSE(is_valid_utf8("\x80"));          // a lone continuation byte
  CHECK_FALSE(is_valid_utf8("\xC0\x80"));      // overlong NUL
  CHECK_FALSE(is_valid_utf8("\xC1\xBF"));      // overlong
  CHECK_FALSE(is_valid_utf8("\xE0\x80\x80"));  // overlong
  CHECK_FALSE(is_valid_utf8("\xF0\x80\x80\x80"));
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // U+D800, a surrogate
  CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));  // U+DFFF
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));      // truncated at the end
  CHECK_FALSE(is_valid_utf8("\xE2\x82x"));     // truncated in the middle
  CHECK_FALSE(is_valid_utf8("a\xC3"));
}

TEST_CASE("truncate_chars cuts on a character boundary and marks the cut") {
  CHECK(truncate_chars("abcdef", 3) == "abc...");
  CHECK(truncate_chars("abc", 3) == "abc");
  CHECK(truncate_chars("", 3) == "");
  CHECK(truncate_chars("ééé", 2) == "éé...");
  CHECK(truncate_chars("😀😀", 1) == "😀...");
}

TEST_CASE("ascii_lower lower-cases ASCII letters only") {
  CHECK(ascii_lower("Buyer@Example.COM") == "buyer@example.com");
  CHECK(ascii_lower("ÄÖÜ-ABC") == "ÄÖÜ-abc");
  CHECK(ascii_lower("123_@") == "123_@");
}

TEST_CASE("fold_case lower-cases Latin, Greek and Cyrillic capitals for search") {
  CHECK(fold_case("ÄPFEL aus SÜDTIROL") == "äpfel aus südtirol");
  CHECK(fold_case("ŁÓDŹ Ţ Ÿ") == "łódź ţ ÿ");
  CHECK(fold_case("ΣΟΦΙΑ Ά") == "σοφια ά");
  CHECK(fold_case("МОСКВА ЁЖ") == "москва ёж");
  CHECK(fold_case("× ÷ ß 中文 😀") == "× ÷ ß 中文 😀");  // no case, or no simple mapping: kept
  CHECK(fold_case("SKU-1\nTitle") == "sku-1\ntitle");
}

TEST_CASE("append_utf8 writes 1 to 4 bytes") {
  std::string out;
  for (char32_t cp : {U'A', U'é', U'€', U'😀'}) append_utf8(out, cp);
  CHECK(out == "Aé€😀");
  CHECK(is_valid_utf8(out));
}

TEST_CASE("printable_line keeps one printable line of a header a server stores") {
  CHECK(stockbell::printable_line("  Mozilla/5.0 (X11; Linux)  ", 500) == "Mozilla/5.0 (X11; Linux)");
  CHECK(stockbell::printable_line("a\r\nb\tc\x7f" "d", 500) == "a  b c d");
  CHECK(stockbell::printable_line("caf\xC3\xA9 \xFF\xC3", 500) == "café");
  CHECK(stockbell::printable_line("\xC2\x85x", 500) == "x");  // a C1 control
  CHECK(stockbell::printable_line("äbcdef", 3) == "äbc...");
}

TEST_CASE("has_invisible_chars: bidi controls and invisible formatting, not joiners or flags") {
  using stockbell::has_invisible_chars;
  for (const char* text : {"Ann\u202E", "\u202Aa", "\u202B", "\u202C", "\u202D", "a\u2066b\u2069",
                           "\u2067", "\u2068", "\u200E", "\u200F", "\u061C", "a\u200Bb", "\u2060",
                           "\u2061", "\u2064", "\uFEFFx", "so\u00ADft", "\u180E", "\u206A", "\u206F",
                           "\uFFF9", "\uFFFB", "\u3164", "\u115F", "\u1160", "\uFFA0", "\u17B4",
                           "\U0001D173", "\U000E0001"}) {
    INFO(text);
    CHECK(has_invisible_chars(text));
  }
  for (const char* text : {"", "Ann Lee", "Größe", "\u0645\u06CC\u200C\u062E", "a\u200Db",
                           "\U0001F468\u200D\U0001F469", "\U0001F3F4\U000E0067\U000E007F", "\u2065",
                           "\u2010 dash", "\u00A0nbsp", "\U0001D172", "\U0001D17B"}) {
    INFO(text);
    CHECK_FALSE(has_invisible_chars(text));
  }
}
