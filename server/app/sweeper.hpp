#pragma once
// Periodic housekeeping until a durable scheduler exists: pending requests (double opt-in) that
// waited 7 days for their confirmation become expired. It runs once at start, then every
// `interval`, so a server that was down catches up at once.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/app/requests.hpp"

namespace stockbell::server {

class PendingSweeper {
 public:
  PendingSweeper(RequestService& requests, std::chrono::milliseconds interval);
  ~PendingSweeper();
  PendingSweeper(const PendingSweeper&) = delete;
  PendingSweeper& operator=(const PendingSweeper&) = delete;

  void start();
  void stop();

 private:
  void loop();

  RequestService& requests_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool running_ = false;
  std::thread thread_;
};

}  // namespace stockbell::server
