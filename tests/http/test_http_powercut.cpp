// "A 200 means the data is on disk", tested against a power cut rather than a crash: a kill -9
// keeps everything the process wrote (the kernel still has it), a power cut keeps only what was
// synced. The real server runs under powercut_shim.c, which logs every write and sync to the
// database's files; the test kills it under load, rebuilds the files as the disk would hold them
// after losing power at that instant, starts a server on that copy and checks that every
// registration answered 200, and every count a reader was shown, is there.

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "http_checks.hpp"
#include "server/store/sqlite/sqlite.hpp"

#ifndef STOCKBELL_POWERCUT_SHIM
#error "STOCKBELL_POWERCUT_SHIM must name the LD_PRELOAD library"
#endif

using namespace stockbell::testing;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

// One write or truncation of the log (powercut_shim.c), with where it is in the log.
struct Op {
  uint64_t position = 0;
  bool truncate = false;
  uint64_t offset = 0;  ///< a write's offset, a truncation's size
  std::string bytes;
};

void apply_op(std::string& image, const Op& op) {
  if (op.truncate) {
    image.resize(op.offset);
    return;
  }
  if (image.size() < op.offset + op.bytes.size()) image.resize(op.offset + op.bytes.size());
  image.replace(op.offset, op.bytes.size(), op.bytes);
}

struct Disk {
  std::map<std::string, std::string> files;  ///< name → content after the power cut
  size_t lost_writes = 0;                      ///< writes no sync had covered
};

// The files of `before_dir` with the log replayed: a write or truncation reaches the disk once a
// sync of its file that began after it has finished. Of the others, `keep(op)` decides (none:
// the strictest cut; some: the disk had already written a few of them when the power went).
template <class Keep>
Disk power_cut(const std::string& before_dir, const std::string& log_path, Keep keep) {
  const std::string log = read_file(log_path);
  std::map<int, std::string> names;
  std::map<int, std::vector<Op>> pending;
  Disk disk;
  auto take = [&](size_t& at, void* out, size_t n) {
    REQUIRE(at + n <= log.size());
    std::memcpy(out, log.data() + at, n);
    at += n;
  };
  size_t at = 0;
  // A record cut short by the kill is the end of the log.
  while (at + 2 <= log.size()) {
    const size_t start = at;
    const char type = log[at];
    const int file = static_cast<unsigned char>(log[at + 1]);
    at += 2;
    if (type == 'N') {
      uint16_t length = 0;
      take(at, &length, sizeof length);
      names[file] = log.substr(at, length);
      at += length;
      const std::string before = before_dir + "/" + names[file];
      if (!disk.files.count(names[file]))
        disk.files[names[file]] = std::filesystem::exists(before) ? read_file(before) : "";
    } else if (type == 'W' || type == 'T') {
      Op op;
      op.position = start;
      op.truncate = type == 'T';
      if (at + 8 > log.size()) break;
      take(at, &op.offset, sizeof op.offset);
      if (type == 'W') {
        uint32_t length = 0;
        if (at + 4 > log.size()) break;
        take(at, &length, sizeof length);
        if (at + length > log.size()) break;
        op.bytes = log.substr(at, length);
        at += length;
      }
      pending[file].push_back(std::move(op));
    } else if (type == 'S') {
      uint64_t mark = 0;
      if (at + 8 > log.size()) break;
      take(at, &mark, sizeof mark);
      std::vector<Op>& ops = pending[file];
      size_t synced = 0;
      while (synced < ops.size() && ops[synced].position < mark) ++synced;
      for (size_t i = 0; i < synced; ++i) apply_op(disk.files[names[file]], ops[i]);
      ops.erase(ops.begin(), ops.begin() + static_cast<std::ptrdiff_t>(synced));
    } else {
      FAIL("unreadable power-cut log at byte " << start);
    }
  }
  for (auto& [file, ops] : pending) {
    disk.lost_writes += ops.size();
    for (const Op& op : ops)
      if (keep(op)) apply_op(disk.files[names[file]], op);
  }
  return disk;
}

struct Load {
  std::set<std::string> answered;  ///< request ids answered 200
  int64_t largest_total = 0;       ///< the most requests a reader was shown
  size_t reads = 0;
};

// Writers register distinct e-mails and a reader keeps asking how many requests there are,
// until the server is killed (power cut) after `run_for`.
Load load_then_cut(ServerProcess& server, const std::string& secret, std::chrono::milliseconds run_for) {
  const Api api(server.host(), server.port(), secret);
  Load load;
  std::mutex mutex;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        const HttpResponse r = api.register_request(request_body(
            "P" + std::to_string(i % 5), std::nullopt,
            "w" + std::to_string(t) + "-" + std::to_string(i) + "@example.com"));
        if (r.status != 200) continue;
        std::lock_guard<std::mutex> lock(mutex);
        load.answered.insert(r.json()["requestId"].get<std::string>());
      }
    });
  }
  for (int t = 0; t < 4; ++t) threads.emplace_back([&] {
    while (!stop) {
      const HttpResponse r = api.get("/api/v1/back-in-stock?limit=1");
      if (r.status != 200) continue;
      const int64_t total = r.json()["pagination"]["total"].get<int64_t>();
      std::lock_guard<std::mutex> lock(mutex);
      load.largest_total = std::max(load.largest_total, total);
      ++load.reads;
    }
  });
  std::this_thread::sleep_for(run_for);
  CHECK(server.kill() == 128 + SIGKILL);
  stop = true;
  for (std::thread& t : threads) t.join();
  return load;
}

