#pragma once
// Verifying `Stockbell-Signature` the way a receiver would (README "Webhooks"), computed here
// with OpenSSL directly, independently of the server's code:
//
//   Stockbell-Signature: v1=<hex HMAC-SHA256(secret, "<Stockbell-Timestamp>.<raw body>")>
//   (two comma-separated `v1=` entries while a rotated secret's grace period runs)

#include <string>
#include <vector>

namespace stockbell::testing {

/// Lower-case hex of HMAC-SHA256(key, message).
std::string hmac_sha256_hex(const std::string& key, const std::string& message);

/// The hex digests of the header's entries, in order, if every entry is `v1=` + 64 lower-case hex
/// digits (entries separated by "," and optional spaces); empty if any entry is not.
std::vector<std::string> v1_signatures(const std::string& header);

/// The digest a receiver expects for `secret`: HMAC-SHA256 of `<timestamp>.<body>`.
std::string expected_signature(const std::string& secret, const std::string& timestamp,
                               const std::string& body);

}  // namespace stockbell::testing
