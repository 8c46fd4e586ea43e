// The single writer (server/store/sqlite/writer.hpp) on a real SQLite file: jobs that share a
// group commit together; one failing job is rolled back alone while its neighbours still commit;
// a failed COMMIT fails the whole group. The writer first runs a group without savepoints and
// replays it job by job when a job fails, so these cases also prove the replay: the first pass
// leaves nothing behind, a job that ran twice has written once, and what a caller gets back is
// what was committed.

#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "server/store/sqlite/writer.hpp"
#include "support.hpp"

using namespace stockbell::testing;
using stockbell::server::Database;
using stockbell::server::Writer;

namespace {

using Job = std::function<std::string(Database&)>;

void insert_meta(Database& db, const std::string& key, const std::string& value = "writer test") {
  db.cached("INSERT INTO meta(key, value) VALUES (?1, ?2)").bind(1, key).bind(2, value).run();
}

std::optional<std::string> meta_value(const std::string& path, const std::string& key) {
  Database db(path, Database::Mode::read_only);
  auto& st = db.cached("SELECT value FROM meta WHERE key = ?1");
  st.bind(1, key);
  std::optional<std::string> value;
  if (st.step()) value = st.string(0);
  st.reset();
  return value;
}

int64_t count_meta(const std::string& path, const char* like) {
  Database db(path, Database::Mode::read_only);
  auto& st = db.cached("SELECT count(*) FROM meta WHERE key LIKE ?1");
  st.bind(1, like);
  REQUIRE(st.step());
  const int64_t n = st.int64(0);
  st.reset();
  return n;
}

// No doctest assertion here: it also runs on the writer's thread.
bool wait_until(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

struct GroupRun {
  std::vector<std::string> results;  ///< each job's return value, or "error: <what>"
  size_t commits = 0;                ///< commits after the blocker's
};

// Holds the writer in a first job while `jobs` are queued one by one, in order, so they form
// one group in exactly that order.
GroupRun run_as_one_group(Writer& writer, const std::vector<Job>& jobs) {
  std::atomic<bool> blocking{false};
  std::atomic<bool> all_queued{false};
  std::thread blocker([&] {
    writer.run([&](Database& db) {
      insert_meta(db, "blocker");
      blocking = true;
      wait_until([&] { return all_queued.load(); });
    });
  });
  REQUIRE(wait_until([&] { return blocking.load(); }));
  const size_t commits_before = writer.commits();
  GroupRun run;
  run.results.resize(jobs.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < jobs.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        run.results[i] = writer.run(jobs[i]);
      } catch (const std::exception& e) {
        run.results[i] = std::string("error: ") + e.what();
      }
    });
    const bool queued = wait_until([&] { return writer.queued() == i + 1; });
    if (!queued) all_queued = true;  // let the writer go, so the threads can be joined
    REQUIRE(queued);
  }
  all_queued = true;
  for (std::thread& t : threads) t.join();
  blocker.join();
  run.commits = writer.commits() - commits_before - 1;  // the blocker's own commit came after
  return run;
}

// Job i writes row "job-i" with a value unique to this run of it, and returns that value: a
// result from an earlier, rolled-back run would not match the committed row.
struct Jobs {
  std::atomic<int> runs{0};
  std::vector<int> runs_of = std::vector<int>(20, 0);

  Job make(int i, std::function<void(Database&)> extra = {}) {
    return [this, i, extra](Database& db) {
      ++runs_of[static_cast<size_t>(i)];
      const std::string token = "run-" + std::to_string(++runs);
      insert_meta(db, "job-" + std::to_string(i), token);
      if (extra) extra(db);
      return token;
    };
  }
};

}  // namespace

TEST_CASE("a group of jobs commits together, once") {
  TempDir dir;
  const std::string path = dir.file("writer.db");
  Writer writer(path, Writer::Options{});
  Jobs made;
  std::vector<Job> jobs;
  for (int i = 0; i < 20; ++i) jobs.push_back(made.make(i));
  const GroupRun run = run_as_one_group(writer, jobs);
  CHECK(run.commits == 1);
  for (int i = 0; i < 20; ++i) {
    CHECK(made.runs_of[static_cast<size_t>(i)] == 1);
    CHECK(meta_value(path, "job-" + std::to_string(i)) == run.results[static_cast<size_t>(i)]);
  }
}

