#pragma once
// Currencies: ISO 4217 alphabetic codes, their minor units, and prices as a shopper reads them.

#include <cstdint>
#include <string>
#include <string_view>

namespace stockbell {

/// True for an ISO 4217 alphabetic code in current use (`USD`, `EUR`, `JPY`, ...), upper case
/// only: `usd`, `EURO` and the withdrawn `DEM` are false.
bool is_iso4217_currency(std::string_view code);

/// Digits of the currency's minor unit (ISO 4217): `USD` 2, `JPY` 0, `KWD` 3, `CLF` 4. A price
/// in `priceCents` counts these units: 1500 `JPY` is ¥1,500, 1500 `KWD` is 1.500 KWD. Codes
/// without a minor unit (`XAU`) and unknown codes: 2.
int currency_minor_units(std::string_view code);

/// `amount` minor units of `currency` as a shopper of `locale`'s language reads a price. The
/// languages with their own shop conventions (CLDR's):
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
