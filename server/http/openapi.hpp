#pragma once
// The OpenAPI 3.1 document of the HTTP API (docs/openapi.json, with the error code enums filled
// in from core/errors.cpp's tables at build time by server/tools/openapi_embed.cpp), served at
// GET /openapi.json.

#include <string_view>

namespace stockbell::server {

std::string_view openapi_document();

}  // namespace stockbell::server
