// core/fields: the typed readers every body parser is built from (text, URL, currency, integer,
// boolean; omitted vs null vs value), and unknown-field detection.

#include <doctest/doctest.h>

#include "core/fields.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::json;
using stockbell::test::repeat;
using stockbell::test::with;

namespace {

// Runs `read` on an ObjectReader over `object` at path "p"; returns the problems as "field:code".
template <class Read>
std::string problems_of(const Json& object, Read read) {
  Problems problems;
  ObjectReader reader(object, "p", problems);
  read(reader);
  ApiError error{ApiCode::validation_failed, "", problems.take()};
  return error.details.empty() ? "ok" : stockbell::test::problem_list(error);
}

// patch_integer on `{"n": <value_json>}`, e.g. integer("12.0").
Patch<int64_t> integer(std::string_view value_json, int64_t min = 0,
                       int64_t max = kMaxSafeInteger) {
  Problems problems;
  // ObjectReader keeps a reference: keep the object alive.
  const Json object = json("{\"n\":" + std::string(value_json) + "}");
  ObjectReader reader(object, "p", problems);
  return reader.patch_integer("n", min, max);
}

// The problems patch_integer reports for `{"n": <value_json>}`, or "ok".
std::string integer_problems(std::string_view value_json, int64_t min = 0,
                             int64_t max = kMaxSafeInteger) {
  return problems_of(json("{\"n\":" + std::string(value_json) + "}"),
                     [&](ObjectReader& r) { r.patch_integer("n", min, max); });
}

}  // namespace

TEST_CASE("Patch: omitted keeps, null clears, a value replaces") {
  std::optional<std::string> stored = "old";
  Patch<std::string>{}.apply_to(stored);
  CHECK(*stored == "old");
  Patch<std::string>::of("new").apply_to(stored);
  CHECK(*stored == "new");
  Patch<std::string>::null_patch().apply_to(stored);
  CHECK_FALSE(stored.has_value());
}

TEST_CASE("patch_text: omitted, null, blank and values") {
  Problems problems;
  Json object = json(R"({"null":null,"blank":" \u3000 ","text":" Linen "})");
  ObjectReader reader(object, "p", problems);
  CHECK(reader.patch_text("missing", kTitleRule).absent());
  CHECK(reader.patch_text("null", kTitleRule).is_null());
  CHECK(reader.patch_text("blank", kTitleRule).is_null());  // blank clears like null
  Patch<std::string> text = reader.patch_text("text", kTitleRule);
  REQUIRE(text.has_value());
  CHECK(text.value == "Linen");
  CHECK(problems.empty());
  CHECK(problems_of(json(R"({"t":5})"), [](ObjectReader& r) { r.patch_text("t", kTitleRule); }) ==
        "p.t:invalid_type");
  CHECK(problems_of(with(Json::object(), "t", repeat("x", 501)), [](ObjectReader& r) {
          r.patch_text("t", kTitleRule);
        }) == "p.t:too_long");
}

TEST_CASE("patch_integer: whole numbers in range; 12.0 is 12") {
  CHECK(integer("12").value == 12);
  CHECK(integer("12.0").value == 12);
  CHECK(integer("1.2e1").value == 12);
  CHECK(integer("120e-1").value == 12);
  CHECK(integer("1e3").value == 1000);
  CHECK(integer("0").value == 0);
  CHECK(integer("-0").value == 0);
  CHECK(integer("-0.0").value == 0);
  CHECK(integer("0e-400").value == 0);
  CHECK(integer("9007199254740991").value == kMaxSafeInteger);
  CHECK(integer("9007199254740991.000").value == kMaxSafeInteger);
  CHECK(integer("null").is_null());
  CHECK(integer("-5", -kMaxSafeInteger, kMaxSafeInteger).value == -5);
  CHECK(integer("-9007199254740991", -kMaxSafeInteger, kMaxSafeInteger).value == -kMaxSafeInteger);
  // The extremes of int64 when the bounds allow them.
  CHECK(integer("9223372036854775807", INT64_MIN, INT64_MAX).value == INT64_MAX);
  CHECK(integer("-9223372036854775808", INT64_MIN, INT64_MAX).value == INT64_MIN);
  CHECK(integer_problems("9223372036854775808", INT64_MIN, INT64_MAX) == "p.n:out_of_range");
  CHECK(integer_problems("-9223372036854775809", INT64_MIN, INT64_MAX) == "p.n:out_of_range");

  CHECK(integer_problems("12.5") == "p.n:not_integer");
  CHECK(integer_problems("1e-3") == "p.n:not_integer");
  CHECK(integer_problems("1e-400") == "p.n:not_integer");
  CHECK(integer_problems("0.5") == "p.n:not_integer");
  // Exact near the bound, where a double could not tell: 2^53 - 1.5 is in range, 2^53 - 0.5 not.
  CHECK(integer_problems("9007199254740990.5") == "p.n:not_integer");
  CHECK(integer_problems("9007199254740991.5") == "p.n:out_of_range");
  CHECK(integer_problems("-9007199254740991.5", -kMaxSafeInteger, kMaxSafeInteger) ==
        "p.n:out_of_range");
  // Out of range wins over not_integer: the range is checked first.
  CHECK(integer_problems("-1") == "p.n:out_of_range");
  CHECK(integer_problems("-0.5") == "p.n:out_of_range");
  CHECK(integer_problems("9007199254740992") == "p.n:out_of_range");  // 2^53
  CHECK(integer_problems("9007199254740992.0") == "p.n:out_of_range");
  CHECK(integer_problems("18446744073709551615") == "p.n:out_of_range");
  CHECK(integer_problems("1e300") == "p.n:out_of_range");
  // Past any double: still a number, just out of range.
  CHECK(integer_problems("1e400") == "p.n:out_of_range");
  CHECK(integer_problems("-1e400") == "p.n:out_of_range");
  CHECK(integer_problems("1" + repeat("0", 400)) == "p.n:out_of_range");
  CHECK(integer_problems("\"12\"") == "p.n:invalid_type");
  CHECK(integer_problems("true") == "p.n:invalid_type");
  CHECK(integer_problems("[12]") == "p.n:invalid_type");
}

