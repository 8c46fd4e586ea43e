// core/back_in_stock: the POST /api/v1/back-in-stock body (README "Register a back-in-stock request"), as the server and the widget
// both parse it.

#include <doctest/doctest.h>

#include "core/back_in_stock.hpp"
#include "core/fields.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::value_of;
using stockbell::test::problem_list;
using stockbell::test::json;
using stockbell::test::repeat;
using stockbell::test::with;

namespace {

// A valid body with `key` set to `value` at the top level (replacing the default, or added).
std::string body_with(std::string_view key, Json value) {
  return dump(with(json(R"({"productId":"SKU-1","customer":{"email":"buyer@example.com"}})"), key,
                   std::move(value)));
}

std::string body_with_customer(const Json& customer) {
  return dump(with(json(R"({"productId":"SKU-1"})"), "customer", customer));
}

// `{"email": value}`.
Json customer_email(Json value) { return with(Json::object(), "email", std::move(value)); }

Result<BackInStockRequest> parse(const std::string& body) {
  return parse_back_in_stock_request(body);
}

}  // namespace

TEST_CASE("a minimal request: variantId defaults to productId, optionals are absent") {
  auto r = parse(R"({"productId":"SKU-1","customer":{"email":"buyer@example.com"}})");
  REQUIRE(r.ok());
  CHECK(r.value().product_id == "SKU-1");
  CHECK(r.value().variant_id == "SKU-1");
  CHECK_FALSE(r.value().product_title.has_value());
  CHECK_FALSE(r.value().variant_title.has_value());
  CHECK(r.value().customer.email == "buyer@example.com");
  CHECK_FALSE(r.value().customer.external_id.has_value());
  CHECK_FALSE(r.value().customer.first_name.has_value());
  CHECK(r.value().customer.attributes == Json::object());
}

TEST_CASE("a full request keeps every field, trimmed") {
  auto r = parse(R"({"productId":" SKU-1 ","variantId":"\u00a0SKU-1-M\u3000",
    "productTitle":" Linen shirt ","variantTitle":"M","customer":{"email":" Buyer@Example.COM ",
    "externalId":"cus_9","firstName":" Ada ","lastName":"Lovelace","attributes":{"vip":true}}})");
  REQUIRE(r.ok());
  CHECK(r.value().product_id == "SKU-1");
  CHECK(r.value().variant_id == "SKU-1-M");
  CHECK(*r.value().product_title == "Linen shirt");
  CHECK(*r.value().variant_title == "M");
  CHECK(r.value().customer.email == "buyer@example.com");
  CHECK(*r.value().customer.external_id == "cus_9");
  CHECK(*r.value().customer.first_name == "Ada");
  CHECK(*r.value().customer.last_name == "Lovelace");
  CHECK(r.value().customer.attributes == json(R"({"vip":true})"));
}

TEST_CASE("variantId: null or omitted defaults to productId; blank is an error") {
  CHECK(value_of(parse(body_with("variantId", nullptr))).variant_id == "SKU-1");
  CHECK(value_of(parse(body_with("variantId", "SKU-1"))).variant_id == "SKU-1");
  CHECK(problem_list(parse(body_with("variantId", ""))) == "variantId:empty");
  CHECK(problem_list(parse(body_with("variantId", " \u3000"))) == "variantId:empty");
  CHECK(problem_list(parse(body_with("variantId", 7))) == "variantId:invalid_type");
}

TEST_CASE("productId is required, a string, trimmed, 1-255 characters, no control characters") {
  CHECK(problem_list(parse(R"({"customer":{"email":"a@b"}})")) == "productId:required");
  CHECK(problem_list(parse(body_with("productId", nullptr))) == "productId:required");
  CHECK(problem_list(parse(body_with("productId", 42))) == "productId:invalid_type");
  CHECK(problem_list(parse(body_with("productId", Json::array()))) == "productId:invalid_type");
  CHECK(problem_list(parse(body_with("productId", "   "))) == "productId:empty");
  CHECK(problem_list(parse(body_with("productId", "SKU\u0007"))) ==
        "productId:control_character");
  CHECK(problem_list(parse(body_with("productId", "SKU\u0085"))) ==
        "productId:control_character");
  CHECK(value_of(parse(body_with("productId", "SKU 1"))).product_id == "SKU 1");
  CHECK(value_of(parse(body_with("productId", "\uFEFFSKU-1\u00A0"))).product_id == "SKU-1");
}

