// GET /healthz (no key).

#include "core/json.hpp"
#include "core/version.hpp"
#include "server/http/router.hpp"

namespace stockbell::server {

void Router::health(RouteContext& ctx) {
  // Not healthy while writes can't be stored: a load balancer takes the node out.
  if (std::optional<Unavailable> why = use_.status.problem()) throw StorageUnavailable(*why);
  use_.status.check_database();
  Json out;
  out["success"] = true;
  out["status"] = "ok";
  out["version"] = STOCKBELL_VERSION;
  send_json(ctx.res, 200, dump(out));
}

}  // namespace stockbell::server
