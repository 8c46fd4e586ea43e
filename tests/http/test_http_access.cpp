// Filled in by the access suite.
#include <doctest/doctest.h>
