#pragma once
// Time as the use cases see it: Unix milliseconds, wall clock.
//
// Tests move it: when STOCKBELL_TEST_CLOCK_FILE names a file, the whole number of milliseconds in
// it (missing or empty: 0) is added to every reading, re-read on each call, so a test writes
// `46800000` into the file and the running server lives 13 hours later (session expiry). Never
// set in production; the file is read only when the variable is set.

#include <cstdint>

namespace stockbell::server {

int64_t now_ms();

}  // namespace stockbell::server
