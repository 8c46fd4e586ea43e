#include "server/platforms/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <vector>

namespace stockbell::server {
namespace {

constexpr size_t kDigestBytes = 32;

void hmac_sha256(std::string_view secret, std::string_view body, unsigned char* out) {
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), out, &length);
}

std::string_view strip(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

bool platform_signature_valid(std::string_view secret, std::string_view body,
                              std::string_view signature) {
  signature = strip(signature);
  // 32 bytes are 44 base64 characters, one '=' of padding.
  if (signature.size() != 44) return false;
  for (char c : signature) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || c == '=';
    if (!ok) return false;
  }
  unsigned char given[48];
  const int decoded =
      EVP_DecodeBlock(given, reinterpret_cast<const unsigned char*>(signature.data()),
                      static_cast<int>(signature.size()));
  if (decoded != 33 || signature.back() != '=' || signature[42] == '=') return false;
  unsigned char expected[EVP_MAX_MD_SIZE];
  hmac_sha256(secret, body, expected);
  return CRYPTO_memcmp(given, expected, kDigestBytes) == 0;
}

std::string platform_signature(std::string_view secret, std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  hmac_sha256(secret, body, digest);
  unsigned char out[64];
  const int length = EVP_EncodeBlock(out, digest, static_cast<int>(kDigestBytes));
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(length));
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

}  // namespace stockbell::server
