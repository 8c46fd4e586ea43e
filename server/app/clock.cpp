#include "server/app/clock.hpp"

#include <chrono>
#include <fstream>

namespace stockbell::server {
namespace {

std::string test_clock_file;  // empty: the wall clock; set once, before threads start

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t test_offset_ms() {
  std::ifstream in(test_clock_file);
  long long offset = 0;
  if (!(in >> offset)) return 0;
  return static_cast<int64_t>(offset);
}

}  // namespace

int64_t now_ms() {
  if (test_clock_file.empty()) return wall_ms();
  return wall_ms() + test_offset_ms();
}

void use_test_clock(const std::string& offset_file) {
  test_clock_file = offset_file;
}

}  // namespace stockbell::server
