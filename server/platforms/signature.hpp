#pragma once
// Store platforms sign each webhook delivery with `base64(HMAC-SHA256(secret, raw body))`
// (Shopify's `X-Shopify-Hmac-Sha256`, WooCommerce's `X-WC-Webhook-Signature`). The check runs on
// the body's bytes as received, before anything parses them, and compares in constant time.

#include <string>
#include <string_view>

namespace stockbell::server {

/// True if `signature` (base64, surrounding white space ignored) is the HMAC-SHA256 of `body`
/// under `secret`. Malformed base64 or a digest of another length is false.
bool platform_signature_valid(std::string_view secret, std::string_view body,
                              std::string_view signature);

/// `base64(HMAC-SHA256(secret, body))`: what a platform sends (tests sign with it).
std::string platform_signature(std::string_view secret, std::string_view body);

/// Lower-case hex SHA-256 of `data` (the delivery id of a delivery that names none).
std::string sha256_hex(std::string_view data);

}  // namespace stockbell::server
