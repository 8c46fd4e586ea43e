#include "core/mime.hpp"

#include <algorithm>
#include <cstdio>

#include "core/text.hpp"

namespace stockbell {
namespace {

constexpr size_t kMaxLine = 78;         // RFC 5322's SHOULD
constexpr size_t kMaxEncodedWord = 75;  // RFC 2047
constexpr std::string_view kWordStart = "=?UTF-8?B?";
constexpr std::string_view kWordEnd = "?=";
constexpr char kHex[] = "0123456789ABCDEF";

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8) |
                       uint8_t(bytes[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t n = uint32_t(uint8_t(bytes[i])) << 16;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t n = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// One line of header text: control characters (C0, DEL, C1) become spaces.
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      out += ' ';
    } else if (c == 0xC2 && i + 1 < text.size() && uint8_t(text[i + 1]) >= 0x80 &&
               uint8_t(text[i + 1]) <= 0x9F) {
      out += ' ';
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool printable_ascii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) return false;
  return true;
}

bool is_atext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// Bytes of the UTF-8 character starting with `lead`.
size_t char_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

// A header line: `Name: value\r\n`.
void header(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

// A URL inside `<...>`: what could end the brackets or the line is percent-encoded.
std::string angle_url(std::string_view url) {
  std::string out;
  for (char c : url) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7F || c == '<' || c == '>' || c == '"') {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    } else {
      out += c;
    }
  }
  return out;
}

uint64_t fnv1a(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

void body_part(std::string& out, std::string_view boundary, std::string_view type,
               std::string_view body) {
  out += "--";
  out += boundary;
  out += "\r\nContent-Type: ";
  out += type;
  out += "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += quoted_printable(body);
  out += "\r\n";
}

}  // namespace

std::string encode_header_text(std::string_view raw, size_t used) {
  const std::string text = one_line(raw);
  if (printable_ascii(text) && text.find("=?") == std::string::npos &&
      used + text.size() <= kMaxLine)
    return text;
  // Each word takes as many whole characters as fit its line: the first shares its line with
  // the header name, the others start a folded line (CRLF, then one space).
  const size_t markers = kWordStart.size() + kWordEnd.size();
  std::string out;
  size_t room = std::min(kMaxEncodedWord, kMaxLine > used ? kMaxLine - used : 0);
  for (size_t at = 0; at < text.size();) {
    const size_t max_bytes = room > markers ? (room - markers) / 4 * 3 : 0;
    size_t end = at;
    while (end < text.size()) {
      const size_t next = end + char_length(static_cast<unsigned char>(text[end]));
      if (next - at > max_bytes) break;
      end = next;
    }
    if (end == at) {  // not even one character fits this line: fold first
      if (out.empty() && room < kMaxEncodedWord) {
        out += "\r\n ";
        room = kMaxEncodedWord;
        continue;
      }
      end = std::min(text.size(), at + char_length(static_cast<unsigned char>(text[at])));
    }
    if (out.size() >= 3 && out.compare(out.size() - 3, 3, "\r\n ") != 0)
      out += "\r\n ";
    out += kWordStart;
    out += base64(text.substr(at, end - at));
    out += kWordEnd;
    room = kMaxEncodedWord;
    at = end;
  }
  return out;
}

std::string addr_spec(std::string_view address) {
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return std::string(address);
  const std::string_view local = address.substr(0, at);
  bool dot_atom = !local.empty() && local.front() != '.' && local.back() != '.' &&
                  local.find("..") == std::string_view::npos;
  for (char c : local) dot_atom = dot_atom && (is_atext(c) || c == '.');
  if (dot_atom) return std::string(address);
  std::string out = "\"";
  for (char c : local) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  out += address.substr(at);
  return out;
}

std::string mailbox_header(const Mailbox& mailbox, size_t used) {
  const std::string address = "<" + addr_spec(mailbox.address) + ">";
  const std::string name =
      mailbox.display_name ? std::string(trim(one_line(*mailbox.display_name))) : std::string();
  if (name.empty()) return addr_spec(mailbox.address);
  std::string phrase;
  if (!printable_ascii(name) || name.find("=?") != std::string::npos) {
    phrase = encode_header_text(name, used);
  } else {
    bool atoms = true;
    for (char c : name) atoms = atoms && (is_atext(c) || c == ' ');
    if (atoms) {
      phrase = name;
    } else {
      phrase = "\"";
      for (char c : name) {
        if (c == '"' || c == '\\') phrase += '\\';
        phrase += c;
      }
      phrase += '"';
    }
  }
  const size_t last_line = phrase.rfind('\n') == std::string::npos
                               ? used + phrase.size()
                               : phrase.size() - phrase.rfind('\n');
  return phrase + (last_line + 1 + address.size() > kMaxLine ? "\r\n " : " ") + address;
}

