#include "tests/unit/support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace stockbell::test {

std::string vectors_dir() { return STOCKBELL_VECTORS_DIR; }
std::string fixtures_dir() { return STOCKBELL_FIXTURES_DIR; }
std::string golden_dir() { return STOCKBELL_GOLDEN_DIR; }
std::string out_dir() { return STOCKBELL_TEST_OUT_DIR; }

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool write_file(const std::string& path, std::string_view data) {
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(out);
}

Json json(std::string_view json_text) {
  JsonParseFailure failure;
  std::optional<Json> value = parse_json(json_text, failure);
  REQUIRE_MESSAGE(value.has_value(),
                  "test input is not JSON (" << failure.message << "): " << json_text);
  return std::move(*value);
}

Json fixture(const std::string& path) {
  const std::optional<std::string> text = read_file(fixtures_dir() + "/" + path);
  REQUIRE_MESSAGE(text.has_value(), "missing fixture " << fixtures_dir() << "/" << path);
  return json(*text);
}

Json with(Json object, std::string_view key, Json value) {
  REQUIRE(object.is_object());
  object[key] = std::move(value);
  return object;
}

std::string repeat(std::string_view unit, size_t times) {
  std::string out;
  out.reserve(unit.size() * times);
  for (size_t i = 0; i < times; ++i) out += unit;
  return out;
}

std::string from_hex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  int high = -1;
  for (char c : hex) {
    const int n = nibble(c);
    if (n < 0) continue;
    if (high < 0) {
      high = n;
    } else {
      out += static_cast<char>(high * 16 + n);
      high = -1;
    }
  }
  return out;
}

std::string problem_list(const ApiError& error) {
  std::string out;
  for (const FieldError& d : error.details) {
    if (!out.empty()) out += ", ";
    out += d.field + ":" + std::string(field_code_name(d.code));
  }
  return out.empty() ? std::string(api_code_name(error.code)) : out;
}

void check_golden(const std::string& name, const std::string& actual) {
  const std::string golden_path = golden_dir() + "/" + name;
  const char* update = std::getenv("STOCKBELL_UPDATE_GOLDEN");
  if (update != nullptr && std::string_view(update) == "1") {
    REQUIRE_MESSAGE(write_file(golden_path, actual), "cannot write " << golden_path);
    MESSAGE("rewrote golden file " << golden_path);
    return;
  }
  const std::optional<std::string> expected = read_file(golden_path);
  REQUIRE_MESSAGE(expected.has_value(), "missing golden file " << golden_path
                                            << " (create it with STOCKBELL_UPDATE_GOLDEN=1)");
  if (*expected == actual) {
    CHECK(true);
    return;
  }
  size_t at = 0;
  while (at < expected->size() && at < actual.size() && (*expected)[at] == actual[at]) ++at;
  const std::string actual_path = out_dir() + "/golden/" + name;
  write_file(actual_path, actual);
  const size_t from = at > 40 ? at - 40 : 0;
  FAIL_CHECK("golden mismatch for " << name << " at byte " << at << "\n  expected: ..."
                                    << expected->substr(from, 80) << "...\n  actual:   ..."
                                    << actual.substr(from, 80) << "...\n  full actual written to "
                                    << actual_path << "\n  diff " << golden_path << " "
                                    << actual_path
                                    << "\n  (if the change is intended: STOCKBELL_UPDATE_GOLDEN=1)");
}

const IdCodec kTestIds(0x5EED);

int64_t row_of(IdKind kind, std::string_view public_id) {
  const std::optional<uint64_t> row = parse_id(kind, public_id, kTestIds.key());
  REQUIRE(row.has_value());
  return static_cast<int64_t>(*row);
}

}  // namespace stockbell::test
