// core/fields: the typed readers every body parser is built from (text, URL, currency, integer,
// boolean; omitted vs null vs value), and unknown-field detection.

#include <doctest/doctest.h>

#include "core/fields.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::repeat;

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

Patch<int64_t> integer(const Json& value, int64_t min = 0, int64_t max = kMaxSafeInteger) {
  Problems problems;
  const Json object = {{"n", value}};  // ObjectReader keeps a reference: keep the object alive
  ObjectReader reader(object, "p", problems);
  return reader.patch_integer("n", min, max);
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
  Json object = {{"null", nullptr}, {"blank", " \u3000 "}, {"text", " Linen "}};
  ObjectReader reader(object, "p", problems);
  CHECK(reader.patch_text("missing", kTitleRule).absent());
  CHECK(reader.patch_text("null", kTitleRule).is_null());
  CHECK(reader.patch_text("blank", kTitleRule).is_null());  // blank clears like null
  Patch<std::string> text = reader.patch_text("text", kTitleRule);
  REQUIRE(text.has_value());
  CHECK(text.value == "Linen");
  CHECK(problems.empty());
  CHECK(problems_of({{"t", 5}}, [](ObjectReader& r) { r.patch_text("t", kTitleRule); }) ==
        "p.t:invalid_type");
  CHECK(problems_of({{"t", repeat("x", 501)}}, [](ObjectReader& r) {
          r.patch_text("t", kTitleRule);
        }) == "p.t:too_long");
}

TEST_CASE("patch_integer: whole numbers in range; 12.0 is 12") {
  CHECK(integer(12).value == 12);
  CHECK(integer(12.0).value == 12);
  CHECK(integer(0).value == 0);
  CHECK(integer(-0.0).value == 0);
  CHECK(integer(kMaxSafeInteger).value == kMaxSafeInteger);
  CHECK(integer(nullptr).is_null());
  CHECK(integer(-5, -kMaxSafeInteger, kMaxSafeInteger).value == -5);
  CHECK(integer(-kMaxSafeInteger, -kMaxSafeInteger, kMaxSafeInteger).value == -kMaxSafeInteger);
  auto code_of = [](const Json& v) {
    return problems_of({{"n", v}}, [](ObjectReader& r) { r.patch_integer("n", 0, kMaxSafeInteger); });
  };
  CHECK(code_of(12.5) == "p.n:not_integer");
  CHECK(code_of(-1) == "p.n:out_of_range");
  CHECK(code_of(-0.5) == "p.n:out_of_range");
  CHECK(code_of(kMaxSafeInteger + 1) == "p.n:out_of_range");           // 2^53
  CHECK(code_of(9007199254740992.0) == "p.n:out_of_range");
  CHECK(code_of(18446744073709551615ull) == "p.n:out_of_range");
  CHECK(code_of(1e300) == "p.n:out_of_range");
  CHECK(code_of("12") == "p.n:invalid_type");
  CHECK(code_of(true) == "p.n:invalid_type");
}

TEST_CASE("out_of_range and invalid_type messages name the bounds and the expected type") {
  Problems problems;
  const Json object = {{"n", -1}, {"b", "yes"}};
  ObjectReader reader(object, "p", problems);
  reader.patch_integer("n", 0, kMaxSafeInteger);
  reader.patch_bool("b");
  REQUIRE(problems.size() == 2);
  CHECK(problems.list()[0].message == "Must be between 0 and 9007199254740991.");
  CHECK(problems.list()[1].message == "Must be a boolean or null.");
}

TEST_CASE("patch_bool accepts booleans and null only") {
  Problems problems;
  const Json object = {{"t", true}, {"f", false}, {"n", nullptr}};
  ObjectReader reader(object, "p", problems);
  CHECK(reader.patch_bool("t").value);
  Patch<bool> f = reader.patch_bool("f");
  CHECK((f.has_value() && !f.value));
  CHECK(reader.patch_bool("n").is_null());
  CHECK(reader.patch_bool("missing").absent());
  for (const Json& v : {Json(1), Json("true"), Json(0)})
    CHECK(problems_of({{"b", v}}, [](ObjectReader& r) { r.patch_bool("b"); }) == "p.b:invalid_type");
}

TEST_CASE("patch_currency: ISO 4217, lower case accepted and stored upper case") {
  Problems problems;
  const Json object = {{"a", "usd"}, {"b", " eur "}, {"c", ""}};
  ObjectReader reader(object, "p", problems);
  CHECK(reader.patch_currency("a").value == "USD");
  CHECK(reader.patch_currency("b").value == "EUR");
  CHECK(reader.patch_currency("c").is_null());
  for (const char* bad : {"EURO", "US", "XYZ", "DEM", "€"})
    CHECK(problems_of({{"c", bad}}, [](ObjectReader& r) { r.patch_currency("c"); }) ==
          "p.c:invalid_currency");
  CHECK(problems_of({{"c", 840}}, [](ObjectReader& r) { r.patch_currency("c"); }) ==
        "p.c:invalid_type");
}

TEST_CASE("patch_url: absolute http(s) only, at most 2048 characters") {
  auto check = [](const Json& v) {
    return problems_of({{"u", v}}, [](ObjectReader& r) { r.patch_url("u"); });
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

TEST_CASE("required_text: missing and null are required, blank is empty") {
  auto check = [](const Json& object) {
    return problems_of(object, [](ObjectReader& r) { r.required_text("id", kIdRule); });
  };
  CHECK(check(Json::object()) == "p.id:required");
  CHECK(check({{"id", nullptr}}) == "p.id:required");
  CHECK(check({{"id", " "}}) == "p.id:empty");
  CHECK(check({{"id", false}}) == "p.id:invalid_type");
  CHECK(check({{"id", "x"}}) == "ok");
}

TEST_CASE("reject_unknown reports every key no accessor asked for") {
  CHECK(problems_of({{"known", 1}, {"zeta", 1}, {"alpha", 1}}, [](ObjectReader& r) {
          r.member("known");
          r.reject_unknown();
        }) == "p.alpha:unknown_field, p.zeta:unknown_field");
  CHECK(problems_of({{"known", 1}}, [](ObjectReader& r) {
          r.member("known");
          r.reject_unknown();
        }) == "ok");
}

TEST_CASE("json_type_phrase names JSON types for messages") {
  CHECK(json_type_phrase(Json("x")) == "a string");
  CHECK(json_type_phrase(Json(1)) == "a number");
  CHECK(json_type_phrase(Json(1.5)) == "a number");
  CHECK(json_type_phrase(Json(true)) == "a boolean");
  CHECK(json_type_phrase(Json::array()) == "an array");
  CHECK(json_type_phrase(Json::object()) == "an object");
  CHECK(json_type_phrase(Json(nullptr)) == "null");
}
