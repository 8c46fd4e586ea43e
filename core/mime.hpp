#pragma once
// An e-mail as it travels (RFC 5322 with MIME): the bytes Stockbell hands its SMTP server. No
// I/O. What the builder guarantees, whatever the texts hold:
//   - no text can add a header or a MIME part: every header value is one line (control
//     characters, CR and LF among them, become spaces) and non-ASCII text is RFC 2047-encoded;
//     bodies are quoted-printable, whose output never contains the part boundary (`=_`);
//   - lines end in CRLF and stay within 78 characters (headers are folded, bodies soft-broken
//     at 76), so no relay rewraps or rejects the message;
//   - the same input gives the same bytes (the boundary is derived from the Message-ID), so a
//     retried message is byte for byte the first attempt.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/email.hpp"

namespace stockbell {

struct OutgoingMail {
  Mailbox from;
  std::optional<Mailbox> reply_to;
  std::string to;          ///< the shopper's address
  std::string subject;     ///< UTF-8, one line
  std::string text;        ///< the text/plain part (LF or CRLF line ends)
  std::string html;        ///< the text/html part
  std::string message_id;  ///< without angle brackets: `msg_0kz3x9q1m2v7d@shop.example`
  int64_t date_ms = 0;     ///< Unix milliseconds, shown in UTC
  /// Adds `List-Unsubscribe: <URL>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
  /// (RFC 2369, RFC 8058: one-click unsubscribe, which Gmail and Yahoo ask of bulk senders).
  std::optional<std::string> unsubscribe_url;
};

/// The whole message: headers (Date, From, Reply-To, To, Subject, Message-ID, MIME-Version,
/// List-Unsubscribe(-Post), Auto-Submitted, Content-Type), then a multipart/alternative body
/// with the text part first and the HTML part last (the one clients prefer), both UTF-8,
/// quoted-printable.
std::string mime_message(const OutgoingMail& mail);

/// `text` as header text: itself when it is printable ASCII without `=?` and short enough for one
/// line, else RFC 2047 encoded words (`=?UTF-8?B?...?=`, at most 75 characters each, never
/// splitting a character), folded with CRLF + space. `used` is how much of the first line the
/// header name already takes (`Subject: ` is 9).
std::string encode_header_text(std::string_view text, size_t used);

/// A mailbox for From/Reply-To: `Name <addr>`, the name as a quoted string when it holds
/// specials (`"Linen & Co." <shop@linen.example>`) or as encoded words when it is not ASCII.
std::string mailbox_header(const Mailbox& mailbox, size_t used);

/// An address as RFC 5321/5322 write it: the WHATWG grammar Stockbell accepts also allows local
/// parts like `.a..b` that are not a dot-atom; those are quoted (`".a..b"@c`).
std::string addr_spec(std::string_view address);

/// Quoted-printable (RFC 2045) with CRLF line ends: `=`, bytes outside printable ASCII, a space
/// or tab before a line end, and a `.` or `From ` starting a line are encoded.
std::string quoted_printable(std::string_view text);

/// `Sat, 28 Nov 2026 04:35:50 +0000`.
std::string rfc5322_date(int64_t unix_ms);

}  // namespace stockbell
