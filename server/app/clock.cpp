#include "server/app/clock.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

namespace stockbell::server {
namespace {

std::string flag_clock_file;  // from --test-clock-file; set once, before threads start

int64_t offset_in(const char* file) {
  std::ifstream in(file);
  long long offset = 0;
  if (in >> offset) return static_cast<int64_t>(offset);
  return 0;
}

int64_t test_offset_ms() {
  if (!flag_clock_file.empty()) return offset_in(flag_clock_file.c_str());
  static const char* const file = std::getenv("STOCKBELL_TEST_CLOCK_FILE");
  if (file == nullptr) return 0;
  return offset_in(file);
}

}  // namespace

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() +
         test_offset_ms();
}

void use_test_clock(const std::string& offset_file) { flag_clock_file = offset_file; }

}  // namespace stockbell::server
