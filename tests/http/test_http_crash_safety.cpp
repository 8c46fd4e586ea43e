// Filled in by the crash_safety suite.
#include <doctest/doctest.h>
