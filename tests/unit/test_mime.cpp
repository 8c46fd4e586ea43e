// core/mime: the bytes handed to the SMTP server. Decoded back here with an independent
// reader (base64, quoted-printable), and checked for what relays and clients need: CRLF lines
// within 78 characters, RFC 2047 headers, one-click unsubscribe, and no text that could add a
// header or a part.

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/mime.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::repeat;

namespace {

std::string unbase64(std::string_view text) {
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const size_t v = alphabet.find(c);
    REQUIRE(v != std::string::npos);
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// The text of a header value made of plain text and/or =?UTF-8?B?...?= words (unfolded).
std::string decode_words(const std::string& value) {
  std::string unfolded;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    unfolded += value[i];
  }
  std::string out;
  size_t at = 0;
  while (at < unfolded.size()) {
    const size_t start = unfolded.find("=?UTF-8?B?", at);
    if (start == std::string::npos) {
      out += unfolded.substr(at);
      break;
    }
    out += unfolded.substr(at, start - at);
    const size_t end = unfolded.find("?=", start + 10);
    REQUIRE(end != std::string::npos);
    out += unbase64(unfolded.substr(start + 10, end - start - 10));
    at = end + 2;
  }
  return out;
}

std::string unquote_printable(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out += text[i];
    } else if (text.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;
    } else {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& message) {
  std::vector<std::string> lines;
  size_t at = 0;
  while (at < message.size()) {
    const size_t end = message.find("\r\n", at);
    REQUIRE_MESSAGE(end != std::string::npos, "the message ends without CRLF");
    lines.push_back(message.substr(at, end - at));
    at = end + 2;
  }
  return lines;
}

/// The head's headers, unfolded: name → raw value (folding kept).
std::vector<std::pair<std::string, std::string>> headers_of(const std::string& message) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string head = message.substr(0, message.find("\r\n\r\n") + 2);
  for (const std::string& line : lines_of(head)) {
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') {
      REQUIRE(!out.empty());
      out.back().second += "\r\n" + line;
    } else {
      const size_t colon = line.find(": ");
      REQUIRE_MESSAGE(colon != std::string::npos, "not a header line: " << line);
      out.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    }
  }
  return out;
}

std::string header(const std::string& message, const std::string& name) {
  for (const auto& [n, v] : headers_of(message))
    if (n == name) return v;
  return {};
}

OutgoingMail sample() {
  OutgoingMail m;
  m.from = Mailbox{"Teehaus Kranich", "shop@teehaus.example"};
  m.reply_to = Mailbox{std::nullopt, "help@teehaus.example"};
  m.to = "anna@example.com";
  m.subject = "Wieder da: Grüner Tee – Sencha";
  m.text = "Hallo Anna,\n\nIhr Wunschartikel ist wieder da.\n";
  m.html = "<!DOCTYPE html>\n<html lang=\"de\"><body><p>Hallo Anna</p></body></html>\n";
  m.message_id = "msg_0kz3x9q1m2v7d@stockbell.example";
  m.date_ms = 1709210096789;
  m.unsubscribe_url = "https://stockbell.example/u/TOKEN?lang=de";
  return m;
}

// The parts of a multipart body: {content type line, decoded body}.
std::vector<std::pair<std::string, std::string>> parts_of(const std::string& message) {
  const std::string type = header(message, "Content-Type");
  const size_t b = type.find("boundary=\"");
  REQUIRE(b != std::string::npos);
  const std::string boundary = type.substr(b + 10, type.find('"', b + 10) - b - 10);
  std::vector<std::pair<std::string, std::string>> parts;
  const std::string body = message.substr(message.find("\r\n\r\n") + 4);
  const std::string delimiter = "--" + boundary;
  size_t at = body.find(delimiter);
  while (at != std::string::npos && body.compare(at + delimiter.size(), 2, "--") != 0) {
    const size_t head_end = body.find("\r\n\r\n", at);
    const std::string head = body.substr(at, head_end - at);
    const size_t next = body.find("\r\n" + delimiter, head_end);
    REQUIRE(next != std::string::npos);
    const std::string encoded = body.substr(head_end + 4, next - head_end - 4);
    CHECK(head.find("Content-Transfer-Encoding: quoted-printable") != std::string::npos);
    parts.emplace_back(head.substr(head.find("Content-Type: ") + 14,
                                   head.find("\r\n", head.find("Content-Type: ")) -
                                       head.find("Content-Type: ") - 14),
                       unquote_printable(encoded));
    at = next + 2;
  }
  return parts;
}

