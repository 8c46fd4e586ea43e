// core/json: the bounded parser (depth, duplicate keys, UTF-8, surrogates, no exceptions) and
// byte-stable output.

#include <doctest/doctest.h>

#include "core/json.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::repeat;

namespace {

// Parses `text`; returns "ok" or the failure message.
std::string outcome(std::string_view text) {
  JsonParseFailure failure;
  std::optional<Json> doc = parse_json(text, failure);
  return doc ? std::string("ok") : failure.message;
}

bool parses(std::string_view text) { return outcome(text) == "ok"; }

// `{"a":` + n-1 nested arrays: a document nested exactly n levels deep.
std::string nested(int depth) {
  return "{\"a\":" + repeat("[", depth - 1) + repeat("]", depth - 1) + "}";
}

}  // namespace

TEST_CASE("ordinary documents parse into the expected values") {
  JsonParseFailure failure;
  std::optional<Json> doc =
      parse_json(R"({"s":"é\u00e9\ud83d\ude00","i":-5,"u":7,"f":1.5,"b":true,"n":null,"a":[1,[]]})", failure);
  REQUIRE(doc.has_value());
  CHECK((*doc)["s"] == "éé😀");
  CHECK((*doc)["i"] == -5);
  CHECK((*doc)["f"] == 1.5);
  CHECK((*doc)["b"] == true);
  CHECK((*doc)["n"].is_null());
  CHECK((*doc)["a"] == Json::array({1, Json::array()}));
  CHECK(parses(" \t\r\n{}\n"));
  CHECK(parses("42"));
  CHECK(parses("\"text\""));
  CHECK(parses("null"));
}

TEST_CASE("nesting: 20 levels are accepted, 21 are not") {
  CHECK(parses(nested(20)));
  CHECK(outcome(nested(21)) == "nesting deeper than 20 levels");
  CHECK(parses(repeat("[", 20) + repeat("]", 20)));
  CHECK_FALSE(parses(repeat("[", 21) + repeat("]", 21)));
  // A deep document is rejected before it is read to the end (no stack exhaustion).
  CHECK_FALSE(parses(repeat("[", 100000)));
}

TEST_CASE("duplicate keys are rejected, at any depth, however they are spelled") {
  CHECK(outcome(R"({"a":1,"a":2})") == "duplicate key \"a\"");
  CHECK_FALSE(parses(R"({"x":{"b":1,"b":1}})"));
  CHECK_FALSE(parses(R"({"a":1,"\u0061":2})"));
  CHECK_FALSE(parses(R"([{"k":1},{"k":2,"k":3}])"));
  // The same key in different objects is fine.
  CHECK(parses(R"({"a":{"a":1},"b":{"a":2}})"));
  CHECK(parses(R"([{"k":1},{"k":2}])"));
}

TEST_CASE("invalid UTF-8 is rejected") {
  for (const std::string bytes : {"\"\xFF\"", "\"\xC0\x80\"", "\"\xED\xA0\x80\"", "\"\xE2\x82\"",
                            "\"a\x80\"", "\"\xF4\x90\x80\x80\"", "{\"\xFF\":1}"}) {
    CAPTURE(bytes);
    CHECK_FALSE(parses(bytes));
  }
  CHECK(parses("\"\xF4\x8F\xBF\xBF\""));
}

TEST_CASE("unpaired surrogate escapes are rejected; pairs decode") {
  CHECK_FALSE(parses(R"("\ud800")"));
  CHECK_FALSE(parses(R"("\udc00")"));
  CHECK_FALSE(parses(R"("\ud800x")"));
  CHECK_FALSE(parses(R"("\ud800\u0041")"));
  CHECK_FALSE(parses(R"("\ude00\ud83d")"));
  JsonParseFailure failure;
  CHECK(*parse_json(R"("\ud83d\ude00")", failure) == "😀");
}

TEST_CASE("syntax errors report line and column") {
  const std::string message = outcome("{\n  \"productId\": \n}");
  CHECK(message.rfind("line 3, column 1: ", 0) == 0);
  for (const std::string bad : {"", "   ", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\":1} x", "{}{}",
                          "{\"a\" 1}", "{a:1}", "NaN", "Infinity", "[01]", "[1.]", "[.5]",
                          "{/*c*/}", "// c\n{}", "\"tab\there\"", "tru", "[\"\\x41\"]"}) {
    CAPTURE(bad);
    const std::string m = outcome(bad);
    CHECK(m != "ok");
    CHECK_FALSE(m.empty());
  }
}

TEST_CASE("numbers too large for a double are rejected, not turned into infinity") {
  CHECK_FALSE(parses("1e400"));
  CHECK_FALSE(parses("[-1e400]"));
  CHECK(parses("1e300"));
  CHECK(parses("18446744073709551616"));  // past uint64: kept as a double
}

TEST_CASE("a UTF-8 byte order mark before the document is skipped") {
  CHECK(parses("\xEF\xBB\xBF{}"));
  CHECK_FALSE(parses("{}\xEF\xBB\xBF"));
}

TEST_CASE("output is compact, keeps insertion order and writes UTF-8 as is") {
  OrderedJson j;
  j["z"] = 1;
  j["a"] = "é😀";
  j["m"] = OrderedJson::array({true, nullptr, 1.5});
  CHECK(dump(j) == R"({"z":1,"a":"é😀","m":[true,null,1.5]})");
  CHECK(dump(Json{{"z", 1}, {"a", 2}}) == R"({"a":2,"z":1})");
  CHECK(dump(OrderedJson("bell\u0007\n\"\\")) == R"("bell\u0007\n\"\\")");
}

TEST_CASE("invalid UTF-8 given to dump is replaced, never thrown") {
  CHECK(dump(OrderedJson(std::string("a\xFF" "b"))) == "\"a\xEF\xBF\xBD" "b\"");
}

TEST_CASE("quote makes a JSON string literal") {
  CHECK(quote("a\"b") == R"("a\"b")");
  CHECK(quote("") == R"("")");
  CHECK(quote("é") == "\"é\"");
}
