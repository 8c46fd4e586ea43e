// GET /readyz (no key) and GET /metrics (loopback, or the `--metrics-token` bearer).

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "core/json.hpp"
#include "server/app/clock.hpp"
#include "server/http/router.hpp"
#include "server/ops/metrics.hpp"

namespace stockbell::server {
namespace {

// A peer on this host talking to us directly. A request that came through a proxy (it carries
// X-Forwarded-For) is not local, whatever the proxy's own address.
bool is_local_peer(const httplib::Request& req) {
  if (req.has_header("X-Forwarded-For") || req.has_header("Forwarded")) return false;
  const std::string& peer = req.remote_addr;
  return peer.rfind("127.", 0) == 0 || peer == "::1" || peer.rfind("::ffff:127.", 0) == 0;
}

// `Authorization: Bearer TOKEN` against the configured token, compared as digests (constant time,
// and the length is not told either).
bool has_metrics_token(const httplib::Request& req, const std::string& token) {
  if (token.empty()) return false;
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view scheme = "Bearer ";
  if (header.size() <= scheme.size() || header.compare(0, scheme.size(), scheme) != 0) return false;
  unsigned char given[SHA256_DIGEST_LENGTH];
  unsigned char wanted[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(header.data() + scheme.size()),
         header.size() - scheme.size(), given);
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), wanted);
  return CRYPTO_memcmp(given, wanted, sizeof given) == 0;
}

}  // namespace

void Router::ready(RouteContext& ctx) {
  std::optional<Unavailable> why;
  if (use_.status.shutting_down()) why = Unavailable::shutting_down;
  if (!why) why = use_.status.problem();
  if (!why) {
    try {
      use_.status.check_database();
    } catch (const StorageUnavailable& e) {
      why = e.why();
    } catch (const std::exception&) {
      why = Unavailable::database_unreachable;
    }
  }
  if (why) {
    ctx.res.set_header("Retry-After", std::to_string(retry_after_seconds(*why)));
    send_error(ctx.res, unavailable(*why));
    return;
  }
  Json out;
  out["status"] = "ready";
  send_json(ctx.res, 200, dump(out));
}

void Router::metrics_text(RouteContext& ctx) {
  if (!is_local_peer(ctx.req) && !has_metrics_token(ctx.req, config_.metrics_token)) {
    send_error(ctx.res, unauthorized(ctx.req.has_header("Authorization") ? KeyProblem::invalid
                                                                         : KeyProblem::missing));
    return;
  }
  Metrics::ScrapeInput input;
  input.data = use_.status.snapshot();
  input.writes = use_.status.write_stats();
  input.now_ms = now_ms();
  ctx.res.status = 200;
  ctx.res.set_header("Cache-Control", "no-store");
  ctx.res.set_content(metrics().render(input), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace stockbell::server
