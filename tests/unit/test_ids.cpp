// core/ids: public ids (`bisr_0kz3x9q1m2v7d`) ⇄ database row ids through a keyed permutation.

#include <doctest/doctest.h>

#include <cstdint>
#include <set>

#include "core/ids.hpp"

using namespace stockbell;

namespace {

constexpr uint64_t kKey = 0x5EED5EED12345678ull;
constexpr IdKind kKinds[] = {IdKind::subscriber, IdKind::request, IdKind::product,
                             IdKind::event,      IdKind::webhook, IdKind::delivery,
                             IdKind::message};

}  // namespace

TEST_CASE("prefixes") {
  CHECK(id_prefix(IdKind::subscriber) == "sub_");
  CHECK(id_prefix(IdKind::request) == "bisr_");
  CHECK(id_prefix(IdKind::product) == "prod_");
  CHECK(id_prefix(IdKind::event) == "evt_");
  CHECK(id_prefix(IdKind::webhook) == "we_");
  CHECK(id_prefix(IdKind::delivery) == "whd_");
  CHECK(id_prefix(IdKind::message) == "msg_");
}

TEST_CASE("an id is its prefix and 13 lower-case Crockford base32 digits") {
  const std::string id = format_id(IdKind::request, 1, kKey);
  CHECK(id.size() == 5 + 13);
  CHECK(id.rfind("bisr_", 0) == 0);
  for (char c : id.substr(5)) {
    CAPTURE(c);
    CHECK(std::string_view("0123456789abcdefghjkmnpqrstvwxyz").find(c) != std::string_view::npos);
  }
}

TEST_CASE("format_id and parse_id round-trip for every kind and many rows") {
  for (IdKind kind : kKinds) {
    for (uint64_t row : {uint64_t{1}, uint64_t{2}, uint64_t{42}, uint64_t{1} << 32,
                         uint64_t{9007199254740991}, UINT64_MAX - 1, UINT64_MAX}) {
      const std::string id = format_id(kind, row, kKey);
      CAPTURE(id);
      CHECK(parse_id(kind, id, kKey) == row);
    }
  }
  std::set<std::string> seen;
  for (uint64_t row = 1; row <= 5000; ++row) {
    const std::string id = format_id(IdKind::subscriber, row, kKey);
    REQUIRE(parse_id(IdKind::subscriber, id, kKey) == row);
    seen.insert(id);
  }
  CHECK(seen.size() == 5000);
}

TEST_CASE("consecutive rows don't give consecutive-looking ids") {
  const std::string a = format_id(IdKind::request, 1000, kKey);
  const std::string b = format_id(IdKind::request, 1001, kKey);
  int differing = 0;
  for (size_t i = 0; i < a.size(); ++i) differing += a[i] != b[i];
  CHECK(differing > 3);
}

TEST_CASE("each kind has its own permutation: one row's ids share no suffix") {
  const std::string sub = format_id(IdKind::subscriber, 1, kKey);
  const std::string req = format_id(IdKind::request, 1, kKey);
  CHECK(sub.substr(4) != req.substr(5));
  // A request id relabelled as a subscriber id is not subscriber 1.
  CHECK(parse_id(IdKind::subscriber, "sub_" + req.substr(5), kKey) != std::optional<uint64_t>(1));
}

TEST_CASE("another database key gives other ids") {
  const std::string id = format_id(IdKind::request, 7, kKey);
  CHECK(format_id(IdKind::request, 7, kKey + 1) != id);
  CHECK(parse_id(IdKind::request, id, kKey + 1) != std::optional<uint64_t>(7));
}

TEST_CASE("parse_id rejects other kinds, other lengths and foreign characters") {
  const std::string id = format_id(IdKind::request, 7, kKey);
  const std::string digits = id.substr(5);
  CHECK_FALSE(parse_id(IdKind::subscriber, id, kKey).has_value());
  CHECK_FALSE(parse_id(IdKind::request, "sub_" + digits, kKey).has_value());
  CHECK_FALSE(parse_id(IdKind::request, "BISR_" + digits, kKey).has_value());
  CHECK_FALSE(parse_id(IdKind::request, "bisr" + digits, kKey).has_value());
  CHECK_FALSE(parse_id(IdKind::request, id.substr(0, id.size() - 1), kKey).has_value());
  CHECK_FALSE(parse_id(IdKind::request, id + "0", kKey).has_value());
  CHECK_FALSE(parse_id(IdKind::request, "", kKey).has_value());
  CHECK_FALSE(parse_id(IdKind::request, " " + id, kKey).has_value());
  for (char bad : {'i', 'l', 'o', 'u', 'A', '-', '_'}) {
    std::string tampered = id;
    tampered[10] = bad;
    CAPTURE(tampered);
    CHECK_FALSE(parse_id(IdKind::request, tampered, kKey).has_value());
  }
  // 13 digits hold 65 bits: a first digit of 16 ('g') or more can't come from a 64-bit value.
  for (char first : {'g', 'z'}) {
    std::string overflow = id;
    overflow[5] = first;
    CAPTURE(overflow);
    CHECK_FALSE(parse_id(IdKind::request, overflow, kKey).has_value());
  }
}

TEST_CASE("a tampered id never resolves to the original row") {
  const std::string id = format_id(IdKind::request, 7, kKey);
  const std::string_view alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
  for (size_t pos = 6; pos < id.size(); ++pos) {
    for (char c : alphabet) {
      if (c == id[pos]) continue;
      std::string tampered = id;
      tampered[pos] = c;
      CAPTURE(tampered);
      CHECK(parse_id(IdKind::request, tampered, kKey) != std::optional<uint64_t>(7));
    }
  }
}

TEST_CASE("row 0 is not a row: its encoding doesn't parse") {
  CHECK_FALSE(parse_id(IdKind::request, format_id(IdKind::request, 0, kKey), kKey).has_value());
}