std::string crlf(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace

TEST_CASE("a message: its headers, in order, and two parts that decode to the texts") {
  const std::string message = mime_message(sample());
  std::vector<std::string> names;
  for (const auto& [name, value] : headers_of(message)) names.push_back(name);
  CHECK(names == std::vector<std::string>{"Date", "From", "Reply-To", "To", "Subject",
                                          "Message-ID", "MIME-Version", "List-Unsubscribe",
                                          "List-Unsubscribe-Post", "Auto-Submitted",
                                          "Content-Type"});
  CHECK(header(message, "Date") == "Thu, 29 Feb 2024 12:34:56 +0000");
  CHECK(header(message, "From") == "Teehaus Kranich <shop@teehaus.example>");
  CHECK(header(message, "Reply-To") == "help@teehaus.example");
  CHECK(header(message, "To") == "anna@example.com");
  CHECK(decode_words(header(message, "Subject")) == "Wieder da: Grüner Tee – Sencha");
  CHECK(header(message, "Subject").rfind("=?UTF-8?B?", 0) == 0);
  CHECK(header(message, "Message-ID") == "<msg_0kz3x9q1m2v7d@stockbell.example>");
  CHECK(header(message, "MIME-Version") == "1.0");
  CHECK(header(message, "List-Unsubscribe") == "<https://stockbell.example/u/TOKEN?lang=de>");
  CHECK(header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click");
  CHECK(header(message, "Content-Type").rfind("multipart/alternative; boundary=\"", 0) == 0);
  const auto parts = parts_of(message);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].first == "text/plain; charset=utf-8");
  CHECK(parts[0].second == crlf(sample().text));
  CHECK(parts[1].first == "text/html; charset=utf-8");
  CHECK(parts[1].second == crlf(sample().html));
  // Same input, same bytes: a retry sends the first attempt again.
  CHECK(mime_message(sample()) == message);
}

TEST_CASE("every line ends in CRLF and stays within 78 characters") {
  OutgoingMail m = sample();
  m.subject = repeat("Grüner Tee – Sencha aus Kagoshima, ", 12);
  m.from.display_name = repeat("Ä", 100);
  m.text = repeat("x", 500) + "\n" + repeat("ü ", 300) + "\n\n" + repeat("=", 100);
  m.html = repeat("<p>Grüße</p>", 200);
  const std::string message = mime_message(m);
  for (const std::string& line : lines_of(message)) {
    CAPTURE(line);
    CHECK(line.size() <= 78);
    CHECK(line.find('\r') == std::string::npos);
    CHECK(line.find('\n') == std::string::npos);
  }
  CHECK(decode_words(header(message, "Subject")) == m.subject);
  const std::string from = header(message, "From");
  CHECK(decode_words(from.substr(0, from.rfind(' '))) == *m.from.display_name);
  const auto parts = parts_of(message);
  CHECK(parts[0].second == crlf(m.text));
  CHECK(parts[1].second == m.html);
}

TEST_CASE("no text can add a header or a part (header injection)") {
  OutgoingMail m = sample();
  m.subject = "Tea\r\nBcc: victim@example.com";
  m.from.display_name = "Shop\r\nX-Injected: 1";
  m.reply_to = Mailbox{"Help\nX-Injected: 2", "help@teehaus.example"};
  m.to = "anna@example.com\r\nBcc: victim@example.com";
  m.unsubscribe_url = "https://stockbell.example/u/T>\r\nX-Injected: 3";
  m.message_id = "id>\r\nX-Injected: 4";
  // A body holding a boundary-looking line and a lone dot.
  m.text = "--=_stockbell_0000000000000000\r\nContent-Type: text/html\r\n.\r\nFrom me";
  const std::string message = mime_message(m);
  for (const auto& [name, value] : headers_of(message)) {
    CAPTURE(name);
    CHECK(name != "Bcc");
    CHECK(name.find("X-Injected") == std::string::npos);
  }
  CHECK(headers_of(message).size() == 11);
  CHECK(message.find("\r\nBcc:") == std::string::npos);
  CHECK(message.find("\r\nX-Injected") == std::string::npos);
  CHECK(header(message, "List-Unsubscribe") ==
        "<https://stockbell.example/u/T%3E%0D%0AX-Injected:%203>");
  const auto parts = parts_of(message);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].second == m.text);
  // The body's lines can't end the message or look like an mbox separator.
  CHECK(message.find("\r\n.\r\n") == std::string::npos);
  CHECK(message.find("\r\nFrom me") == std::string::npos);
}

