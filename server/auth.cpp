#include "server/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>

#include "core/text.hpp"

namespace stockbell::server {
namespace {

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr size_t kKeyChars = 40;

bool is_base62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

std::string random_token(std::string_view prefix) {
  std::string token(prefix);
  const size_t length = prefix.size() + kKeyChars;
  while (token.size() < length) {
    unsigned char bytes[64];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness available");
    for (unsigned char b : bytes) {
      if (b >= 248) continue;  // 248 = 4 * 62: rejecting the rest keeps every character equally likely
      token += kBase62[b % 62];
      if (token.size() == length) break;
    }
  }
  return token;
}

std::string generate_key(KeyKind kind) { return random_token(kind == KeyKind::secret ? "sk_" : "pk_"); }

store::KeyHash hash_key(std::string_view key) {
  store::KeyHash hash{};
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), hash.data());
  return hash;
}

bool is_well_formed_key(std::string_view key) {
  if (key.size() != 3 + kKeyChars) return false;
  if (key.substr(0, 3) != "sk_" && key.substr(0, 3) != "pk_") return false;
  for (char c : key.substr(3))
    if (!is_base62(c)) return false;
  return true;
}

AuthResult authenticate(Database& db, std::string_view header) {
  AuthResult result;
  if (header.empty()) return result;
  // The scheme name is case-insensitive (RFC 9110 §11.1): "Bearer", "bearer", "BEARER".
  constexpr std::string_view scheme = "bearer ";
  if (header.size() <= scheme.size() || ascii_lower(header.substr(0, scheme.size())) != scheme) {
    result.failure = AuthFailure::malformed;
    return result;
  }
  const std::string_view key = header.substr(scheme.size());
  if (!is_well_formed_key(key)) {
    result.failure = AuthFailure::malformed;
    return result;
  }
  const store::KeyHash hash = hash_key(key);
  std::optional<store::ApiKeyRow> row = store::find_key(db, hash);
  // The index lookup is by hash; confirm in constant time so no timing depends on the key.
  if (!row || CRYPTO_memcmp(row->hash.data(), hash.data(), hash.size()) != 0) {
    result.failure = AuthFailure::unknown;
    return result;
  }
  const KeyKind prefix_kind = key.substr(0, 3) == "sk_" ? KeyKind::secret : KeyKind::publishable;
  if (prefix_kind != row->kind) {
    result.failure = AuthFailure::unknown;
    return result;
  }
  result.principal = Principal{row->store_id, row->kind, std::move(row->origins)};
  return result;
}

AuthResult Authenticator::authenticate(std::string_view header) {
  constexpr std::string_view scheme = "bearer ";
  const auto now = std::chrono::steady_clock::now();
  store::KeyHash hash{};
  const bool well_formed = header.size() > scheme.size() &&
                           ascii_lower(header.substr(0, scheme.size())) == scheme &&
                           is_well_formed_key(header.substr(scheme.size()));
  if (well_formed) {
    hash = hash_key(header.substr(scheme.size()));
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && it->second.expires > now) return AuthResult{it->second.principal, {}};
  }
  AuthResult result;
  {
    auto db = reads_.acquire();
    result = stockbell::server::authenticate(*db, header);
  }
  if (well_formed && result.principal) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cache_.size() >= kMaxEntries) cache_.clear();
    cache_[hash] = Entry{*result.principal, now + kTtl};
  }
  return result;
}

std::string create_key(Database& db, const std::string& store_name, KeyKind kind,
                       const std::vector<std::string>& origins, int64_t now) {
  std::optional<int64_t> store_id = store::find_store(db, store_name);
  if (!store_id) store_id = store::create_store(db, store_name, now);
  const std::string key = generate_key(kind);
  store::insert_key(db, *store_id, kind, hash_key(key), origins, now);
  return key;
}

}  // namespace stockbell::server
