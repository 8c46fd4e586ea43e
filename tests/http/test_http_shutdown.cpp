// Filled in by the shutdown suite.
#include <doctest/doctest.h>
