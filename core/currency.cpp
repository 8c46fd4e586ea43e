#include "core/currency.hpp"

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

}  // namespace stockbell

namespace stockbell {

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
