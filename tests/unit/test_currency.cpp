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

TEST_CASE("minor units: two for most, ISO 4217's exceptions") {
  using stockbell::currency_minor_units;
  CHECK(currency_minor_units("USD") == 2);
  CHECK(currency_minor_units("EUR") == 2);
  CHECK(currency_minor_units("JPY") == 0);
  CHECK(currency_minor_units("KRW") == 0);
  CHECK(currency_minor_units("CLP") == 0);
  CHECK(currency_minor_units("KWD") == 3);
  CHECK(currency_minor_units("BHD") == 3);
  CHECK(currency_minor_units("CLF") == 4);
  CHECK(currency_minor_units("XAU") == 2);
  CHECK(currency_minor_units("") == 2);
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
