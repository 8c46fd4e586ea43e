// core/currency: ISO 4217 alphabetic codes in current use, minor units, prices per language.

#include <doctest/doctest.h>

#include <cstdint>
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

TEST_CASE("prices as a shopper of each language reads them") {
  using stockbell::format_price;
  const std::string nb = "\xC2\xA0";  // no-break space
  // The issue's own examples.
  CHECK(format_price(1299, "EUR", "de") == "12,99" + nb + "€");
  CHECK(format_price(1299, "EUR", "en") == "€12.99");
  // English: symbol first, "," groups.
  CHECK(format_price(123450, "USD", "en") == "$1,234.50");
  CHECK(format_price(123456789, "USD", "en-GB") == "$1,234,567.89");
  CHECK(format_price(5, "GBP", "en") == "£0.05");
  CHECK(format_price(1500, "JPY", "en") == "¥1,500");
  CHECK(format_price(1299, "CHF", "en") == "CHF" + nb + "12.99");
  // German: after the number, "." groups.
  CHECK(format_price(123450, "USD", "de-DE") == "1.234,50" + nb + "$");
  CHECK(format_price(1500, "JPY", "de") == "1.500" + nb + "¥");
  CHECK(format_price(1299, "CHF", "de-CH") == "12,99" + nb + "CHF");
  CHECK(format_price(0, "EUR", "de") == "0,00" + nb + "€");
  // French: no-break space groups.
  CHECK(format_price(123450, "EUR", "fr") == "1" + nb + "234,50" + nb + "€");
  CHECK(format_price(999, "USD", "fr-CA") == "9,99" + nb + "$US");
  // Spanish: groups only from five digits.
  CHECK(format_price(123450, "EUR", "es") == "1234,50" + nb + "€");
  CHECK(format_price(1500000, "EUR", "es") == "15.000,00" + nb + "€");
  CHECK(format_price(999, "USD", "es-MX") == "9,99" + nb + "US$");
  // Three and four decimals, as ISO 4217 says.
  CHECK(format_price(1500, "KWD", "en") == "KWD" + nb + "1.500");
  CHECK(format_price(12345, "CLF", "de") == "1,2345" + nb + "CLF");
  // Unknown or missing languages read English's.
  CHECK(format_price(1299, "EUR", "pt-BR") == "€12.99");
  CHECK(format_price(1299, "EUR", "") == "€12.99");
  CHECK(format_price(1299, "EUR", "not a tag") == "€12.99");
  // Negative amounts (a refund, never a shopper's price) and the extremes don't overflow.
  CHECK(format_price(-1299, "EUR", "en") == "-€12.99");
  CHECK(format_price(INT64_MIN, "JPY", "en") == "-¥9,223,372,036,854,775,808");
  CHECK(format_price(INT64_MAX, "USD", "en") == "$92,233,720,368,547,758.07");
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
