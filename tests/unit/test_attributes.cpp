// core/attributes: `customer.attributes` rules and how they merge onto a stored subscriber.

#include <doctest/doctest.h>

#include "core/attributes.hpp"
#include "core/fields.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::json;
using stockbell::test::repeat;
using stockbell::test::with;

namespace {

const std::string kPath = "customer.attributes";

// "field:code" of what read_attributes reports for `value`.
std::string problems_of(const Json& value) {
  Problems problems;
  read_attributes(value, kPath, problems);
  ApiError error{ApiCode::validation_failed, "", problems.take()};
  return error.details.empty() ? "ok" : stockbell::test::problem_list(error);
}

Json keys(size_t n, const std::string& prefix = "k") {
  Json out = Json::object();
  for (size_t i = 0; i < n; ++i) out[prefix + std::to_string(i)] = static_cast<int64_t>(i);
  return out;
}

}  // namespace

TEST_CASE("at most 50 keys") {
  Problems problems;
  CHECK(read_attributes(keys(50), kPath, problems).size() == 50);
  CHECK(problems.empty());
  CHECK(problems_of(keys(51)) == "customer.attributes:too_many_items");
  Problems over;
  read_attributes(keys(51), kPath, over);
  CHECK(over.list()[0].limit == 50);
  CHECK(over.list()[0].message == "Must contain at most 50 items.");
}

TEST_CASE("keys are 1-64 of [A-Za-z0-9_.-]") {
  CHECK(problems_of(json(R"({"utm.source-2_X":1})")) == "ok");
  CHECK(problems_of(with(Json::object(), repeat("k", 64), 1)) == "ok");
  CHECK(problems_of(with(Json::object(), repeat("k", 65), 1)) ==
        "customer.attributes." + repeat("k", 64) + "...:invalid_attribute_name");
  CHECK(problems_of(json(R"({"first name":1})")) ==
        "customer.attributes[\"first name\"]:invalid_attribute_name");
  CHECK(problems_of(json(R"({"":1})")) == "customer.attributes[\"\"]:invalid_attribute_name");
  CHECK(problems_of(json(R"({"größe":1})")) ==
        "customer.attributes[\"größe\"]:invalid_attribute_name");
  CHECK(problems_of(json(R"({"a/b":1})")) == "customer.attributes[\"a/b\"]:invalid_attribute_name");
  CHECK(problems_of(json(R"({"plain":1})")) == "ok");
}

TEST_CASE("values are strings, finite numbers, booleans or null") {
  const Json ok = json(R"({"s":"x","i":-3,"u":18446744073709551615,"f":1.5,"t":true,"n":null})");
  Problems problems;
  CHECK(read_attributes(ok, kPath, problems) == ok);
  CHECK(problems.empty());
  CHECK(problems_of(json(R"({"tags":["a"]})")) ==
        "customer.attributes.tags:invalid_attribute_value");
  CHECK(problems_of(json(R"({"address":{"city":"Oslo"}})")) ==
        "customer.attributes.address:invalid_attribute_value");
}

TEST_CASE("number values are kept exactly as written, in the order sent") {
  Problems problems;
  const Json out = read_attributes(
      json(R"({"price":1.50,"big":9007199254740993,"exp":1e20,"neg":-0,"tiny":1.5e-300})"), kPath,
      problems);
  CHECK(problems.empty());
  CHECK(dump(out) ==
        R"({"price":1.50,"big":9007199254740993,"exp":1e20,"neg":-0,"tiny":1.5e-300})");
  CHECK(dump(read_attributes(json(R"({"b":1,"a":2})"), kPath, problems)) == R"({"b":1,"a":2})");
}

TEST_CASE("numbers no double can hold, or written longer than 32 characters, are refused") {
  // Decimal exponents within ±300 are kept (any double holds them); beyond, refused.
  CHECK(problems_of(json(R"({"x":9.99e300})")) == "ok");
  CHECK(problems_of(json(R"({"x":-1e-300})")) == "ok");
  CHECK(problems_of(json(R"({"x":1e301})")) == "customer.attributes.x:invalid_attribute_value");
  CHECK(problems_of(json(R"({"x":-1e400})")) == "customer.attributes.x:invalid_attribute_value");
  CHECK(problems_of(json(R"({"x":1e-301})")) == "customer.attributes.x:invalid_attribute_value");
  CHECK(problems_of(json(R"({"x":1e-400})")) == "customer.attributes.x:invalid_attribute_value");
  // Zero is zero however it is written.
  CHECK(problems_of(json(R"({"x":0e-400})")) == "ok");
  const std::string thirty_two = "1." + repeat("5", 30);
  REQUIRE(thirty_two.size() == kMaxAttributeNumberChars);
  CHECK(problems_of(json("{\"x\":" + thirty_two + "}")) == "ok");
  CHECK(problems_of(json("{\"x\":" + thirty_two + "5}")) ==
        "customer.attributes.x:invalid_attribute_value");
  CHECK(problems_of(json("{\"x\":1" + repeat("0", 32) + "}")) ==
        "customer.attributes.x:invalid_attribute_value");
}

