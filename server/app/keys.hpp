#pragma once
// The key use cases: creating, listing and revoking API keys, and telling who is calling.
// A key is `sk_`/`pk_` + 40 random base62 characters (core/api_key.hpp); only its SHA-256 is
// stored, looked up by that hash and confirmed with a constant-time comparison.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/storage.hpp"

namespace stockbell::server {

/// `prefix` + 40 random base62 characters (238 bits), e.g. `whsec_3fJ9...`.
std::string random_token(std::string_view prefix);
/// A new random key of that kind, e.g. `pk_3fJ9...`.
std::string generate_key(KeyKind kind);
KeyHash hash_key(std::string_view key);

/// Who is calling: the store and what its key allows.
struct Principal {
  int64_t store_id = 0;
  KeyKind kind = KeyKind::secret;
  std::vector<std::string> origins;  ///< publishable keys: allowed browser origins
  bool session = false;  ///< the dashboard's session cookie (acts as a secret key; see sessions.hpp)
  std::string store_name;  ///< for the log
};

/// The principal of an `Authorization` header, or why there is none.
struct AuthResult {
  std::optional<Principal> principal;
  KeyProblem problem = KeyProblem::missing;
};

class KeyService {
 public:
  using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;
  /// `now` is injected so tests can move the key cache's clock.
  explicit KeyService(Storage& storage, SteadyNow now = std::chrono::steady_clock::now)
      : storage_(storage), now_(std::move(now)) {}

  /// Creates the store if needed and a key for it; returns the key (shown once).
  std::string create(const std::string& store_name, KeyKind kind,
                     const std::vector<std::string>& origins);
  /// Every key, or those of one store, oldest first (never the keys themselves).
  std::vector<ApiKeyRecord> list(const std::optional<std::string>& store_name);
  /// False if there is no live key with that id.
  bool revoke(int64_t key_id);

  /// Authenticates an `Authorization` header value (`Bearer <key>`, scheme in any case).
  /// Keys seen recently are kept in memory (by hash, kKeyCacheTtlMs), so a storefront burst
  /// doesn't query the database per request; unknown keys are not cached.
  AuthResult authenticate(std::string_view authorization_header);
  /// True if a live publishable key allows `origin` (CORS preflights carry no key).
  bool origin_allowed(const std::string& origin);

 private:
  struct Entry {
    Principal principal;
    std::chrono::steady_clock::time_point expires;
  };
  static constexpr size_t kMaxEntries = 10'000;

  Storage& storage_;
  SteadyNow now_;
  std::mutex mutex_;
  std::map<KeyHash, Entry> cache_;
};

}  // namespace stockbell::server
