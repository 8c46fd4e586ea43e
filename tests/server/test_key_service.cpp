// server/app/keys: creating, revoking and checking API keys (README "Keys"), against a real
// SQLite file. The key cache's clock is injected, so "a revoked key stops working within 5 s" is
// checked to the millisecond without sleeping.

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/limits.hpp"
#include "server/app/keys.hpp"
#include "server/store/storage.hpp"
#include "support.hpp"

using namespace stockbell;
using namespace stockbell::server;
using stockbell::testing::TempDir;
using namespace std::chrono_literals;

namespace {

/// A database in a temporary directory and a KeyService whose cache clock the test moves.
struct Keys {
  TempDir dir;
  std::unique_ptr<Storage> storage = open_storage(dir.file("keys.db"));
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point() + 1h;
  KeyService keys{*storage, [this] { return now; }};

  int64_t store_id(const std::string& name) {
    std::optional<int64_t> id = storage->read([&](ReadTx& tx) { return tx.find_store(name); });
    REQUIRE(id.has_value());
    return *id;
  }
  /// The id `keys list` shows for `key`.
  int64_t id_of(const std::string& key) {
    for (const ApiKeyRecord& record : keys.list(std::nullopt))
      if (record.hash == hash_key(key)) return record.id;
    FAIL("no such key");
    return 0;
  }
  bool accepted(const std::string& key) {
    return keys.authenticate("Bearer " + key).principal.has_value();
  }
};

void check_refused(KeyService& keys, const std::string& header, KeyProblem problem) {
  INFO("Authorization: '" << header << "'");
  const AuthResult result = keys.authenticate(header);
  CHECK_FALSE(result.principal.has_value());
  CHECK(result.problem == problem);
}

}  // namespace

TEST_CASE("a created key authenticates as its store and kind") {
  Keys k;
  const std::string secret = k.keys.create("shop", KeyKind::secret, {});
  const std::string publishable =
      k.keys.create("shop", KeyKind::publishable, {"https://shop.example"});
  const std::string other = k.keys.create("other", KeyKind::secret, {});
  CHECK(secret.rfind("sk_", 0) == 0);
  CHECK(publishable.rfind("pk_", 0) == 0);
  CHECK(secret.size() == 3 + kKeyChars);

  const AuthResult s = k.keys.authenticate("Bearer " + secret);
  REQUIRE(s.principal.has_value());
  CHECK(s.principal->store_id == k.store_id("shop"));
  CHECK(s.principal->kind == KeyKind::secret);
  CHECK(s.principal->origins.empty());

  const AuthResult p = k.keys.authenticate("Bearer " + publishable);
  REQUIRE(p.principal.has_value());
  CHECK(p.principal->store_id == k.store_id("shop"));  // the existing store, not a new one
  CHECK(p.principal->kind == KeyKind::publishable);
  CHECK(p.principal->origins == std::vector<std::string>{"https://shop.example"});

  const AuthResult o = k.keys.authenticate("Bearer " + other);
  REQUIRE(o.principal.has_value());
  CHECK(o.principal->store_id == k.store_id("other"));
  CHECK(o.principal->store_id != k.store_id("shop"));
}

TEST_CASE("the scheme name is case-insensitive") {
  Keys k;
  const std::string key = k.keys.create("shop", KeyKind::secret, {});
  for (const char* scheme : {"Bearer ", "bearer ", "BEARER ", "bEaReR "}) {
    INFO(scheme);
    CHECK(k.keys.authenticate(scheme + key).principal.has_value());
  }
}

TEST_CASE("no header is missing; a malformed header or key is invalid") {
  Keys k;
  const std::string key = k.keys.create("shop", KeyKind::secret, {});
  check_refused(k.keys, "", KeyProblem::missing);
  for (const std::string& header : std::vector<std::string>{
           key, "Basic " + key, "Bearer", "Bearer ", "Bearer  " + key, "Bearer " + key + " ",
           "Bearer " + key + "x", "Bearer " + key.substr(0, key.size() - 1), "Bearer sk_short",
           "Bearer xk_" + key.substr(3), "Bearer " + key.substr(3), "Token " + key,
           "Bearer\t" + key}) {
    check_refused(k.keys, header, KeyProblem::invalid);
  }
}

TEST_CASE("a well-formed key that was never created is invalid") {
  Keys k;
  const std::string key = k.keys.create("shop", KeyKind::secret, {});
  check_refused(k.keys, "Bearer " + generate_key(KeyKind::secret), KeyProblem::invalid);
  check_refused(k.keys, "Bearer " + generate_key(KeyKind::publishable), KeyProblem::invalid);
  // The prefix is part of the key: a secret key's characters under `pk_` are another key.
  check_refused(k.keys, "Bearer pk_" + key.substr(3), KeyProblem::invalid);
}

