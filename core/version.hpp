#pragma once
// The one version string of Stockbell. CMake reads it from this line; keep its shape.
#define STOCKBELL_VERSION "0.1.0"