TEST_CASE("out_of_range and invalid_type messages name the bounds and the expected type") {
  Problems problems;
  const Json object = json(R"({"n":-1,"b":"yes"})");
  ObjectReader reader(object, "p", problems);
  reader.patch_integer("n", 0, kMaxSafeInteger);
  reader.patch_bool("b");
  REQUIRE(problems.size() == 2);
  CHECK(problems.list()[0].message == "Must be between 0 and 9007199254740991.");
  CHECK(problems.list()[1].message == "Must be a boolean or null.");
}

TEST_CASE("patch_bool accepts booleans and null only") {
  Problems problems;
  const Json object = json(R"({"t":true,"f":false,"n":null})");
  ObjectReader reader(object, "p", problems);
  CHECK(reader.patch_bool("t").value);
  Patch<bool> f = reader.patch_bool("f");
  CHECK((f.has_value() && !f.value));
  CHECK(reader.patch_bool("n").is_null());
  CHECK(reader.patch_bool("missing").absent());
  for (const char* v : {R"({"b":1})", R"({"b":"true"})", R"({"b":0})", R"({"b":[]})"})
    CHECK(problems_of(json(v), [](ObjectReader& r) { r.patch_bool("b"); }) == "p.b:invalid_type");
}

TEST_CASE("patch_currency: ISO 4217, lower case accepted and stored upper case") {
  Problems problems;
  const Json object = json(R"({"a":"usd","b":" eur ","c":""})");
  ObjectReader reader(object, "p", problems);
  CHECK(reader.patch_currency("a").value == "USD");
  CHECK(reader.patch_currency("b").value == "EUR");
  CHECK(reader.patch_currency("c").is_null());
  for (const char* bad : {"EURO", "US", "XYZ", "DEM", "€"})
    CHECK(problems_of(with(Json::object(), "c", bad),
                      [](ObjectReader& r) { r.patch_currency("c"); }) == "p.c:invalid_currency");
  CHECK(problems_of(json(R"({"c":840})"), [](ObjectReader& r) { r.patch_currency("c"); }) ==
        "p.c:invalid_type");
}

TEST_CASE("patch_url: absolute http(s) only, at most 2048 characters") {
  auto check = [](const std::string& url) {
    return problems_of(with(Json::object(), "u", url), [](ObjectReader& r) { r.patch_url("u"); });
  };
  CHECK(check("https://shop.example/p/1") == "ok");
  CHECK(check(" https://shop.example/p/1 ") == "ok");
  CHECK(check("javascript:alert(1)") == "p.u:invalid_url");
  CHECK(check("/p/1") == "p.u:invalid_url");
  CHECK(check("ftp://shop.example/p") == "p.u:invalid_url");
  const std::string base = "https://shop.example/";
  CHECK(check(base + repeat("a", 2048 - base.size())) == "ok");
  CHECK(check(base + repeat("a", 2049 - base.size())) == "p.u:too_long");
  CHECK(check("https://shop.example/\u0007") == "p.u:control_character");
}

TEST_CASE("patch_timestamp: ISO 8601 date and time to Unix ms; null and blank clear") {
  Problems problems;
  const Json object = json(
      R"({"a":"2026-01-02T03:04:05Z","b":" 2026-01-02T04:04:05.250+01:00 ","c":null,"d":""})");
  ObjectReader reader(object, "p", problems);
  CHECK(reader.patch_timestamp("missing").absent());
  CHECK(reader.patch_timestamp("a").value == 1767323045000);
  CHECK(reader.patch_timestamp("b").value == 1767323045250);
  CHECK(reader.patch_timestamp("c").is_null());
  CHECK(reader.patch_timestamp("d").is_null());
  CHECK(problems.empty());
  for (const char* bad : {"yesterday", "2026-01-02", "2026-02-30T00:00:00Z", "1767323045"})
    CHECK(problems_of(with(Json::object(), "t", bad),
                      [](ObjectReader& r) { r.patch_timestamp("t"); }) == "p.t:invalid_timestamp");
  CHECK(problems_of(json(R"({"t":1767323045000})"), [](ObjectReader& r) {
          r.patch_timestamp("t");
        }) == "p.t:invalid_type");
}

TEST_CASE("required_text: missing and null are required, blank is empty") {
  auto check = [](const Json& object) {
    return problems_of(object, [](ObjectReader& r) { r.required_text("id", kIdRule); });
  };
  CHECK(check(Json::object()) == "p.id:required");
  CHECK(check(json(R"({"id":null})")) == "p.id:required");
  CHECK(check(json(R"({"id":" "})")) == "p.id:empty");
  CHECK(check(json(R"({"id":false})")) == "p.id:invalid_type");
  CHECK(check(json(R"({"id":"x"})")) == "ok");
}

TEST_CASE("reject_unknown reports every key no accessor asked for, in key order") {
  CHECK(problems_of(json(R"({"zeta":1,"known":1,"alpha":1,"Beta":1})"), [](ObjectReader& r) {
          r.member("known");
          r.reject_unknown();
        }) == "p.Beta:unknown_field, p.alpha:unknown_field, p.zeta:unknown_field");
  CHECK(problems_of(json(R"({"known":1})"), [](ObjectReader& r) {
          r.member("known");
          r.reject_unknown();
        }) == "ok");
}
