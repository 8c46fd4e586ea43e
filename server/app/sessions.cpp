#include "server/app/sessions.hpp"

#include <openssl/crypto.h>

#include "core/limits.hpp"
#include "server/app/clock.hpp"

namespace stockbell::server {
namespace {

bool live(const SessionRecord& s, int64_t now) {
  return !s.ended_at && now - s.last_seen_at < kSessionIdleMs && now - s.created_at < kSessionMaxMs;
}

}  // namespace

std::optional<std::string> SessionService::create_link(const std::string& store_name) {
  const std::string token = random_token("sbl_");
  const bool created = storage_.write([&](WriteTx& tx) {
    const std::optional<int64_t> store = tx.find_store(store_name);
    if (!store) return false;
    const int64_t now = now_ms();
    tx.insert_sign_in_link(hash_key(token), *store, now, now + kSignInLinkTtlMs);
    return true;
  });
  if (!created) return std::nullopt;
  return token;
}

Result<std::string> SessionService::sign_in(std::string_view link_token) {
  const std::string session = random_token("sbs_");
  const bool ok = storage_.write([&](WriteTx& tx) {
    const int64_t now = now_ms();
    const std::optional<int64_t> store = tx.use_sign_in_link(hash_key(link_token), now);
    if (!store) return false;
    tx.insert_session(hash_key(session), *store, now);
    return true;
  });
  if (!ok) return forbidden(Refusal::sign_in_link);
  return session;
}

std::optional<Principal> SessionService::authenticate(std::string_view session_token) {
  const KeyHash hash = hash_key(session_token);
  const int64_t now = now_ms();
  const std::optional<SessionRecord> session =
      storage_.read([&](ReadTx& tx) { return tx.find_session(hash); });
  if (!session || !live(*session, now)) return std::nullopt;
  if (now - session->last_seen_at >= kSessionTouchMs)
    storage_.write([&](WriteTx& tx) { tx.touch_session(hash, now); });
  Principal principal;
  principal.store_id = session->store_id;
  principal.kind = KeyKind::secret;
  principal.session = true;
  principal.store_name = session->store_name;
  return principal;
}

void SessionService::sign_out(std::string_view session_token) {
  const KeyHash hash = hash_key(session_token);
  storage_.write([&](WriteTx& tx) { tx.end_session(hash, now_ms()); });
}

std::optional<std::string> SessionService::store_name(std::string_view session_token) {
  const KeyHash hash = hash_key(session_token);
  const std::optional<SessionRecord> session =
      storage_.read([&](ReadTx& tx) { return tx.find_session(hash); });
  if (!session) return std::nullopt;
  return session->store_name;
}

std::string SessionService::csrf_token(std::string_view session_token) {
  static const char kHex[] = "0123456789abcdef";
  const KeyHash hash = hash_key("stockbell-csrf:" + std::string(session_token));
  std::string out;
  for (unsigned char b : hash) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

bool SessionService::csrf_matches(std::string_view session_token, std::string_view sent) {
  const std::string expected = csrf_token(session_token);
  return sent.size() == expected.size() &&
         CRYPTO_memcmp(sent.data(), expected.data(), expected.size()) == 0;
}

}  // namespace stockbell::server
