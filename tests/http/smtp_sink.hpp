#pragma once
// A real SMTP server for the e-mail tests: tests/smtp/smtp_sink.py (aiosmtpd, Debian
// python3-aiosmtpd) as a child process on a loopback port, writing each message it accepts to a
// folder, parsed back by Python's email package (an implementation independent of Stockbell's).
// RAII: the child is stopped (SIGTERM, then SIGKILL) and reaped however the test ends, and it
// dies with the test process.
//
//   SmtpSink sink(dir.file("mail"));                 // listening on 127.0.0.1:<free port>
//   TestServer s({"--smtp-url", sink.url(), "--public-url", "http://127.0.0.1"});
//   REQUIRE(sink.wait_for_count(1));
//   sink.mails()[0].subject();
//
// Recipients steer the answer (see the script): `+reject` 550, `+defer` 451, `+defer2` 451
// twice, then accepted, `+slow` accepted after 2 s.

#include <sys/types.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace stockbell::testing {

/// One message the sink accepted.
struct ReceivedMail {
  nlohmann::json data;  ///< the script's description (see tests/smtp/smtp_sink.py)
  std::string raw;      ///< the bytes as received

  std::string subject() const { return data.value("subject", ""); }
  std::string text() const { return data.at("text").is_string() ? data.at("text").get<std::string>() : ""; }
  std::string html() const { return data.at("html").is_string() ? data.at("html").get<std::string>() : ""; }
  std::string to() const;  ///< the first envelope recipient
  /// A decoded header's value ("" when absent); names are case-insensitive.
  std::string header(const std::string& name) const;
  /// The header as sent (encoded words and folding left as they are).
  std::string raw_header(const std::string& name) const;
  size_t header_count(const std::string& name) const;
  /// The URL inside `List-Unsubscribe: <...>`.
  std::string unsubscribe_url() const;
};

class SmtpSink {
 public:
  /// Starts the sink on `port` (0: a free one), writing to `folder`; `options` are more of the
  /// script's arguments (`--tls starttls --cert C --key K --auth USER:PASSWORD`).
  explicit SmtpSink(std::string folder, int port = 0, std::vector<std::string> options = {});
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  void start();  ///< again after stop(), on the same port
  void stop();
  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  /// Every message accepted so far, in order.
  std::vector<ReceivedMail> mails() const;
  size_t count() const;
  bool wait_for_count(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

 private:
  std::string folder_;
  int port_;
  std::vector<std::string> options_;
  pid_t pid_ = -1;
};

/// A loopback port bound but not listening: connections are refused (an SMTP server that is
/// down), and nothing else takes the port until release() lets a real sink start on it.
class ReservedPort {
 public:
  ReservedPort();
  ~ReservedPort();
  ReservedPort(const ReservedPort&) = delete;
  ReservedPort& operator=(const ReservedPort&) = delete;
  int port() const { return port_; }
  std::string smtp_url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  void release();

 private:
  int fd_ = -1;
  int port_ = 0;
};

/// A port that accepts connections (the kernel's backlog) and never says a word: the slowest
/// SMTP server there is.
class SilentPort {
 public:
  SilentPort();
  ~SilentPort();
  SilentPort(const SilentPort&) = delete;
  SilentPort& operator=(const SilentPort&) = delete;
  std::string smtp_url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

/// A URL's path and query (`http://h:1/u/T?lang=de` → `/u/T?lang=de`).
std::string target_of(const std::string& url);

}  // namespace stockbell::testing
