// The catalog routes: upsert (which notifies), list, get and delete products, and the
// storefront's availability check.

#include "core/limits.hpp"
#include "core/product.hpp"
#include "core/query.hpp"
#include "core/responses.hpp"
#include "server/http/router.hpp"

namespace stockbell::server {

void Router::upsert_products(RouteContext& ctx) {
  if (!accept_json_body(ctx, kMaxUpsertBodyBytes)) return;
  Result<ProductUpsert> upsert = parse_product_upsert(ctx.req.body);
  if (!upsert.ok()) return send_error(ctx.res, upsert.error());
  const CatalogService::UpsertOutcome outcome =
      use_.catalog.upsert_products(ctx.principal.store_id, upsert.value());
  Json products = Json::array();
  for (const ProductRecord& row : outcome.products)
    products.push_back(product_api_json(row, use_.ids));
  send_json(ctx.res, 200,
            upsert_response_json(outcome.created, outcome.products.size() - outcome.created,
                                 outcome.events_triggered, std::move(products)));
}

void Router::list_products(RouteContext& ctx) {
  Result<ProductListQuery> query = parse_product_list_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  const CatalogService::ProductPage page =
      use_.catalog.list_products(ctx.principal.store_id, query.value());
  Json items = Json::array();
  for (const ProductRecord& row : page.rows) items.push_back(product_api_json(row, use_.ids));
  send_json(ctx.res, 200,
            list_response_json("products", std::move(items), page.rows.size(), query.value().page,
                               page.total));
}

void Router::get_product(RouteContext& ctx) {
  Result<ProductRecord> row = use_.catalog.get_product(ctx.principal.store_id, ctx.params[0]);
  if (!row.ok()) return send_error(ctx.res, row.error());
  send_json(ctx.res, 200, success_json("product", product_api_json(row.value(), use_.ids)));
}

void Router::delete_product(RouteContext& ctx) {
  Result<std::string> deleted = use_.catalog.delete_product(ctx.principal.store_id, ctx.params[0]);
  if (!deleted.ok()) return send_error(ctx.res, deleted.error());
  send_json(ctx.res, 200, deleted_response_json("productId", deleted.value()));
}

void Router::availability(RouteContext& ctx) {
  Result<AvailabilityQuery> query = parse_availability_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  const CatalogService::Availability a =
      use_.catalog.availability(ctx.principal.store_id, query.value());
  send_json(ctx.res, 200, availability_response_json(a.in_stock, a.known));
}

}  // namespace stockbell::server
