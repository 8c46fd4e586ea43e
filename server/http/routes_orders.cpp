// The order routes (secret key): stock-only updates, orders, and the conversion figures.

#include "core/inventory.hpp"
#include "core/limits.hpp"
#include "core/order.hpp"
#include "core/query.hpp"
#include "core/responses.hpp"
#include "core/stats.hpp"
#include "server/http/router.hpp"

namespace stockbell::server {

void Router::update_inventory(RouteContext& ctx) {
  if (!accept_json_body(ctx, kMaxInventoryBodyBytes)) return;
  Result<InventoryUpdate> update = parse_inventory_update(ctx.req.body);
  if (!update.ok()) return send_error(ctx.res, update.error());
  Result<CatalogService::InventoryOutcome> outcome =
      use_.catalog.update_inventory(ctx.principal.store_id, update.value());
  if (!outcome.ok()) return send_error(ctx.res, outcome.error());
  // Each item's target as it is now.
  Json items = Json::array();
  for (const StockUpdate& item : update.value().items)
    for (const ProductRecord& row : outcome.value().products)
      if (row.product.product_id == item.product_id)
        items.push_back(stock_json(row.product, item.variant_id));
  send_json(ctx.res, 200,
            inventory_response_json(outcome.value().products.size(),
                                    outcome.value().events_triggered, std::move(items)));
}

void Router::push_order(RouteContext& ctx) {
  if (!accept_json_body(ctx, kMaxOrderBodyBytes)) return;
  Result<Order> order = parse_order(ctx.req.body);
  if (!order.ok()) return send_error(ctx.res, order.error());
  use_.orders.push(ctx.principal.store_id, order.value());
  // 202 is Sequenzy's answer; here the work is done, and on disk, before it is sent.
  send_json(ctx.res, 202, order_accepted_json(order.value()));
}

void Router::conversion_stats(RouteContext& ctx) {
  Result<ConversionStatsQuery> query = parse_conversion_stats_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  send_json(ctx.res, 200,
            conversion_stats_response_json(
                use_.stats.conversions(ctx.principal.store_id, query.value())));
}

}  // namespace stockbell::server
