// The API routes: HTTP in, core types to the Service, core builders out.

#include "core/back_in_stock.hpp"
#include "core/event.hpp"
#include "core/fields.hpp"
#include "core/product.hpp"
#include "core/query.hpp"
#include "core/responses.hpp"
#include "core/version.hpp"
#include "server/http_api.hpp"

namespace stockbell::server {
namespace {

QueryParams query_params(const httplib::Request& req) {
  QueryParams params;
  for (const auto& [key, value] : req.params) params.emplace_back(key, value);
  return params;
}

}  // namespace

void HttpApi::health(RouteContext& ctx) {
  {
    auto db = service_.reads().acquire();
    db->cached("SELECT 1").run();
  }
  Json out;
  out["success"] = true;
  out["status"] = "ok";
  out["version"] = STOCKBELL_VERSION;
  send_json(ctx.res, 200, dump(out));
}

void HttpApi::register_request(RouteContext& ctx) {
  if (!accept_json_body(ctx, kMaxRequestBodyBytes)) return;
  Result<BackInStockRequest> request = parse_back_in_stock_request(ctx.req.body);
  if (!request.ok()) return send_error(ctx.res, request.error());
  const Trust trust =
      ctx.principal.kind == KeyKind::secret ? Trust::secret : Trust::publishable;
  if (trust == Trust::publishable &&
      !within_limit(email_limiter_,
                    std::to_string(ctx.principal.store_id) + "|" + request.value().customer.email,
                    ctx.res))
    return;
  const RegisterOutcome outcome =
      service_.register_request(ctx.principal.store_id, trust, request.value());
  send_json(ctx.res, 200, register_response_json(outcome));
}

void HttpApi::list_requests(RouteContext& ctx) {
  Result<RequestListQuery> query = parse_request_list_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  const Service::RequestPage page = service_.list_requests(ctx.principal.store_id, query.value());
  Json items = Json::array();
  for (const store::RequestRow& row : page.rows) items.push_back(request_json(service_.request_view(row)));
  send_json(ctx.res, 200,
            list_response_json("requests", std::move(items), page.rows.size(), query.value().page,
                               page.total));
}

void HttpApi::cancel_request(RouteContext& ctx) {
  Result<store::RequestRow> row = service_.cancel_request(ctx.principal.store_id, ctx.params[0]);
  if (!row.ok()) return send_error(ctx.res, row.error());
  send_json(ctx.res, 200, success_json("request", request_json(service_.request_view(row.value()))));
}

void HttpApi::upsert_products(RouteContext& ctx) {
  if (!accept_json_body(ctx, kMaxUpsertBodyBytes)) return;
  Result<ProductUpsert> upsert = parse_product_upsert(ctx.req.body);
  if (!upsert.ok()) return send_error(ctx.res, upsert.error());
  const Service::UpsertOutcome outcome =
      service_.upsert_products(ctx.principal.store_id, upsert.value());
  Json products = Json::array();
  for (const store::ProductRow& row : outcome.products)
    products.push_back(product_api_json(row.product, service_.product_meta(row)));
  send_json(ctx.res, 200,
            upsert_response_json(outcome.products.size(), outcome.events_triggered,
                                 std::move(products)));
}

void HttpApi::list_products(RouteContext& ctx) {
  Result<ProductListQuery> query = parse_product_list_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  const Service::ProductPage page = service_.list_products(ctx.principal.store_id, query.value());
  Json items = Json::array();
  for (const store::ProductRow& row : page.rows)
    items.push_back(product_api_json(row.product, service_.product_meta(row)));
  send_json(ctx.res, 200,
            list_response_json("products", std::move(items), page.rows.size(), query.value().page,
                               page.total));
}

void HttpApi::get_product(RouteContext& ctx) {
  std::optional<store::ProductRow> row = service_.get_product(ctx.principal.store_id, ctx.params[0]);
  if (!row) return send_error(ctx.res, make_error(ApiCode::not_found, "No product with that productId."));
  send_json(ctx.res, 200,
            success_json("product", product_api_json(row->product, service_.product_meta(*row))));
}

void HttpApi::delete_product(RouteContext& ctx) {
  if (!service_.delete_product(ctx.principal.store_id, ctx.params[0]))
    return send_error(ctx.res, make_error(ApiCode::not_found, "No product with that productId."));
  send_json(ctx.res, 200, success_json("deleted", true));
}

void HttpApi::list_events(RouteContext& ctx) {
  Result<EventListQuery> query = parse_event_list_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  Result<Service::EventPage> page = service_.list_events(ctx.principal.store_id, query.value());
  if (!page.ok()) return send_error(ctx.res, page.error());
  Json events = Json::array();
  for (const store::EventRow& row : page.value().rows)
    events.push_back(event_json(service_.event_data(row)));
  std::optional<std::string> cursor = query.value().after;
  if (!page.value().rows.empty())
    cursor = service_.public_id(IdKind::event, page.value().rows.back().id);
  send_json(ctx.res, 200, events_response_json(std::move(events), cursor, page.value().has_more));
}

void HttpApi::availability(RouteContext& ctx) {
  Result<AvailabilityQuery> query = parse_availability_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  const Service::Availability a = service_.availability(ctx.principal.store_id, query.value());
  send_json(ctx.res, 200, availability_response_json(a.in_stock, a.known));
}

}  // namespace stockbell::server
