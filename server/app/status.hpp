#pragma once
// The server's own health, as `/healthz` and `/readyz` report it, and the figures `/metrics`
// reads from the database.

#include <atomic>

#include "server/store/storage.hpp"

namespace stockbell::server {

class StatusService {
 public:
  explicit StatusService(Storage& storage) : storage_(storage) {}
  /// Throws (answered 500/503) when the database can't be read.
  void check_database() {
    storage_.read([](ReadTx& tx) { tx.ping(); });
  }
  /// Why the store can't take requests now, if it can't (a full disk, a replaced file).
  std::optional<Unavailable> problem() { return storage_.problem(); }

  /// From the signal that stops the server: `/readyz` answers 503 from then on, so a load
  /// balancer sends nothing new while the requests under way finish.
  void begin_shutdown() { shutting_down_ = true; }
  bool shutting_down() const { return shutting_down_; }

  OpsSnapshot snapshot() {
    return storage_.read([](ReadTx& tx) { return tx.ops_snapshot(); });
  }
  WriteStats write_stats() const { return storage_.write_stats(); }

 private:
  Storage& storage_;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace stockbell::server
