// The shared vectors (tests/vectors/*.json), run through the native core.
//
// A vector is `{"name": ..., "body": <raw body text> | "bodyHex": <body bytes as hex>,
// "language": <optional: de, fr, es, en>, "expect": <the outcome object>}`; the outcome is what
// validate_back_in_stock_json / validate_product_upsert_json return (the widget gets the same from
// WebAssembly). With a language, the validator gets that language's messages as the widget
// injects them (core/i18n/messages.json's language object; the WASM run reads the very file the
// widget downloads, build-wasm/web/widget/i18n/<lang>.json). Every raw
// output is also written, in file order, to ${STOCKBELL_TEST_OUT_DIR}/vectors-native.json as
// `{"back_in_stock": [...], "product_upsert": [...]}`: tests/wasm/ checks that the shipped .wasm
// produces byte-identical strings.
//
// After an intended change of wording or behaviour, STOCKBELL_UPDATE_GOLDEN=1 rewrites the
// `expect` of every vector whose outcome changed, in place (one vector per line, the other lines
// untouched), so `git diff tests/vectors/` shows exactly what changed: review it, don't trust it.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/back_in_stock.hpp"
#include "core/product.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
namespace test = stockbell::test;

namespace {

struct Suite {
  const char* key;   // in vectors-native.json
  const char* file;  // in tests/vectors/
  size_t min_count;  // guards against a truncated or emptied file
  std::function<std::string(std::string_view, std::string_view)> validate;
};

const Suite kSuites[] = {
    {"back_in_stock", "back_in_stock.json", 100,
     [](std::string_view body, std::string_view language) {
       return validate_back_in_stock_json(body, language);
     }},
    {"product_upsert", "product_upsert.json", 50,
     [](std::string_view body, std::string_view language) {
       return validate_product_upsert_json(body, language);
     }},
    {"back_in_stock_i18n", "back_in_stock_i18n.json", 30,
     [](std::string_view body, std::string_view language) {
       return validate_back_in_stock_json(body, language);
     }},
};

// The messages of `language` as the widget hands them to the core.
std::string language_table(const std::string& language) {
  static const nlohmann::json messages = [] {
    const std::string path = test::vectors_dir() + "/../../core/i18n/messages.json";
    const std::optional<std::string> text = test::read_file(path);
    REQUIRE_MESSAGE(text.has_value(), "cannot read " << path);
    return nlohmann::json::parse(*text);
  }();
  REQUIRE_MESSAGE(messages.contains(language), "no language " << language << " in messages.json");
  const nlohmann::json& table = messages[language];
  return nlohmann::json{{"field", table["field"]}, {"expected", table["expected"]}}.dump();
}

// The vector's body bytes; fails the test if the vector is malformed.
std::string body_of(const nlohmann::json& vector) {
  const bool has_body = vector.contains("body");
  const bool has_hex = vector.contains("bodyHex");
  REQUIRE_MESSAGE(has_body != has_hex, "a vector has exactly one of body and bodyHex");
  if (has_body) {
    REQUIRE(vector["body"].is_string());
    return vector["body"].get<std::string>();
  }
  REQUIRE(vector["bodyHex"].is_string());
  return test::from_hex(vector["bodyHex"].get<std::string>());
}

bool updating() {
  const char* update = std::getenv("STOCKBELL_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

// Update mode: rewrites the `expect` of the vectors named in `changed` (name → outcome), on the
// vector's own line.
void rewrite_expectations(const std::string& path, const std::string& text,
                          const std::map<std::string, std::string>& changed) {
  std::istringstream in(text);
  std::string line, out;
  size_t rewritten = 0;
  while (std::getline(in, line)) {
    const bool comma = !line.empty() && line.back() == ',';
    const std::string item = comma ? line.substr(0, line.size() - 1) : line;
    // ordered_json keeps the keys where they were: the line's diff shows only what changed.
    nlohmann::ordered_json vector = nlohmann::ordered_json::parse(item, nullptr, false);
    if (vector.is_object() && vector.contains("name") &&
        changed.count(vector["name"].get<std::string>()) != 0) {
      vector["expect"] = nlohmann::ordered_json::parse(changed.at(vector["name"].get<std::string>()));
      line = vector.dump() + (comma ? "," : "");
      ++rewritten;
    }
    out += line + "\n";
  }
  REQUIRE_MESSAGE(rewritten == changed.size(), path << ": a changed vector is not on a line of its own");
  REQUIRE(test::write_file(path, out));
  MESSAGE("rewrote the expectations of " << rewritten << " vectors in " << path
                                         << ": review git diff tests/vectors/");
}

// Runs one file's vectors; returns every raw output in order.
nlohmann::json run_suite(const Suite& suite) {
  const std::string path = test::vectors_dir() + "/" + suite.file;
  const std::optional<std::string> text = test::read_file(path);
  REQUIRE_MESSAGE(text.has_value(), "cannot read " << path);
  // The vector files are test data, not request bodies: read them with nlohmann directly.
  const nlohmann::json vectors = nlohmann::json::parse(*text, nullptr, false);
  REQUIRE_MESSAGE(vectors.is_array(), path << " is not a JSON array");
  CHECK_MESSAGE(vectors.size() >= suite.min_count, path << " has only " << vectors.size() << " vectors");

  nlohmann::json outputs = nlohmann::json::array();
  std::set<std::string> names;
  std::map<std::string, std::string> changed;  ///< name → the new outcome (update mode)
  for (const nlohmann::json& vector : vectors) {
    REQUIRE(vector.is_object());
    REQUIRE(vector.contains("name"));
    REQUIRE(vector.contains("expect"));
    const std::string name = vector["name"].get<std::string>();
    CHECK_MESSAGE(names.insert(name).second, "duplicate vector name: " << name);
    const std::string body = body_of(vector);
    const std::string language =
        vector.contains("language") ? language_table(vector["language"].get<std::string>()) : "";
    const std::string output = suite.validate(body, language);
    outputs.push_back(output);

    const nlohmann::json got = nlohmann::json::parse(output, nullptr, false);
    const nlohmann::json& expected = vector["expect"];
    if (updating() && got != expected) {
      changed[name] = output;
      continue;
    }
    const std::string shown_body = body.size() > 300 ? body.substr(0, 300) + "..." : body;
    CHECK_MESSAGE(got == expected, suite.file << ": " << name << "\n  body:     " << shown_body
                                              << "\n  got:      " << output
                                              << "\n  expected: " << expected.dump());
  }
  if (!changed.empty()) rewrite_expectations(path, *text, changed);
  return outputs;
}

}  // namespace

TEST_CASE("vectors: the native core produces every expected outcome") {
  // A stale file from an earlier run must never stand in for this run's outputs.
  const std::string out_path = test::out_dir() + "/vectors-native.json";
  std::error_code ignored;
  std::filesystem::remove(out_path, ignored);
  nlohmann::json native = nlohmann::json::object();
  for (const Suite& suite : kSuites) {
    CAPTURE(suite.file);
    native[suite.key] = run_suite(suite);
  }
  REQUIRE_MESSAGE(test::write_file(out_path, native.dump(1) + "\n"), "cannot write " << out_path);
}
