// SqliteTx: subscribers and the catalog.

#include "server/store/sqlite/sqlite_tx.hpp"

#include <stdexcept>

#include "core/text.hpp"

namespace stockbell::server {
namespace {

// `search` case-folded like the stored search_text; matched as a plain substring (instr), so
// `%` and `_` in a search mean themselves.
std::optional<std::string> folded(const std::optional<std::string>& search) {
  if (!search) return std::nullopt;
  return fold_case(*search);
}

}  // namespace

std::optional<ProductRecord> SqliteTx::find_product(int64_t store_id,
                                                    const std::string& product_id) {
  Statement& st = db_.cached("SELECT " STOCKBELL_PRODUCT_COLUMNS
                             " FROM products WHERE store_id = ? AND product_id = ?");
  st.bind(1, store_id).bind(2, product_id);
  return read_first(st, read_product<Statement>);
}

// The write cache forgets what it knew of a product SqlTx wrote.
ProductRecord SqliteTx::save_product(int64_t store_id, const Product& product, int64_t now) {
  ProductRecord row = SqlTx::save_product(store_id, product, now);
  if (cache_ != nullptr) cache_->product_changed(store_id, product.product_id);
  return row;
}

bool SqliteTx::delete_product(int64_t store_id, const std::string& product_id) {
  const bool deleted = SqlTx::delete_product(store_id, product_id);
  if (cache_ != nullptr) cache_->product_changed(store_id, product_id);
  return deleted;
}

std::vector<ProductRecord> SqliteTx::list_products(int64_t store_id, const ProductListQuery& q) {
  Statement& st = db_.cached("SELECT " STOCKBELL_PRODUCT_COLUMNS
                             " FROM products WHERE store_id = ?1"
                             " AND (?2 IS NULL OR instr(search_text, ?2) > 0)"
                             " ORDER BY product_id LIMIT ?3 OFFSET ?4");
  st.bind(1, store_id).bind(2, folded(q.search)).bind(3, q.page.limit);
  st.bind(4, q.page.offset);
  return read_all(st, read_product<Statement>);
}

int64_t SqliteTx::count_products(int64_t store_id, const ProductListQuery& q) {
  Statement& st = db_.cached(
      "SELECT count(*) FROM products WHERE store_id = ?1"
      " AND (?2 IS NULL OR instr(search_text, ?2) > 0)");
  st.bind(1, store_id).bind(2, folded(q.search));
  return single_int(st);
}

}  // namespace stockbell::server
