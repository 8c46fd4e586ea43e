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
