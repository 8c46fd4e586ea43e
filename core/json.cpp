#include "core/json.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace stockbell {
namespace {

constexpr int64_t kExponentClamp = 1'000'000'000;  // beyond this every number is "huge"

// A number's value as digits × 10^exponent, digits without leading or trailing zeros
// ("" for zero).
struct Decimal {
  bool negative = false;
  std::string digits;
  int64_t exponent = 0;
};

Decimal decompose(const std::string& text) {
  Decimal d;
  size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    d.negative = true;
    ++i;
  }
  int64_t fraction_digits = 0;
  bool in_fraction = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      in_fraction = true;
      continue;
    }
    if (in_fraction) ++fraction_digits;
    if (d.digits.empty() && text[i] == '0') continue;  // leading zero
    d.digits += text[i];
  }
  int64_t exponent = 0;
  if (i < text.size()) {
    ++i;
    bool negative = false;
    if (text[i] == '+' || text[i] == '-') negative = text[i++] == '-';
    for (; i < text.size(); ++i) exponent = std::min(exponent * 10 + (text[i] - '0'), kExponentClamp);
    if (negative) exponent = -exponent;
  }
  if (d.digits.empty()) return Decimal{};  // zero, whatever its sign or exponent
  // `digits` holds the fraction's digits too (0.05 → "5"), so shift by how many there were.
  d.exponent = exponent - fraction_digits;
  while (!d.digits.empty() && d.digits.back() == '0') {
    d.digits.pop_back();
    ++d.exponent;
  }
  return d;
}

// Length of the well-formed UTF-8 sequence starting at text[i], or 0.
size_t utf8_sequence(std::string_view text, size_t i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  size_t length;
  if (b0 >= 0xC2 && b0 <= 0xDF) length = 2;
  else if (b0 >= 0xE0 && b0 <= 0xEF) length = 3;
  else if (b0 >= 0xF0 && b0 <= 0xF4) length = 4;
  else return 0;
  if (i + length > text.size()) return 0;
  return is_valid_utf8(text.substr(i, length)) ? length : 0;
}

void escape_to(std::string& out, std::string_view text) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += hex[(c >> 4) & 0xF];
          out += hex[c & 0xF];
        } else if (static_cast<unsigned char>(c) < 0x80) {
          out += c;
        } else if (const size_t length = utf8_sequence(text, i)) {
          out.append(text.substr(i, length));
          i += length - 1;
        } else {
          out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not well-formed UTF-8
        }
    }
  }
  out += '"';
}

}  // namespace

