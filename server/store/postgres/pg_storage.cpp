#include "server/store/postgres/pg_storage.hpp"

#include <chrono>
#include <cstdio>
#include <exception>
#include <thread>

#include "server/store/postgres/pg_schema.hpp"
#include "server/store/postgres/pg_tx.hpp"

namespace stockbell::server::pg {
namespace {

// A write that keeps colliding with concurrent ones is run this many times at most.
constexpr int kWriteAttempts = 20;

uint64_t connect_and_migrate(const std::string& url, int64_t statement_timeout_ms) {
  Database db(url, statement_timeout_ms);
  db.exec("SET statement_timeout = 0");  // migrations may take long on a big database
  return open_schema(db);
}

}  // namespace

PgStorage::PgStorage(const std::string& url, PoolOptions options)
    : url_(url), options_(options), ids_(connect_and_migrate(url, options.statement_timeout_ms)) {
  if (options_.size == 0) options_.size = 1;
  if (options_.write_leaders == 0) options_.write_leaders = 1;
  if (options_.max_batch == 0) options_.max_batch = 1;
}

PgStorage::~PgStorage() {
  stop();
}

void PgStorage::on_outbox_written(std::function<void()> listener) {
  outbox_listeners_.push_back(std::move(listener));
}

WriteStats PgStorage::write_stats() const {
  return WriteStats{commits_.load(), writes_.load()};
}

// Like SQLite's: writes under way finish, new ones are refused; reads go on (the dispatchers'
// last rounds).
void PgStorage::stop() {
  stopping_ = true;
}

std::optional<Unavailable> PgStorage::problem() {
  if (!unreachable_) return std::nullopt;
  try {  // still down? (/healthz asks; a working round trip clears it)
    with_connection([](Database& db) { db.exec("SELECT 1"); });
  } catch (const StorageUnavailable& e) {
    return e.why();
  }
  return std::nullopt;
}

std::unique_ptr<Database> PgStorage::acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.acquire_timeout_ms);
  for (;;) {
    if (!idle_.empty()) {
      std::unique_ptr<Database> db = std::move(idle_.back());
      idle_.pop_back();
      return db;
    }
    if (open_ < options_.size) {
      ++open_;
      lock.unlock();
      try {
        return std::make_unique<Database>(url_, options_.statement_timeout_ms);
      } catch (...) {
        lock.lock();
        --open_;
        freed_.notify_one();
        throw;
      }
    }
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.size)
      throw StorageUnavailable(Unavailable::database_unreachable);
  }
}

void PgStorage::release(std::unique_ptr<Database> db, bool healthy) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (healthy && db->healthy()) {
    idle_.push_back(std::move(db));
  } else {
    --open_;
    db.reset();
  }
  freed_.notify_one();
}

void PgStorage::with_connection(const std::function<void(Database&)>& body) {
  std::unique_ptr<Database> db;
  try {
    db = acquire();
  } catch (const PgError& e) {
    if (!unreachable_.exchange(true))
      std::fprintf(stderr, "stockbell: PostgreSQL can't be reached: %s\n", e.what());
    throw StorageUnavailable(Unavailable::database_unreachable);
  }
  try {
    body(*db);
  } catch (const PgError& e) {
    const bool lost = e.connection_lost() || !db->healthy();
    if (!lost) {
      try {
        db->exec("ROLLBACK");
      } catch (...) {
      }
    }
    release(std::move(db), !lost);
    if (lost) {
      if (!unreachable_.exchange(true))
        std::fprintf(stderr, "stockbell: lost the connection to PostgreSQL: %s\n", e.what());
      throw StorageUnavailable(Unavailable::database_unreachable);
    }
    throw;
  } catch (...) {
    try {
      db->exec("ROLLBACK");
    } catch (...) {
    }
    const bool healthy = db->healthy();
    release(std::move(db), healthy);
    throw;
  }
  release(std::move(db), true);
  if (unreachable_.exchange(false)) std::fprintf(stderr, "stockbell: PostgreSQL is back\n");
}

void PgStorage::run_read(const std::function<void(ReadTx&)>& job) {
  with_connection([&](Database& db) {
    // One snapshot for every query of the read.
    db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    PgTx tx(db, false);
    job(tx);
    db.exec("COMMIT");
  });
}

