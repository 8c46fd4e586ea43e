#include "server/webhooks/signing.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/webhook.hpp"

namespace stockbell::server {

std::string hmac_sha256_hex(std::string_view secret, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

std::string signature_header(std::string_view secret,
                             const std::optional<std::string>& previous_secret,
                             int64_t timestamp_seconds, std::string_view body) {
  const std::string payload = signature_payload(timestamp_seconds, body);
  std::string header = "v1=" + hmac_sha256_hex(secret, payload);
  if (previous_secret) header += ", v1=" + hmac_sha256_hex(*previous_secret, payload);
  return header;
}

}  // namespace stockbell::server
