#include "server/store/sqlite/read_pool.hpp"

#include "server/store/sqlite/schema.hpp"

namespace stockbell::server {

ReadPool::Lease ReadPool::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Database> db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(db));
    }
  }
  auto db = std::make_unique<Database>(path_, Database::Mode::read_only);
  configure_connection(*db);
  return Lease(*this, std::move(db));
}

void ReadPool::give_back(std::unique_ptr<Database> db) {
  // A connection still inside a transaction (its ROLLBACK failed) would pin an old snapshot
  // for the next reader: close it instead.
  if (!db || db->in_transaction()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(db));
}

}  // namespace stockbell::server
