#include "webhook_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <regex>
#include <stdexcept>

namespace stockbell::testing {

std::string hmac_sha256_hex(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest,
           &length) == nullptr)
    throw std::runtime_error("HMAC-SHA256 failed");
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

std::vector<std::string> v1_signatures(const std::string& header) {
  static const std::regex entry(" *v1=([0-9a-f]{64}) *");
  std::vector<std::string> digests;
  size_t start = 0;
  for (;;) {
    const size_t comma = header.find(',', start);
    const std::string part =
        header.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::smatch match;
    if (!std::regex_match(part, match, entry)) return {};
    digests.push_back(match[1]);
    if (comma == std::string::npos) return digests;
    start = comma + 1;
  }
}

std::string expected_signature(const std::string& secret, const std::string& timestamp,
                               const std::string& body) {
  return hmac_sha256_hex(secret, timestamp + "." + body);
}

}  // namespace stockbell::testing
