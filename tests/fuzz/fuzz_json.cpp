// libFuzzer target: the JSON parser and writer (core/json.hpp). Any input either fails with a
// message (non-empty, valid UTF-8, starting with its line and column) or gives a value whose
// dump() parses again to an equal value with the identical dump (writing is idempotent). Along
// the way every number's accessors must agree with each other.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.hpp"
#include "core/text.hpp"

using namespace stockbell;

namespace {

// The number accessors describe one value: an integer has an as_integer that compares equal to
// it, anything else has none.
void check_numbers(const Json& value) {
  switch (value.type()) {
    case Json::Type::number: {
      const std::optional<int64_t> integer = value.as_integer();
      if ((value.integrality() == Json::Integrality::integer) != integer.has_value())
        __builtin_trap();
      if (integer && value.compare(*integer) != 0) __builtin_trap();
      if (integer && (*integer != 0) && value.decimal_exponent() > 18) __builtin_trap();
      if (value.integrality() == Json::Integrality::big_integer && value.decimal_exponent() < 18)
        __builtin_trap();
      return;
    }
    case Json::Type::array:
      for (const Json& item : value.items()) check_numbers(item);
      return;
    case Json::Type::object:
      for (const Json::Member& member : value.members()) check_numbers(member.second);
      return;
    default:
      return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  JsonParseFailure failure;
  const std::optional<Json> value = parse_json(text, failure);
  if (!value) {
    if (failure.message.empty() || !is_valid_utf8(failure.message)) __builtin_trap();
    if (failure.message.rfind("line ", 0) != 0) __builtin_trap();
    return 0;
  }
  check_numbers(*value);

  const std::string once = value->dump();
  if (!is_valid_utf8(once)) __builtin_trap();
  for (char c : once)
    if (static_cast<unsigned char>(c) < 0x20) __builtin_trap();  // control characters escaped
  JsonParseFailure again_failure;
  const std::optional<Json> again = parse_json(once, again_failure);
  if (!again || !(*again == *value)) __builtin_trap();
  if (again->dump() != once) __builtin_trap();
  return 0;
}
