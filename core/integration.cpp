#include "core/integration.hpp"

#include "core/fields.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"
#include "core/url.hpp"

namespace stockbell {
namespace {

constexpr TextRule kSecretRule{kMaxWebhookSecretChars};

std::optional<std::string> read_store_url(ObjectReader& reader, std::string_view key) {
  std::optional<std::string> url = reader.required_text(key, TextRule{kMaxUrlChars});
  if (!url) return std::nullopt;
  while (!url->empty() && url->back() == '/') url->pop_back();
  if (!is_valid_http_url(*url) || !store_origin(*url) ||
      url->find_first_of("?#") != std::string::npos) {
    reader.problems().add(reader.field(key), FieldCode::invalid_url);
    return std::nullopt;
  }
  return url;
}

}  // namespace

std::optional<std::string> normalize_shop_domain(std::string_view text) {
  std::string domain = ascii_lower(trim(text));
  for (std::string_view scheme : {"https://", "http://"})
    if (domain.rfind(scheme, 0) == 0) domain = domain.substr(scheme.size());
  while (!domain.empty() && domain.back() == '/') domain.pop_back();
  constexpr std::string_view kSuffix = ".myshopify.com";
  if (domain.size() <= kSuffix.size() || domain.size() > 255 ||
      domain.compare(domain.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
    return std::nullopt;
  const std::string name = domain.substr(0, domain.size() - kSuffix.size());
  if (name.front() == '-' || name.back() == '-') return std::nullopt;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return std::nullopt;
  return domain;
}

std::optional<std::string> store_origin(std::string_view store_url) {
  std::optional<UrlParts> parts = split_http_url(store_url);
  if (!parts) return std::nullopt;
  const bool default_port = (parts->scheme == "https" && parts->port == 443) ||
                            (parts->scheme == "http" && parts->port == 80);
  std::string host =
      parts->host.find(':') != std::string::npos ? "[" + parts->host + "]" : parts->host;
  return normalize_origin(parts->scheme + "://" + host +
                          (default_port ? "" : ":" + std::to_string(parts->port)));
}

Result<IntegrationSettings> parse_integration(Platform platform, std::string_view body) {
  Result<Json> document = parse_body(body);
  if (!document.ok()) return document.error();
  Problems problems;
  if (!expect_object(document.value(), "", problems)) return validation_error(problems);
  ObjectReader reader(document.value(), "", problems);
  IntegrationSettings settings;
  settings.platform = platform;
  std::optional<std::string> address;
  if (platform == Platform::shopify) {
    if (std::optional<std::string> text = reader.required_text("shopDomain", kIdRule)) {
      address = normalize_shop_domain(*text);
      if (!address) problems.add("shopDomain", FieldCode::invalid_shop_domain);
    }
  } else {
    address = read_store_url(reader, "storeUrl");
  }
  // Secrets are taken exactly as the platform shows them: only line ends around a paste go.
  std::optional<std::string> secret = reader.required_text("webhookSecret", kSecretRule);
  const Patch<std::string> currency = reader.patch_currency("currency");
  if (currency.has_value()) settings.currency = currency.value;
  reader.reject_unknown();
  if (!problems.empty() || !address || !secret) return validation_error(problems);
  settings.address = std::move(*address);
  settings.secret = std::move(*secret);
  return settings;
}

std::string integration_webhook_path(Platform platform, std::string_view token) {
  return "/api/v1/integrations/" + std::string(platform_name(platform)) + "/webhook/" +
         std::string(token);
}

Json integration_json(const IntegrationRecord& record, std::string_view base_url) {
  Json out;
  out["platform"] = platform_name(record.platform);
  out[record.platform == Platform::shopify ? "shopDomain" : "storeUrl"] = record.address;
  out["currency"] = record.currency ? Json(*record.currency) : Json(nullptr);
  out["webhookUrl"] =
      std::string(base_url) + integration_webhook_path(record.platform, record.token);
  out["createdAt"] = format_timestamp(record.created_at);
  out["updatedAt"] = format_timestamp(record.updated_at);
  return out;
}

Result<WooSubscribe> parse_woo_subscribe(std::string_view body) {
  Result<Json> document = parse_body(body);
  if (!document.ok()) return document.error();
  Problems problems;
  if (!expect_object(document.value(), "", problems)) return validation_error(problems);
  const Json& doc = document.value();
  ObjectReader reader(doc, "", problems);
  WooSubscribe out;
  std::optional<std::string> url = read_store_url(reader, "storeUrl");
  std::optional<std::string> email = reader.required_email("email");
  // The plugin sends ids as numbers or strings.
  std::optional<std::string> product_id, variant_id;
  const size_t before = problems.size();
  if (const Json* v = reader.member("providerProductId"); v != nullptr && !v->is_null())
    product_id = read_platform_id(*v, "providerProductId", problems);
  if (!product_id && problems.size() == before)
    problems.add("providerProductId", FieldCode::required);
  if (const Json* v = reader.member("providerVariantId"); v != nullptr && !v->is_null())
    variant_id = read_platform_id(*v, "providerVariantId", problems);
  out.product_title = reader.optional_text("productTitle", kTitleRule);
  out.variant_title = reader.optional_text("variantTitle", kTitleRule);
  if (!problems.empty() || !url || !email || !product_id) return validation_error(problems);
  out.store_origin = *store_origin(*url);
  out.email = std::move(*email);
  out.product_id = std::move(*product_id);
  out.variant_id = variant_id ? std::move(*variant_id) : out.product_id;
  return out;
}

}  // namespace stockbell
