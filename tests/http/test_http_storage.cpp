// The database under a running server (issue 20 §5, §6): its files are the owner's only, its
// WAL stays bounded under sustained writes, a full disk is a 503 the client may retry and
// nothing acknowledged is lost, a database file deleted or replaced underneath stops every 200,
// and each `--demo` start ends the previous demo keys.

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <set>
#include <thread>

#include "hostile_support.hpp"
#include "http_checks.hpp"

using namespace stockbell::testing;
using namespace stockbell::testing::hostile;

namespace {

using Clock = std::chrono::steady_clock;

mode_t mode_of(const std::string& path) {
  struct stat file {};
  REQUIRE_MESSAGE(::stat(path.c_str(), &file) == 0, "no file " << path);
  return file.st_mode & 0777;
}

int64_t size_of(const std::string& path) {
  struct stat file {};
  return ::stat(path.c_str(), &file) == 0 ? static_cast<int64_t>(file.st_size) : 0;
}

// A tmpfs of `size` mounted on a fresh directory, unmounted when destroyed. The tests run as
// root (here and in CI); where mounting is not allowed, mounted() is false and says why.
class SmallDisk {
 public:
  explicit SmallDisk(const std::string& size) {
    char templ[] = "/tmp/stockbell-disk-XXXXXX";
    REQUIRE(::mkdtemp(templ) != nullptr);
    path_ = templ;
    if (::mount("tmpfs", path_.c_str(), "tmpfs", 0, ("size=" + size + ",mode=0700").c_str()) == 0)
      mounted_ = true;
    else
      why_ = std::string("mount(tmpfs) failed: ") + std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
    ::rmdir(path_.c_str());
  }
  bool mounted() const { return mounted_; }
  const std::string& why() const { return why_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string why_;
};

// Fills the disk with a file until writing fails; returns the file's size.
int64_t fill(const std::string& path, int64_t leave_bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  std::string block(64 * 1024, 'x');
  int64_t written = 0;
  while (std::fwrite(block.data(), 1, block.size(), f) == block.size()) written += block.size();
  std::fclose(f);
  // Give some room back, so the server starts its work with a little space left.
  if (leave_bytes > 0 && written > leave_bytes) {
    REQUIRE(::truncate(path.c_str(), written - leave_bytes) == 0);
    written -= leave_bytes;
  }
  return written;
}

}  // namespace

// Issue 20 §6: the database was created 0644, so any local user could read subscribers'
// e-mails and webhook signing secrets.
TEST_CASE("the database, its WAL and shared memory are the owner's only (0600)") {
  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  const std::string key = create_key(db, "shop", "secret");
  CHECK(mode_of(db) == 0600);
  {
    ServerProcess server(db);
    REQUIRE_STATUS(Api(server.host(), server.port(), key)
                       .register_request(request_body("P", std::nullopt, "a@example.com")),
                   200);
    CHECK(mode_of(db) == 0600);
    CHECK(mode_of(db + "-wal") == 0600);
    CHECK(mode_of(db + "-shm") == 0600);
    CHECK(server.stop() == 0);
  }
  // A database an older version left readable to all is narrowed at the next start.
  ::chmod(db.c_str(), 0644);
  ServerProcess again(db);
  CHECK(mode_of(db) == 0600);
  CHECK(again.stop() == 0);
}

// Issue 20 §6: deleting the database file while the server ran still answered 200: every later
// write went into a file nobody could open again.
TEST_CASE("a database file deleted or replaced under the server: no more 200s, and it says why") {
  for (const bool replace : {false, true}) {
    INFO(std::string(replace ? "replaced by another file" : "deleted"));
    TestServer s;
    const Api api = s.api();
    REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "a@example.com")), 200);
    if (replace) {
      const std::string copy = s.db + ".copy";
      std::ofstream(copy) << "not this database";
      REQUIRE(::rename(copy.c_str(), s.db.c_str()) == 0);
    } else {
      REQUIRE(::unlink(s.db.c_str()) == 0);
    }
    const HttpResponse write = api.register_request(request_body("P", std::nullopt, "b@example.com"));
    CHECK_ERROR(write, 503, "unavailable");
    CHECK(write.json()["error"].get<std::string>().find("replaced") != std::string::npos);
    CHECK(write.has_header("Retry-After"));
    CHECK_ERROR(api.get("/api/v1/back-in-stock"), 503, "unavailable");
    // A key the server has not seen is looked up before the body is read (on the connection
    // front's thread): the failing lookup is a 503 too, and the server stays up.
    const HttpResponse unknown = s.api("sk_" + std::string(40, 'x'))
                                     .register_request(request_body("P", std::nullopt, "c@example.com"));
    CHECK_ERROR(unknown, 503, "unavailable");
    CHECK_ERROR(api.get("/healthz"), 503, "unavailable");
    CHECK(s.server.stderr_text().find("deleted or replaced") != std::string::npos);
  }
}

