// PgStorage's group commit (server/store/postgres/pg_storage.hpp) on a real PostgreSQL server
// (label `postgres`: the throwaway cluster of tests/postgres/cluster.sh). Writes that queue
// behind busy leaders share one transaction and one COMMIT; a write that fails (its own error,
// a duplicate key) takes its group's first pass down with it, answers its own error, and its
// neighbours still commit, each once; two groups that deadlock each other both end up
// committed, the losing group's writes run again alone.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "server/store/postgres/pg.hpp"
#include "server/store/postgres/pg_storage.hpp"

using namespace std::chrono_literals;
using stockbell::StoreSettings;
using stockbell::server::ReadTx;
using stockbell::server::WriteStats;
using stockbell::server::WriteTx;
using stockbell::server::pg::Database;
using stockbell::server::pg::PgStorage;
using stockbell::server::pg::PoolOptions;

namespace {

using Job = std::function<void(WriteTx&)>;

// A fresh database on the fixture's server (STOCKBELL_TEST_POSTGRES_FILE); empty without one.
std::string fresh_database() {
  const char* file = std::getenv("STOCKBELL_TEST_POSTGRES_FILE");
  if (file == nullptr || *file == '\0') return "";
  std::ifstream in(file);
  std::string base;
  std::getline(in, base);
  static int serial = 0;
  const std::string name =
      "pg_storage_" + std::to_string(getpid()) + "_" + std::to_string(++serial);
  Database admin(base + "/postgres", 10000);
  admin.exec("CREATE DATABASE " + name);
  return base + "/" + name;
}

// A one-way door between threads; waiting longer than 20 s throws (a broken test fails, never
// hangs).
class Gate {
 public:
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!cv_.wait_for(lock, 20s, [&] { return open_; }))
      throw std::runtime_error("a gate stayed shut");
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 2000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

// Holds every leader's place with a write that waits inside its transaction, queues `jobs` one
// after the other (in this order), then lets the leaders go; returns each job's error ("" when
// it committed).
std::vector<std::string> run_queued(PgStorage& storage, size_t leaders,
                                    const std::vector<Job>& jobs) {
  Gate release;
  std::atomic<size_t> inside{0};
  std::vector<std::thread> blockers;
  for (size_t i = 0; i < leaders; ++i) {
    blockers.emplace_back([&] {
      storage.write([&](WriteTx&) {
        ++inside;
        release.wait();
      });
    });
    REQUIRE(eventually([&] { return inside == i + 1; }));  // each its own leader
  }
  std::vector<std::string> errors(jobs.size());
  std::vector<std::thread> writers;
  for (size_t i = 0; i < jobs.size(); ++i) {
    writers.emplace_back([&, i] {
      try {
        storage.write(jobs[i]);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
    REQUIRE(eventually([&] { return storage.queued() == i + 1; }));
  }
  release.open();
  for (std::thread& t : blockers) t.join();
  for (std::thread& t : writers) t.join();
  return errors;
}

bool has_store(PgStorage& storage, const std::string& name) {
  return storage.read([&](ReadTx& tx) { return tx.find_store(name).has_value(); });
}

}  // namespace

TEST_CASE(
    "writes queued behind a busy leader commit together; a failing one answers its own "
    "error and its neighbours still commit, once") {
  const std::string url = fresh_database();
  if (url.empty()) return;  // only in the `postgres` label
  PoolOptions options;
  options.size = 16;
  options.write_leaders = 1;
  PgStorage storage(url, options);
  std::vector<std::atomic<int>> runs(8);

  // Eight writes, all good: one transaction for the eight (plus the blocker's own).
  std::vector<Job> jobs;
  for (int i = 0; i < 8; ++i)
    jobs.push_back([&, i](WriteTx& tx) {
      ++runs[i];
      tx.create_store("a" + std::to_string(i), 1);
    });
  WriteStats before = storage.write_stats();
  std::vector<std::string> errors = run_queued(storage, 1, jobs);
  WriteStats after = storage.write_stats();
  for (int i = 0; i < 8; ++i) {
    CHECK_MESSAGE(errors[i].empty(), errors[i]);
    CHECK(runs[i].load() == 1);
    CHECK(has_store(storage, "a" + std::to_string(i)));
  }
  CHECK(after.writes - before.writes == 9);
  CHECK(after.commits - before.commits == 2);

  // Eight more: the fourth throws after writing, the sixth collides with a stored name.
  jobs.clear();
  for (int i = 0; i < 8; ++i) {
    runs[i] = 0;
    jobs.push_back([&, i](WriteTx& tx) {
      ++runs[i];
      tx.create_store("b" + std::to_string(i), 1);
      if (i == 3) throw std::runtime_error("job 3 refuses");
      if (i == 5) tx.create_store("a0", 1);
    });
  }
  before = storage.write_stats();
  errors = run_queued(storage, 1, jobs);
  after = storage.write_stats();
  CHECK(errors[3] == "job 3 refuses");
  CHECK_MESSAGE(errors[5].find("duplicate key") != std::string::npos, errors[5]);
  CHECK_FALSE(has_store(storage, "b3"));
  CHECK_FALSE(has_store(storage, "b5"));
  for (int i = 0; i < 8; ++i) {
    if (i == 3 || i == 5) continue;
    CHECK_MESSAGE(errors[i].empty(), errors[i]);
    // Those before the fourth ran in the group's pass (rolled back), then alone; the group
    // stopped at the fourth, those after it ran alone only.
    CHECK(runs[i].load() == (i < 3 ? 2 : 1));
    CHECK(has_store(storage, "b" + std::to_string(i)));
  }
  // The blocker and the six that committed, each in its own transaction.
  CHECK(after.writes - before.writes == 7);
  CHECK(after.commits - before.commits == 7);
}

TEST_CASE(
    "two groups that deadlock each other: the losing group runs its writes again alone, "
    "all of them commit") {
  const std::string url = fresh_database();
  if (url.empty()) return;
  PoolOptions options;
  options.size = 16;
  options.write_leaders = 2;
  options.max_batch = 2;
  PgStorage storage(url, options);
  const auto [first, second] = storage.write([](WriteTx& tx) {
    const int64_t a = tx.create_store("first", 1);
    const int64_t b = tx.create_store("second", 1);
    tx.save_settings(a, StoreSettings{}, 1);
    tx.save_settings(b, StoreSettings{}, 1);
    return std::make_pair(a, b);
  });
  // Group one locks the first store's settings, then wants the second's; group two the other
  // way round: PostgreSQL aborts one of them (deadlock_timeout, 1 s here).
  Gate first_locked, second_locked;
  std::vector<std::atomic<int>> runs(4);
  // Job `i`: waits for `before` (if any), saves `days` into `store`'s settings (locking its
  // row), then opens `after` (if any).
  const auto job = [&](int i, int64_t store, int64_t days, Gate* before, Gate* after) -> Job {
    return [&, i, store, days, before, after](WriteTx& tx) {
      ++runs[i];
      if (before != nullptr) before->wait();
      StoreSettings settings;
      settings.request_ttl_days = days;
      tx.save_settings(store, settings, 2);
      if (after != nullptr) after->open();
    };
  };
  const std::vector<Job> jobs = {
      job(0, first, 10, nullptr, &first_locked), job(1, second, 11, &second_locked, nullptr),
      job(2, second, 20, nullptr, &second_locked), job(3, first, 21, &first_locked, nullptr)};
  const WriteStats before = storage.write_stats();
  const std::vector<std::string> errors = run_queued(storage, 2, jobs);
  const WriteStats after = storage.write_stats();
  for (const std::string& e : errors) CHECK_MESSAGE(e.empty(), e);
  const bool one_lost = runs[0] == 2 && runs[1] == 2 && runs[2] == 1 && runs[3] == 1;
  const bool two_lost = runs[0] == 1 && runs[1] == 1 && runs[2] == 2 && runs[3] == 2;
  CHECK_MESSAGE((one_lost || two_lost), "runs: " << runs[0] << runs[1] << runs[2] << runs[3]);
  // Two blockers, the winning group, the loser's two writes alone.
  CHECK(after.writes - before.writes == 6);
  CHECK(after.commits - before.commits == 5);
  // The loser's writes ran last: theirs are the settings kept.
  const auto days = storage.read([&](ReadTx& tx) {
    return std::make_pair(tx.store_settings(first).request_ttl_days,
                          tx.store_settings(second).request_ttl_days);
  });
  if (one_lost) CHECK(days == std::make_pair(int64_t{10}, int64_t{11}));
  if (two_lost) CHECK(days == std::make_pair(int64_t{21}, int64_t{20}));
}
