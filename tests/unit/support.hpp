#pragma once
// Helpers shared by the unit tests: data paths injected by CMake, file access, golden files and
// compact renderings of results that make failure messages readable.

#include <optional>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"

namespace stockbell::test {

/// tests/vectors, tests/golden, tests/fixtures/platforms and ${build}/test-output
/// (STOCKBELL_*_DIR compile definitions).
std::string vectors_dir();
std::string fixtures_dir();
std::string golden_dir();
std::string out_dir();

/// The bytes of a file, or nullopt when it can't be read.
std::optional<std::string> read_file(const std::string& path);
/// Writes `data` exactly (binary), creating parent folders; returns false on failure.
bool write_file(const std::string& path, std::string_view data);

/// The value of `json_text`, which must be valid JSON: the test fails with the parser's message
/// otherwise. Test inputs are written as JSON text: `json(R"({"tags":["a"],"n":1.5})")`.
Json json(std::string_view json_text);

/// A platform fixture (tests/fixtures/platforms/<path>) parsed; the test fails if it is missing.
Json fixture(const std::string& path);

/// `object` with `key` set to `value` (appended if new, replaced in place if present), for
/// inputs with computed values: `with(json(R"({"email":"a@b"})"), "firstName", repeat("ü", 101))`.
Json with(Json object, std::string_view key, Json value);

/// `unit` repeated `times` times: `repeat("é", 3)` is "ééé".
std::string repeat(std::string_view unit, size_t times);

/// Decodes hex digits ("7b22ff") to bytes; whitespace is ignored.
std::string from_hex(std::string_view hex);

/// "field:code" of every detail, joined by ", ", e.g.
/// `productId:too_long, customer.email:invalid_email`; "ok" for a successful result.
std::string problem_list(const ApiError& error);
template <class T>
std::string problem_list(const Result<T>& result) {
  return result.ok() ? std::string("ok") : problem_list(result.error());
}

/// The id codec the builder tests format ids with, and the row a given public id stands for
/// under it (every row has exactly one id, so the golden files can show readable ids).
extern const IdCodec kTestIds;
int64_t row_of(IdKind kind, std::string_view public_id);

/// The value of a Result that must have succeeded: the test fails with the error's message
/// (instead of stopping the program, as value() on an error does).
#define REQUIRE_OK(result)                                                                  \
  do {                                                                                      \
    const auto& stockbell_result_ = (result);                                               \
    if (!stockbell_result_.ok())                                                            \
      FAIL("expected success, got " << ::stockbell::api_code_name(stockbell_result_.error().code) \
                                   << ": " << stockbell_result_.error().message);          \
  } while (false)

/// The value of a Result that must have succeeded (a copy: works on temporaries).
template <class T>
T value_of(Result<T> result) {
  REQUIRE_OK(result);
  return std::move(result.value());
}

/// Checks `actual` against tests/golden/<name> byte for byte. On a difference the test fails,
/// names the first differing byte, and writes `actual` to ${build}/test-output/golden/<name> so
/// `diff tests/golden/<name> build/test-output/golden/<name>` shows it. With the environment
/// variable STOCKBELL_UPDATE_GOLDEN=1 the golden file is rewritten instead (review the git diff).
void check_golden(const std::string& name, const std::string& actual);

}  // namespace stockbell::test