TEST_CASE("id length is counted in code points") {
  CHECK(parse(body_with("productId", repeat("a", 255))).ok());
  CHECK(parse(body_with("productId", repeat("é", 255))).ok());
  CHECK(parse(body_with("productId", repeat("😀", 255))).ok());
  auto r = parse(body_with("productId", repeat("é", 256)));
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().details.size() == 1);
  CHECK(r.error().details[0].field == "productId");
  CHECK(r.error().details[0].code == FieldCode::too_long);
  CHECK(r.error().details[0].limit == 255);
  CHECK(r.error().details[0].message == "Must be at most 255 characters.");
  // Trimming happens before counting.
  CHECK(parse(body_with("productId", "  " + repeat("a", 255) + "  ")).ok());
}

TEST_CASE("the e-mail is trimmed, lower-cased, at most 254 characters and WHATWG-valid") {
  CHECK(value_of(parse(body_with_customer(customer_email("\u00A0Buyer@Example.COM\t"))))
            .customer.email == "buyer@example.com");
  // 254 characters: 60 + "@" + 63 "." 63 "." 63 "." + 1
  const std::string domain = repeat("d", 63) + "." + repeat("e", 63) + "." + repeat("f", 63) + ".g";
  const std::string at_limit = repeat("a", 60) + "@" + domain;
  REQUIRE(at_limit.size() == 254);
  CHECK(parse(body_with_customer(customer_email(at_limit))).ok());
  auto over = parse(body_with_customer(customer_email("a" + at_limit)));
  CHECK(problem_list(over) == "customer.email:too_long");
  CHECK(over.error().details[0].limit == 254);
  CHECK(problem_list(parse(body_with_customer(customer_email("a@b.")))) ==
        "customer.email:invalid_email");
  CHECK(problem_list(parse(body_with_customer(customer_email("a@[1.2.3.4]")))) ==
        "customer.email:invalid_email");
  CHECK(problem_list(parse(body_with_customer(customer_email(5)))) ==
        "customer.email:invalid_type");
  CHECK(problem_list(parse(body_with_customer(customer_email(nullptr)))) ==
        "customer.email:required");
  CHECK(problem_list(parse(body_with_customer(Json::object()))) == "customer.email:required");
  // A blank e-mail reads like an empty form field: "required".
  CHECK(problem_list(parse(body_with_customer(customer_email("  ")))) == "customer.email:required");
}

TEST_CASE("a long non-ASCII address is invalid, not too long: the limit counts characters") {
  // 130 characters but 260 bytes.
  const std::string address = repeat("é", 126) + "@b.c";
  REQUIRE(address.size() > 254);
  CHECK(problem_list(parse(body_with_customer(customer_email(address)))) ==
        "customer.email:invalid_email");
}

TEST_CASE("customer is a required object") {
  CHECK(problem_list(parse(R"({"productId":"SKU-1"})")) == "customer:required");
  CHECK(problem_list(parse(body_with("customer", nullptr))) == "customer:required");
  CHECK(problem_list(parse(body_with("customer", "a@b"))) == "customer:invalid_type");
  CHECK(problem_list(parse(body_with("customer", Json::array()))) == "customer:invalid_type");
}

TEST_CASE("names are at most 100 characters, titles 500; blank optional texts are absent") {
  auto customer = [](const char* key, Json value) {
    return with(json(R"({"email":"a@b"})"), key, std::move(value));
  };
  CHECK(parse(body_with_customer(customer("firstName", repeat("ü", 100)))).ok());
  CHECK(problem_list(parse(body_with_customer(customer("firstName", repeat("ü", 101))))) ==
        "customer.firstName:too_long");
  CHECK(problem_list(parse(body_with_customer(customer("lastName", repeat("x", 101))))) ==
        "customer.lastName:too_long");
  CHECK(problem_list(parse(body_with_customer(customer("externalId", repeat("x", 256))))) ==
        "customer.externalId:too_long");
  CHECK_FALSE(value_of(parse(body_with_customer(customer("firstName", "  ")))).customer.first_name);
  CHECK_FALSE(value_of(parse(body_with_customer(customer("firstName", nullptr)))).customer.first_name);
  CHECK(problem_list(parse(body_with_customer(customer("firstName", 1)))) ==
        "customer.firstName:invalid_type");
  CHECK(parse(body_with("productTitle", repeat("t", 500))).ok());
  CHECK(problem_list(parse(body_with("productTitle", repeat("t", 501)))) ==
        "productTitle:too_long");
  CHECK(problem_list(parse(body_with("variantTitle", repeat("t", 501)))) ==
        "variantTitle:too_long");
  CHECK_FALSE(value_of(parse(body_with("productTitle", ""))).product_title);
  CHECK(problem_list(parse(body_with("variantTitle", "a\nb"))) ==
        "variantTitle:control_character");
}