std::set<std::string> stored_requests(const Api& api, int64_t& total) {
  std::set<std::string> stored;
  for (int offset = 0;; offset += 100) {
    const HttpResponse page =
        api.get("/api/v1/back-in-stock?limit=100&offset=" + std::to_string(offset));
    REQUIRE_STATUS(page, 200);
    const json body = page.json();
    total = body["pagination"]["total"].get<int64_t>();
    for (const json& r : body["requests"]) stored.insert(r["id"].get<std::string>());
    if (!body["pagination"]["hasMore"].get<bool>()) break;
  }
  return stored;
}

void check_recovered(const Disk& disk, const Load& load, const std::string& secret) {
  TempDir recovered;
  for (const auto& [name, bytes] : disk.files) write_file(recovered.file(name), bytes);
  const std::string db = recovered.file("stockbell.db");
  {
    stockbell::server::Database check(db, stockbell::server::Database::Mode::read_write_create);
    stockbell::server::Statement& integrity = check.cached("PRAGMA integrity_check");
    REQUIRE(integrity.step());
    CHECK(integrity.string(0) == "ok");
    integrity.reset();
  }
  ServerProcess::Options options;
  options.args = {"--db", db, "--port", "0"};
  options.log_path = recovered.file("server.stderr");
  ServerProcess server(options);
  int64_t total = 0;
  const std::set<std::string> stored = stored_requests(Api(server.host(), server.port(), secret), total);
  size_t missing = 0;
  for (const std::string& id : load.answered) missing += stored.count(id) == 0;
  CHECK_MESSAGE(missing == 0, missing << " of " << load.answered.size()
                                      << " registrations answered 200 are gone after the power cut");
  CHECK_MESSAGE(total >= load.largest_total, "a reader was shown " << load.largest_total
                                                 << " requests, the disk holds " << total);
  MESSAGE(load.answered.size() << " answered 200, " << load.reads << " reads (largest total "
                               << load.largest_total << "), " << stored.size() << " stored, "
                               << disk.lost_writes << " writes lost");
}

// One server on a fresh database under the shim, loaded, then killed.
struct Cut {
  std::unique_ptr<TempDir> data = std::make_unique<TempDir>();  ///< every file in it is watched
  std::unique_ptr<TempDir> aside = std::make_unique<TempDir>();  ///< the files before the start
  std::unique_ptr<TempDir> logs = std::make_unique<TempDir>();
  std::string secret;
  Load load;
  std::string before() const { return aside->path(); }
  std::string log() const { return logs->file("powercut.log"); }
};

Cut cut_under_load() {
  Cut cut;
  const std::string db = cut.data->file("stockbell.db");
  cut.secret = create_key(db, "shop", "secret");
  // `keys create` has closed the database: no WAL, and this is what the disk holds.
  for (const auto& entry : std::filesystem::directory_iterator(cut.data->path()))
    std::filesystem::copy_file(entry.path(), cut.aside->file(entry.path().filename().string()));
  ServerProcess::Options options;
  options.args = {"--db", db, "--port", "0"};
  options.args.insert(options.args.end(), kNoRateLimits.begin(), kNoRateLimits.end());
  options.log_path = cut.logs->file("server.stderr");
  options.env = {{"LD_PRELOAD", STOCKBELL_POWERCUT_SHIM},
                 {"STOCKBELL_POWERCUT_DIR", cut.data->path()},
                 {"STOCKBELL_POWERCUT_LOG", cut.log()}};
  ServerProcess server(options);
  cut.load = load_then_cut(server, cut.secret, std::chrono::milliseconds(1500));
  REQUIRE(cut.load.answered.size() > 100);
  REQUIRE(cut.load.reads > 10);
  return cut;
}

}  // namespace

TEST_CASE("after a power cut under load, every registration answered 200 and every count read is on disk") {
  // A cut that lands just after a sync takes nothing back and proves nothing: cut another.
  Cut cut = cut_under_load();
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (power_cut(cut.before(), cut.log(), [](const Op&) { return false; }).lost_writes > 0) break;
    cut = cut_under_load();
  }
  const std::string before = cut.before(), log = cut.log(), secret = cut.secret;
  const Load& load = cut.load;

  SUBCASE("every write no sync covered is lost") {
    const Disk disk = power_cut(before, log, [](const Op&) { return false; });
    // The cut really took something back, or this proves nothing.
    CHECK(disk.lost_writes > 0);
    check_recovered(disk, load, secret);
  }
  SUBCASE("the disk had written a random half of the unsynced writes") {
    std::mt19937 random(16);
    const Disk disk = power_cut(before, log, [&](const Op&) { return random() % 2 == 0; });
    check_recovered(disk, load, secret);
  }
  SUBCASE("a process crash (kill -9): every write is kept") {
    check_recovered(power_cut(before, log, [](const Op&) { return true; }), load, secret);
  }
}