// Json's friend: builds objects member by member (see parse_object).
class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  std::optional<Json> parse(JsonParseFailure& failure) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // byte-order mark
    skip_space();
    std::optional<Json> value;
    if (pos_ == text_.size()) {
      fail("no JSON value (the body is empty)");
    } else {
      value = parse_value(0);
      if (value) {
        skip_space();
        if (pos_ != text_.size()) fail("unexpected content after the JSON value");
      }
    }
    if (!error_.empty()) {
      failure.message = where() + ": " + error_;
      return std::nullopt;
    }
    return value;
  }

 private:
  std::optional<Json> fail(std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
      error_at_ = pos_;
    }
    return std::nullopt;
  }

  std::string where() const {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < error_at_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
  }

  std::optional<Json> unexpected() {
    if (pos_ >= text_.size()) return fail("unexpected end of input");
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c >= 0x20 && c < 0x7F) return fail(std::string("unexpected character '") + text_[pos_] + "'");
    static const char* hex = "0123456789ABCDEF";
    return fail(std::string("unexpected byte 0x") + hex[c >> 4] + hex[c & 15]);
  }

  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  std::optional<Json> parse_value(int depth) {
    if (pos_ >= text_.size()) return unexpected();
    switch (text_[pos_]) {
      case '{': return parse_object(depth + 1);
      case '[': return parse_array(depth + 1);
      case '"': {
        std::optional<std::string> s = parse_string();
        if (!s) return std::nullopt;
        return Json(std::move(*s));
      }
      case 't': if (literal("true")) return Json(true); return unexpected();
      case 'f': if (literal("false")) return Json(false); return unexpected();
      case 'n': if (literal("null")) return Json(nullptr); return unexpected();
      default: return parse_number();
    }
  }

  std::optional<Json> parse_number() {
    const size_t start = pos_;
    auto digits = [&] {
      const size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') {
      if (pos_ == start) return unexpected();
      return fail("invalid number: a digit must follow '-'");
    }
    if (text_[pos_] == '0') {
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
        return fail("invalid number: leading zeros are not allowed");
    } else {
      digits();
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) return fail("invalid number: a digit must follow '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return fail("invalid number: a digit must follow the exponent");
    }
    return Json::number_from_text(std::string(text_.substr(start, pos_ - start)));
  }

  std::optional<unsigned> hex4() {
    if (pos_ + 4 > text_.size()) return std::nullopt;
    unsigned value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_ + i];
      value <<= 4;
      if (c >= '0' && c <= '9') value |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') value |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') value |= static_cast<unsigned>(c - 'A' + 10);
      else return std::nullopt;
    }
    pos_ += 4;
    return value;
  }

  std::optional<std::string> parse_string() {
    ++pos_;  // the opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) {
        fail("unexpected end of input in a string");
        return std::nullopt;
      }
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) {
        static const char* hex = "0123456789ABCDEF";
        fail(std::string("control character U+00") + hex[c >> 4] + hex[c & 15] +
             " must be escaped in a string");
        return std::nullopt;
      }
      if (c >= 0x80) {
        const size_t length = utf8_sequence(text_, pos_);
        if (length == 0) {
          fail("invalid UTF-8 in a string");
          return std::nullopt;
        }
        out.append(text_.substr(pos_, length));
        pos_ += length;
        continue;
      }
      if (c != '\\') {
        out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) {
        fail("unexpected end of input in a string");
        return std::nullopt;
      }
      const char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::optional<unsigned> unit = hex4();
          if (!unit) {
            fail("invalid \\u escape: four hex digits must follow");
            return std::nullopt;
          }
          char32_t cp = *unit;
          if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("invalid \\u escape: unpaired low surrogate");
            return std::nullopt;
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::optional<unsigned> low;
            if (text_.substr(pos_, 2) == "\\u") {
              pos_ += 2;
              low = hex4();
            }
            if (!low || *low < 0xDC00 || *low > 0xDFFF) {
              fail("invalid \\u escape: unpaired high surrogate");
              return std::nullopt;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default: {
          --pos_;
          const auto b = static_cast<unsigned char>(e);
          if (b >= 0x20 && b < 0x7F) {
            fail(std::string("invalid escape '\\") + e + "'");
          } else {  // not printable: name the byte (a raw one could make the message invalid UTF-8)
            static const char* hex = "0123456789ABCDEF";
            fail(std::string("invalid escape: byte 0x") + hex[b >> 4] + hex[b & 15] +
                 " after '\\'");
          }
          return std::nullopt;
        }
      }
    }
  }

  bool too_deep(int depth) {
    if (depth <= kMaxJsonDepth) return false;
    fail("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return true;
  }

  std::optional<Json> parse_array(int depth) {
    if (too_deep(depth)) return std::nullopt;
    ++pos_;
    Json array = Json::array();
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return array;
    }
    while (true) {
      skip_space();
      std::optional<Json> value = parse_value(depth);
      if (!value) return std::nullopt;
      array.push_back(std::move(*value));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return array;
      }
      if (pos_ >= text_.size()) return unexpected();
      return fail("expected ',' or ']' after an array element");
    }
  }

  std::optional<Json> parse_object(int depth) {
    if (too_deep(depth)) return std::nullopt;
    ++pos_;
    Json object = Json::object();
    std::vector<Json::Member>& members = object.members_;
    std::vector<size_t> key_offsets;  // where each member's key starts, for error positions
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return object;
    }
    while (true) {
      skip_space();
      if (pos_ >= text_.size()) return unexpected();
      if (text_[pos_] != '"') return fail("expected a string key");
      const size_t key_at = pos_;
      std::optional<std::string> key = parse_string();
      if (!key) return std::nullopt;
      // Small objects: look back; large ones are checked once, sorted, at the end (members are
      // appended without a search, so a large object costs O(n log n), not O(n²)).
      if (members.size() < 16 && object.contains(*key)) {
        pos_ = key_at;
        return fail("duplicate key " + quote(truncate_chars(*key, 64)));
      }
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') {
        if (pos_ >= text_.size()) return unexpected();
        return fail("expected ':' after an object key");
      }
      ++pos_;
      skip_space();
      std::optional<Json> value = parse_value(depth);
      if (!value) return std::nullopt;
      members.emplace_back(std::move(*key), std::move(*value));
      key_offsets.push_back(key_at);
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        break;
      }
      if (pos_ >= text_.size()) return unexpected();
      return fail("expected ',' or '}' after an object member");
    }
    if (members.size() > 16) {
      // Member indices sorted by key, then by position: a repeated key follows its first use.
      std::vector<size_t> order(members.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const int c = members[a].first.compare(members[b].first);
        return c != 0 ? c < 0 : a < b;
      });
      // Report the first repetition in the document, as the look-back does for small objects.
      size_t first_repeat = members.size();
      for (size_t i = 1; i < order.size(); ++i)
        if (members[order[i]].first == members[order[i - 1]].first)
          first_repeat = std::min(first_repeat, order[i]);
      if (first_repeat < members.size()) {
        pos_ = key_offsets[first_repeat];
        return fail("duplicate key " + quote(truncate_chars(members[first_repeat].first, 64)));
      }
    }
    return object;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
  size_t error_at_ = 0;
};

Json Json::number_from_text(std::string text) {
  Json value(Type::number);
  value.text_ = std::move(text);
  return value;
}

std::string Json::integer_text(long long value) {
  if (value >= 0) return integer_text(static_cast<unsigned long long>(value));
  // Negate in unsigned arithmetic: -LLONG_MIN does not fit in long long.
  return "-" + integer_text(0ull - static_cast<unsigned long long>(value));
}

