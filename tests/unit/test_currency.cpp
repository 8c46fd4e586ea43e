// core/currency: ISO 4217 alphabetic codes in current use, upper case.

#include <doctest/doctest.h>

#include <string>

#include "core/currency.hpp"

using stockbell::is_iso4217_currency;

TEST_CASE("active codes are accepted") {
  for (const std::string code : {"USD", "EUR", "JPY", "GBP", "CHF", "SEK", "NOK", "CNY", "INR", "BRL",
                           "AED", "ZWL", "XAU", "CLF", "XXX"}) {
    CAPTURE(code);
    CHECK(is_iso4217_currency(code));
  }
}

TEST_CASE("lower case, wrong lengths, withdrawn and made-up codes are rejected") {
  for (const std::string code : {"usd", "Usd", "EURO", "US", "", "DEM", "FRF", "ITL", "ZZZ", "ABC",
                           "US$", "€", "U D", "USD "}) {
    CAPTURE(code);
    CHECK_FALSE(is_iso4217_currency(code));
  }
}

// ---- minor units -------------------------------------------------------------------------

#include "tests/unit/support.hpp"

using stockbell::AmountProblem;
using stockbell::currency_exponent;
using stockbell::Json;
using stockbell::parse_minor_units;

TEST_CASE("minor units: ISO 4217 exponents 0, 2, 3 and 4") {
  for (const char* code : {"JPY", "KRW", "CLP", "ISK", "VND", "XOF"}) CHECK(currency_exponent(code) == 0);
  for (const char* code : {"USD", "EUR", "GBP", "CHF", "XXX", "", "usd"}) CHECK(currency_exponent(code) == 2);
  for (const char* code : {"KWD", "BHD", "OMR", "TND", "JOD", "IQD", "LYD"}) CHECK(currency_exponent(code) == 3);
  for (const char* code : {"CLF", "UYW"}) CHECK(currency_exponent(code) == 4);
}

TEST_CASE("minor units: every vector of the platform fixtures (currency_minor_units.json)") {
  const Json vectors = stockbell::test::fixture("currency_minor_units.json");
  const Json* cases = vectors.find("cases");
  REQUIRE(cases != nullptr);
  REQUIRE(cases->size() >= 20);
  for (const Json& c : cases->items()) {
    const std::string currency = c.find("currency")->as_string();
    const std::string input = c.find("input")->as_string();
    CAPTURE(currency);
    CAPTURE(input);
    const stockbell::MinorUnits got = parse_minor_units(input, currency);
    if (const Json* minor = c.find("minor")) {
      REQUIRE(got.value.has_value());
      CHECK(*got.value == *minor->as_integer());
    } else {
      CHECK_FALSE(got.value.has_value());
      const std::string error = c.find("error")->as_string();
      if (error == "too_many_decimals") CHECK(got.problem == AmountProblem::too_many_decimals);
      if (error == "out_of_range") CHECK(got.problem == AmountProblem::out_of_range);
      if (error == "empty" || error == "not_a_decimal") CHECK(got.problem == AmountProblem::not_a_decimal);
    }
  }
}

TEST_CASE("minor units: no rounding, no floating point, no odd spellings") {
  CHECK(parse_minor_units("0.07", "USD").value == 7);
  CHECK(parse_minor_units("-0.5", "USD").value == -50);
  CHECK(parse_minor_units("9007199254740.99", "USD").value == 900719925474099);
  CHECK(parse_minor_units("90071992547409.91", "USD").value == 9007199254740991);  // 2^53 - 1
  CHECK(parse_minor_units("9007199254740992", "JPY").problem == AmountProblem::out_of_range);
  CHECK(parse_minor_units("99999999999999999999999", "USD").problem == AmountProblem::out_of_range);
  for (const char* bad : {"", "-", ".5", "5.", "01", "+5", "1.2.3", "1_000", "١٢", "0x10", "1 ", "NaN"}) {
    CAPTURE(bad);
    CHECK(parse_minor_units(bad, "USD").problem == AmountProblem::not_a_decimal);
  }
  CHECK(parse_minor_units("0.1000000000000000000000001", "USD").problem ==
        AmountProblem::too_many_decimals);
  CHECK(parse_minor_units("1.0000000000000000000000000", "USD").value == 100);
}
