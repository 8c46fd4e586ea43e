// The one main() of stockbell_server_tests. Each test_<unit>.cpp tests one server/ unit;
// ctest runs them one file at a time (`--source-file=*/test_<unit>.cpp`).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
