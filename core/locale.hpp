#pragma once
// Language tags (BCP 47, the subset a shop meets): `en`, `de-CH`, `zh-Hant-TW`, `es-419`.
// A request carries the shopper's (the widget sends the page's `lang`), a store has a default,
// and e-mail templates and widget strings are chosen by it: exact tag → its language → the
// store's default → `en`.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stockbell {

constexpr size_t kMaxLocaleChars = 35;

/// The tag in canonical case (`DE-ch` → `de-CH`, `zh-hant-tw` → `zh-Hant-TW`), or nullopt if it
/// is not `language[-script][-region][-variant...]` with a 2–3 letter language, a 4-letter
/// script, a 2-letter or 3-digit region and 5–8 character variants.
std::optional<std::string> normalize_locale(std::string_view tag);

/// The candidates to look up for `tag`, most specific first, ending with `fallback` and `en`,
/// without repeats: `de-CH` with fallback `fr` → {de-CH, de, fr, en}.
std::vector<std::string> locale_candidates(std::string_view tag, std::string_view fallback);

}  // namespace stockbell
