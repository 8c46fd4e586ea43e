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


std::string format_price(int64_t amount, std::string_view currency, std::string_view locale) {
  const std::optional<std::string> tag = normalize_locale(locale);
  const std::string language = tag ? tag->substr(0, tag->find('-')) : "en";
  const Convention c = convention_of(language);
  const int decimals = currency_exponent(currency);
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

int currency_exponent(std::string_view code) {
  // ISO 4217 minor units other than 2, for codes in current use.
  static constexpr std::string_view kZero = "BIFCLPDJFGNFISKJPYKMFKRWPYGRWFUGXUYIVNDVUVXAFXOFXPF";
  static constexpr std::string_view kThree = "BHDIQDJODKWDLYDOMRTND";
  static constexpr std::string_view kFour = "CLFUYW";
  if (code.size() != 3) return 2;
  const auto listed = [code](std::string_view list) {
    for (size_t i = 0; i + 3 <= list.size(); i += 3)
      if (list.substr(i, 3) == code) return true;
    return false;
  };
  if (listed(kZero)) return 0;
  if (listed(kThree)) return 3;
  if (listed(kFour)) return 4;
  return 2;
}

MinorUnits parse_minor_units(std::string_view text, std::string_view currency) {
  constexpr int64_t kMax = 9007199254740991;  // 2^53 - 1, as every amount of the API
  MinorUnits out;
  size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  const size_t int_start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  const size_t int_end = i;
  if (int_end == int_start || (text[int_start] == '0' && int_end - int_start > 1)) return out;
  size_t frac_start = i, frac_end = i;
  if (i < text.size() && text[i] == '.') {
    frac_start = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    frac_end = i;
    if (frac_end == frac_start) return out;
  }
  if (i != text.size()) return out;
  const int exponent = currency_exponent(currency);
  // Digits beyond the minor unit must all be zeros.
  for (size_t k = frac_start + static_cast<size_t>(exponent); k < frac_end; ++k) {
    if (text[k] != '0') {
      out.problem = AmountProblem::too_many_decimals;
      return out;
    }
  }
  int64_t value = 0;
  const auto push = [&value](char digit) {
    if (value > (kMax - (digit - '0')) / 10) return false;
    value = value * 10 + (digit - '0');
    return true;
  };
  for (size_t k = int_start; k < int_end; ++k) {
    if (!push(text[k])) {
      out.problem = AmountProblem::out_of_range;
      return out;
    }
  }
  for (int k = 0; k < exponent; ++k) {
    const size_t at = frac_start + static_cast<size_t>(k);
    if (!push(at < frac_end ? text[at] : '0')) {
      out.problem = AmountProblem::out_of_range;
      return out;
    }
  }
  out.value = negative ? -value : value;
  return out;
}

}  // namespace stockbell
