// The back-in-stock routes: register (storefront), list and cancel requests, the event feed.

#include "core/back_in_stock.hpp"
#include "core/email.hpp"
#include "core/event.hpp"
#include "core/limits.hpp"
#include "core/query.hpp"
#include "core/responses.hpp"
#include "server/http/router.hpp"

namespace stockbell::server {

void Router::register_request(RouteContext& ctx) {
  if (!accept_json_body(ctx, kMaxRequestBodyBytes)) return;
  Result<BackInStockRequest> request = parse_back_in_stock_request(ctx.req.body);
  if (!request.ok()) return send_error(ctx.res, request.error());
  const Trust trust =
      ctx.principal.kind == KeyKind::secret ? Trust::secret : Trust::publishable;
  if (trust == Trust::publishable &&
      !within_registration_limits(ctx.principal.store_id, request.value().customer.email, ctx.res))
    return;
  RequestOrigin origin;
  if (trust == Trust::publishable) {
    origin.client_address = ctx.client;
    if (ctx.req.has_header("User-Agent")) origin.user_agent = ctx.req.get_header_value("User-Agent");
  }
  const RegisterOutcome outcome =
      use_.requests.register_request(ctx.principal.store_id, trust, request.value(), origin);
  send_json(ctx.res, 200, register_response_json(outcome, use_.ids, trust));
}

void Router::list_requests(RouteContext& ctx) {
  Result<RequestListQuery> query = parse_request_list_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  Result<ListFormat> format = parse_list_format(query_params(ctx.req));
  if (!format.ok()) return send_error(ctx.res, format.error());
  if (format.value() == ListFormat::csv) return export_requests(ctx, std::move(query.value()));
  const RequestService::RequestPage page =
      use_.requests.list_requests(ctx.principal.store_id, query.value());
  Json items = Json::array();
  for (const RequestRecord& row : page.rows) items.push_back(request_json(row, use_.ids));
  send_json(ctx.res, 200,
            list_response_json("requests", std::move(items), page.rows.size(), query.value().page,
                               page.total));
}

void Router::cancel_request(RouteContext& ctx) {
  Result<RequestRecord> row = use_.requests.cancel_request(ctx.principal.store_id, ctx.params[0]);
  if (!row.ok()) return send_error(ctx.res, row.error());
  send_json(ctx.res, 200, success_json("request", request_json(row.value(), use_.ids)));
}

void Router::list_events(RouteContext& ctx) {
  Result<EventListQuery> query = parse_event_list_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  Result<RequestService::EventPage> page =
      use_.requests.list_events(ctx.principal.store_id, query.value());
  if (!page.ok()) return send_error(ctx.res, page.error());
  Json events = Json::array();
  for (const EventRecord& row : page.value().rows) events.push_back(event_json(row, use_.ids));
  std::optional<std::string> cursor = query.value().after;
  if (!page.value().rows.empty())
    cursor = use_.ids.format(IdKind::event, page.value().rows.back().id);
  send_json(ctx.res, 200, events_response_json(std::move(events), cursor, page.value().has_more));
}

}  // namespace stockbell::server
