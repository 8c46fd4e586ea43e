#pragma once
// JSON for core/: a small document type with a strict parser and a compact writer.
//
// Why our own: the core is compiled into the storefront widget, and a general JSON library
// (parser, two DOM flavours, printf and long-double strtod) was over half of a 57 KB (gzip)
// module. This one does only what the API needs, the same way in both builds:
//   - RFC 8259 strict: no comments, trailing commas, leading zeros, NaN or bare values outside
//     the grammar; a UTF-8 byte-order mark before the document is skipped;
//   - strings must be well-formed UTF-8, control characters escaped, `\u` surrogates paired;
//   - nesting deeper than kMaxJsonDepth and duplicate keys in an object are errors;
//   - numbers keep their exact text: nothing is rounded through a double, and a number is read
//     as an integer only when its value is one (`12`, `12.0` and `1.2e1` are all 12);
//   - objects keep their members in order, so output built by the builders is byte-stable.
// Fuzzed by tests/fuzz; no exceptions, so the same code runs in WebAssembly.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace stockbell {

/// Deepest nesting accepted in a body. Our deepest schema path is
/// `products[i].variants[j].options[k]` (depth 6).
constexpr int kMaxJsonDepth = 20;

class Json {
 public:
  enum class Type { null, boolean, number, string, array, object };
  using Member = std::pair<std::string, Json>;

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool value) : type_(Type::boolean), bool_(value) {}
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Json(T value) : type_(Type::number), text_(integer_text(value)) {}
  Json(std::string value) : type_(Type::string), text_(std::move(value)) {}
  Json(std::string_view value) : type_(Type::string), text_(value) {}
  Json(const char* value) : type_(Type::string), text_(value) {}
  /// No floating-point values: a double would otherwise silently become a boolean. Numbers that
  /// are not integers only come from parsed text (number_from_text).
  template <class T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  Json(T value) = delete;

  static Json object() { return Json(Type::object); }
  static Json array() { return Json(Type::array); }
  /// A number from its JSON text, which must match the JSON number grammar (the parser checks).
  static Json number_from_text(std::string text);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::null; }
  bool is_bool() const { return type_ == Type::boolean; }
  bool is_number() const { return type_ == Type::number; }
  bool is_string() const { return type_ == Type::string; }
  bool is_array() const { return type_ == Type::array; }
  bool is_object() const { return type_ == Type::object; }

  bool as_bool() const { return bool_; }
  /// The string of a string value.
  const std::string& as_string() const { return text_; }

  // ---- numbers --------------------------------------------------------------------------
  /// The number exactly as written, e.g. `1.50e2`.
  const std::string& number_text() const { return text_; }
  /// How a number relates to the integers.
  enum class Integrality {
    integer,     ///< a whole number that fits int64 (`12`, `-3`, `12.0`, `1.2e1`)
    big_integer, ///< a whole number beyond int64 (`1e30`, `99999999999999999999`)
    fraction,    ///< not a whole number (`12.5`, `1e-3`)
  };
  Integrality integrality() const;
  /// The value when integrality() is integer.
  std::optional<int64_t> as_integer() const;
  /// Decimal order of magnitude: the exponent e with 10^e ≤ |value| < 10^(e+1); 0 for zero.
  /// Lets callers refuse numbers no IEEE double can hold (`1e400`).
  int64_t decimal_exponent() const;
  /// Compares a number with an integer exactly: negative, zero or positive as the number is
  /// below, equal to or above `other` (`-0.5` is below 0, `1e400` above every int64).
  int compare(int64_t other) const;

  // ---- arrays ---------------------------------------------------------------------------
  size_t size() const { return type_ == Type::object ? members_.size() : items_.size(); }
  bool empty() const { return size() == 0; }
  const Json& operator[](size_t index) const { return items_[index]; }
  const std::vector<Json>& items() const { return items_; }
  void push_back(Json value) { items_.push_back(std::move(value)); }

  // ---- objects (members in insertion order) ---------------------------------------------
  const std::vector<Member>& members() const { return members_; }
  const Json* find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  /// The member `key`, appended as null if missing (for building: `out["id"] = id;`).
  Json& operator[](std::string_view key);
  bool erase(std::string_view key);

  bool operator==(const Json& other) const;
  bool operator!=(const Json& other) const { return !(*this == other); }

  /// Compact JSON text: no spaces, members in order, strings escaped minimally (`"` `\` and
  /// control characters; other UTF-8 as is), numbers as written. A byte of a string that is not
  /// well-formed UTF-8 (only a bug could put one there) is written as U+FFFD, so the output is
  /// always valid JSON.
  std::string dump() const;
  void dump_to(std::string& out) const;

 private:
  friend class JsonParser;  // appends members without operator[]'s search; checks duplicates itself
  explicit Json(Type type) : type_(type) {}
  static std::string integer_text(long long value);
  static std::string integer_text(unsigned long long value);
  template <class T>
  static std::string integer_text(T value) {
    if constexpr (std::is_signed_v<T>) return integer_text(static_cast<long long>(value));
    else return integer_text(static_cast<unsigned long long>(value));
  }

  Type type_ = Type::null;
  bool bool_ = false;
  std::string text_;  ///< string value, or number text
  std::vector<Json> items_;
  std::vector<Member> members_;
};

struct JsonParseFailure {
  std::string message;  ///< e.g. `line 1, column 14: unexpected end of input`
};

/// Parses `text` as one JSON document (see the top of this file for what is refused).
std::optional<Json> parse_json(std::string_view text, JsonParseFailure& failure);

/// `value.dump()`.
inline std::string dump(const Json& value) { return value.dump(); }

/// A JSON string literal with quotes, e.g. `"a\"b"`.
std::string quote(std::string_view text);

}  // namespace stockbell
