#pragma once
// Currencies: ISO 4217 alphabetic codes.

#include <string_view>

namespace stockbell {

/// True for an ISO 4217 alphabetic code in current use (`USD`, `EUR`, `JPY`, ...), upper case
/// only: `usd`, `EURO` and the withdrawn `DEM` are false.
bool is_iso4217_currency(std::string_view code);

}  // namespace stockbell
