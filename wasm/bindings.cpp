// Embind surface of core/ for the browser widget. Marshalling only: every rule, limit and message
// is in core/. Strings in, JSON strings out, so no C++ exception or object crosses the boundary.

#include <emscripten/bind.h>

#include <string>

#include "core/back_in_stock.hpp"
#include "core/product.hpp"
#include "core/version.hpp"

namespace {

// `language`: the page's language file (i18n/<lang>.json) as text; "" for English.
std::string validate_back_in_stock(const std::string& body, const std::string& language) {
  return stockbell::validate_back_in_stock_json(body, language);
}

std::string validate_product_upsert(const std::string& body, const std::string& language) {
  return stockbell::validate_product_upsert_json(body, language);
}

std::string version() { return STOCKBELL_VERSION; }

}  // namespace

EMSCRIPTEN_BINDINGS(stockbell) {
  emscripten::function("validateBackInStock", &validate_back_in_stock);
  emscripten::function("validateProductUpsert", &validate_product_upsert);
  emscripten::function("version", &version);
}
