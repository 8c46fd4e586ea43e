#pragma once
// Subscriber attributes (`customer.attributes`): validation and the merge onto a stored subscriber.

#include <optional>
#include <string>

#include "core/errors.hpp"
#include "core/json.hpp"

namespace stockbell {

/// Longest number text kept as an attribute value (JavaScript never writes more than 24).
constexpr size_t kMaxAttributeNumberChars = 32;

/// Validates `customer.attributes`: an object of at most 50 keys matching [A-Za-z0-9_.-]{1,64},
/// each value a string (at most 1000 characters, no control characters except tab and line
/// breaks), a number a double can hold (kept exactly as written, at most 32 characters), a
/// boolean or null. Returns the valid attributes (strings unchanged).
Json read_attributes(const Json& value, const std::string& path, Problems& problems);

/// Merges incoming attributes onto stored ones: a key with a value sets it, a key with null
/// removes it. With `overwrite` false (publishable keys: anyone on the storefront can send them),
/// only keys not yet stored are added and nothing is removed. The result keeps at most 50 keys:
/// keys that do not fit are not added.
Json merge_attributes(const Json& stored, const Json& incoming, bool overwrite);

}  // namespace stockbell