// One write waiting for its group (or inside it); lives on its caller's stack. Its fields
// change under queue_mutex_ only.
struct PgStorage::Pending {
  const std::function<void(WriteTx&)>* job = nullptr;
  WriteState state = WriteState::queued;
  std::exception_ptr error;
};

void PgStorage::run_write(const std::function<void(WriteTx&)>& job) {
  if (stopping_) throw StorageUnavailable(Unavailable::shutting_down);
  using State = WriteState;
  Pending me;
  me.job = &job;
  {
    std::unique_lock<std::mutex> lock(queue_mutex_);
    queue_.push_back(&me);
    while (me.state == State::queued || me.state == State::running) {
      if (leaders_ >= options_.write_leaders || queue_.empty()) {
        settled_.wait(lock);
        continue;
      }
      // A free leader's place: take the oldest queued writes (this one among them when few
      // wait; otherwise this caller runs others' group first and comes back for its own).
      ++leaders_;
      std::vector<Pending*> group;
      while (!queue_.empty() && group.size() < options_.max_batch) {
        group.push_back(queue_.front());
        group.back()->state = State::running;
        queue_.pop_front();
      }
      lock.unlock();
      std::exception_ptr error;
      const State outcome = run_group(group, error);
      lock.lock();
      --leaders_;
      for (Pending* p : group) {
        p->state = outcome;
        p->error = error;
      }
      settled_.notify_all();
    }
  }
  if (me.state == State::failed) std::rethrow_exception(me.error);
  if (me.state == State::alone && run_alone(job)) notify_outbox();
}

PgStorage::WriteState PgStorage::run_group(const std::vector<Pending*>& group,
                                           std::exception_ptr& error) {
  using State = WriteState;
  if (group.size() == 1) {
    try {
      if (run_alone(*group.front()->job)) notify_outbox();
      return State::committed;
    } catch (...) {
      error = std::current_exception();
      return State::failed;
    }
  }
  bool outbox = false;
  try {
    with_connection([&](Database& db) {
      db.exec("BEGIN");
      for (const Pending* p : group) {
        PgTx tx(db, true);
        (*p->job)(tx);
        outbox = outbox || tx.outbox_written();
      }
      db.exec("COMMIT");
    });
  } catch (const StorageUnavailable&) {
    // The connection was lost (maybe during the COMMIT): no write of the group gets a 200.
    error = std::current_exception();
    return State::failed;
  } catch (...) {
    // A write failed (or collided, or the COMMIT did): everything was rolled back; each write
    // runs again alone and gets its own answer.
    return State::alone;
  }
  ++commits_;
  writes_ += group.size();
  if (outbox) notify_outbox();
  return State::committed;
}

bool PgStorage::run_alone(const std::function<void(WriteTx&)>& job) {
  for (int attempt = 1;; ++attempt) {
    bool outbox = false;
    try {
      with_connection([&](Database& db) {
        db.exec("BEGIN");
        PgTx tx(db, true);
        job(tx);
        db.exec("COMMIT");
        outbox = tx.outbox_written();
      });
    } catch (const PgError& e) {
      // Another transaction got there first (a serialization failure, a deadlock, or the row
      // this one was about to insert): run the whole job again; it reads what that one wrote.
      if ((e.retryable() || e.unique_violation()) && attempt < kWriteAttempts) {
        std::this_thread::sleep_for(std::chrono::milliseconds(attempt));
        continue;
      }
      throw;
    }
    ++commits_;
    ++writes_;
    return outbox;
  }
}

void PgStorage::notify_outbox() {
  for (const auto& listener : outbox_listeners_) listener();
}

size_t PgStorage::queued() const {
  std::lock_guard<std::mutex> lock(queue_mutex_);
  return queue_.size();
}

bool postgres_has_schema(const std::string& url) {
  try {
    Database db(url, 10000);
    Statement& st = db.cached("SELECT to_regclass('schema_version') IS NOT NULL");
    const bool has = st.step() && st.int64(0) != 0;
    st.reset();
    return has;
  } catch (const PgError&) {
    return false;
  }
}

}  // namespace stockbell::server::pg
