#include "server/app/clock.hpp"

#include <chrono>

namespace stockbell::server {

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace stockbell::server
