// core/integration: connecting Shopify and WooCommerce, and Sequenzy's WooCommerce capture body.

#include <doctest/doctest.h>

#include "core/integration.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::problem_list;
using stockbell::test::value_of;

TEST_CASE("Shopify: the shop domain is normalised; the secret is required") {
  const IntegrationSettings s = value_of(parse_integration(
      Platform::shopify,
      R"({"shopDomain":"https://My-Shop.myshopify.com/","webhookSecret":"s3cr3t","currency":"jpy"})"));
  CHECK(s.address == "my-shop.myshopify.com");
  CHECK(s.secret == "s3cr3t");
  CHECK(*s.currency == "JPY");
  CHECK(problem_list(parse_integration(Platform::shopify, "{}")) ==
        "shopDomain:required, webhookSecret:required");
  CHECK(problem_list(parse_integration(
            Platform::shopify,
            R"({"shopDomain":"shop.example","webhookSecret":"x","storeUrl":"y"})")) ==
        "shopDomain:invalid_shop_domain, storeUrl:unknown_field");
  for (const char* bad : {"myshopify.com", "-x.myshopify.com", "a_b.myshopify.com",
                          "x.myshopify.com.evil", "a.b.myshopify.com"}) {
    CAPTURE(bad);
    CHECK_FALSE(normalize_shop_domain(bad).has_value());
  }
}

TEST_CASE("WooCommerce: the store URL and its browser origin") {
  const IntegrationSettings s = value_of(
      parse_integration(Platform::woocommerce,
                        R"({"storeUrl":"https://Woo.Example.test/shop/","webhookSecret":"w"})"));
  CHECK(s.address == "https://Woo.Example.test/shop");
  CHECK(store_origin(s.address) == "https://woo.example.test");
  CHECK(store_origin("http://localhost:8080/") == "http://localhost:8080");
  CHECK(store_origin("https://shop.example:443") == "https://shop.example");
  CHECK(
      problem_list(parse_integration(
          Platform::woocommerce, R"j({"storeUrl":"javascript:alert(1)","webhookSecret":"w"})j")) ==
      "storeUrl:invalid_url");
  CHECK(problem_list(
            parse_integration(Platform::woocommerce,
                              R"({"storeUrl":"https://shop.example/?x=1","webhookSecret":"w"})")) ==
        "storeUrl:invalid_url");
}

TEST_CASE("the connection's JSON never shows the secret") {
  IntegrationRecord r;
  r.platform = Platform::shopify;
  r.token = "TOKEN";
  r.address = "my-shop.myshopify.com";
  r.secret = "very-secret";
  const std::string json = dump(integration_json(r, "https://stockbell.example"));
  CHECK(json ==
        R"({"platform":"shopify","shopDomain":"my-shop.myshopify.com","currency":null,)"
        R"("webhookUrl":"https://stockbell.example/api/v1/integrations/shopify/webhook/TOKEN",)"
        R"("createdAt":"1970-01-01T00:00:00.000Z","updatedAt":"1970-01-01T00:00:00.000Z"})");
  CHECK(json.find("very-secret") == std::string::npos);
}

TEST_CASE("Sequenzy's WooCommerce capture body") {
  const WooSubscribe w = value_of(parse_woo_subscribe(
      R"({"storeUrl":"https://woo.example.test/","email":"Grace@Example.com","providerProductId":510,
          "providerVariantId":"512","productTitle":"Wool Beanie","variantTitle":"Forest Green","quantity":1})"));
  CHECK(w.store_origin == "https://woo.example.test");
  CHECK(w.email == "grace@example.com");
  CHECK(w.product_id == "510");
  CHECK(w.variant_id == "512");
  CHECK(*w.variant_title == "Forest Green");
  const WooSubscribe simple = value_of(parse_woo_subscribe(
      R"({"storeUrl":"https://woo.example.test","email":"a@b.example","providerProductId":"501","providerVariantId":0})"));
  CHECK(simple.variant_id == "501");  // 0: no variation, the product itself
  CHECK(problem_list(
            parse_woo_subscribe(R"({"storeUrl":"x","email":"nope","providerProductId":true})")) ==
        "storeUrl:invalid_url, email:invalid_email, providerProductId:invalid_type");
  CHECK(problem_list(parse_woo_subscribe("{}")) ==
        "storeUrl:required, email:required, providerProductId:required");
}
