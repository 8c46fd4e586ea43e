// The dashboard's routes: sign-in from a `stockbell dashboard-url` link, the session (CSRF token,
// sign-out), the figures (`stats/demand`, `stats/timeline`) and the CSV exports. The page itself
// is a static file (Router::serve_static, with its security headers).

#include <memory>

#include "core/csv.hpp"
#include "core/demand.hpp"
#include "core/limits.hpp"
#include "core/query.hpp"
#include "server/http/router.hpp"

namespace stockbell::server {
namespace {

constexpr int64_t kCsvPageRows = 500;  ///< rows read per chunk of a CSV export

void start_csv(httplib::Response& res, const char* filename) {
  res.status = 200;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Disposition", std::string("attachment; filename=\"") + filename + "\"");
}

}  // namespace

std::optional<std::string> session_cookie(const httplib::Request& req) {
  const std::string cookies = req.get_header_value("Cookie");
  const std::string name = std::string(kSessionCookie) + "=";
  for (size_t start = 0; start < cookies.size();) {
    size_t end = cookies.find(';', start);
    if (end == std::string::npos) end = cookies.size();
    size_t first = cookies.find_first_not_of(' ', start);
    if (first != std::string::npos && first < end && cookies.compare(first, name.size(), name) == 0)
      return cookies.substr(first + name.size(), end - first - name.size());
    start = end + 1;
  }
  return std::nullopt;
}

void set_page_headers(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
}

void Router::sign_in(RouteContext& ctx) {
  set_page_headers(ctx.res);
  Result<std::string> session = use_.sessions.sign_in(ctx.req.get_param_value("token"));
  if (!session.ok()) return send_error(ctx.res, session.error());  // used, expired or unknown
  ctx.res.status = 303;
  ctx.res.set_header("Cache-Control", "no-store");
  const bool https = public_base(ctx.req).rfind("https://", 0) == 0;
  ctx.res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + session.value() +
                                       "; Path=/; Max-Age=" + std::to_string(kSessionMaxMs / 1000) +
                                       "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : ""));
  ctx.res.set_header("Location", "/dashboard");
}

void Router::get_session(RouteContext& ctx) {
  std::optional<std::string> store, csrf;
  if (ctx.principal.session) {
    const std::string token = session_cookie(ctx.req).value_or("");
    store = use_.sessions.store_name(token);
    csrf = SessionService::csrf_token(token);
  }
  send_json(ctx.res, 200, session_response_json(store, csrf));
}

void Router::sign_out(RouteContext& ctx) {
  if (ctx.principal.session) {
    use_.sessions.sign_out(session_cookie(ctx.req).value_or(""));
    const bool https = public_base(ctx.req).rfind("https://", 0) == 0;
    ctx.res.set_header("Set-Cookie", std::string(kSessionCookie) +
                                         "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" +
                                         (https ? "; Secure" : ""));
  }
  send_json(ctx.res, 200, session_response_json(std::nullopt, std::nullopt));
}

void Router::demand_stats(RouteContext& ctx) {
  Result<DemandQuery> query = parse_demand_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  const int64_t store_id = ctx.principal.store_id;
  if (query.value().format == ListFormat::json) {
    const StatsService::DemandPage page = use_.stats.demand(store_id, query.value().page);
    send_json(ctx.res, 200,
              demand_response_json(page.items, page.waiting, query.value().page, page.targets));
    return;
  }
  // Every target with waiting requests, a page at a time (each page is its own snapshot).
  start_csv(ctx.res, "demand.csv");
  auto offset = std::make_shared<int64_t>(0);
  StatsService& stats = use_.stats;
  ctx.res.set_chunked_content_provider(
      "text/csv; charset=utf-8", [&stats, store_id, offset](size_t, httplib::DataSink& sink) {
        try {
          CsvWriter out;
          if (*offset == 0) demand_csv_header(out);
          const StatsService::DemandPage page = stats.demand(store_id, Page{kCsvPageRows, *offset});
          for (const DemandItem& item : page.items) demand_csv_row(out, item);
          *offset += kCsvPageRows;
          const std::string chunk = out.take();
          if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
          if (static_cast<int64_t>(page.items.size()) < kCsvPageRows) sink.done();
          return true;
        } catch (const std::exception&) {
          return false;  // the connection closes mid-file: the client sees a truncated download
        }
      });
}

void Router::timeline_stats(RouteContext& ctx) {
  Result<TimelineQuery> query = parse_timeline_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  const StatsService::Timeline timeline =
      use_.stats.timeline(ctx.principal.store_id, query.value().days);
  send_json(ctx.res, 200,
            timeline_response_json(query.value().days, timeline.time_zone, timeline.days));
}

void Router::export_requests(RouteContext& ctx, RequestListQuery query) {
  start_csv(ctx.res, "requests.csv");
  query.page = Page{kCsvPageRows, 0};
  const int64_t store_id = ctx.principal.store_id;
  auto state = std::make_shared<RequestListQuery>(std::move(query));
  RequestService& requests = use_.requests;
  const IdCodec& ids = use_.ids;
  ctx.res.set_chunked_content_provider(
      "text/csv; charset=utf-8",
      [&requests, &ids, store_id, state](size_t, httplib::DataSink& sink) {
        try {
          CsvWriter out;
          if (state->page.offset == 0) requests_csv_header(out);
          const RequestService::RequestPage page = requests.list_requests(store_id, *state);
          for (const RequestRecord& row : page.rows)
            request_csv_row(out, row, ids.format(IdKind::request, row.id));
          state->page.offset += kCsvPageRows;
          const std::string chunk = out.take();
          if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
          if (static_cast<int64_t>(page.rows.size()) < kCsvPageRows) sink.done();
          return true;
        } catch (const std::exception&) {
          return false;
        }
      });
}

}  // namespace stockbell::server
