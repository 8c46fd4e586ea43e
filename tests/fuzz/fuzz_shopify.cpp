// libFuzzer target: Shopify webhook payloads → PlatformAction (core/shopify.hpp), then applied
// onto the catalog (platform_checks.hpp says what must hold). Input: `<topic>\n<body>`.

#include "core/shopify.hpp"
#include "platform_checks.hpp"

using namespace stockbell;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [topic, body] = fuzz::split_delivery(data, size);
  Result<Json> payload = parse_platform_body(body);
  if (!payload.ok()) return 0;
  for (const char* currency : {"USD", "JPY", "KWD"}) {
    Result<PlatformAction> mapped = map_shopify(
        topic, payload.value(), ShopifyContext{"fuzz.myshopify.com", std::string(currency)});
    fuzz::check_action(mapped);
  }
  return 0;
}