TEST_CASE("unknown fields are rejected wherever they are, with their path") {
  CHECK(problem_list(parse(body_with("qty", 1))) == "qty:unknown_field");
  CHECK(problem_list(parse(body_with_customer(json(R"({"email":"a@b","emial":"x"})")))) ==
        "customer.emial:unknown_field");
  CHECK(problem_list(parse(body_with("first name", 1))) == "[\"first name\"]:unknown_field");
  // Known names are case-sensitive.
  CHECK(problem_list(parse(body_with("ProductId", "x"))) == "ProductId:unknown_field");
}

TEST_CASE("every problem is reported, in field order") {
  auto r = parse(R"({"productId":"","variantId":5,"productTitle":[],"customer":{"email":"bad",
    "firstName":"\u0000","attributes":{"a b":1}},"extra":true})");
  CHECK(problem_list(r) ==
        "productId:empty, variantId:invalid_type, productTitle:invalid_type, "
        "customer.email:invalid_email, customer.firstName:control_character, "
        "customer.attributes[\"a b\"]:invalid_attribute_name, extra:unknown_field");
  CHECK(r.error().code == ApiCode::validation_failed);
  CHECK(r.error().message ==
        "Validation failed: productId: Must not be empty. (and 6 more)");
}

TEST_CASE("a body that is not a JSON object") {
  auto r = parse("[]");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ApiCode::validation_failed);
  CHECK(problem_list(r) == ":invalid_type");
  CHECK(r.error().message == "Validation failed: body: Must be an object.");
  CHECK(problem_list(parse("\"a@b\"")) == ":invalid_type");
  CHECK(problem_list(parse("null")) == ":invalid_type");
}

TEST_CASE("text that is not JSON is invalid_json with a position, and no details") {
  auto r = parse(R"({"productId": })");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ApiCode::invalid_json);
  CHECK(r.error().details.empty());
  CHECK(r.error().message.rfind("The request body is not valid JSON: line 1, column 15: ", 0) == 0);
  CHECK(r.error().message.back() == '.');
  CHECK(parse("").error().code == ApiCode::invalid_json);
  CHECK(parse(R"({"productId":"a","productId":"b","customer":{"email":"a@b"}})").error().code ==
        ApiCode::invalid_json);
}

TEST_CASE("the normalised request JSON has a fixed key order, nulls for absent optionals and the "
          "attributes as sent") {
  auto r = parse(R"({"customer":{"attributes":{"b":1,"a":"x"},"email":"A@B"},"productId":"P"})");
  REQUIRE(r.ok());
  CHECK(dump(back_in_stock_request_json(r.value())) ==
        R"({"productId":"P","variantId":"P","productTitle":null,"variantTitle":null,)"
        R"("customer":{"email":"a@b","externalId":null,"firstName":null,"lastName":null,)"
        R"("attributes":{"b":1,"a":"x"}}})");
}

TEST_CASE("validate_back_in_stock_json: the outcome the widget and the vectors see") {
  CHECK(validate_back_in_stock_json(R"({"productId":"P","customer":{"email":"a@b"}})") ==
        R"({"ok":true,"request":{"productId":"P","variantId":"P","productTitle":null,)"
        R"("variantTitle":null,"customer":{"email":"a@b","externalId":null,"firstName":null,)"
        R"("lastName":null,"attributes":{}}}})");
  CHECK(validate_back_in_stock_json(R"({"productId":"P","customer":{"email":"a@b."}})") ==
        R"({"ok":false,"status":400,"error":{"success":false,)"
        R"("error":"Validation failed: customer.email: Enter a valid email address, like name@example.com.",)"
        R"("code":"validation_failed","details":[{"field":"customer.email","code":"invalid_email",)"
        R"("message":"Enter a valid email address, like name@example.com."}]}})");
}
