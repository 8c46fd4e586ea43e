#include "server/store/sqlite/writer.hpp"

#include <chrono>
#include <cstdio>

#include "server/store/sqlite/schema.hpp"

namespace stockbell::server {

Writer::Writer(const std::string& path, Options options) : options_(options) {
  db_ = std::make_unique<Database>(path, Database::Mode::read_write_create);
  id_key_ = open_schema(*db_);
  db_->exec("PRAGMA wal_autocheckpoint = 0");  // checkpoint_loop() does it, off the commit path
  thread_ = std::thread([this] { loop(); });
  checkpointer_ = std::thread([this, path] { checkpoint_loop(path); });
}

// Every ~100 commits (or each second with commits pending), a PASSIVE checkpoint: it copies what
// no reader still needs and never blocks the writer. With readers pinned to old snapshots it may
// not finish; the next round picks up where it stopped.
void Writer::checkpoint_loop(std::string path) {
  Database db(path, Database::Mode::read_write_create);
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    checkpoint_wake_.wait_for(lock, std::chrono::seconds(1),
                              [&] { return stopping_ || commits_since_checkpoint_ >= 100; });
    if (commits_since_checkpoint_ > 0) {
      commits_since_checkpoint_ = 0;
      lock.unlock();
      try {
        db.exec("PRAGMA wal_checkpoint(PASSIVE)");
      } catch (const SqliteError& e) {
        std::fprintf(stderr, "stockbell: checkpoint failed (will retry): %s\n", e.what());
      }
      lock.lock();
    }
    if (stopping_) return;
  }
}

Writer::~Writer() { stop(); }

void Writer::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  checkpoint_wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (checkpointer_.joinable()) checkpointer_.join();
}

size_t Writer::commits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return commits_;
}

size_t Writer::jobs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_;
}

size_t Writer::queued() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

void Writer::submit(std::function<void(Database&)> work) {
  Pending pending;
  pending.work = std::move(work);
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_) throw StorageUnavailable();
  queue_.push_back(&pending);
  wake_.notify_one();
  done_.wait(lock, [&] { return pending.done; });
  if (pending.error) std::rethrow_exception(pending.error);  // the job's or the commit's failure
}

void Writer::loop() {
  std::deque<Pending*> group;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every job is done
      while (!queue_.empty() && group.size() < options_.max_batch) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    run_group(group);
    group.clear();
  }
}

// Jobs almost never fail (only on an SQLite error), so a group first runs without a savepoint
// per job: a savepoint makes SQLite copy every page a job touches that an earlier job of the
// group already changed. If a job does throw, the whole transaction is rolled back and the
// group runs again with one savepoint per job (run_one_by_one), so the failing job is rolled
// back alone and its neighbours still commit. Jobs only write through `db` (and the caches reset
// by on_rollback), so running one twice is safe.
Writer::PlainRun Writer::run_plain(std::deque<Pending*>& group) {
  PlainRun run;
  try {
    Transaction tx(*db_);
    for (auto& pending : group) {
      try {
        pending->work(*db_);
      } catch (...) {
        run.job_threw = true;
        throw;
      }
    }
    tx.commit();
  } catch (...) {
    run.error = std::current_exception();
    rolled_back();
  }
  return run;
}

// The replay: a failing job's error is kept in its Pending; returns the COMMIT's failure.
std::exception_ptr Writer::run_one_by_one(std::deque<Pending*>& group) {
  Database& db = *db_;
  try {
    Transaction tx(db);
    for (auto& pending : group) {
      db.cached("SAVEPOINT job").run();
      try {
        pending->work(db);
        db.cached("RELEASE job").run();
      } catch (...) {
        pending->error = std::current_exception();
        db.cached("ROLLBACK TO job").run();
        db.cached("RELEASE job").run();
        if (on_rollback_) on_rollback_();
      }
    }
    tx.commit();
    return nullptr;
  } catch (...) {
    rolled_back();
    return std::current_exception();
  }
}

// After a transaction was given up: caches of what it wrote are stale. If its ROLLBACK failed
// (~Transaction swallows that) the transaction may still be open; end it now, or every later
// group would fail to BEGIN.
void Writer::rolled_back() {
  if (db_->in_transaction()) {
    try {
      db_->exec("ROLLBACK");
    } catch (const SqliteError& e) {
      std::fprintf(stderr, "stockbell: rollback failed: %s\n", e.what());
    }
  }
  if (on_rollback_) on_rollback_();
}

void Writer::run_group(std::deque<Pending*>& group) {
  PlainRun plain = run_plain(group);
  std::exception_ptr commit_error = plain.error;
  // Replay only when a job threw and has neighbours to save. A failed BEGIN or COMMIT fails the
  // group, as does the failure of a job alone.
  if (plain.error && plain.job_threw && group.size() > 1) commit_error = run_one_by_one(group);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!commit_error) ++commits_;
    if (!commit_error && ++commits_since_checkpoint_ >= 100) checkpoint_wake_.notify_one();
    jobs_ += group.size();
    for (Pending* pending : group) {
      if (commit_error) pending->error = commit_error;
      pending->done = true;
    }
  }
  done_.notify_all();
}

}  // namespace stockbell::server
