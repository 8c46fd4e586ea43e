#pragma once
// The server's own health, as `/healthz` reports it.

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

 private:
  Storage& storage_;
};

}  // namespace stockbell::server
