#pragma once
// Every error code, in table order (core/errors.cpp): the OpenAPI document's enums are generated
// from these (server/tools/openapi_embed.cpp), so the codes are written down once.

#include <vector>

#include "core/errors.hpp"

namespace stockbell {

std::vector<FieldCode> all_field_codes();
std::vector<ApiCode> all_api_codes();

}  // namespace stockbell
