#include "core/attributes.hpp"

#include <cstdlib>

#include "core/fields.hpp"
#include "core/text.hpp"

namespace stockbell {
namespace {

bool is_attribute_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxAttributeKeyChars) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Json read_attributes(const Json& value, const std::string& path, Problems& problems) {
  Json out = Json::object();
  if (value.is_null()) return out;
  if (!expect_object(value, path, problems)) return out;
  if (value.size() > kMaxAttributeKeys) {
    problems.add(path, FieldCode::too_many_items, static_cast<int64_t>(kMaxAttributeKeys));
    return out;
  }
  for (const auto& [key, v] : value.members()) {
    const std::string field = join_path(path, key);
    if (!is_attribute_key(key)) {
      problems.add(field, FieldCode::invalid_attribute_name);
      continue;
    }
    if (v.is_string()) {
      if (!check_text(v.as_string(), TextRule{kMaxAttributeStringChars, true}, field, problems))
        continue;
    } else if (v.is_number()) {
      // Kept as written; refused if no double could hold it, or written absurdly long.
      if (v.number_text().size() > kMaxAttributeNumberChars ||
          std::abs(v.decimal_exponent()) > 300) {
        problems.add(field, FieldCode::invalid_attribute_value);
        continue;
      }
    } else if (!v.is_null() && !v.is_bool()) {
      problems.add(field, FieldCode::invalid_attribute_value);
      continue;
    }
    out[key] = v;
  }
  return out;
}

Json merge_attributes(const Json& stored, const Json& incoming, bool overwrite) {
  Json out = stored.is_object() ? stored : Json::object();
  // Removals first: the room they free is there for the additions of the same merge.
  if (overwrite)
    for (const auto& [key, value] : incoming.members())
      if (value.is_null()) out.erase(key);
  for (const auto& [key, value] : incoming.members()) {
    if (value.is_null()) continue;
    if (out.contains(key)) {
      if (overwrite) out[key] = value;
      continue;
    }
    if (out.size() < kMaxAttributeKeys) out[key] = value;
  }
  return out;
}

}  // namespace stockbell
