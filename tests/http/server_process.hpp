#pragma once
// The real `stockbell` binary as a child process, for tests that drive it over HTTP (and for
// crash-safety tests that kill it). Everything here is RAII: a test that fails or throws still
// kills and reaps its server and removes its files.
//
//   stockbell::testing::TempDir dir;
//   std::string db = dir.file("stockbell.db");
//   std::string key = stockbell::testing::create_key(db, "shop", "secret");
//   stockbell::testing::ServerProcess server(db);   // serve --db DB --port 0, started
//   ... HTTP to server.port() ...
//   CHECK(server.stop() == 0);                      // SIGTERM, exit status
//   server.start();                                 // again, same database, new port
//
// Children get the parent's environment minus every STOCKBELL_* variable (a developer's shell
// must not change a test), plus what the test passes. On Linux a child is also killed if the
// thread that started it dies, so start servers from a thread that outlives them (the test's).

#include <sys/types.h>

#include <csignal>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace stockbell::testing {

using namespace std::chrono_literals;

/// Variables added to a child's environment.
using Environment = std::vector<std::pair<std::string, std::string>>;

/// The `--db` a test's SQLite path stands for: the path itself, or, when the suite runs against
/// PostgreSQL (STOCKBELL_TEST_POSTGRES=postgresql://USER@HOST:PORT, set by ctest's `postgres`
/// label), a fresh database of that server made for the path. Every `--db` argument of a child
/// goes through it, so a test written with a file path runs on both backends.
std::string database_location(const std::string& db);
/// True when the suite runs against PostgreSQL.
bool testing_postgres();

/// The `stockbell` binary under test (injected by CMake).
const std::string& stockbell_binary();

/// A fresh directory under $TMPDIR (else /tmp), removed with its contents when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// How a child ended: its exit code, or 128 + the signal that killed it (as shells report it).
int exit_status_code(int wait_status);

struct RunResult {
  int status = -1;  ///< exit code, or 128 + signal
  std::string out;  ///< everything written to stdout
  std::string err;  ///< everything written to stderr
};

/// Runs `stockbell args...` to completion, capturing stdout and stderr. Throws if it is still
/// running after `timeout` (it is killed first).
RunResult run_stockbell(const std::vector<std::string>& args, const Environment& env = {},
                        std::chrono::milliseconds timeout = 10s);

/// `stockbell keys create --db DB --store STORE --kind KIND [--origin O]...`: returns the key
/// (stdout without its newline). Throws with the child's stderr if it fails.
std::string create_key(const std::string& db, const std::string& store, const std::string& kind,
                       const std::vector<std::string>& origins = {});

/// One `stockbell serve` child. The constructor starts it; start() after stop()/kill()
/// restarts it with the same arguments (same database, a new free port with `--port 0`).
class ServerProcess {
 public:
  struct Options {
    std::vector<std::string> args;  ///< after `serve`, e.g. {"--db", db, "--port", "0"}
    Environment env;
    std::string log_path;  ///< the child's stderr is appended here
    std::chrono::milliseconds start_timeout = 10s;
  };

  /// `serve --db DB --port 0`, stderr to `DB.stderr`.
  explicit ServerProcess(const std::string& db);
  explicit ServerProcess(Options options);
  ~ServerProcess();  ///< SIGKILL if still running, then reaps
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  /// Spawns the child and waits for its `... listening on http://HOST:PORT ...` line. Throws
  /// (after killing it) if the child exits or stays silent past the timeout; the message carries
  /// its stderr.
  void start();
  /// SIGTERM (or `sig`, e.g. SIGINT), then waits for the exit; returns the exit status (0 for
  /// a clean stop). If the child is still alive after `timeout` it is killed and this throws.
  int stop(std::chrono::milliseconds timeout = 10s, int sig = SIGTERM);
  /// SIGKILL (a crash, as far as the store can tell); returns the status (137).
  int kill();
  /// stop() expecting status 0, then start().
  void restart();

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  std::string host() const { return host_; }
  /// `http://127.0.0.1:PORT`.
  std::string base_url() const;
  /// The listening line, without its newline.
  const std::string& banner() const { return banner_; }
  /// Everything the child wrote to stdout so far (read lazily; see read_line).
  const std::string& stdout_text() const { return stdout_; }
  /// The next stdout line after the banner (e.g. `serve --demo`'s extra lines); throws on
  /// timeout or end of output.
  std::string read_line(std::chrono::milliseconds timeout = 5s);
  /// The child's stderr so far (all runs), from its log file.
  std::string stderr_text() const;

 private:
  void spawn();
  int wait_for_exit(std::chrono::milliseconds timeout);
  bool read_more(std::chrono::steady_clock::time_point deadline);
  void close_stdout();

  Options options_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  std::string host_;
  std::string banner_;
  std::string stdout_;
  size_t consumed_ = 0;  ///< stdout_ bytes already returned as lines (banner included)
};

}  // namespace stockbell::testing
