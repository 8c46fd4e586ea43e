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
