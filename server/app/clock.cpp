#include "server/app/clock.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

namespace stockbell::server {
namespace {

int64_t test_offset_ms() {
  static const char* const file = std::getenv("STOCKBELL_TEST_CLOCK_FILE");
  if (file == nullptr) return 0;
  std::ifstream in(file);
  long long offset = 0;
  if (in >> offset) return offset;
  return 0;
}

}  // namespace

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() +
         test_offset_ms();
}

}  // namespace stockbell::server
