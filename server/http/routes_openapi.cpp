// GET /openapi.json (no key): the API's OpenAPI 3.1 document, embedded at build time.

#include "server/http/openapi.hpp"
#include "server/http/router.hpp"

namespace stockbell::server {

void Router::openapi(RouteContext& ctx) {
  ctx.res.status = 200;
  // No CORS header: the API never answers `*` (tests/http/test_http_access.cpp); tools fetch it
  // from a server or a terminal.
  ctx.res.set_header("Cache-Control", "public, max-age=300");
  ctx.res.set_content(std::string(openapi_document()), std::string(kOpenApiMediaType));
}

}  // namespace stockbell::server
