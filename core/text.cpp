#include "core/text.hpp"

#include <cstdint>

namespace stockbell {
namespace {

// Decodes the code point at `text[i]` (valid UTF-8 assumed) and its byte length.
char32_t decode_at(std::string_view text, size_t i, size_t& length) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    length = 1;
    return b0;
  }
  int extra = b0 >= 0xF0 ? 3 : b0 >= 0xE0 ? 2 : 1;
  char32_t cp = b0 & (0x3F >> extra);
  length = 1;
  for (int k = 0; k < extra && i + length < text.size(); ++k, ++length)
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + length]) & 0x3F);
  return cp;
}

// The code point that ends just before byte `end`, and its byte length.
char32_t decode_before(std::string_view text, size_t end, size_t& length) {
  size_t start = end - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  return decode_at(text, start, length);
}

bool is_trim_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

}  // namespace

std::string_view trim(std::string_view text) {
  size_t begin = 0;
  size_t length = 0;
  while (begin < text.size() && is_trim_space(decode_at(text, begin, length))) begin += length;
  size_t end = text.size();
  while (end > begin && is_trim_space(decode_before(text, end, length))) end -= length;
  return text.substr(begin, end - begin);
}

size_t char_count(std::string_view utf8) {
  size_t count = 0;
  for (char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  return count;
}

bool has_control_chars(std::string_view text, bool allow_line_breaks) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x20) {
      if (allow_line_breaks && (b == '\t' || b == '\n' || b == '\r')) continue;
      return true;
    }
    if (b == 0x7F) return true;
    // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
    if (b == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

bool has_invisible_chars(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    char32_t cp;
    size_t length;
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    if (b0 >= 0xF0) {
      length = 4;
      cp = b0 & 0x07;
    } else if (b0 >= 0xE0) {
      length = 3;
      cp = b0 & 0x0F;
    } else {
      length = 2;
      cp = b0 & 0x1F;
    }
    if (i + length > text.size()) return false;  // not valid UTF-8: another rule's business
    for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    i += length;
    const auto in = [cp](char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; };
    if (cp == 0x00AD || cp == 0x061C || cp == 0x115F || cp == 0x1160 || in(0x17B4, 0x17B5) ||
        cp == 0x180E || cp == 0x200B || in(0x200E, 0x200F) || in(0x202A, 0x202E) ||
        in(0x2060, 0x2064) || in(0x2066, 0x206F) || cp == 0x3164 || cp == 0xFEFF ||
        cp == 0xFFA0 || in(0xFFF9, 0xFFFB) || in(0x1D173, 0x1D17A) || cp == 0xE0001)
      return true;
  }
  return false;
}

bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    int extra;
    char32_t min;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      extra = 1;
      min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      extra = 2;
      min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      extra = 3;
      min = 0x10000;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(extra) >= text.size()) return false;
    char32_t cp = b0 & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

std::string truncate_chars(std::string_view text, size_t max_chars) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (count == max_chars) return std::string(text.substr(0, i)) + "...";
    ++count;
  }
  return std::string(text);
}

namespace {

char32_t simple_lower(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;                     // À..Þ
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c | 1;  // Ā ā .. Ŷ ŷ
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
    return (c & 1) ? c + 1 : c;                                                 // Ĺ ĺ .. Ž ž
  if (c == 0x178) return 0xFF;                                                  // Ÿ
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;                   // Α..Ω
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 37;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 63;
  if (c >= 0x410 && c <= 0x42F) return c + 32;                                 // А..Я
  if (c >= 0x400 && c <= 0x40F) return c + 80;                                 // Ѐ..Џ
  return c;
}

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string fold_case(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t length = 0;
  for (size_t i = 0; i < utf8.size(); i += length) append_utf8(out, simple_lower(decode_at(utf8, i, length)));
  return out;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string printable_line(std::string_view text, size_t max_chars) {
  std::string line;
  line.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    const std::string_view piece = length == 0 ? std::string_view() : text.substr(i, length);
    if (length == 0 || piece.size() < length || !is_valid_utf8(piece) ||
        has_control_chars(piece)) {
      line += ' ';
      i += length == 0 ? 1 : length;
      continue;
    }
    line += piece;
    i += length;
  }
  return truncate_chars(trim(line), max_chars);
}

}  // namespace stockbell
