#include "server/app/keys.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>

#include "core/limits.hpp"
#include "core/text.hpp"
#include "server/app/clock.hpp"

namespace stockbell::server {
namespace {

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The key of a `Bearer <key>` header value if the value is one and the key is well formed.
std::optional<std::string_view> bearer_key(std::string_view header) {
  // The scheme name is case-insensitive (RFC 9110 §11.1): "Bearer", "bearer", "BEARER".
  constexpr std::string_view scheme = "bearer ";
  if (header.size() <= scheme.size() || ascii_lower(header.substr(0, scheme.size())) != scheme)
    return std::nullopt;
  const std::string_view key = header.substr(scheme.size());
  if (!well_formed_key_kind(key)) return std::nullopt;
  return key;
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

std::string generate_key(KeyKind kind) { return random_token(key_prefix(kind)); }

KeyHash hash_key(std::string_view key) {
  KeyHash hash{};
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), hash.data());
  return hash;
}

std::string KeyService::create(const std::string& store_name, KeyKind kind,
                               const std::vector<std::string>& origins) {
  const std::string key = generate_key(kind);
  const KeyHash hash = hash_key(key);
  storage_.write([&](WriteTx& tx) {
    const int64_t now = now_ms();
    std::optional<int64_t> store_id = tx.find_store(store_name);
    if (!store_id) store_id = tx.create_store(store_name, now);
    tx.insert_key(*store_id, kind, hash, origins, now);
  });
  return key;
}

std::vector<ApiKeyRecord> KeyService::list(const std::optional<std::string>& store_name) {
  return storage_.read([&](ReadTx& tx) { return tx.list_keys(store_name); });
}

bool KeyService::revoke(int64_t key_id) {
  return storage_.write([&](WriteTx& tx) { return tx.revoke_key(key_id, now_ms()); });
}

AuthResult KeyService::authenticate(std::string_view header) {
  AuthResult result;
  if (header.empty()) return result;  // missing
  result.problem = KeyProblem::invalid;
  const std::optional<std::string_view> key = bearer_key(header);
  if (!key) return result;
  const KeyHash hash = hash_key(*key);
  const auto now = now_();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && it->second.expires > now) {
      result.principal = it->second.principal;
      return result;
    }
  }
  std::optional<ApiKeyRecord> row = storage_.read([&](ReadTx& tx) { return tx.find_key(hash); });
  // The index lookup is by hash; confirm in constant time so no timing depends on the key. A
  // key whose prefix says another kind than the stored one is refused like an unknown key.
  if (!row || CRYPTO_memcmp(row->hash.data(), hash.data(), hash.size()) != 0 ||
      well_formed_key_kind(*key) != row->kind)
    return result;
  result.principal = Principal{row->store_id, row->kind, std::move(row->origins), false,
                               std::move(row->store_name)};
  std::lock_guard<std::mutex> lock(mutex_);
  if (cache_.size() >= kMaxEntries) cache_.clear();
  cache_[hash] = Entry{*result.principal, now + std::chrono::milliseconds(kKeyCacheTtlMs)};
  return result;
}

bool KeyService::origin_allowed(const std::string& origin) {
  return storage_.read([&](ReadTx& tx) { return tx.origin_allowed_for_any_key(origin); });
}

}  // namespace stockbell::server
