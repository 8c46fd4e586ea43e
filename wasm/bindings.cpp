// Embind surface of core/ for the browser widget. Marshalling only: every rule, limit and message
// is in core/. Strings in, JSON strings out, so no C++ exception or object crosses the boundary.
//
// The shipped module validates what a shopper sends, a back-in-stock request, and nothing else.
// The test module (STOCKBELL_WASM_TEST_MODULE, tests/wasm) also validates product upserts, so the
// shared upsert vectors run through the same core compiled the same way; in the shipped module
// that code would be a third of the .wasm that no storefront ever calls (bench/wasm_sizes.mjs).

#include <emscripten/bind.h>

#include <string>

#include "core/back_in_stock.hpp"
#include "core/version.hpp"
#ifdef STOCKBELL_WASM_TEST_MODULE
#include "core/product.hpp"
#endif

namespace {

// `language`: the page's language file (i18n/<lang>.json) as text; "" for English.
std::string validate_back_in_stock(const std::string& body, const std::string& language) {
  return stockbell::validate_back_in_stock_json(body, language);
}

#ifdef STOCKBELL_WASM_TEST_MODULE
std::string validate_product_upsert(const std::string& body, const std::string& language) {
  return stockbell::validate_product_upsert_json(body, language);
}
#endif

std::string version() { return STOCKBELL_VERSION; }

}  // namespace

EMSCRIPTEN_BINDINGS(stockbell) {
  emscripten::function("validateBackInStock", &validate_back_in_stock);
#ifdef STOCKBELL_WASM_TEST_MODULE
  emscripten::function("validateProductUpsert", &validate_product_upsert);
#endif
  emscripten::function("version", &version);
}
