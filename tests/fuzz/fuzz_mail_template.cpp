// libFuzzer target: a store's e-mail template (core/mail_template.hpp) and the message built
// from it (core/mime.hpp). Whatever the text: checking never crashes; a template that passes is
// one kainjow parses and renders within the bound the rules promise (its own size plus one value
// per tag), to the same text when parsed once and kept (ParsedTemplates); the MIME message of
// the result keeps exactly its own headers, CRLF lines and lines within RFC 5322's 998
// characters; and quoted-printable of the text decodes back to it, in lines of at most 76.
//
// The first byte picks the kind and the part; the rest is the template.

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <string>

#include "core/mail_template.hpp"
#include "core/mime.hpp"
#include "core/text.hpp"

using namespace stockbell;

namespace {

// RFC 2045 §6.7 decoding of what quoted_printable writes: soft breaks dropped, =XX a byte.
std::string decode_quoted_printable(const std::string& in) {
  auto hex = [](char c) { return c <= '9' ? c - '0' : c - 'A' + 10; };
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '=') {
      out += in[i];
    } else if (in.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;
    } else {
      if (i + 2 >= in.size()) __builtin_trap();
      out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
    }
  }
  return out;
}

// Line ends as quoted_printable writes them: CRLF, LF and a lone CR each become CRLF.
std::string crlf_lines(const std::string& in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\r' && i + 1 < in.size() && in[i + 1] == '\n') continue;
    if (in[i] == '\r' || in[i] == '\n') {
      out += "\r\n";
    } else {
      out += in[i];
    }
  }
  return out;
}

size_t count_headers(const std::string& message) {
  size_t headers = 0;
  size_t at = 0;
  while (true) {
    const size_t end = message.find("\r\n", at);
    if (end == std::string::npos || end == at) break;  // the blank line ends the head
    if (message[at] != ' ' && message[at] != '\t') ++headers;
    at = end + 2;
  }
  return headers;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const MailKind kind = (data[0] & 1) ? MailKind::confirm_request : MailKind::back_in_stock;
  static const char* const kParts[] = {"subject", "text", "html"};
  const char* part = kParts[(data[0] >> 1) % 3];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (!is_valid_utf8(text)) return 0;  // bodies are JSON: valid UTF-8 by the time they get here

  Problems problems;
  check_template_part(kind, part, text, problems);
  if (!problems.empty()) return 0;

  MailTemplate tmpl{"s", "t", "h"};
  (std::string(part) == "subject" ? tmpl.subject : std::string(part) == "text" ? tmpl.text : tmpl.html) =
      text;
  MailValues values;
  values.locale = "de";
  values.store_name = "Tee & Co <\"Kranich\">\r\nBcc: x@y.z";
  values.product_title = "Grüner Tee – Sencha {{price}} <script>";
  values.variant_title = "100 g";
  values.first_name = "Anna";
  values.price = "12,99 €";
  values.product_url = "https://shop.example/p?a=1&b=2";
  values.unsubscribe_url = "https://stockbell.example/u/T";
  values.confirm_url = "https://stockbell.example/c/T";
  const RenderedMail mail = render_mail(tmpl, values);
  // Each tag renders at most once, a value escaped at most 6 times its size.
  const size_t bound = text.size() + kMaxTemplateTags * 6 * values.store_name.size() + 64;
  if (mail.subject.size() > bound || mail.text.size() > bound || mail.html.size() > bound)
    __builtin_trap();
  if (mail.subject.find_first_of("\r\n") != std::string::npos) __builtin_trap();
  static ParsedTemplates parsed;  // kept across inputs, as a sender keeps it across messages
  const RenderedMail kept = render_mail(tmpl, values, &parsed);
  if (kept.subject != mail.subject || kept.text != mail.text || kept.html != mail.html)
    __builtin_trap();

  const std::string encoded = quoted_printable(text);
  if (decode_quoted_printable(encoded) != crlf_lines(text)) __builtin_trap();
  for (size_t start = 0; start < encoded.size();) {
    const size_t end = std::min(encoded.find("\r\n", start), encoded.size());
    if (end - start > 76) __builtin_trap();
    start = end + 2;
  }

  OutgoingMail out;
  out.from = Mailbox{"Tee & Co", "shop@tee.example"};
  out.to = "anna@example.com";
  out.subject = mail.subject;
  out.text = mail.text;
  out.html = mail.html;
  out.message_id = "msg_0@stockbell.example";
  out.unsubscribe_url = "https://stockbell.example/u/T";
  const std::string message = mime_message(out);
  if (count_headers(message) != 10) __builtin_trap();
  size_t line_start = 0;
  for (size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\n' && (i == 0 || message[i - 1] != '\r')) __builtin_trap();
    if (message[i] == '\r' && (i + 1 == message.size() || message[i + 1] != '\n')) __builtin_trap();
    if (message[i] == '\n') {
      if (i - line_start > 999) __builtin_trap();
      line_start = i + 1;
    }
  }
  return 0;
}
