#pragma once
// Currencies: ISO 4217 alphabetic codes, their minor units, amounts written as decimal text
// (the way store platforms send prices: "19.99", "1200", "-100.70"), and prices as a shopper
// reads them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stockbell {

/// True for an ISO 4217 alphabetic code in current use (`USD`, `EUR`, `JPY`, ...), upper case
/// only: `usd`, `EURO` and the withdrawn `DEM` are false.
bool is_iso4217_currency(std::string_view code);

/// Digits of the currency's minor unit (ISO 4217 exponent): JPY and KRW 0, USD and EUR 2, KWD and
/// BHD 3, CLF 4. Every `*Cents` amount of the API counts these minor units (1200 JPY is
/// `1200`, 19.99 USD is `1999`). A code not listed as 0, 3 or 4 has 2.
int currency_exponent(std::string_view code);

/// Why a decimal amount was refused.
enum class AmountProblem {
  not_a_decimal,      ///< `""`, `" 19.99"`, `"19,99"`, `"1e3"`, `"01.5"`
  too_many_decimals,  ///< `"19.995"` USD, `"1200.50"` JPY: finer than the minor unit
  out_of_range,       ///< more than 2^53 - 1 minor units either way
};

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?` scaled exactly by the currency's exponent, without any
/// floating point: "19.99" USD → 1999, "1200" and "1200.00" JPY → 1200, "12.3" KWD → 12300,
/// "-100.70" EUR → -10070. Zeros beyond the exponent are fine ("19.990" → 1999); any other digit
/// there is `too_many_decimals` (nothing is rounded).
struct MinorUnits {
  std::optional<int64_t> value;
  AmountProblem problem = AmountProblem::not_a_decimal;
};
MinorUnits parse_minor_units(std::string_view decimal, std::string_view currency);

/// `amount` minor units (currency_exponent) of `currency` as a shopper of `locale`'s language
/// reads a price. The languages with their own shop conventions (CLDR's):
///   en  €12.99   $1,234.50   ¥1,500   CHF 12.99      symbol first, "," groups, "." decimals
///   de  12,99 €  1.234,50 $  1.500 ¥  12,99 CHF      after the number, "." groups, "," decimals
///   fr  12,99 €  1 234,50 $US         12,99 CHF      after, no-break space groups, ","
///   es  12,99 €  1234,50 US$ 15.000 ¥               after, "." groups from five digits, ","
/// Other languages read English's. The space before a trailing symbol and after a leading code
/// is a no-break space (U+00A0), and so is French's group separator (U+00A0, not the narrow
/// U+202F, which some mail clients' fonts lack), so a price never breaks across lines. Codes
/// without a common symbol are written as the code (`CHF`, `SEK`).
std::string format_price(int64_t amount, std::string_view currency, std::string_view locale);

}  // namespace stockbell
