#pragma once
// API keys (SPEC §3). A key is `sk_` (secret: every route of its store) or `pk_` (publishable:
// the storefront routes only, optionally limited to browser origins) and 40 random base62
// characters (238 bits). Only SHA-256 of a key is stored; lookups go by that hash and the match
// is confirmed with a constant-time comparison.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/read_pool.hpp"
#include "server/store.hpp"

namespace stockbell::server {

using store::KeyKind;

/// `prefix` + 40 random base62 characters (238 bits), e.g. `whsec_3fJ9...`.
std::string random_token(std::string_view prefix);
/// A new random key of that kind, e.g. `pk_3fJ9...`.
std::string generate_key(KeyKind kind);
store::KeyHash hash_key(std::string_view key);
/// `sk_` or `pk_` followed by exactly 40 base62 characters.
bool is_well_formed_key(std::string_view key);

/// Who is calling: the store and what its key allows.
struct Principal {
  int64_t store_id = 0;
  KeyKind kind = KeyKind::secret;
  std::vector<std::string> origins;  ///< publishable keys: allowed browser origins
};

enum class AuthFailure { missing, malformed, unknown };

/// Authenticates an `Authorization` header value (`Bearer <key>`).
struct AuthResult {
  std::optional<Principal> principal;
  AuthFailure failure = AuthFailure::missing;
};
AuthResult authenticate(Database& db, std::string_view authorization_header);

/// authenticate() with the keys recently seen kept in memory (by hash, for kTtl), so a
/// storefront burst doesn't query the database per request. A key revoked by `keys revoke` (in
/// another process) stops working when its entry expires; unknown keys are not cached (each
/// costs one indexed lookup).
class Authenticator {
 public:
  explicit Authenticator(ReadPool& reads) : reads_(reads) {}
  AuthResult authenticate(std::string_view authorization_header);

 private:
  struct Entry {
    Principal principal;
    std::chrono::steady_clock::time_point expires;
  };
  static constexpr size_t kMaxEntries = 10'000;
  static constexpr std::chrono::seconds kTtl{5};
  ReadPool& reads_;
  std::mutex mutex_;
  std::map<store::KeyHash, Entry> cache_;
};

/// Creates the store if needed and a key for it; returns the key (shown once).
std::string create_key(Database& db, const std::string& store_name, KeyKind kind,
                       const std::vector<std::string>& origins, int64_t now);

}  // namespace stockbell::server
