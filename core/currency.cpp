#include "core/currency.hpp"

#include "core/locale.hpp"

namespace stockbell {
namespace {

// ISO 4217 list one (active codes), sorted for binary search, as one string of 3-letter codes
// (a table of separate strings costs the widget's WebAssembly module four times the bytes).
// Includes funds codes (e.g. CLF) and precious metals (XAU), as the standard does.
constexpr std::string_view kCodes =
    "AEDAFNALLAMDANGAOAARSAUDAWGAZNBAMBBDBDTBGNBHDBIFBMDBNDBOBBOVBRLBSDBTNBWPBYNBZDCADCDFCHECHF"
    "CHWCLFCLPCNYCOPCOUCRCCUCCUPCVECZKDJFDKKDOPDZDEGPERNETBEURFJDFKPGBPGELGHSGIPGMDGNFGTQGYDHKD"
    "HNLHTGHUFIDRILSINRIQDIRRISKJMDJODJPYKESKGSKHRKMFKPWKRWKWDKYDKZTLAKLBPLKRLRDLSLLYDMADMDLMGA"
    "MKDMMKMNTMOPMRUMURMVRMWKMXNMXVMYRMZNNADNGNNIONOKNPRNZDOMRPABPENPGKPHPPKRPLNPYGQARRONRSDRUB"
    "RWFSARSBDSCRSDGSEKSGDSHPSLESLLSOSSRDSSPSTNSVCSYPSZLTHBTJSTMTTNDTOPTRYTTDTWDTZSUAHUGXUSDUSN"
    "UYIUYUUYWUZSVEDVESVNDVUVWSTXAFXAGXAUXBAXBBXBCXBDXCDXCGXDRXOFXPDXPFXPTXSUXTSXUAXXXYERZARZMW"
    "ZWGZWL";
constexpr size_t kCount = kCodes.size() / 3;
static_assert(kCodes.size() % 3 == 0);

// ISO 4217's minor units where they are not 2.
constexpr std::string_view kZeroDecimals = "BIFCLPDJFGNFISKJPYKMFKRWPYGRWFUGXUYIVNDVUVXAFXOFXPF";
constexpr std::string_view kThreeDecimals = "BHDIQDJODKWDLYDOMRTND";
constexpr std::string_view kFourDecimals = "CLFUYW";

bool listed(std::string_view list, std::string_view code) {
  for (size_t i = 0; i + 3 <= list.size(); i += 3)
    if (list.substr(i, 3) == code) return true;
  return false;
}

constexpr std::string_view kNbsp = "\xC2\xA0";

// How one language writes a price.
struct Convention {
  std::string_view group;
  std::string_view decimal;
  bool symbol_first;
  size_t min_grouping;  ///< digits of the integer part from which groups are separated
};

Convention convention_of(std::string_view language) {
  if (language == "de") return {".", ",", false, 4};
  if (language == "fr") return {kNbsp, ",", false, 4};
  if (language == "es") return {".", ",", false, 5};
  return {",", ".", true, 4};
}

// The symbol a language's shoppers know the currency by; empty: write the code.
std::string_view symbol_of(std::string_view currency, std::string_view language) {
  if (currency == "EUR") return "€";
  if (currency == "GBP") return "£";
  if (currency == "JPY") return "¥";
  if (currency == "INR") return "₹";
  if (currency == "KRW") return "₩";
  if (currency == "USD") {
    if (language == "fr") return "$US";
    if (language == "es") return "US$";
    return "$";
  }
  return {};
}

std::string grouped(const std::string& digits, const Convention& c) {
  if (digits.size() < c.min_grouping) return digits;
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += c.group;
    out += digits[i];
  }
  return out;
}

}  // namespace

bool is_iso4217_currency(std::string_view code) {
  if (code.size() != 3) return false;
  size_t low = 0, high = kCount;
  while (low < high) {
    const size_t mid = (low + high) / 2;
    const std::string_view entry = kCodes.substr(mid * 3, 3);
    if (entry == code) return true;
    if (entry < code) low = mid + 1;
    else high = mid;
  }
  return false;
}

int currency_minor_units(std::string_view code) {
  if (code.size() != 3) return 2;
  if (listed(kZeroDecimals, code)) return 0;
  if (listed(kThreeDecimals, code)) return 3;
  if (listed(kFourDecimals, code)) return 4;
  return 2;
}

std::string format_price(int64_t amount, std::string_view currency, std::string_view locale) {
  const std::optional<std::string> tag = normalize_locale(locale);
  const std::string language = tag ? tag->substr(0, tag->find('-')) : "en";
  const Convention c = convention_of(language);
  const int decimals = currency_minor_units(currency);
  // The magnitude as unsigned: INT64_MIN has no positive int64.
  const uint64_t magnitude =
      amount < 0 ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  uint64_t unit = 1;
  for (int i = 0; i < decimals; ++i) unit *= 10;
  std::string number = grouped(std::to_string(magnitude / unit), c);
  if (decimals > 0) {
    std::string fraction = std::to_string(magnitude % unit);
    fraction.insert(0, static_cast<size_t>(decimals) - fraction.size(), '0');
    number += c.decimal;
    number += fraction;
  }
  const std::string_view symbol = symbol_of(currency, language);
  const std::string sign = amount < 0 ? "-" : "";
  if (c.symbol_first) {
    if (symbol.empty()) return sign + std::string(currency) + std::string(kNbsp) + number;
    return sign + std::string(symbol) + number;
  }
  return sign + number + std::string(kNbsp) +
         std::string(symbol.empty() ? currency : symbol);
}

}  // namespace stockbell
