#pragma once
// Signing webhook deliveries: `Stockbell-Signature: v1=<hex HMAC-SHA256 of "<ts>.<body>">` (see
// core/webhook.hpp for the payload), with a second `v1=` entry under the previous secret while a
// rotation's grace period runs.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stockbell::server {

/// `hex(HMAC-SHA256(secret, message))`.
std::string hmac_sha256_hex(std::string_view secret, std::string_view message);

/// The `Stockbell-Signature` value: `v1=<hex>`, then `, v1=<hex>` under `previous_secret`.
std::string signature_header(std::string_view secret,
                             const std::optional<std::string>& previous_secret,
                             int64_t timestamp_seconds, std::string_view body);

}  // namespace stockbell::server
