#include "server/mail/smtp_client.hpp"

#include <curl/curl.h>

#include <cctype>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace stockbell::server {
namespace {

constexpr size_t kMaxReplyChars = 500;

// What one transfer saw: the last command sent, the last reply, the first refusal (4xx or 5xx)
// of the message itself (MAIL, RCPT, DATA: libcurl closes a connection after a failure, and
// the QUIT it sends then has a reply of its own) and the last refusal of anything else (a
// refused EHLO that HELO replaced, a refused STARTTLS, AUTH, the greeting).
struct Exchange {
  const std::string* message = nullptr;
  size_t sent = 0;
  std::string command;  ///< "MAIL", "RCPT", "DATA", "AUTH", "EHLO", ...
  std::string reply;
  int message_refusal_code = 0;
  std::string message_refusal;
  std::string other_refusal;
};

bool is_message_command(const std::string& command) {
  return command == "MAIL" || command == "RCPT" || command == "DATA";
}

size_t read_body(char* buffer, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t left = exchange->message->size() - exchange->sent;
  const size_t n = std::min(left, size * count);
  std::memcpy(buffer, exchange->message->data() + exchange->sent, n);
  exchange->sent += n;
  return n;
}

// One line, printable: a server's reply goes into the message's last error.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\r' || c == '\n') break;
    out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    if (out.size() >= kMaxReplyChars) break;
  }
  return out;
}

int debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::string_view text(data, size);
  if (type == CURLINFO_HEADER_OUT) {
    exchange->command = std::string(text.substr(0, std::min<size_t>(4, text.size())));
    for (char& c : exchange->command) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  } else if (type == CURLINFO_HEADER_IN) {
    exchange->reply = printable(text);
    const bool coded = text.size() >= 3 && text[0] >= '4' && text[0] <= '5' &&
                       std::isdigit(static_cast<unsigned char>(text[1])) &&
                       std::isdigit(static_cast<unsigned char>(text[2]));
    if (coded && is_message_command(exchange->command)) {
      if (exchange->message_refusal_code == 0) {
        exchange->message_refusal_code = (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
        exchange->message_refusal = exchange->reply;
      }
    } else if (coded) {
      exchange->other_refusal = exchange->reply;
    }
  }
  return 0;
}

size_t discard(char*, size_t size, size_t count, void*) { return size * count; }

// libcurl calls this about once a second, also while it waits for the server.
int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel->load() ? 1 : 0;
}

std::string angle(const std::string& address) { return "<" + address + ">"; }

}  // namespace

void smtp_global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("libcurl could not be initialised");
  });
}

SmtpClient::SmtpClient(SmtpConfig config, const std::atomic<bool>* cancel)
    : config_(std::move(config)), cancel_(cancel), curl_(curl_easy_init()) {
  if (curl_ == nullptr) throw std::runtime_error("libcurl: no easy handle");
}

SmtpClient::~SmtpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

SmtpResult SmtpClient::send(const std::string& mail_from, const std::string& rcpt,
                            const std::string& message) {
  CURL* curl = static_cast<CURL*>(curl_);
  Exchange exchange;
  exchange.message = &message;
  char error[CURL_ERROR_SIZE] = {0};
  const std::string from = angle(mail_from);
  curl_slist* recipients = curl_slist_append(nullptr, angle(rcpt).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, config_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_USE_SSL,
                   static_cast<long>(config_.user ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  if (config_.ca_file) curl_easy_setopt(curl, CURLOPT_CAINFO, config_.ca_file->c_str());
  if (config_.user) curl_easy_setopt(curl, CURLOPT_USERNAME, config_.user->c_str());
  if (config_.password) curl_easy_setopt(curl, CURLOPT_PASSWORD, config_.password->c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_body);
  curl_easy_setopt(curl, CURLOPT_READDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, discard);
  curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);  // feeds the debug callback; nothing is printed
  curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, debug);
  curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.timeout_ms));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout_ms));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (cancel_ != nullptr) {
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, cancel_);
  }
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(recipients);
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  SmtpResult result;
  if (code == CURLE_ABORTED_BY_CALLBACK) {
    result.cancelled = true;
    result.reply = "cancelled: the server is stopping";
    return result;
  }
  if (code == CURLE_OK) {
    long response = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
    result.outcome = SmtpResult::Outcome::sent;
    result.code = static_cast<int>(response);
    result.reply = exchange.reply;
    return result;
  }
  if (exchange.message_refusal_code != 0) {  // the server refused this message
    result.outcome = exchange.message_refusal_code >= 500 ? SmtpResult::Outcome::permanent
                                                          : SmtpResult::Outcome::temporary;
    result.code = exchange.message_refusal_code;
    result.reply = exchange.message_refusal;
    return result;
  }
  result.outcome = SmtpResult::Outcome::temporary;
  if (!exchange.other_refusal.empty())
    result.reply = exchange.other_refusal;
  else
    result.reply = printable(error[0] != '\0' ? error : curl_easy_strerror(code));
  return result;
}

}  // namespace stockbell::server
