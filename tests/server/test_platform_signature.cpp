// server/platforms/signature: verifying a store platform's base64 HMAC-SHA256 of the raw body.

#include <doctest/doctest.h>

#include <string>

#include "server/platforms/signature.hpp"

using namespace stockbell::server;

TEST_CASE("the research fixtures' signature: base64 HMAC-SHA256 of the exact bytes") {
  // tests/fixtures/platforms: shopify/product_delete.json (trailing newline included) and the
  // X-Shopify-Hmac-Sha256 its delivery records for the test secret.
  const std::string body = "{\n  \"id\": 8412345670003\n}\n";
  const std::string signature = "JqFzDVRgOU2XMNhikflAdKGP13og1Zj3/951yrAGfDk=";
  CHECK(platform_signature("stockbell-shopify-test-secret", body) == signature);
  CHECK(signature.back() == '=');
  CHECK(platform_signature_valid("stockbell-shopify-test-secret", body, signature));
  CHECK(platform_signature_valid("stockbell-shopify-test-secret", body, " " + signature + "\t"));
}

TEST_CASE("anything else is refused") {
  const std::string body = R"({"id":1})";
  const std::string good = platform_signature("secret", body);
  CHECK_FALSE(platform_signature_valid("other", body, good));
  CHECK_FALSE(platform_signature_valid("secret", body + " ", good));
  CHECK_FALSE(platform_signature_valid("secret", body, ""));
  CHECK_FALSE(platform_signature_valid("secret", body, good.substr(0, 43)));
  CHECK_FALSE(platform_signature_valid("secret", body, good + "A"));
  CHECK_FALSE(platform_signature_valid("secret", body, std::string(44, '=')));
  std::string flipped = good;
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  CHECK_FALSE(platform_signature_valid("secret", body, flipped));
  std::string not_base64 = good;
  not_base64[5] = '!';
  CHECK_FALSE(platform_signature_valid("secret", body, not_base64));
  // Hex of the right digest is not base64 of it.
  CHECK_FALSE(platform_signature_valid("secret", body, sha256_hex(body)));
}

TEST_CASE("sha256_hex") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
