#pragma once
// Reading typed fields out of a parsed JSON object while collecting every problem by path.
// Every body parser in core/ is built from these, so a rule ("ids are trimmed, 1..255
// characters, no control characters") is written once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/json.hpp"

namespace stockbell {

// Limits of the request and upsert bodies (README "API"), in characters (code points) unless noted.
constexpr size_t kMaxIdChars = 255;
constexpr size_t kMaxNameChars = 100;
constexpr size_t kMaxTitleChars = 500;
constexpr size_t kMaxDescriptionChars = 20000;
constexpr size_t kMaxUrlChars = 2048;
constexpr size_t kMaxSkuChars = 255;
constexpr size_t kMaxOptionChars = 255;
constexpr size_t kMaxAttributeKeys = 50;
constexpr size_t kMaxAttributeKeyChars = 64;
constexpr size_t kMaxAttributeStringChars = 1000;
constexpr size_t kMaxProductsPerUpsert = 100;
constexpr size_t kMaxVariantsPerProduct = 1000;
constexpr size_t kMaxOptionsPerVariant = 20;
/// Integers are kept within JavaScript's safe range so every client reads them exactly.
constexpr int64_t kMaxSafeInteger = 9007199254740991;  // 2^53 - 1

/// An optional field of a partial update: omitted (keep the stored value), `null` (clear it),
/// or a new value.
template <class T>
struct Patch {
  enum class State { absent, null, value };
  State state = State::absent;
  T value{};

  bool absent() const { return state == State::absent; }
  bool is_null() const { return state == State::null; }
  bool has_value() const { return state == State::value; }
  static Patch null_patch() { return Patch{State::null, T{}}; }
  static Patch of(T v) { return Patch{State::value, std::move(v)}; }

  /// Applies this patch to a stored optional value.
  void apply_to(std::optional<T>& stored) const {
    if (state == State::null) stored.reset();
    if (state == State::value) stored = value;
  }
};

/// How a text field is checked after trimming.
struct TextRule {
  size_t max_chars;
  bool allow_line_breaks = false;  ///< descriptions may hold tab, LF, CR
  bool refuse_invisible = false;   ///< names and titles: no bidi or invisible formatting
};

constexpr TextRule kIdRule{kMaxIdChars};
/// Names and titles reach people (e-mails, dashboards): nothing in them may hide or reorder text.
constexpr TextRule kNameRule{kMaxNameChars, false, true};
constexpr TextRule kTitleRule{kMaxTitleChars, false, true};

/// Checks an already trimmed text; adds a problem and returns false if it breaks `rule`.
/// Empty text is the caller's business.
bool check_text(std::string_view text, const TextRule& rule, const std::string& path,
                Problems& problems);

/// Reads the fields of one JSON object at `path` (e.g. `products[2]`). Each accessor marks its key
/// as known; `reject_unknown()` then reports every other key as `unknown_field`, in key order.
class ObjectReader {
 public:
  ObjectReader(const Json& object, std::string path, Problems& problems);

  /// A required, non-empty text (ids, product titles). `null` or missing → `required`.
  std::optional<std::string> required_text(std::string_view key, const TextRule& rule);
  /// An optional text: missing, `null` or empty after trimming → nullopt (not provided).
  std::optional<std::string> optional_text(std::string_view key, const TextRule& rule);
  /// A partial-update text: missing keeps, `null` clears, empty after trimming clears too.
  Patch<std::string> patch_text(std::string_view key, const TextRule& rule);
  /// A partial-update URL: absolute http(s), at most kMaxUrlChars.
  Patch<std::string> patch_url(std::string_view key);
  /// A partial-update ISO 4217 code; lower case is accepted and stored upper case.
  Patch<std::string> patch_currency(std::string_view key);
  /// A partial-update ISO 8601 date and time (core/timestamp.hpp), as Unix milliseconds; empty
  /// after trimming clears, like `null`.
  Patch<int64_t> patch_timestamp(std::string_view key);
  /// A partial-update whole number in [min, max]; `12.0` is accepted as 12.
  Patch<int64_t> patch_integer(std::string_view key, int64_t min, int64_t max);
  Patch<bool> patch_bool(std::string_view key);
  /// A required e-mail address (core/email.hpp): trimmed, at most kMaxEmailLength, valid by the
  /// WHATWG grammar; returned as its identity (lower case). Missing, null or blank → `required`.
  std::optional<std::string> required_email(std::string_view key);
  /// The raw member (marked known), or nullptr when missing.
  const Json* member(std::string_view key);

  void reject_unknown();
  const std::string& path() const { return path_; }
  std::string field(std::string_view key) const { return join_path(path_, key); }
  Problems& problems() { return problems_; }

 private:
  const Json& object_;
  std::string path_;
  Problems& problems_;
  std::vector<std::string> known_;
};

/// Parses a request body: the document, or the `invalid_json` error saying where it broke.
Result<Json> parse_body(std::string_view body);

/// Checks that `value` is an object; reports `invalid_type` ("an object") at `path` if not.
bool expect_object(const Json& value, const std::string& path, Problems& problems);

}  // namespace stockbell
