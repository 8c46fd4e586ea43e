// The e-mail routes (secret key): templates and their preview, the message list, and the
// privacy routes of a subscriber (README "E-mail").

#include "core/limits.hpp"
#include "core/message.hpp"
#include "core/query.hpp"
#include "core/responses.hpp"
#include "core/subscriber.hpp"
#include "server/http/router.hpp"

namespace stockbell::server {
namespace {

Json entry_json(const MailService::TemplateEntry& e) {
  return mail_template_json(e.kind, e.locale, e.parts, e.custom);
}

}  // namespace

void Router::list_templates(RouteContext& ctx) {
  Json templates = Json::array();
  for (const MailService::TemplateEntry& e : use_.mail.list_templates(ctx.principal.store_id))
    templates.push_back(entry_json(e));
  Json variables;
  for (MailKind kind : kMailKinds) {
    Json names = Json::array();
    for (std::string_view name : mail_variables(kind)) names.push_back(name);
    variables[mail_kind_name(kind)] = std::move(names);
  }
  Json out;
  out["success"] = true;
  out["templates"] = std::move(templates);
  out["variables"] = std::move(variables);
  send_json(ctx.res, 200, dump(out));
}

void Router::put_template(RouteContext& ctx) {
  if (!accept_json_body(ctx, kMaxTemplateBodyBytes)) return;
  Result<MailService::TemplateEntry> saved = use_.mail.put_template(
      ctx.principal.store_id, ctx.params[0], ctx.params[1], ctx.req.body);
  if (!saved.ok()) return send_error(ctx.res, saved.error());
  send_json(ctx.res, 200, success_json("template", entry_json(saved.value())));
}

void Router::delete_template(RouteContext& ctx) {
  Result<MailService::TemplateEntry> now =
      use_.mail.delete_template(ctx.principal.store_id, ctx.params[0], ctx.params[1]);
  if (!now.ok()) return send_error(ctx.res, now.error());
  send_json(ctx.res, 200, success_json("template", entry_json(now.value())));
}

void Router::preview_template(RouteContext& ctx) {
  // An empty body previews the template in use with sample data; a body must be JSON.
  if (!ctx.req.body.empty() && !accept_json_body(ctx, kMaxTemplateBodyBytes)) return;
  Result<MailService::Preview> preview = use_.mail.preview(
      ctx.principal.store_id, ctx.params[0], ctx.params[1], ctx.req.body);
  if (!preview.ok()) return send_error(ctx.res, preview.error());
  Json out;
  out["locale"] = preview.value().locale;
  out["subject"] = preview.value().mail.subject;
  out["text"] = preview.value().mail.text;
  out["html"] = preview.value().mail.html;
  send_json(ctx.res, 200, success_json("preview", std::move(out)));
}

void Router::list_messages(RouteContext& ctx) {
  Result<MessageListQuery> query = parse_message_list_query(query_params(ctx.req));
  if (!query.ok()) return send_error(ctx.res, query.error());
  const MailService::MessagePage page =
      use_.mail.list_messages(ctx.principal.store_id, query.value());
  Json items = Json::array();
  for (const MessageRecord& row : page.rows) items.push_back(message_json(row, use_.ids));
  send_json(ctx.res, 200,
            list_response_json("messages", std::move(items), page.rows.size(),
                               query.value().page, page.total));
}

void Router::get_subscriber(RouteContext& ctx) {
  Result<MailService::SubscriberView> view =
      use_.mail.subscriber(ctx.principal.store_id, ctx.params[0]);
  if (!view.ok()) return send_error(ctx.res, view.error());
  Json requests = Json::array();
  for (const RequestRecord& r : view.value().requests) requests.push_back(request_json(r, use_.ids));
  Json messages = Json::array();
  for (const MessageRecord& m : view.value().messages) messages.push_back(message_json(m, use_.ids));
  Json events = Json::array();
  for (const EventRecord& e : view.value().events) events.push_back(event_json(e, use_.ids));
  Json out;
  out["success"] = true;
  out["subscriber"] = subscriber_json(view.value().subscriber, use_.ids);
  out["requests"] = std::move(requests);
  out["messages"] = std::move(messages);
  out["events"] = std::move(events);
  send_json(ctx.res, 200, dump(out));
}

void Router::erase_subscriber(RouteContext& ctx) {
  Result<std::string> erased = use_.mail.erase_subscriber(ctx.principal.store_id, ctx.params[0]);
  if (!erased.ok()) return send_error(ctx.res, erased.error());
  Json out;
  out["success"] = true;
  out["erased"] = erased.value();
  send_json(ctx.res, 200, dump(out));
}

}  // namespace stockbell::server
