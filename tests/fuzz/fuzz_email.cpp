// libFuzzer target: the WHATWG e-mail grammar (core/email.hpp), checked against an independent
// reading of the grammar written here as a small state machine over the same definition.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/email.hpp"

using namespace stockbell;

namespace {

bool alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// valid = 1*(atext / ".") "@" label *("." label); label = let-dig [[ldh-str] let-dig], ≤ 63.
bool reference(const std::string& s) {
  static const char* atext_punct = "!#$%&'*+/=?^_`{|}~-.";
  size_t i = 0;
  while (i < s.size() && (alnum(s[i]) || (s[i] != '\0' && std::strchr(atext_punct, s[i])))) ++i;
  if (i == 0 || i >= s.size() || s[i] != '@') return false;
  ++i;
  while (true) {
    const size_t start = i;
    while (i < s.size() && (alnum(s[i]) || s[i] == '-')) ++i;
    const size_t length = i - start;
    if (length == 0 || length > 63 || s[start] == '-' || s[i - 1] == '-') return false;
    if (i == s.size()) return true;
    if (s[i] != '.') return false;
    ++i;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string address(reinterpret_cast<const char*>(data), size);
  if (is_valid_email(address) != reference(address)) __builtin_trap();
  if (is_valid_email(address) && email_identity(address).size() != address.size()) __builtin_trap();
  return 0;
}
