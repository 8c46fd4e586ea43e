// core/errors: stable codes, their HTTP statuses and messages, the error envelope (README
// "Errors"), the problem list and field paths.

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "core/errors.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;

TEST_CASE("API codes: names and HTTP statuses") {
  const std::pair<ApiCode, std::pair<const char*, int>> table[] = {
      {ApiCode::invalid_json, {"invalid_json", 400}},
      {ApiCode::validation_failed, {"validation_failed", 400}},
      {ApiCode::unauthorized, {"unauthorized", 401}},
      {ApiCode::forbidden, {"forbidden", 403}},
      {ApiCode::not_found, {"not_found", 404}},
      {ApiCode::method_not_allowed, {"method_not_allowed", 405}},
      {ApiCode::conflict, {"conflict", 409}},
      {ApiCode::payload_too_large, {"payload_too_large", 413}},
      {ApiCode::unsupported_media_type, {"unsupported_media_type", 415}},
      {ApiCode::rate_limited, {"rate_limited", 429}},
      {ApiCode::internal, {"internal", 500}},
      {ApiCode::unavailable, {"unavailable", 503}},
  };
  for (const auto& [code, expected] : table) {
    CAPTURE(expected.first);
    CHECK(api_code_name(code) == expected.first);
    CHECK(http_status(code) == expected.second);
    CHECK_FALSE(default_message(code).empty());
  }
}

TEST_CASE("field codes: the names clients switch on") {
  const std::pair<FieldCode, const char*> table[] = {
      {FieldCode::required, "required"},
      {FieldCode::invalid_type, "invalid_type"},
      {FieldCode::empty, "empty"},
      {FieldCode::too_long, "too_long"},
      {FieldCode::control_character, "control_character"},
      {FieldCode::invalid_email, "invalid_email"},
      {FieldCode::unknown_field, "unknown_field"},
      {FieldCode::too_few_items, "too_few_items"},
      {FieldCode::too_many_items, "too_many_items"},
      {FieldCode::invalid_attribute_name, "invalid_attribute_name"},
      {FieldCode::invalid_attribute_value, "invalid_attribute_value"},
      {FieldCode::not_integer, "not_integer"},
      {FieldCode::out_of_range, "out_of_range"},
      {FieldCode::invalid_currency, "invalid_currency"},
      {FieldCode::invalid_url, "invalid_url"},
      {FieldCode::duplicate_id, "duplicate_id"},
      {FieldCode::invalid_value, "invalid_value"},
      {FieldCode::invalid_origin, "invalid_origin"},
      {FieldCode::unknown_parameter, "unknown_parameter"},
      {FieldCode::invalid_timestamp, "invalid_timestamp"},
      {FieldCode::invalid_amount, "invalid_amount"},
      {FieldCode::not_in_catalog, "not_in_catalog"},
      {FieldCode::invalid_shop_domain, "invalid_shop_domain"},
  };
  for (const auto& [code, name] : table) {
    CAPTURE(name);
    CHECK(field_code_name(code) == name);
    CHECK_FALSE(field_message(code, 1, "x").empty());
  }
}

TEST_CASE("messages fill in {limit} and {expected}") {
  CHECK(field_message(FieldCode::too_long, 255) == "Must be at most 255 characters.");
  CHECK(field_message(FieldCode::too_many_items, 100) == "Must contain at most 100 items.");
  CHECK(field_message(FieldCode::invalid_type, std::nullopt, "a string") == "Must be a string.");
  CHECK(field_message(FieldCode::out_of_range, std::nullopt, "0 and 10") == "Must be between 0 and 10.");
  CHECK(field_message(FieldCode::invalid_value, std::nullopt, "a, b") == "Must be one of: a, b.");
  CHECK(field_message(FieldCode::invalid_email) ==
        "Enter a valid email address, like name@example.com.");
  CHECK(field_message(FieldCode::required) == "This field is required.");
}

TEST_CASE("make_error uses the default message unless given one") {
  ApiError e = make_error(ApiCode::not_found);
  CHECK(e.code == ApiCode::not_found);
  CHECK(e.message == "Not found.");
  CHECK(e.details.empty());
  CHECK(make_error(ApiCode::not_found, "No product \"X\".").message == "No product \"X\".");
}

TEST_CASE("validation_error summarises the first problem and counts the rest") {
  CHECK(validation_error({}).message == "Validation failed");
  FieldError email{"customer.email", FieldCode::invalid_email, field_message(FieldCode::invalid_email),
                   std::nullopt};
  FieldError id{"productId", FieldCode::empty, field_message(FieldCode::empty), std::nullopt};
  CHECK(validation_error({email}).message ==
        "Validation failed: customer.email: Enter a valid email address, like name@example.com.");
  CHECK(validation_error({id, email, email}).message ==
        "Validation failed: productId: Must not be empty. (and 2 more)");
  FieldError body{"", FieldCode::invalid_type, "Must be an object.", std::nullopt};
  CHECK(validation_error({body}).message == "Validation failed: body: Must be an object.");
}

