#pragma once
// Store names (`stockbell keys create --store NAME`): 1 to 64 of a-z, 0-9, '_' and '-', so
// they read the same in logs, URLs and shells.

#include <string_view>

namespace stockbell {

bool is_valid_store_name(std::string_view name);

}  // namespace stockbell