TEST_CASE("a failing job is rolled back alone; the rest of its group commits once") {
  TempDir dir;
  const std::string path = dir.file("writer.db");
  Writer writer(path, Writer::Options{});
  int rollbacks = 0;  // the listener runs on the writer thread; read after the jobs are done
  writer.on_rollback([&] { ++rollbacks; });
  {
    Database db(path, Database::Mode::read_write_create);
    insert_meta(db, "taken");  // for job 13 to run into
  }

  Jobs made;
  std::vector<Job> jobs;
  for (int i = 0; i < 20; ++i) {
    if (i == 7)
      jobs.push_back(
          made.make(i, [](Database&) { throw std::runtime_error("job 7 failed after writing"); }));
    else if (i == 13)
      jobs.push_back(made.make(i, [](Database& db) { insert_meta(db, "taken"); }));  // UNIQUE
    else
      jobs.push_back(made.make(i));
  }
  const GroupRun run = run_as_one_group(writer, jobs);

  CHECK(run.commits == 1);
  CHECK(run.results[7] == "error: job 7 failed after writing");
  CHECK(run.results[13].rfind("error: ", 0) == 0);
  CHECK(run.results[13].find("UNIQUE") != std::string::npos);
  for (int i = 0; i < 20; ++i) {
    INFO("job " << i);
    const size_t k = static_cast<size_t>(i);
    // Jobs 0-7 ran in the first pass (it stopped at 7), then all ran in the replay.
    CHECK(made.runs_of[k] == (i <= 7 ? 2 : 1));
    if (i == 7 || i == 13) {
      // The failing jobs left nothing, not even the rows they wrote before failing.
      CHECK_FALSE(meta_value(path, "job-" + std::to_string(i)).has_value());
    } else {
      // The value returned is the one committed (the replay's, not the first pass's).
      CHECK(meta_value(path, "job-" + std::to_string(i)) == run.results[k]);
    }
  }
  CHECK(count_meta(path, "job-%") == 18);
  CHECK(count_meta(path, "taken") == 1);
  CHECK(count_meta(path, "blocker") == 1);
  // Caches learn of every rollback: the first pass, and each failing job of the replay.
  CHECK(rollbacks == 3);
}

TEST_CASE("a failed COMMIT fails every job of its group, without a replay") {
  TempDir dir;
  const std::string path = dir.file("writer.db");
  Writer writer(path, Writer::Options{});
  Jobs made;
  std::vector<Job> jobs;
  for (int i = 0; i < 5; ++i) {
    if (i == 2) {
      // A foreign-key violation checked only at COMMIT: the job itself succeeds.
      jobs.push_back(made.make(i, [](Database& db) {
        db.exec("PRAGMA defer_foreign_keys = ON");
        db.exec(
            "INSERT INTO api_keys(store_id, kind, key_hash, created_at)"
            " VALUES (424242, 'secret', zeroblob(32), 0)");
      }));
    } else {
      jobs.push_back(made.make(i));
    }
  }
  const GroupRun run = run_as_one_group(writer, jobs);
  CHECK(run.commits == 0);
  for (int i = 0; i < 5; ++i) {
    INFO("job " << i);
    CHECK(made.runs_of[static_cast<size_t>(i)] == 1);
    CHECK(run.results[static_cast<size_t>(i)].find("FOREIGN KEY") != std::string::npos);
  }
  CHECK(count_meta(path, "job-%") == 0);
  // The writer goes on.
  const std::string token = writer.run(made.make(9));
  CHECK(meta_value(path, "job-9") == token);
}

TEST_CASE("a job alone that fails runs once, writes nothing, and the writer goes on") {
  TempDir dir;
  const std::string path = dir.file("writer.db");
  Writer writer(path, Writer::Options{});
  int runs = 0;
  CHECK_THROWS_WITH_AS(writer.run([&](Database& db) {
    ++runs;
    insert_meta(db, "lonely");
    throw std::runtime_error("lonely job failed");
  }),
                       "lonely job failed", std::runtime_error);
  CHECK(runs == 1);
  CHECK(count_meta(path, "lonely") == 0);
  writer.run([](Database& db) { insert_meta(db, "lonely"); });
  CHECK(count_meta(path, "lonely") == 1);
}

TEST_CASE("a caller gets its result only once its group is below the durability watermark") {
  TempDir dir;
  const std::string path = dir.file("writer.db");
  Writer writer(path, Writer::Options{});
  std::vector<std::thread> threads;
  std::atomic<int> early{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        // Inside the job, committed() is its own group's number (assigned before BEGIN).
        const uint64_t group = writer.run([&](Database& db) {
          insert_meta(db, "w" + std::to_string(t) + "-" + std::to_string(i));
          return writer.committed();
        });
        if (writer.durable() < group) ++early;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(early == 0);
  CHECK(count_meta(path, "w%") == 400);
  // With nothing in flight the watermark has caught up, and waiting for it is free.
  CHECK(writer.durable() == writer.committed());
  writer.wait_durable(writer.committed());
}
