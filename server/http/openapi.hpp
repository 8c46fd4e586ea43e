#pragma once
// The OpenAPI 3.1 document of the HTTP API (docs/openapi.json, with the error code enums filled
// in from core/errors.cpp's tables at build time by server/tools/openapi_embed.cpp), served at
// GET /openapi.json.

#include <string_view>

namespace stockbell::server {

/// The document (JSON).
std::string_view openapi_document();
/// Its registered media type.
inline constexpr std::string_view kOpenApiMediaType = "application/vnd.oai.openapi+json;version=3.1";

}  // namespace stockbell::server
