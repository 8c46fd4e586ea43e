// server/mail/tokens: the links in a shopper's e-mail. A token names a store, a subscriber and
// a purpose, and only the store's key and the subscriber's address make its MAC: any other key,
// address or changed byte is refused.

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "server/mail/tokens.hpp"

using namespace stockbell::server;

namespace {

KeyHash key_of(unsigned char seed) {
  KeyHash key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(seed + i);
  return key;
}

constexpr int64_t kNow = 1709210096789;

}  // namespace

TEST_CASE("a token carries its claims and verifies for its key and address only") {
  const KeyHash key = key_of(1);
  const std::string token =
      make_link_token(key, LinkPurpose::unsubscribe, 7, 4242, "anna@example.com", kNow);
  CHECK(token.size() == 51);
  CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
  const std::optional<LinkToken> claims = read_link_token(token);
  REQUIRE(claims);
  CHECK(claims->purpose == LinkPurpose::unsubscribe);
  CHECK(claims->store_id == 7);
  CHECK(claims->subscriber_id == 4242);
  CHECK(claims->issued_ms == kNow / 60'000 * 60'000);
  CHECK(verify_link_token(token, key, "anna@example.com"));
  CHECK_FALSE(verify_link_token(token, key_of(2), "anna@example.com"));  // another store's key
  CHECK_FALSE(verify_link_token(token, key, "bob@example.com"));         // another address
  // The same claims for confirming are another token.
  const std::string confirm =
      make_link_token(key, LinkPurpose::confirm, 7, 4242, "anna@example.com", kNow);
  CHECK(confirm != token);
  CHECK(read_link_token(confirm)->purpose == LinkPurpose::confirm);
}

TEST_CASE("changing any character of a token makes it fail") {
  const KeyHash key = key_of(9);
  const std::string token = make_link_token(key, LinkPurpose::confirm, 3, 5, "a@b.example", kNow);
  for (size_t at = 0; at < token.size(); ++at) {
    for (char c : std::string("AQz-_9")) {
      if (token[at] == c) continue;
      std::string changed = token;
      changed[at] = c;
      CAPTURE(changed);
      CHECK_FALSE(verify_link_token(changed, key, "a@b.example"));
    }
  }
}

TEST_CASE("malformed tokens are refused before any lookup") {
  const std::string token =
      make_link_token(key_of(1), LinkPurpose::unsubscribe, 1, 1, "a@b.example", kNow);
  CHECK(read_link_token(token));
  CHECK_FALSE(read_link_token(""));
  CHECK_FALSE(read_link_token(token.substr(1)));
  CHECK_FALSE(read_link_token(token + "A"));
  CHECK_FALSE(read_link_token(token.substr(0, 50) + "="));
  CHECK_FALSE(read_link_token(std::string(51, '.')));
  // The last character's unused bits must be zero: one spelling per token.
  std::string last = token;
  last.back() = last.back() == 'B' ? 'C' : 'B';
  CHECK_FALSE(read_link_token(last));
  // Version, purpose and ids are checked.
  CHECK_FALSE(read_link_token("AAEAAAAAAAAAAQAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAA"));  // version 0
  CHECK_FALSE(read_link_token("AQMAAAAAAAAAAQAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAA"));  // purpose 3
  CHECK_FALSE(read_link_token("AQEAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAA"));  // store 0
  CHECK(read_link_token("AQEAAAAAAAAAAQAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAA"));        // well formed
}

TEST_CASE("tokens differ per subscriber, store and key; they are not guessable in bulk") {
  std::set<std::string> seen;
  for (int64_t store = 1; store <= 3; ++store)
    for (int64_t subscriber = 1; subscriber <= 100; ++subscriber)
      for (unsigned char seed : {1, 2})
        CHECK(seen.insert(make_link_token(key_of(seed), LinkPurpose::unsubscribe, store, subscriber,
                                          "a@b.example", kNow)).second);
}

TEST_CASE("the suppression hash is keyed: the same address hashes differently per store") {
  CHECK(email_hash(key_of(1), "anna@example.com") == email_hash(key_of(1), "anna@example.com"));
  CHECK(email_hash(key_of(1), "anna@example.com") != email_hash(key_of(2), "anna@example.com"));
  CHECK(email_hash(key_of(1), "anna@example.com") != email_hash(key_of(1), "bob@example.com"));
}

TEST_CASE("the wire format is fixed: links already mailed and stored suppressions stay valid") {
  // Computed independently with Python's hmac and base64 (RFC 2104 HMAC-SHA256, base64url
  // without padding): the claims (version 1, purpose, store, subscriber, minutes) and the first
  // 16 bytes of the MAC of "stockbell link v1\n" + claims + address.
  CHECK(make_link_token(key_of(1), LinkPurpose::unsubscribe, 7, 4242, "anna@example.com", kNow) ==
        "AQEAAAAAAAAABwAAAAAAABCSAbKssluRvZugptmo1A4eWR9qk_s");
  CHECK(make_link_token(key_of(1), LinkPurpose::confirm, 7, 4242, "anna@example.com", kNow) ==
        "AQIAAAAAAAAABwAAAAAAABCSAbKssmrEcmMbo1jFUycTwRJ7K9g");
  const KeyHash hash = email_hash(key_of(1), "anna@example.com");
  std::string hex;
  for (unsigned char c : hash) {
    hex += "0123456789abcdef"[c >> 4];
    hex += "0123456789abcdef"[c & 15];
  }
  CHECK(hex == "1da743812c8a496c4699377c0e19bd645b61692f80d87c5d0e54b89ff1070d62");
}