std::string quoted_printable(std::string_view text) {
  const size_t n = text.size();
  std::string out;
  out.reserve(n + n / 4 + 16);
  size_t column = 0;  // 0 only at the start of a line of the text (a soft break never makes it 0)
  // A soft line break keeps every line within 76 characters (the `=` included).
  const auto encoded = [&](unsigned char b) {
    if (column + 3 > 75) {
      out.append("=\r\n", 3);
      column = 0;
    }
    const char hex[3] = {'=', kHex[b >> 4], kHex[b & 15]};
    out.append(hex, 3);
    column += 3;
  };
  const auto line_end = [&](size_t i) {
    return i + 1 == n || text[i + 1] == '\n' || text[i + 1] == '\r';
  };
  // Printable ASCII but `=` as is; a space or tab too, unless it ends a line.
  const auto literal = [&](size_t i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b > 0x20 && b <= 0x7E) return b != '=';
    return (b == ' ' || b == '\t') && !line_end(i);
  };
  size_t i = 0;
  while (i < n) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == '\r' && i + 1 < n && text[i + 1] == '\n') {  // CRLF: at the LF
      ++i;
      continue;
    }
    if (b == '\n' || b == '\r') {
      out.append("\r\n", 2);
      column = 0;
      ++i;
      continue;
    }
    // Encoded at a line's start: a dot (SMTP's end of data) and "From " (mbox).
    const bool guarded =
        column == 0 && (b == '.' || (b == 'F' && text.substr(i, 5) == "From "));
    if (guarded || !literal(i)) {
      encoded(b);
      ++i;
      continue;
    }
    size_t run = i + 1;
    while (run < n && literal(run)) ++run;
    while (i < run) {  // the run as is, in pieces that fit the line
      if (column >= 75) {
        out.append("=\r\n", 3);
        column = 0;
      }
      const size_t piece = std::min(run - i, 75 - column);
      out.append(text.data() + i, piece);
      column += piece;
      i += piece;
    }
  }
  return out;
}

std::string rfc5322_date(int64_t unix_ms) {
  int64_t seconds = unix_ms / 1000;
  if (unix_ms % 1000 < 0) seconds -= 1;
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  // 1970-01-01 was a Thursday.
  static constexpr const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const char* weekday = kDays[((days % 7) + 7) % 7];
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm, as core/timestamp.cpp).
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02lld %s %04lld %02lld:%02lld:%02lld +0000", weekday,
                static_cast<long long>(day), kMonths[month - 1], static_cast<long long>(year),
                static_cast<long long>(rem / 3600), static_cast<long long>(rem % 3600 / 60),
                static_cast<long long>(rem % 60));
  return buffer;
}

std::string mime_message(const OutgoingMail& mail) {
  char boundary[40];
  std::snprintf(boundary, sizeof boundary, "=_stockbell_%016llx",
                static_cast<unsigned long long>(fnv1a(mail.message_id)));
  std::string out;
  out.reserve(mail.text.size() + mail.html.size() * 11 / 10 + 2048);
  header(out, "Date", rfc5322_date(mail.date_ms));
  header(out, "From", mailbox_header(mail.from, 6));
  if (mail.reply_to) header(out, "Reply-To", mailbox_header(*mail.reply_to, 10));
  header(out, "To", addr_spec(one_line(mail.to)));
  header(out, "Subject", encode_header_text(mail.subject, 9));
  header(out, "Message-ID", "<" + angle_url(mail.message_id) + ">");
  header(out, "MIME-Version", "1.0");
  if (mail.unsubscribe_url) {
    header(out, "List-Unsubscribe", "<" + angle_url(*mail.unsubscribe_url) + ">");
    header(out, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
  }
  // A notification the shopper asked for: no vacation auto-replies to it (RFC 3834).
  header(out, "Auto-Submitted", "auto-generated");
  header(out, "Content-Type",
         std::string("multipart/alternative; boundary=\"") + boundary + "\"");
  out += "\r\n";
  body_part(out, boundary, "text/plain", mail.text);
  body_part(out, boundary, "text/html", mail.html);
  out += "--";
  out += boundary;
  out += "--\r\n";
  return out;
}

}  // namespace stockbell
