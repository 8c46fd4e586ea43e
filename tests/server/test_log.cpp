// server/ops/log: the scrubber every log line goes through (keys, secrets, tokens, e-mails).

#include <doctest/doctest.h>

#include "server/ops/log.hpp"

using stockbell::server::masked_secret;
using stockbell::server::scrub;

TEST_CASE("keys, webhook secrets and long tokens keep only their first characters") {
  CHECK(scrub("Bearer sk_wtwuPRh89CAgY5XGK1WcUGed3XMp6h2q50tdyZ9d") == "Bearer sk_***");
  CHECK(scrub("key pk_AbCdEfGhIjKlMnOpQrStUvWx0123456789abcdef!") == "key pk_***!");
  CHECK(scrub("secret whsec_0123456789abcdef") == "secret whsec_***");
  CHECK(scrub("GET /u/Ab3dEf6hIj9lMn2pQr5tUv8xYz1-_bCdEfGhIjKlMnOpQrStUvWxYz012 404") ==
        "GET /u/Ab3d*** 404");
  CHECK(scrub("sbl_0123456789abcdefABCDEF") == "sbl_***");
  // Long identifiers that are not random stay: an environment variable, a file name.
  CHECK(scrub("set STOCKBELL_ENABLE_TEST_CLOCK=1") == "set STOCKBELL_ENABLE_TEST_CLOCK=1");
  CHECK(scrub("/var/lib/stockbell/stockbell-production-backup.db") ==
        "/var/lib/stockbell/stockbell-production-backup.db");
  // Short words and ordinary text stay as they are.
  CHECK(scrub("GET /api/v1/products/SKU-1 200") == "GET /api/v1/products/SKU-1 200");
  CHECK(scrub("sk_short") == "sk_short");
  CHECK(scrub("task_queue and desk_lamp") == "task_queue and desk_lamp");
}

TEST_CASE("e-mail addresses keep their first letter and their domain") {
  CHECK(scrub("to ann.lee@example.com: 550 no such user") ==
        "to a***@example.com: 550 no such user");
  CHECK(scrub("<b+tag@shop.example>") == "<b***@shop.example>");
  CHECK(scrub("a@example.com") == "a@example.com");  // one letter: nothing more to hide
  CHECK(scrub("two x1@a.example, yy2@b.example") == "two x***@a.example, y***@b.example");
  CHECK(scrub("an @ sign alone, and trailing@") == "an @ sign alone, and trailing@");
}

TEST_CASE("a secret in the configuration shows only whether it is set") {
  CHECK(masked_secret("") == "none");
  CHECK(masked_secret("0123456789abcdef") == "set (16 characters)");
}
