// The pages a shopper opens from an e-mail (no key: the token is the key): GET shows a button
// and changes nothing (mail scanners follow links), POST acts, also as RFC 8058's one-click
// unsubscribe (`List-Unsubscribe=One-Click`, sent by the mail client itself).

#include "core/shopper_page.hpp"
#include "server/http/router.hpp"

namespace stockbell::server {
namespace {

void send_page(httplib::Response& res, const MailService::PageAnswer& page) {
  res.status = page.status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Security-Policy", std::string(kShopperPageCsp));
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");  // the token must not leave in a Referer
  res.set_header("X-Robots-Tag", "noindex");
  res.set_content(page.html, "text/html; charset=utf-8");
}

std::string lang_of(const httplib::Request& req) {
  return req.has_param("lang") ? req.get_param_value("lang") : std::string();
}

}  // namespace

void Router::unsubscribe_view(RouteContext& ctx) {
  send_page(ctx.res, use_.mail.unsubscribe_page(ctx.params[0], lang_of(ctx.req), false));
}

void Router::unsubscribe_act(RouteContext& ctx) {
  send_page(ctx.res, use_.mail.unsubscribe_page(ctx.params[0], lang_of(ctx.req), true));
}

void Router::confirm_view(RouteContext& ctx) {
  send_page(ctx.res, use_.mail.confirm_page(ctx.params[0], lang_of(ctx.req), false));
}

void Router::confirm_act(RouteContext& ctx) {
  send_page(ctx.res, use_.mail.confirm_page(ctx.params[0], lang_of(ctx.req), true));
}

}  // namespace stockbell::server
