#include "core/email.hpp"

#include "core/text.hpp"

namespace stockbell {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_atext(char c) {
  if (is_alnum(c)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '/':
    case '=': case '?': case '^': case '_': case '`': case '{': case '|': case '}': case '~':
    case '-':
      return true;
    default:
      return false;
  }
}

bool is_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label)
    if (!is_alnum(c) && c != '-') return false;
  return true;
}

}  // namespace

bool is_valid_email(std::string_view address) {
  const size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0) return false;
  for (char c : address.substr(0, at))
    if (!is_atext(c) && c != '.') return false;
  std::string_view domain = address.substr(at + 1);
  while (true) {
    const size_t dot = domain.find('.');
    if (!is_label(domain.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    domain.remove_prefix(dot + 1);
  }
}

std::string email_identity(std::string_view address) { return ascii_lower(address); }

std::string email_mailbox_key(std::string_view address) {
  std::string key = email_identity(address);
  const size_t at = key.rfind('@');
  if (at == std::string::npos) return key;
  std::string local = key.substr(0, at);
  std::string domain = key.substr(at + 1);
  if (const size_t plus = local.find('+'); plus != std::string::npos && plus > 0) local.resize(plus);
  // Gmail delivers `a.n.n@` to `ann@`, and googlemail.com is the same mailboxes.
  if (domain == "gmail.com" || domain == "googlemail.com") {
    std::string undotted;
    for (char c : local)
      if (c != '.') undotted += c;
    if (!undotted.empty()) local = undotted;
    domain = "gmail.com";
  }
  return local + "@" + domain;
}

std::optional<Mailbox> parse_mailbox(std::string_view text) {
  text = trim(text);
  Mailbox mailbox;
  std::string_view address = text;
  if (!text.empty() && text.back() == '>') {
    const size_t open = text.rfind('<');
    if (open == std::string_view::npos) return std::nullopt;
    address = text.substr(open + 1, text.size() - open - 2);
    std::string_view name = trim(text.substr(0, open));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
      name = trim(name.substr(1, name.size() - 2));
    if (!name.empty()) {
      if (has_control_chars(name) || char_count(name) > kMaxDisplayNameChars ||
          name.find_first_of("<>\"") != std::string_view::npos)
        return std::nullopt;
      mailbox.display_name = std::string(name);
    }
  }
  address = trim(address);
  if (address.empty() || char_count(address) > kMaxEmailLength || !is_valid_email(address))
    return std::nullopt;
  mailbox.address = std::string(address);
  return mailbox;
}

std::string mailbox_text(const Mailbox& mailbox) {
  if (!mailbox.display_name) return mailbox.address;
  return *mailbox.display_name + " <" + mailbox.address + ">";
}

}  // namespace stockbell