TEST_CASE("a key stored under another kind than its prefix says is refused") {
  // `keys create` never stores one; a database edited by hand could.
  Keys k;
  const std::string key = generate_key(KeyKind::publishable);
  k.storage->write([&](WriteTx& tx) {
    tx.insert_key(tx.create_store("shop", 1), KeyKind::secret, hash_key(key), {}, 1);
  });
  check_refused(k.keys, "Bearer " + key, KeyProblem::invalid);
}

TEST_CASE("unknown keys are not cached: a key works as soon as it is stored") {
  Keys k;
  const std::string key = generate_key(KeyKind::secret);
  CHECK_FALSE(k.accepted(key));
  k.storage->write([&](WriteTx& tx) {
    tx.insert_key(tx.create_store("shop", 1), KeyKind::secret, hash_key(key), {}, 1);
  });
  CHECK(k.accepted(key));
}

TEST_CASE("a revoked key works from the cache until kKeyCacheTtlMs has passed, then never") {
  Keys k;
  const std::string key = k.keys.create("shop", KeyKind::secret, {});
  const auto seen = k.now;
  REQUIRE(k.accepted(key));  // cached now
  CHECK(k.keys.revoke(k.id_of(key)));

  k.now = seen + std::chrono::milliseconds(kKeyCacheTtlMs - 1);
  CHECK(k.accepted(key));
  k.now = seen + std::chrono::milliseconds(kKeyCacheTtlMs);
  CHECK_FALSE(k.accepted(key));
  check_refused(k.keys, "Bearer " + key, KeyProblem::invalid);  // revoked is as unknown
  k.now = seen + std::chrono::hours(24);
  CHECK_FALSE(k.accepted(key));
}

TEST_CASE("a key revoked before it was ever used is refused at once") {
  Keys k;
  const std::string key = k.keys.create("shop", KeyKind::secret, {});
  CHECK(k.keys.revoke(k.id_of(key)));
  CHECK_FALSE(k.accepted(key));
}

TEST_CASE("a live key keeps working past the cache's lifetime (it is looked up again)") {
  Keys k;
  const std::string key = k.keys.create("shop", KeyKind::secret, {});
  CHECK(k.accepted(key));
  k.now += std::chrono::milliseconds(3 * kKeyCacheTtlMs);
  CHECK(k.accepted(key));
}

TEST_CASE("revoke is false for an unknown id and for a key revoked already") {
  Keys k;
  const std::string key = k.keys.create("shop", KeyKind::secret, {});
  const int64_t id = k.id_of(key);
  CHECK_FALSE(k.keys.revoke(id + 100));
  CHECK(k.keys.revoke(id));
  CHECK_FALSE(k.keys.revoke(id));
}

TEST_CASE("list shows each key's store, kind, hash and revocation, never the key") {
  Keys k;
  const std::string a = k.keys.create("shop", KeyKind::secret, {});
  const std::string b = k.keys.create("other", KeyKind::publishable, {"https://b.example"});
  CHECK(k.keys.revoke(k.id_of(a)));

  const std::vector<ApiKeyRecord> all = k.keys.list(std::nullopt);
  REQUIRE(all.size() == 2);
  CHECK(all[0].store_name == "shop");
  CHECK(all[0].kind == KeyKind::secret);
  CHECK(all[0].hash == hash_key(a));
  CHECK(all[0].revoked_at.has_value());
  CHECK(all[1].store_name == "other");
  CHECK(all[1].kind == KeyKind::publishable);
  CHECK(all[1].origins == std::vector<std::string>{"https://b.example"});
  CHECK_FALSE(all[1].revoked_at.has_value());

  const std::vector<ApiKeyRecord> other = k.keys.list(std::string("other"));
  REQUIRE(other.size() == 1);
  CHECK(other[0].hash == hash_key(b));
  CHECK(k.keys.list(std::string("nobody")).empty());
}

TEST_CASE("origin_allowed: an origin of a live key, exactly as stored") {
  Keys k;
  const std::string key = k.keys.create("shop", KeyKind::publishable,
                                        {"https://shop.example", "http://localhost:3000"});
  CHECK(k.keys.origin_allowed("https://shop.example"));
  CHECK(k.keys.origin_allowed("http://localhost:3000"));
  CHECK_FALSE(k.keys.origin_allowed("https://evil.example"));
  CHECK_FALSE(k.keys.origin_allowed("https://shop.example.evil.example"));
  CHECK_FALSE(k.keys.origin_allowed("http://shop.example"));
  CHECK_FALSE(k.keys.origin_allowed(""));

  CHECK(k.keys.revoke(k.id_of(key)));  // at once: preflights are not cached
  CHECK_FALSE(k.keys.origin_allowed("https://shop.example"));
}