TEST_CASE("the error envelope: success, error, code, details; limit only when set") {
  CHECK(error_envelope_json(make_error(ApiCode::unauthorized)) ==
        R"({"success":false,"error":"Missing or invalid API key. Send 'Authorization: Bearer <key>'.","code":"unauthorized"})");
  Problems problems;
  problems.add("products[3].variants[0].variantId", FieldCode::too_long, 255);
  problems.add("customer.email", FieldCode::invalid_email);
  problems.add("products[0].priceCents", FieldCode::out_of_range, std::nullopt,
               "0 and 9007199254740991");
  problems.add("customer.attributes[\"first name\"]", FieldCode::invalid_attribute_name);
  const std::string json = error_envelope_json(validation_error(problems.take()));
  CHECK(json.rfind(R"({"success":false,"error":"Validation failed: products[3].variants[0].variantId: )", 0) == 0);
  stockbell::test::check_golden("error_envelope.json", json);
}

TEST_CASE("invalid_json messages carry the parser's position") {
  CHECK(invalid_json_message({"line 1, column 9: unexpected end of input"}) ==
        "The request body is not valid JSON: line 1, column 9: unexpected end of input.");
  CHECK(invalid_json_message({"duplicate key \"a\"."}) ==
        "The request body is not valid JSON: duplicate key \"a\".");
}

TEST_CASE("Problems keeps at most 1000 problems but counts every one") {
  Problems problems;
  for (int i = 0; i < 1500; ++i) problems.add("f" + std::to_string(i), FieldCode::required);
  CHECK(problems.list().size() == Problems::kMaxProblems);
  CHECK(problems.list().size() == 1000);
  CHECK(problems.size() == 1500);  // readers compare counts to know whether a part was valid
  CHECK_FALSE(problems.empty());
  CHECK(problems.list().back().field == "f999");
  const ApiError error = validation_error(problems);
  CHECK(error.details.size() == 1000);
  CHECK(error.message == "Validation failed: f0: This field is required. (and 1499 more)");
}

TEST_CASE("field paths") {
  CHECK(join_path("", "productId") == "productId");
  CHECK(join_path("customer", "email") == "customer.email");
  CHECK(join_path("customer.attributes", "first name") == "customer.attributes[\"first name\"]");
  CHECK(join_path("customer.attributes", "utm.source") == "customer.attributes[\"utm.source\"]");
  CHECK(join_path("", "a\"b") == "[\"a\\\"b\"]");
  CHECK(join_path("p", "") == "p[\"\"]");
  CHECK(join_path("p", std::string(100, 'x')) == "p." + std::string(64, 'x') + "...");
  CHECK(index_path("products", 3) == "products[3]");
  CHECK(join_path(index_path(index_path("products", 3) + ".variants", 0), "variantId") ==
        "products[3].variants[0].variantId");
}

TEST_CASE("Result holds a value or an error") {
  Result<int> good(5);
  CHECK(good.ok());
  CHECK(good.value() == 5);
  Result<int> bad(make_error(ApiCode::internal));
  CHECK_FALSE(bad.ok());
  CHECK(bad.error().code == ApiCode::internal);
}

// Runs `misuse` in a child process and reports how the child ended.
template <class F>
int child_signal(F misuse) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    misuse();
    _exit(0);  // reached only if the misuse went unnoticed
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

TEST_CASE("reading the value of an error (or the error of a value) stops the program") {
  CHECK(child_signal([] {
          Result<int> bad(make_error(ApiCode::internal));
          volatile int v = bad.value();
          (void)v;
        }) == SIGABRT);
  CHECK(child_signal([] {
          Result<int> good(5);
          volatile ApiCode c = good.error().code;
          (void)c;
        }) == SIGABRT);
}

TEST_CASE("validation_outcome_json: ok with the value, or the status and envelope") {
  auto to_json = [](int v) { return Json(v); };
  CHECK(validation_outcome_json(Result<int>(7), to_json, "value") == R"({"ok":true,"value":7})");
  CHECK(validation_outcome_json(Result<int>(make_error(ApiCode::payload_too_large)), to_json, "value") ==
        R"({"ok":false,"status":413,"error":{"success":false,"error":"The request body is too large.","code":"payload_too_large"}})");
}

TEST_CASE("the errors of orders, stock updates and store platforms") {
  const ApiError missing = bad_signature(SignatureProblem::missing, "X-Shopify-Hmac-Sha256");
  CHECK(missing.code == ApiCode::unauthorized);
  CHECK(missing.message == "Missing X-Shopify-Hmac-Sha256 signature.");
  CHECK(bad_signature(SignatureProblem::mismatch, "X-WC-Webhook-Signature").message ==
        "The X-WC-Webhook-Signature signature does not match this body.");
  CHECK(already_connected().code == ApiCode::conflict);
  CHECK(not_found(Resource::integration).code == ApiCode::not_found);
  CHECK(forbidden(Refusal::store_not_connected).code == ApiCode::forbidden);
  CHECK(forbidden(Refusal::origin_not_for_store).message != forbidden(Refusal::store_not_connected).message);
  std::vector<FieldError> items;
  for (int i = 0; i < 7; ++i)
    items.push_back(FieldError{"items[" + std::to_string(i) + "].variantId", FieldCode::not_in_catalog,
                               field_message(FieldCode::not_in_catalog), std::nullopt});
  const ApiError unknown = unknown_items(items);
  CHECK(unknown.code == ApiCode::not_found);
  CHECK(unknown.details.size() == 7);  // every one, in details
  CHECK(unknown.message ==
        "Not in the catalog: items[0].variantId, items[1].variantId, items[2].variantId, "
        "items[3].variantId, items[4].variantId (and 2 more). Nothing was changed.");
}
