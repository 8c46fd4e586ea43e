#pragma once
// A queued message made into the bytes to send: the template chosen by the shopper's locale from
// the setup kept with the message (core/mail_template.hpp), its values (titles, the price in
// the shopper's format, the links with fresh tokens), and the MIME message (core/mime.hpp).
// Deterministic: the same message composes to the same bytes on every attempt.

#include <optional>
#include <string>

#include "core/email.hpp"
#include "core/ids.hpp"
#include "core/mail_template.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

/// The server's side of e-mail: where links point and who sends when a store set no sender.
struct MailServerSetup {
  std::string public_url;          ///< `https://stockbell.shop.example`, no trailing slash
  std::optional<Mailbox> from;     ///< `--mail-from`; else `noreply@` the public URL's host
};

struct ComposedMail {
  std::string envelope_from;  ///< MAIL FROM
  std::string rcpt;           ///< RCPT TO
  std::string bytes;          ///< the message
  std::string subject;        ///< for logs and tests
};

/// Throws std::runtime_error when the message's stored setup is unreadable (a bug: it is
/// written by mail_setup_json). `parsed`: the caller's parsed templates, to render with (a
/// sender thread keeps one); the bytes are the same without.
ComposedMail compose_mail(const OutgoingMessage& message, const MailServerSetup& server,
                          const IdCodec& ids, ParsedTemplates* parsed = nullptr);

/// The values of a message (also the preview's, with sample data).
MailValues mail_values(const OutgoingMessage& message, const MailSetup& setup,
                       const ChosenTemplate& chosen, const MailServerSetup& server);

/// `https://host/u/TOKEN?lang=de` and `.../c/TOKEN?lang=de`.
std::string link_url(const MailServerSetup& server, char kind, const std::string& token,
                     const std::string& locale);

/// The sender of a store's mail: its `email.from` (named after the store when it has no name),
/// else the server's, else `Store <noreply@host>`.
Mailbox sender_of(const MailSetup& setup, const MailServerSetup& server);

}  // namespace stockbell::server
