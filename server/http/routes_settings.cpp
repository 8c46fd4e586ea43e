// The store settings routes (secret key): GET and PATCH /api/v1/settings.

#include "core/limits.hpp"
#include "core/responses.hpp"
#include "core/settings.hpp"
#include "server/http/router.hpp"

namespace stockbell::server {

void Router::get_settings(RouteContext& ctx) {
  send_json(ctx.res, 200,
            success_json("settings", settings_json(use_.settings.get(ctx.principal.store_id))));
}

void Router::update_settings(RouteContext& ctx) {
  if (!accept_json_body(ctx, kMaxSettingsBodyBytes)) return;
  Result<StoreSettings> settings = use_.settings.patch(ctx.principal.store_id, ctx.req.body);
  if (!settings.ok()) return send_error(ctx.res, settings.error());
  send_json(ctx.res, 200, success_json("settings", settings_json(settings.value())));
}

}  // namespace stockbell::server
