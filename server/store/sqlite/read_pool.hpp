#pragma once
// Read connections for request handlers. In WAL mode readers never block the writer nor each
// other, and each sees the last committed state, so a read after a 200 sees that write.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/store/sqlite/sqlite.hpp"

namespace stockbell::server {

class ReadPool {
 public:
  explicit ReadPool(std::string path) : path_(std::move(path)) {}

  /// A connection for the lifetime of the lease; returned to the pool afterwards.
  class Lease {
   public:
    Lease(ReadPool& pool, std::unique_ptr<Database> db) : pool_(pool), db_(std::move(db)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_.give_back(std::move(db_)); }
    Database& operator*() { return *db_; }
    Database* operator->() { return db_.get(); }

   private:
    ReadPool& pool_;
    std::unique_ptr<Database> db_;
  };

  Lease acquire();

 private:
  void give_back(std::unique_ptr<Database> db);

  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Database>> idle_;
};

}  // namespace stockbell::server
