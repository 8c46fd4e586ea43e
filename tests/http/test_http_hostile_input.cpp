// Filled in by the hostile_input suite.
#include <doctest/doctest.h>
