#pragma once
// The links in a shopper's e-mail: `/u/{token}` (unsubscribe) and `/c/{token}` (confirm). A token
// names one store, one subscriber and what it is for, and carries an HMAC-SHA256 (truncated to
// 128 bits) over that and the subscriber's address under the store's own mail key, so it is
// unguessable, works for no other store or address, and can't be turned from one purpose into
// the other. Base64url, 51 characters:
//
//   version(1) purpose(1) store(8) subscriber(8) issued-minute(4) | mac(16)
//
// Unsubscribe tokens never expire (RFC 8058 links must keep working); confirm tokens do after
// kConfirmLinkTtlMs. The email hash of a suppression is an HMAC of the address under the same key.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/store/storage.hpp"

namespace stockbell::server {

enum class LinkPurpose : uint8_t { unsubscribe = 1, confirm = 2 };

/// A confirm link works this long (as long as a pending request lives: the mail says 7 days).
constexpr int64_t kConfirmLinkTtlMs = 7LL * 24 * 3600 * 1000;

struct LinkToken {
  LinkPurpose purpose = LinkPurpose::unsubscribe;
  int64_t store_id = 0;
  int64_t subscriber_id = 0;
  int64_t issued_ms = 0;  ///< to the minute
};

std::string make_link_token(const KeyHash& key, LinkPurpose purpose, int64_t store_id,
                            int64_t subscriber_id, std::string_view email, int64_t now_ms);

/// The claims of a well-formed token, unverified (the store's key and the address are needed for
/// that); nullopt for anything else.
std::optional<LinkToken> read_link_token(std::string_view token);

/// True if `token` was made with `key` for `email` (constant-time comparison of the MAC).
bool verify_link_token(std::string_view token, const KeyHash& key, std::string_view email);

/// HMAC-SHA256 of the lower-cased address under the store's mail key (suppressions).
KeyHash email_hash(const KeyHash& key, std::string_view email);

}  // namespace stockbell::server