TEST_CASE("string values: at most 1000 characters, line breaks allowed, kept as sent") {
  CHECK(problems_of(with(Json::object(), "note", repeat("é", 1000))) == "ok");
  CHECK(problems_of(with(Json::object(), "note", repeat("é", 1001))) ==
        "customer.attributes.note:too_long");
  CHECK(problems_of(json(R"({"note":"line 1\nline 2\ttab\r\n"})")) == "ok");
  CHECK(problems_of(json(R"({"note":"bell\u0007"})")) ==
        "customer.attributes.note:control_character");
  Problems problems;
  const Json out = read_attributes(json(R"({"note":"  padded  "})"), kPath, problems);
  REQUIRE(out.find("note") != nullptr);
  CHECK(out.find("note")->as_string() == "  padded  ");
}

TEST_CASE("every bad key is reported; good keys are still returned") {
  Problems problems;
  Json out = read_attributes(json(R"({"a b":1,"good":2,"list":[]})"), kPath, problems);
  CHECK(out == json(R"({"good":2})"));
  CHECK(problems.size() == 2);
}

TEST_CASE("attributes: null means none; anything but an object is invalid_type") {
  Problems problems;
  CHECK(read_attributes(nullptr, kPath, problems) == Json::object());
  CHECK(problems.empty());
  CHECK(problems_of("vip") == "customer.attributes:invalid_type");
  CHECK(problems_of(Json::array()) == "customer.attributes:invalid_type");
}

TEST_CASE("merge with overwrite (secret key): set, replace, null removes") {
  const Json stored = json(R"({"plan":"free","vip":false})");
  const Json merged = merge_attributes(stored, json(R"({"plan":"pro","vip":null,"new":1})"), true);
  CHECK(merged == json(R"({"plan":"pro","new":1})"));
  // Stored keys keep their place, new ones are appended.
  CHECK(dump(merged) == R"({"plan":"pro","new":1})");
  // Removing a key that is not stored is a no-op.
  CHECK(merge_attributes(stored, json(R"({"ghost":null})"), true) == stored);
}

TEST_CASE("merge without overwrite (publishable key): only new keys, nothing replaced or removed") {
  const Json stored = json(R"({"plan":"free","vip":false})");
  const Json merged =
      merge_attributes(stored, json(R"({"plan":"pro","vip":null,"new":1,"gone":null})"), false);
  CHECK(merged == json(R"({"plan":"free","vip":false,"new":1})"));
}

TEST_CASE("a merge keeps at most 50 keys") {
  const Json full = keys(50);
  CHECK(merge_attributes(full, json(R"({"extra":1})"), true) == full);
  CHECK(merge_attributes(full, json(R"({"extra":1})"), false) == full);
  // Replacing an existing key still works when full.
  const Json replaced = merge_attributes(full, json(R"({"k3":"x"})"), true);
  REQUIRE(replaced.find("k3") != nullptr);
  CHECK(*replaced.find("k3") == "x");
  Json forty_nine = keys(49);
  Json merged = merge_attributes(forty_nine, json(R"({"x1":1,"x2":2})"), true);
  CHECK(merged.size() == 50);
  CHECK(merged.contains("x1"));
  CHECK_FALSE(merged.contains("x2"));
}

TEST_CASE("removals in the same merge make room for new keys, whatever their names") {
  // "a-new" sorts before "k7": the removal must still count.
  Json merged = merge_attributes(keys(50), json(R"({"a-new":1,"k7":null})"), true);
  CHECK(merged.size() == 50);
  CHECK(merged.contains("a-new"));
  CHECK_FALSE(merged.contains("k7"));
}

TEST_CASE("a stored value that is not an object counts as no attributes") {
  CHECK(merge_attributes(nullptr, json(R"({"a":1})"), true) == json(R"({"a":1})"));
}
