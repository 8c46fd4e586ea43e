#pragma once
// JSON in and out. Input is parsed by a bounded parser (no exceptions, so the same code runs in
// WebAssembly without exception support); output builders use `OrderedJson` so every payload has
// a fixed key order and is byte-stable.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace stockbell {

using Json = nlohmann::json;                // parsed input (keys sorted)
using OrderedJson = nlohmann::ordered_json;  // built output (keys in insertion order)

/// Deepest nesting accepted in a body. Our deepest schema path is
/// `products[i].variants[j].options[k]` (depth 6).
constexpr int kMaxJsonDepth = 20;

struct JsonParseFailure {
  std::string message;  ///< e.g. `line 1, column 14: unexpected end of input`
};

/// Parses `text` as one JSON document. Rejects (never throws): syntax errors, invalid UTF-8,
/// unpaired surrogates, nesting deeper than kMaxJsonDepth, and duplicate keys in an object
/// (`{"a":1,"a":2}` would otherwise silently keep one of them).
std::optional<Json> parse_json(std::string_view text, JsonParseFailure& failure);

/// Compact serialisation; invalid UTF-8 can't reach here (the parser rejects it) but is replaced
/// rather than thrown if it ever does.
std::string dump(const OrderedJson& value);
std::string dump(const Json& value);

/// A JSON string literal with quotes, e.g. `"a\"b"`.
std::string quote(std::string_view text);

}  // namespace stockbell