// Issue 20 §6: every `--demo` start created a new key pair and left the previous secret valid.
TEST_CASE("--demo ends the previous demo keys at every start") {
  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  ServerProcess::Options options;
  options.args = {"--db", db, "--port", "0", "--demo"};
  options.log_path = db + ".stderr";
  ServerProcess server(options);
  auto secret_of = [&] {
    for (int i = 0; i < 5; ++i) {
      const std::string line = server.read_line();
      const size_t at = line.find("sk_");
      if (line.find("demo secret key") != std::string::npos && at != std::string::npos)
        return line.substr(at);
    }
    FAIL("no demo secret key printed");
    return std::string();
  };
  const std::string first = secret_of();
  CHECK_STATUS(Api(server.host(), server.port(), first).get("/api/v1/products"), 200);
  server.restart();
  const std::string second = secret_of();
  CHECK(second != first);
  CHECK_ERROR(Api(server.host(), server.port(), first).get("/api/v1/products"), 401, "unauthorized");
  CHECK_STATUS(Api(server.host(), server.port(), second).get("/api/v1/products"), 200);
}

// Issue 20 §5: a full disk turned every write into a 500 while /healthz said ok.
TEST_CASE("a full disk: 503 with Retry-After, /healthz says so, nothing acknowledged is lost") {
  SmallDisk disk("6m");
  if (!disk.mounted()) {
    MESSAGE("SKIPPED: this test needs to mount a small tmpfs (root): " << disk.why());
    return;
  }
  const std::string db = disk.file("stockbell.db");
  const std::string key = create_key(db, "shop", "secret");
  ServerProcess::Options options;
  options.args = {"--db", db, "--port", "0", "--rate-ip-per-minute", "0", "--rate-email-per-hour", "0"};
  options.log_path = "/tmp/stockbell-disk-test.stderr";
  ServerProcess server(options);
  Api api(server.host(), server.port(), key);
  REQUIRE_STATUS(api.register_request(request_body("P", std::nullopt, "first@example.com")), 200);

  const std::string filler = disk.file("filler");
  fill(filler, 256 * 1024);
  std::set<std::string> acknowledged;
  HttpResponse refused;
  for (int i = 0; i < 20000 && refused.status == 0; ++i) {
    json body = request_body("P-" + std::to_string(i), std::nullopt, "shopper" + std::to_string(i) + "@example.com");
    body["productTitle"] = std::string(400, 't');  // fills the disk sooner
    const HttpResponse r = api.register_request(body);
    if (r.status == 200)
      acknowledged.insert(r.json()["requestId"].get<std::string>());
    else
      refused = r;
  }
  MESSAGE(acknowledged.size() << " registrations answered 200 before the disk was full");
  REQUIRE(refused.status != 0);
  CHECK_ERROR(refused, 503, "unavailable");
  CHECK(refused.json()["error"].get<std::string>().find("disk is full") != std::string::npos);
  CHECK(refused.has_header("Retry-After"));
  const HttpResponse health = api.get("/healthz");
  CHECK_ERROR(health, 503, "unavailable");
  CHECK(health.json()["error"].get<std::string>().find("disk is full") != std::string::npos);
  // Reads still work meanwhile.
  CHECK_STATUS(api.get("/api/v1/products"), 200);

  // Space returns: the server takes writes again, without a restart.
  REQUIRE(::unlink(filler.c_str()) == 0);
  CHECK_STATUS(api.get("/healthz"), 200);
  const HttpResponse after = api.register_request(request_body("P", std::nullopt, "after@example.com"));
  REQUIRE_STATUS(after, 200);
  acknowledged.insert(after.json()["requestId"].get<std::string>());

  // And after a restart, every request answered 200 is there.
  server.restart();
  api = Api(server.host(), server.port(), key);
  const json stored = list_all(api, "/api/v1/back-in-stock", "requests");
  std::set<std::string> ids;
  for (const json& r : stored) ids.insert(r["id"].get<std::string>());
  size_t missing = 0;
  for (const std::string& id : acknowledged) missing += ids.count(id) == 0;
  CHECK(missing == 0);
  CHECK(server.stop() == 0);
}

// Issue 20 §5: under sustained writes the WAL grew to 1.3 GB in 20 s (8 writers) and never
// shrank while the server ran.
TEST_CASE("the WAL stays under 64 MiB under 8 sustained writers and readers") {
  TestServer s;
  const std::string wal = s.db + "-wal";
  std::atomic<bool> stop{false};
  std::atomic<long> written{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 8; ++w)
    threads.emplace_back([&, w] {
      httplib::Client client(s.server.host(), s.server.port());
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      const httplib::Headers headers = {{"Authorization", "Bearer " + s.secret}};
      for (long i = 0; !stop; ++i) {
        json body = request_body("P" + std::to_string(i % 50), std::nullopt,
                                 "w" + std::to_string(w) + "-" + std::to_string(i) + "@example.com");
        body["productTitle"] = std::string(200, 'x');
        if (auto r = client.Post("/api/v1/back-in-stock", headers, body.dump(), "application/json");
            r && r->status == 200)
          ++written;
      }
    });
  for (int r = 0; r < 2; ++r)  // readers keep snapshots open, as the dashboard and dispatcher do
    threads.emplace_back([&] {
      const Api api = s.api();
      while (!stop) api.get("/api/v1/back-in-stock?limit=100");
    });
  int64_t largest = 0;
  const auto until = Clock::now() + std::chrono::seconds(15);
  while (Clock::now() < until) {
    largest = std::max(largest, size_of(wal));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop = true;
  for (std::thread& t : threads) t.join();
  MESSAGE(written.load() << " registrations in 15 s; largest WAL " << largest / (1024 * 1024)
                         << " MiB; database " << size_of(s.db) / (1024 * 1024) << " MiB");
  CHECK(written.load() > 1000);
  CHECK(largest < 64 * 1024 * 1024);
}
