// The single writer (server/writer.hpp) on a real SQLite file: jobs that share a group commit
// together, and one failing job is rolled back alone while its neighbours still commit. The
// writer first runs a group without savepoints and replays it job by job when one fails, so
// these cases also prove the replay: the first pass leaves nothing behind and a job that ran
// twice has written once.

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http_checks.hpp"
#include "server/writer.hpp"

using namespace stockbell::testing;
using stockbell::server::Database;
using stockbell::server::Writer;

namespace {

void insert_meta(Database& db, const std::string& key) {
  db.cached("INSERT INTO meta(key, value) VALUES (?1, 'writer test')").bind(1, key).run();
}

int64_t count_meta(const std::string& path, const char* like) {
  Database db(path, Database::Mode::read_only);
  auto& st = db.cached("SELECT count(*) FROM meta WHERE key LIKE ?1");
  st.bind(1, like);
  REQUIRE(st.step());
  return st.int64(0);
}

struct GroupRun {
  std::vector<std::string> results;  ///< each job's return value, or "error: <what>"
  size_t commits = 0;                ///< commits for the whole group (after the blocker's)
};

// Holds the writer in a first job until `jobs.size()` threads are about to submit, so every
// one of them lands in the same queue and forms one group.
template <class Job>
GroupRun run_as_one_group(Writer& writer, const std::vector<Job>& jobs) {
  std::atomic<bool> blocking{false};
  std::atomic<size_t> submitting{0};
  std::thread blocker([&] {
    writer.run([&](Database& db) {
      insert_meta(db, "blocker");
      blocking = true;
      while (submitting < jobs.size()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the last ones enqueue
    });
  });
  while (!blocking) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const size_t commits_before = writer.commits();
  GroupRun run;
  run.results.resize(jobs.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < jobs.size(); ++i) {
    threads.emplace_back([&, i] {
      ++submitting;
      try {
        run.results[i] = writer.run(jobs[i]);
      } catch (const std::exception& e) {
        run.results[i] = std::string("error: ") + e.what();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  blocker.join();
  run.commits = writer.commits() - commits_before;
  return run;
}

}  // namespace

TEST_CASE("a group of jobs commits together") {
  TempDir dir;
  const std::string path = dir.file("writer.db");
  Writer writer(path, Writer::Options{});
  std::vector<std::function<std::string(Database&)>> jobs;
  for (int i = 0; i < 20; ++i) {
    const std::string key = "job-" + std::to_string(i);
    jobs.emplace_back([key](Database& db) {
      insert_meta(db, key);
      return key;
    });
  }
  const GroupRun run = run_as_one_group(writer, jobs);
  CHECK(run.commits == 2);  // the blocker's group, then all twenty in one
  for (int i = 0; i < 20; ++i) CHECK(run.results[static_cast<size_t>(i)] == "job-" + std::to_string(i));
  CHECK(count_meta(path, "job-%") == 20);
}

TEST_CASE("a failing job is rolled back alone; the rest of its group commits once") {
  TempDir dir;
  const std::string path = dir.file("writer.db");
  Writer writer(path, Writer::Options{});
  {
    // A key that already exists, for a job that fails on a constraint.
    Database db(path, Database::Mode::read_write_create);
    insert_meta(db, "taken");
  }
  std::atomic<int> runs_of_job_0{0};
  std::vector<std::function<std::string(Database&)>> jobs;
  for (int i = 0; i < 20; ++i) {
    const std::string key = "job-" + std::to_string(i);
    jobs.emplace_back([key, i, &runs_of_job_0](Database& db) -> std::string {
      if (i == 0) ++runs_of_job_0;
      insert_meta(db, key);
      if (i == 7) throw std::runtime_error("job 7 failed after writing");
      if (i == 13) insert_meta(db, "taken");  // UNIQUE constraint failed
      return key;
    });
  }
  const GroupRun run = run_as_one_group(writer, jobs);

  CHECK(run.commits == 2);
  CHECK(run.results[7] == "error: job 7 failed after writing");
  CHECK(run.results[13].rfind("error: ", 0) == 0);
  CHECK(run.results[13].find("UNIQUE") != std::string::npos);
  int64_t committed = 0;
  for (int i = 0; i < 20; ++i) {
    if (i == 7 || i == 13) continue;
    CHECK(run.results[static_cast<size_t>(i)] == "job-" + std::to_string(i));
    committed += count_meta(path, ("job-" + std::to_string(i)).c_str());
  }
  CHECK(committed == 18);
  // The failing jobs left nothing, not even the rows they wrote before failing.
  CHECK(count_meta(path, "job-7") == 0);
  CHECK(count_meta(path, "job-13") == 0);
  CHECK(count_meta(path, "taken") == 1);
  // Job 0 ran in the first pass and again in the replay, and its row is there once (a leftover
  // of the first pass would have made the replay fail on the primary key).
  CHECK(runs_of_job_0 == 2);
  CHECK(count_meta(path, "blocker") == 1);
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
