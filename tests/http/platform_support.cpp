#include "platform_support.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "http_checks.hpp"

namespace stockbell::testing {

std::string fixture_bytes(const std::string& path) {
  const std::string full = std::string(STOCKBELL_FIXTURES_DIR) + "/" + path;
  std::ifstream in(full, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read fixture " + full);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string Delivery::header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

Delivery Delivery::with_body(const std::string& new_body, const std::string& secret,
                             const std::string& delivery_id) const {
  Delivery d = *this;
  d.body = new_body;
  for (auto& [name, value] : d.headers) {
    if (name == "X-Shopify-Hmac-Sha256" || name == "X-WC-Webhook-Signature")
      value = platform_hmac(secret, new_body);
    if (name == "X-Shopify-Webhook-Id" || name == "X-WC-Webhook-Delivery-ID") value = delivery_id;
  }
  return d;
}

std::vector<Delivery> deliveries(const std::string& platform) {
  const json file = json::parse(fixture_bytes(platform + "/_deliveries.json"));
  std::vector<Delivery> out;
  for (const json& item : file.at("deliveries")) {
    Delivery d;
    if (item.contains("step") && item["step"].is_number()) d.step = item["step"].get<int>();
    d.file = item.at("file");
    d.expect = item.value("expect", "");
    for (const auto& [name, value] : item.at("headers").items()) {
      if (name == "Content-Type")
        d.content_type = value.get<std::string>();
      else
        d.headers.emplace(name, value.get<std::string>());
    }
    d.body = fixture_bytes(platform + "/" + d.file);
    out.push_back(std::move(d));
  }
  return out;
}

Delivery delivery_step(const std::string& platform, int step) {
  for (const Delivery& d : deliveries(platform))
    if (d.step == step) return d;
  throw std::runtime_error("no step " + std::to_string(step) + " for " + platform);
}

std::string platform_hmac(const std::string& secret, const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  unsigned char encoded[128];
  const int n = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<size_t>(n));
}

std::string connect_platform(const Api& api, const std::string& platform, const json& body) {
  const HttpResponse r =
      api.send("PUT", "/api/v1/integrations/" + platform, body.dump(), {}, "application/json");
  REQUIRE_STATUS(r, 200);
  const std::string url = r.json()["integration"]["webhookUrl"];
  const size_t path = url.find("/api/v1/");
  REQUIRE(path != std::string::npos);
  return url.substr(path);
}

std::string connect_shopify(const Api& api, const std::string& shop,
                            const std::optional<std::string>& currency) {
  json body = {{"shopDomain", shop}, {"webhookSecret", kShopifySecret}};
  if (currency) body["currency"] = *currency;
  return connect_platform(api, "shopify", body);
}

std::string connect_woocommerce(const Api& api, const std::string& store_url) {
  return connect_platform(
      api, "woocommerce",
      {{"storeUrl", store_url}, {"webhookSecret", kWooSecret}, {"currency", "EUR"}});
}

HttpResponse send_delivery(const Api& api, const std::string& hook, const Delivery& delivery) {
  return api.send("POST", hook, delivery.body, delivery.headers,
                  delivery.content_type.empty()
                      ? std::nullopt
                      : std::optional<std::string>(delivery.content_type));
}

}  // namespace stockbell::testing