std::string Json::integer_text(unsigned long long value) {
  char buffer[24];
  size_t at = sizeof buffer;
  do {
    buffer[--at] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  return std::string(buffer + at, sizeof buffer - at);
}

Json::Integrality Json::integrality() const {
  const Decimal d = decompose(text_);
  if (d.digits.empty()) return Integrality::integer;
  if (d.exponent < 0) return Integrality::fraction;
  return as_integer() ? Integrality::integer : Integrality::big_integer;
}

std::optional<int64_t> Json::as_integer() const {
  const Decimal d = decompose(text_);
  if (d.digits.empty()) return 0;
  if (d.exponent < 0 || static_cast<int64_t>(d.digits.size()) + d.exponent > 19) return std::nullopt;
  unsigned long long magnitude = 0;
  for (char c : d.digits) magnitude = magnitude * 10 + static_cast<unsigned>(c - '0');
  for (int64_t i = 0; i < d.exponent; ++i) {
    if (magnitude > ~0ull / 10) return std::nullopt;
    magnitude *= 10;
  }
  const unsigned long long limit = d.negative ? (1ull << 63) : (1ull << 63) - 1;
  if (magnitude > limit) return std::nullopt;
  return d.negative ? static_cast<int64_t>(0ull - magnitude) : static_cast<int64_t>(magnitude);
}

int64_t Json::decimal_exponent() const {
  const Decimal d = decompose(text_);
  if (d.digits.empty()) return 0;
  return static_cast<int64_t>(d.digits.size()) - 1 + d.exponent;
}

int Json::compare(int64_t other) const {
  const Decimal a = decompose(text_);
  const Decimal b = decompose(integer_text(static_cast<long long>(other)));
  auto sign = [](const Decimal& d) { return d.digits.empty() ? 0 : d.negative ? -1 : 1; };
  if (sign(a) != sign(b)) return sign(a) < sign(b) ? -1 : 1;
  if (sign(a) == 0) return 0;
  // Same sign: compare magnitudes, first by order of magnitude, then digit by digit (neither
  // has trailing zeros, so a digit string that is a prefix of the other is the smaller).
  const int64_t ea = static_cast<int64_t>(a.digits.size()) - 1 + a.exponent;
  const int64_t eb = static_cast<int64_t>(b.digits.size()) - 1 + b.exponent;
  int magnitude = ea != eb ? (ea < eb ? -1 : 1) : a.digits.compare(b.digits);
  magnitude = magnitude < 0 ? -1 : magnitude > 0 ? 1 : 0;
  return sign(a) * magnitude;
}

const Json* Json::find(std::string_view key) const {
  for (const Member& m : members_)
    if (m.first == key) return &m.second;
  return nullptr;
}

Json& Json::operator[](std::string_view key) {
  if (type_ == Type::null) type_ = Type::object;
  for (Member& m : members_)
    if (m.first == key) return m.second;
  members_.emplace_back(std::string(key), Json());
  return members_.back().second;
}

bool Json::erase(std::string_view key) {
  for (auto it = members_.begin(); it != members_.end(); ++it) {
    if (it->first == key) {
      members_.erase(it);
      return true;
    }
  }
  return false;
}

bool Json::operator==(const Json& other) const {
  if (type_ != other.type_) return false;
  switch (type_) {
    case Type::null: return true;
    case Type::boolean: return bool_ == other.bool_;
    case Type::number:
    case Type::string: return text_ == other.text_;
    case Type::array: return items_ == other.items_;
    case Type::object:
      // Members compare as a set: order is presentation, not meaning.
      if (members_.size() != other.members_.size()) return false;
      for (const Member& m : members_) {
        const Json* theirs = other.find(m.first);
        if (theirs == nullptr || !(*theirs == m.second)) return false;
      }
      return true;
  }
  return false;
}

void Json::dump_to(std::string& out) const {
  switch (type_) {
    case Type::null: out += "null"; return;
    case Type::boolean: out += bool_ ? "true" : "false"; return;
    case Type::number: out += text_; return;
    case Type::string: escape_to(out, text_); return;
    case Type::array:
      out += '[';
      for (size_t i = 0; i < items_.size(); ++i) {
        if (i) out += ',';
        items_[i].dump_to(out);
      }
      out += ']';
      return;
    case Type::object:
      out += '{';
      for (size_t i = 0; i < members_.size(); ++i) {
        if (i) out += ',';
        escape_to(out, members_[i].first);
        out += ':';
        members_[i].second.dump_to(out);
      }
      out += '}';
      return;
  }
}

std::string Json::dump() const {
  std::string out;
  dump_to(out);
  return out;
}

std::optional<Json> parse_json(std::string_view text, JsonParseFailure& failure) {
  return JsonParser(text).parse(failure);
}

std::string quote(std::string_view text) {
  std::string out;
  escape_to(out, text);
  return out;
}

}  // namespace stockbell
