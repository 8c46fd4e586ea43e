#pragma once
// Text rules shared by every field: trimming, length in characters, control characters.
// Strings reaching these functions are valid UTF-8 (the JSON parser guarantees it).

#include <cstddef>
#include <string>
#include <string_view>

namespace stockbell {

/// Removes leading and trailing white space: the set JavaScript's `String.prototype.trim`
/// removes (ASCII white space, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F,
/// U+3000, U+FEFF), so the widget and the server trim alike.
std::string_view trim(std::string_view text);

/// Length in Unicode code points: "Größe" is 5. Limits ("at most 255 characters") count these.
size_t char_count(std::string_view utf8);

/// True if `text` holds a C0 control (U+0000..U+001F), DEL or a C1 control (U+0080..U+009F).
/// With `allow_line_breaks`, tab, LF and CR are allowed (for descriptions).
bool has_control_chars(std::string_view text, bool allow_line_breaks = false);

/// True if `text` (valid UTF-8) holds a character that changes how text around it reads without
/// showing itself: bidi overrides, embeddings, isolates and marks (U+202A..U+202E,
/// U+2066..U+2069, U+200E, U+200F, U+061C: U+202E then "moc.elpmaxe" reads as "example.com"), zero-width
/// and invisible characters (U+200B, U+2060..U+2064, U+FEFF, U+00AD, U+180E, U+206A..U+206F,
/// U+FFF9..U+FFFB, U+1D173..U+1D17A, U+E0001) and blank fillers (U+115F, U+1160, U+3164,
/// U+FFA0, U+17B4, U+17B5). Joiners U+200C/U+200D stay allowed (Persian and Indic names, emoji
/// sequences), and so do the tag characters of flag emoji (U+E0020..U+E007F).
bool has_invisible_chars(std::string_view text);

/// True if `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// At most `max_chars` code points of `text`, cut on a character boundary, with "..." if cut.
std::string truncate_chars(std::string_view text, size_t max_chars);

/// `text` (any bytes) as one printable line of at most `max_chars` characters, for headers a
/// server keeps (a user agent in a consent record): invalid UTF-8 and control characters
/// become spaces, the ends are trimmed, and a longer text is cut with "...".
std::string printable_line(std::string_view text, size_t max_chars);

/// ASCII lower-casing; other bytes are kept.
std::string ascii_lower(std::string_view text);

/// Lower-cases letters for case-insensitive search: ASCII, Latin-1, Latin Extended-A, Greek and
/// Cyrillic capitals map to their small letters ("ÄPFEL" → "äpfel", "ΣΟΦΙΑ" → "σοφια");
/// everything else is kept. Simple one-to-one mappings only (no "ß" → "ss").
std::string fold_case(std::string_view utf8);

/// Appends code point `cp` (≤ U+10FFFF, not a surrogate) as UTF-8.
void append_utf8(std::string& out, char32_t cp);

}  // namespace stockbell
