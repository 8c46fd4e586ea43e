#pragma once
// Time as the use cases see it: Unix milliseconds, wall clock.

#include <cstdint>

namespace stockbell::server {

int64_t now_ms();

}  // namespace stockbell::server
