// libFuzzer target: WooCommerce webhook payloads → PlatformAction (core/woocommerce.hpp), then
// applied onto the catalog (platform_checks.hpp). Input: `<topic>\n<body>`.

#include "core/woocommerce.hpp"
#include "platform_checks.hpp"

using namespace stockbell;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [topic, body] = fuzz::split_delivery(data, size);
  is_woocommerce_ping(body);
  Result<Json> payload = parse_platform_body(body);
  if (!payload.ok()) return 0;
  for (const char* currency : {"EUR", "JPY"}) {
    Result<PlatformAction> mapped =
        map_woocommerce(topic, payload.value(), WooContext{std::string(currency)});
    fuzz::check_action(mapped);
  }
  return 0;
}
