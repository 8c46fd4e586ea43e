#include "server/app/sweeper.hpp"

#include <cstdio>

#include "server/app/clock.hpp"
#include "server/ops/log.hpp"

namespace stockbell::server {

PendingSweeper::PendingSweeper(RequestService& requests, std::chrono::milliseconds interval)
    : requests_(requests), interval_(interval) {}

PendingSweeper::~PendingSweeper() { stop(); }

void PendingSweeper::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (running_) return;
  running_ = true;
  thread_ = std::thread([this] { loop(); });
}

void PendingSweeper::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
    running_ = false;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PendingSweeper::loop() {
  while (true) {
    try {
      requests_.expire_pending(now_ms());
    } catch (const std::exception& e) {
      log_line("error", std::string("expiring pending requests: ") + e.what());
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, interval_, [this] { return !running_; });
    if (!running_) return;
  }
}

}  // namespace stockbell::server
