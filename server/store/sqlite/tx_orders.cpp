// SqliteTx: orders, what they did to back-in-stock requests, and the conversion figures.

#include <stdexcept>

#include "server/store/db_values.hpp"
#include "server/store/sqlite/sqlite_tx.hpp"

namespace stockbell::server {
namespace {

const int64_t kConverted = db::value(PurchaseEffect::converted);

}  // namespace

int64_t SqliteTx::reverse_conversions(int64_t order_row, std::optional<int64_t> reversed_at) {
  db_.cached(
         "UPDATE purchases SET reversed_at = ?2 WHERE order_id = ?1 AND effect = ?3"
         " AND (reversed_at IS NULL) = (?2 IS NOT NULL)")
      .bind(1, order_row)
      .bind(2, reversed_at)
      .bind(3, kConverted)
      .run();
  return db_.changes();
}

// The buyer's orders, by the e-mail inside their data: an erasure reads the store's orders once.
std::vector<std::pair<int64_t, std::string>> SqliteTx::orders_bought_with(
    int64_t store_id, const std::string& email) {
  std::vector<std::pair<int64_t, std::string>> orders;
  Statement& st = db_.cached(
      "SELECT id, data FROM orders WHERE store_id = ? AND"
      " lower(json_extract(data, '$.customer.email')) = ?");
  st.bind(1, store_id).bind(2, email);
  while (st.step()) orders.emplace_back(st.int64(0), st.string(1));
  st.reset();
  return orders;
}

}  // namespace stockbell::server
