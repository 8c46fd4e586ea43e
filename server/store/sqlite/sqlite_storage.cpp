#include "server/store/sqlite/sqlite_storage.hpp"

#include "server/store/sqlite/sqlite_tx.hpp"

namespace stockbell::server {

SqliteStorage::SqliteStorage(const std::string& path)
    : writer_(path, Writer::Options{}), reads_(path), ids_(writer_.id_key()) {
  writer_.on_rollback([this] { cache_.clear(); });
}

SqliteStorage::~SqliteStorage() { stop(); }

void SqliteStorage::on_outbox_written(std::function<void()> listener) {
  outbox_listeners_.push_back(std::move(listener));
}

WriteStats SqliteStorage::write_stats() const { return WriteStats{writer_.commits(), writer_.jobs()}; }

void SqliteStorage::stop() { writer_.stop(); }

void SqliteStorage::run_read(const std::function<void(ReadTx&)>& job) {
  auto db = reads_.acquire();
  Transaction snapshot(*db, Transaction::Mode::deferred);
  SqliteTx tx(*db, nullptr);
  job(tx);
  snapshot.commit();
}

void SqliteStorage::run_write(const std::function<void(WriteTx&)>& job) {
  bool outbox = false;
  writer_.run([&](Database& db) {
    SqliteTx tx(db, &cache_);
    job(tx);
    outbox = tx.outbox_written();  // the last run of the job decides (it may be replayed)
  });
  if (outbox)
    for (const auto& listener : outbox_listeners_) listener();
}

}  // namespace stockbell::server