TEST_CASE("display names: plain, quoted when they hold specials, encoded when not ASCII") {
  CHECK(mailbox_header(Mailbox{"Linen Co", "a@b.example"}, 6) == "Linen Co <a@b.example>");
  CHECK(mailbox_header(Mailbox{"Linen & Co.", "a@b.example"}, 6) ==
        "\"Linen & Co.\" <a@b.example>");
  CHECK(mailbox_header(Mailbox{"Tom \"T\" \\ Co", "a@b.example"}, 6) ==
        "\"Tom \\\"T\\\" \\\\ Co\" <a@b.example>");
  CHECK(mailbox_header(Mailbox{"Café", "a@b.example"}, 6) == "=?UTF-8?B?Q2Fmw6k=?= <a@b.example>");
  CHECK(mailbox_header(Mailbox{std::nullopt, "a@b.example"}, 6) == "a@b.example");
  CHECK(mailbox_header(Mailbox{" ", "a@b.example"}, 6) == "a@b.example");
  CHECK(mailbox_header(Mailbox{"=?UTF-8?B?eA==?=", "a@b.example"}, 6) ==
        "=?UTF-8?B?PT9VVEYtOD9CP2VBPT0/PQ==?= <a@b.example>");
}

TEST_CASE("addresses: local parts outside the dot-atom grammar are quoted") {
  CHECK(addr_spec("anna@example.com") == "anna@example.com");
  CHECK(addr_spec("a.b+tag@example.com") == "a.b+tag@example.com");
  CHECK(addr_spec(".a..b.@c") == "\".a..b.\"@c");
}

TEST_CASE("header text: ASCII as is, UTF-8 in encoded words that never split a character") {
  CHECK(encode_header_text("Back in stock: Linen shirt", 9) == "Back in stock: Linen shirt");
  CHECK(encode_header_text("a =?x?= b", 9).rfind("=?UTF-8?B?", 0) == 0);
  const std::string long_text = repeat("€", 60);
  const std::string encoded = encode_header_text(long_text, 9);
  CHECK(decode_words(encoded) == long_text);
  size_t start = 0;
  while ((start = encoded.find("=?UTF-8?B?", start)) != std::string::npos) {
    const size_t end = encoded.find("?=", start + 10);
    CHECK(end + 2 - start <= 75);
    CHECK(unbase64(encoded.substr(start + 10, end - start - 10)).size() % 3 == 0);  // whole €
    start = end;
  }
}

TEST_CASE("quoted-printable: what is encoded") {
  CHECK(quoted_printable("a=b") == "a=3Db");
  CHECK(quoted_printable("trailing \nspace") == "trailing=20\r\nspace");
  CHECK(quoted_printable("tab\tin\t") == "tab\tin=09");
  CHECK(quoted_printable("ü") == "=C3=BC");
  CHECK(quoted_printable(".\n.x") == "=2E\r\n=2Ex");
  CHECK(quoted_printable("From here\nFrom") == "=46rom here\r\nFrom");
  CHECK(quoted_printable("a\r\nb\rc") == "a\r\nb\r\nc");
  CHECK(quoted_printable(repeat("x", 80)) == repeat("x", 75) + "=\r\n" + repeat("x", 5));
}

TEST_CASE("dates in RFC 5322 form, in UTC") {
  CHECK(rfc5322_date(0) == "Thu, 01 Jan 1970 00:00:00 +0000");
  CHECK(rfc5322_date(1709210096789) == "Thu, 29 Feb 2024 12:34:56 +0000");
  CHECK(rfc5322_date(1795996800000) == "Mon, 30 Nov 2026 00:00:00 +0000");
  CHECK(rfc5322_date(-1) == "Wed, 31 Dec 1969 23:59:59 +0000");
}

TEST_CASE("no List-Unsubscribe without a link (the confirmation mail)") {
  OutgoingMail m = sample();
  m.unsubscribe_url.reset();
  m.reply_to.reset();
  const std::string message = mime_message(m);
  CHECK(header(message, "List-Unsubscribe").empty());
  CHECK(header(message, "List-Unsubscribe-Post").empty());
  CHECK(header(message, "Reply-To").empty());
}
