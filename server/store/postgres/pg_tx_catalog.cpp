// PgTx: subscribers and the catalog.

#include "server/store/postgres/pg_tx.hpp"

#include <stdexcept>

#include "core/text.hpp"

namespace stockbell::server::pg {
namespace {

// `search` case-folded like the stored search_text; matched as a plain substring (strpos), so
// `%` and `_` in a search mean themselves.
std::optional<std::string> folded(const std::optional<std::string>& search) {
  if (!search) return std::nullopt;
  return fold_case(*search);
}

}  // namespace

std::optional<ProductRecord> PgTx::find_product(int64_t store_id, const std::string& product_id) {
  // In a write the row is locked: concurrent upserts of one product (several server processes)
  // take their turns, each seeing the stock the previous one committed.
  Statement& st = db_.cached(writing_ ? "SELECT " STOCKBELL_PRODUCT_COLUMNS
                                        " FROM products WHERE store_id = ?"
                                        " AND product_id = ? FOR UPDATE"
                                      : "SELECT " STOCKBELL_PRODUCT_COLUMNS
                                        " FROM products WHERE store_id = ?"
                                        " AND product_id = ?");
  st.bind(1, store_id).bind(2, product_id);
  return read_first(st, read_product<Statement>);
}

std::vector<ProductRecord> PgTx::list_products(int64_t store_id, const ProductListQuery& q) {
  Statement& st = db_.cached("SELECT " STOCKBELL_PRODUCT_COLUMNS
                             " FROM products WHERE store_id = ?1"
                             " AND (?2::TEXT IS NULL OR strpos(search_text, ?2) > 0)"
                             " ORDER BY product_id LIMIT ?3 OFFSET ?4");
  st.bind(1, store_id).bind(2, folded(q.search)).bind(3, q.page.limit);
  st.bind(4, q.page.offset);
  return read_all(st, read_product<Statement>);
}

int64_t PgTx::count_products(int64_t store_id, const ProductListQuery& q) {
  Statement& st = db_.cached(
      "SELECT count(*) FROM products WHERE store_id = ?1"
      " AND (?2::TEXT IS NULL OR strpos(search_text, ?2) > 0)");
  st.bind(1, store_id).bind(2, folded(q.search));
  return single_int(st);
}

}  // namespace stockbell::server::pg
