#pragma once
// Time as the use cases see it: Unix milliseconds, wall clock.
//
// Tests that must move time (expiry after requestTtlDays, release batches hours apart) start
// the server with the test-only `serve --test-clock-file FILE`: the process clock is then the
// wall clock plus the milliseconds written in FILE (read at every call; a missing or empty file
// is 0). `serve` refuses the flag unless STOCKBELL_ENABLE_TEST_CLOCK=1 is in its environment,
// so a production deployment cannot turn it on by a stray option.

#include <cstdint>
#include <string>

namespace stockbell::server {

int64_t now_ms();

/// Makes now_ms() the wall clock plus the offset in `offset_file` (see above). Call before any
/// thread that reads the clock starts.
void use_test_clock(const std::string& offset_file);

}  // namespace stockbell::server
