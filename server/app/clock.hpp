#pragma once
// Time as the use cases see it: Unix milliseconds, wall clock.
//
// Tests move it. Two ways name the same kind of file, holding a whole number of milliseconds
// (missing or empty: 0) that is added to every reading, re-read on each call:
//  - the environment variable STOCKBELL_TEST_CLOCK_FILE (a test writes `46800000` into the file
//    and the running server lives 13 hours later: session expiry). Never set in production; the
//    file is read only when the variable is set;
//  - `serve --test-clock-file FILE` (release batches, expiry), which `serve` refuses unless
//    STOCKBELL_ENABLE_TEST_CLOCK=1 (or the variable above) is in its environment. It wins over
//    the variable.

#include <cstdint>
#include <string>

namespace stockbell::server {

int64_t now_ms();

/// Makes now_ms() the wall clock plus the offset in `offset_file` (see above). Call before any
/// thread that reads the clock starts.
void use_test_clock(const std::string& offset_file);

}  // namespace stockbell::server
