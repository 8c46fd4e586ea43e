#pragma once
// One SMTP connection, through libcurl (Debian libcurl4-openssl-dev): `smtp://` with STARTTLS
// whenever the server offers it, `smtps://` with TLS from the start, AUTH when a user is set.
// With a user, TLS is required (a server that offers no STARTTLS is a temporary failure): a
// password never crosses the network in the clear, also not when someone strips the offer.
// The server's certificate is always verified, against the system's authorities or `ca_file`.
// The connection is kept between messages; a sender thread owns one client (not thread-safe).
//
// What an attempt's outcome means for the message (README "E-mail"):
//   sent       the server answered 250 to the message's end
//   permanent  a 5xx answer to MAIL FROM, RCPT TO or DATA: never retried
//   temporary  everything else: 4xx, a refused or broken connection, a timeout, a refused login,
//              a 5xx greeting (the operator's problem, not the message's): retried

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

namespace stockbell::server {

struct SmtpConfig {
  std::string url;  ///< smtp://host:port[/ehlo-name] or smtps://...
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::optional<std::string> ca_file;  ///< PEM authorities to trust instead of the system's
  int64_t timeout_ms = 60'000;  ///< connecting and the whole exchange of one message
};

struct SmtpResult {
  enum class Outcome { sent, temporary, permanent };
  Outcome outcome = Outcome::temporary;
  int code = 0;       ///< the server's last reply code (0: none)
  std::string reply;  ///< the server's last reply, or what went wrong (one line)
  bool cancelled = false;  ///< cut short because the server is stopping (not the message's fault)
};

class SmtpClient {
 public:
  /// `cancel`, when set, ends an exchange under way within about a second (a stopping server
  /// doesn't wait for a slow SMTP server's timeout).
  explicit SmtpClient(SmtpConfig config, const std::atomic<bool>* cancel = nullptr);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  /// Sends `message` (CRLF lines, as core/mime.hpp builds it) from `mail_from` to `rcpt`
  /// (addresses as RFC 5321 writes them, without angle brackets).
  SmtpResult send(const std::string& mail_from, const std::string& rcpt,
                  const std::string& message);

 private:
  SmtpConfig config_;
  const std::atomic<bool>* cancel_;
  void* curl_;  ///< CURL*
};

/// libcurl's process-wide set-up; call once before any thread uses a client.
void smtp_global_init();

}  // namespace stockbell::server
