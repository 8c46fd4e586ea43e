#include "server/store/sqlite/writer.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "server/store/sqlite/schema.hpp"
#include "server/ops/log.hpp"

namespace stockbell::server {

Writer::Writer(const std::string& path, Options options) : options_(options) {
  db_ = std::make_unique<Database>(path, Database::Mode::read_write_create);
  id_key_ = open_schema(*db_);
  // COMMIT writes the group's WAL frames without syncing them; the syncer makes them durable
  // (sync_loop). Checkpoints and the WAL header are still synced by SQLite itself.
  db_->exec("PRAGMA synchronous = NORMAL");
  // The WAL exists from the first transaction (open_schema's) until the last connection closes,
  // and the writer's stays open: this descriptor names it for as long as the writer runs.
  wal_fd_ = ::open((path + "-wal").c_str(), O_RDONLY | O_CLOEXEC);
  if (wal_fd_ < 0)
    throw SqliteError(SQLITE_CANTOPEN, "cannot open " + path + "-wal: " + std::strerror(errno));
  db_->exec("PRAGMA wal_autocheckpoint = 0");  // checkpoint_loop() does it, off the commit path
  // When the WAL restarts from its beginning, it is cut back to this size.
  db_->exec(("PRAGMA journal_size_limit = " + std::to_string(kWalLimitBytes)).c_str());
  // After every commit: how large the WAL is now (frames × page size).
  {
    Statement& page = db_->cached("PRAGMA page_size");
    if (page.step()) page_size_ = static_cast<uint64_t>(page.int64(0));
    page.reset();
  }
  sqlite3_wal_hook(
      db_->handle(),
      [](void* self, sqlite3*, const char*, int frames) {
        auto* writer = static_cast<Writer*>(self);
        writer->wal_bytes_ = static_cast<uint64_t>(frames) * (writer->page_size_ + 24);
        return SQLITE_OK;
      },
      this);
  thread_ = std::thread([this] { loop(); });
  syncer_ = std::thread([this] { sync_loop(); });
  checkpointer_ = std::thread([this, path] { checkpoint_loop(path); });
}

// Every ~100 commits (or each second with commits pending), a PASSIVE checkpoint: it copies what
// no reader still needs and never blocks the writer. That alone does not bound the WAL: it starts
// over from its beginning only when a write finds every frame copied and no reader in it, and
// under steady reads and writes that moment may never come (1.3 GB in 20 s of 8 writers). See
// truncate_wal_if_large() for the bound.
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
        log_line("warn", std::string("checkpoint failed (will retry): ") + e.what());
      }
      lock.lock();
    }
    if (stopping_) return;
  }
}

// Once the WAL holds more than kWalCheckpointBytes, the writer thread itself checkpoints between
// two groups, so no commit lands while it runs: a WAL whose every frame is copied starts over
// from its beginning at the next commit (and is cut to kWalLimitBytes then). First PASSIVE (no
// waiting: it copies what no reader still needs, most of it already copied by checkpoint_loop);
// only if a reader kept frames from it, RESTART, which waits up to kRestartWaitMs for those
// readers (reads are short). Jobs arriving meanwhile queue and form the next group. If readers
// still don't allow it, it is tried again 100 ms later.
void Writer::truncate_wal_if_large() {
  if (wal_bytes_ <= kWalCheckpointBytes) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_truncate_) return;
  next_truncate_ = now + std::chrono::milliseconds(100);
  auto checkpoint = [&](const char* sql) {
    Statement& run = db_->cached(sql);
    bool complete = false;
    if (run.step()) complete = run.int64(0) == 0 && run.int64(1) == run.int64(2);  // busy, log, copied
    run.reset();
    return complete;
  };
  try {
    if (checkpoint("PRAGMA wal_checkpoint(PASSIVE)")) {
      wal_bytes_ = 0;
      return;
    }
    sqlite3_busy_timeout(db_->handle(), kRestartWaitMs);
    if (checkpoint("PRAGMA wal_checkpoint(RESTART)")) wal_bytes_ = 0;
  } catch (const SqliteError& e) {
    log_line("warn", std::string("checkpoint failed (will retry): ") + e.what());
  }
  sqlite3_busy_timeout(db_->handle(), 5000);
}

Writer::~Writer() {
  stop();
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

void Writer::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  checkpoint_wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    writer_done_ = true;
  }
  sync_wake_.notify_all();
  if (syncer_.joinable()) syncer_.join();
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
      // While earlier groups wait for their sync, jobs keep queueing: the next group is larger
      // and writes fewer pages per job than if the writer committed them one by one.
      synced_.wait(lock, [&] { return unsynced_.size() < options_.max_unsynced; });
      while (!queue_.empty() && group.size() < options_.max_batch) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    // Before BEGIN, so that a reader whose snapshot holds this group reads this number or a
    // later one after it (wait_durable).
    const uint64_t seq = committed_.load() + 1;
    committed_.store(seq);
    std::exception_ptr error = run_group(group);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      unsynced_.push_back(Committed{seq, std::move(group), error});
    }
    sync_wake_.notify_one();
    group.clear();
    truncate_wal_if_large();
  }
}

// One fdatasync of the WAL covers every group committed before it started, however many: the
// groups that arrived during the last sync share the next one. A failed sync leaves no way to
// know what is on disk (the kernel may have dropped the dirty pages): the process stops, and
// SQLite's recovery at the next start keeps exactly what reached the disk. No caller of those
// groups got an answer.
void Writer::sync_loop() {
  std::deque<Committed> batch;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      sync_wake_.wait(lock, [&] { return writer_done_ || !unsynced_.empty(); });
      if (unsynced_.empty()) return;  // the writer stopped and everything is synced
      batch.swap(unsynced_);
    }
    bool wrote = false;
    for (const Committed& c : batch) wrote = wrote || !c.error;
    if (wrote && ::fdatasync(wal_fd_) != 0) {
      std::fprintf(stderr, "stockbell: fdatasync of the WAL failed (%s); stopping\n",
                   std::strerror(errno));
      std::abort();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (Committed& c : batch) {
        if (!c.error) ++commits_;
        if (!c.error && ++commits_since_checkpoint_ >= 100) checkpoint_wake_.notify_one();
        jobs_ += c.jobs.size();
        for (Pending* pending : c.jobs) {
          if (c.error) pending->error = c.error;
          pending->done = true;
        }
      }
      durable_.store(batch.back().seq);
    }
    batch.clear();
    synced_.notify_all();
    done_.notify_all();
  }
}

void Writer::wait_durable(uint64_t seq) {
  if (durable_.load() >= seq) return;
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return durable_.load() >= seq; });
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
      log_line("error", std::string("rollback failed: ") + e.what());
    }
  }
  if (on_rollback_) on_rollback_();
}

// Returns the COMMIT's failure (the group's: every job fails); a job's own failure is in its
// Pending. Nobody hears the outcome before the syncer has synced the group.
std::exception_ptr Writer::run_group(std::deque<Pending*>& group) {
  PlainRun plain = run_plain(group);
  std::exception_ptr commit_error = plain.error;
  // Replay only when a job threw and has neighbours to save. A failed BEGIN or COMMIT fails the
  // group, as does the failure of a job alone.
  if (plain.error && plain.job_threw && group.size() > 1) commit_error = run_one_by_one(group);
  return commit_error;
}

}  // namespace stockbell::server
