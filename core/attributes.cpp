#include "core/attributes.hpp"

#include <cmath>

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
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string field = join_path(path, it.key());
    if (!is_attribute_key(it.key())) {
      problems.add(field, FieldCode::invalid_attribute_name);
      continue;
    }
    const Json& v = it.value();
    if (v.is_string()) {
      const std::string& text = v.get_ref<const std::string&>();
      if (!check_text(text, TextRule{kMaxAttributeStringChars, true}, field, problems)) continue;
    } else if (v.is_number_float()) {
      if (!std::isfinite(v.get<double>())) {
        problems.add(field, FieldCode::invalid_attribute_value);
        continue;
      }
    } else if (!v.is_null() && !v.is_boolean() && !v.is_number()) {
      problems.add(field, FieldCode::invalid_attribute_value);
      continue;
    }
    out[it.key()] = v;
  }
  return out;
}

Json merge_attributes(const Json& stored, const Json& incoming, bool overwrite) {
  Json out = stored.is_object() ? stored : Json::object();
  // Removals first: the room they free is there for the additions of the same merge.
  if (overwrite)
    for (auto it = incoming.begin(); it != incoming.end(); ++it)
      if (it.value().is_null()) out.erase(it.key());
  for (auto it = incoming.begin(); it != incoming.end(); ++it) {
    if (it.value().is_null()) continue;
    const bool exists = out.contains(it.key());
    if (exists) {
      if (overwrite) out[it.key()] = it.value();
      continue;
    }
    if (out.size() < kMaxAttributeKeys) out[it.key()] = it.value();
  }
  return out;
}

}  // namespace stockbell
