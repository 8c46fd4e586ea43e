#include "server/mail/tokens.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <stdexcept>

namespace stockbell::server {
namespace {

constexpr uint8_t kVersion = 1;
constexpr size_t kClaimBytes = 22;
constexpr size_t kMacBytes = 16;
constexpr size_t kTokenBytes = kClaimBytes + kMacBytes;
constexpr std::string_view kContext = "stockbell link v1\n";
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

using Bytes = std::array<unsigned char, kTokenBytes>;

void put(unsigned char* out, uint64_t value, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) out[i] = static_cast<unsigned char>(value >> (8 * (bytes - 1 - i)));
}

uint64_t get(const unsigned char* in, size_t bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) value = (value << 8) | in[i];
  return value;
}

// HMAC-SHA256 of `message` under `key`. Each thread keeps one HMAC context: OpenSSL 3's
// one-shot HMAC() looks the algorithms up again on every call, and a mail sender makes a link
// token for every message.
std::array<unsigned char, 32> hmac_sha256(const KeyHash& key, std::string_view message) {
  struct Context {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* ctx = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    Context() {
      char digest[] = "SHA256";
      const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                                   OSSL_PARAM_construct_end()};
      if (ctx == nullptr || EVP_MAC_CTX_set_params(ctx, params) != 1)
        throw std::runtime_error("OpenSSL: no HMAC-SHA256");
    }
    ~Context() {
      EVP_MAC_CTX_free(ctx);
      EVP_MAC_free(mac);
    }
  };
  thread_local Context context;
  std::array<unsigned char, 32> digest{};
  size_t length = 0;
  if (EVP_MAC_init(context.ctx, key.data(), key.size(), nullptr) != 1 ||
      EVP_MAC_update(context.ctx, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1 ||
      EVP_MAC_final(context.ctx, digest.data(), &length, digest.size()) != 1 ||
      length != digest.size())
    throw std::runtime_error("OpenSSL: HMAC-SHA256 failed");
  return digest;
}

std::array<unsigned char, 32> mac_of(const KeyHash& key, const unsigned char* claims,
                                     std::string_view email) {
  std::string message(kContext);
  message.append(reinterpret_cast<const char*>(claims), kClaimBytes);
  message.append(email);
  return hmac_sha256(key, message);
}

std::string encode(const Bytes& bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const uint32_t n = (uint32_t(bytes[i]) << 16) |
                       (i + 1 < bytes.size() ? uint32_t(bytes[i + 1]) << 8 : 0) |
                       (i + 2 < bytes.size() ? uint32_t(bytes[i + 2]) : 0);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    if (i + 1 < bytes.size()) out += kAlphabet[(n >> 6) & 63];
    if (i + 2 < bytes.size()) out += kAlphabet[n & 63];
  }
  return out;
}

std::optional<Bytes> decode(std::string_view text) {
  // 38 bytes are 51 characters (12 groups of 4, then 3 for the last 2 bytes).
  if (text.size() != (kTokenBytes / 3) * 4 + 3) return std::nullopt;
  Bytes out{};
  uint32_t buffer = 0;
  int bits = 0;
  size_t at = 0;
  for (char c : text) {
    const char* found = std::char_traits<char>::find(kAlphabet, 64, c);
    if (found == nullptr) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(found - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (at >= out.size()) return std::nullopt;
      out[at++] = static_cast<unsigned char>((buffer >> bits) & 0xFF);
    }
  }
  // The unused low bits of the last character must be zero: one token, one spelling.
  if (at != out.size() || (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::string make_link_token(const KeyHash& key, LinkPurpose purpose, int64_t store_id,
                            int64_t subscriber_id, std::string_view email, int64_t now_ms) {
  Bytes bytes{};
  bytes[0] = kVersion;
  bytes[1] = static_cast<unsigned char>(purpose);
  put(&bytes[2], static_cast<uint64_t>(store_id), 8);
  put(&bytes[10], static_cast<uint64_t>(subscriber_id), 8);
  put(&bytes[18], static_cast<uint64_t>(now_ms / 60'000) & 0xFFFFFFFFu, 4);
  const auto mac = mac_of(key, bytes.data(), email);
  std::copy(mac.begin(), mac.begin() + kMacBytes, bytes.begin() + kClaimBytes);
  return encode(bytes);
}

std::optional<LinkToken> read_link_token(std::string_view token) {
  std::optional<Bytes> bytes = decode(token);
  if (!bytes || (*bytes)[0] != kVersion) return std::nullopt;
  const uint8_t purpose = (*bytes)[1];
  if (purpose != static_cast<uint8_t>(LinkPurpose::unsubscribe) &&
      purpose != static_cast<uint8_t>(LinkPurpose::confirm))
    return std::nullopt;
  LinkToken out;
  out.purpose = static_cast<LinkPurpose>(purpose);
  out.store_id = static_cast<int64_t>(get(&(*bytes)[2], 8));
  out.subscriber_id = static_cast<int64_t>(get(&(*bytes)[10], 8));
  out.issued_ms = static_cast<int64_t>(get(&(*bytes)[18], 4)) * 60'000;
  if (out.store_id <= 0 || out.subscriber_id <= 0) return std::nullopt;
  return out;
}

bool verify_link_token(std::string_view token, const KeyHash& key, std::string_view email) {
  std::optional<Bytes> bytes = decode(token);
  if (!bytes) return false;
  const auto mac = mac_of(key, bytes->data(), email);
  return CRYPTO_memcmp(mac.data(), bytes->data() + kClaimBytes, kMacBytes) == 0;
}

KeyHash email_hash(const KeyHash& key, std::string_view email) {
  return hmac_sha256(key, "stockbell suppression v1\n" + std::string(email));
}

}  // namespace stockbell::server
