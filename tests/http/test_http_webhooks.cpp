// Filled in by the webhooks suite.
#include <doctest/doctest.h>
