#include "server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <mutex>
#include <set>
#include <thread>

#include <libpq-fe.h>

extern char** environ;

#ifndef STOCKBELL_BINARY
#error "STOCKBELL_BINARY must be defined to the path of the stockbell executable"
#endif

namespace stockbell::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::runtime_error system_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

// argv and envp for execve, built before fork (the child may only make async-signal-safe calls).
struct ExecImage {
  std::vector<std::string> strings_argv;
  std::vector<std::string> strings_env;
  std::vector<char*> argv;
  std::vector<char*> envp;

  ExecImage(const std::vector<std::string>& args, const Environment& env) {
    strings_argv.push_back(stockbell_binary());
    strings_argv.insert(strings_argv.end(), args.begin(), args.end());
    for (size_t i = 1; i + 1 < strings_argv.size(); ++i)
      if (strings_argv[i] == "--db") strings_argv[i + 1] = database_location(strings_argv[i + 1]);
    for (char** e = environ; e != nullptr && *e != nullptr; ++e)
      if (std::strncmp(*e, "STOCKBELL_", 10) != 0) strings_env.emplace_back(*e);
    for (const auto& [name, value] : env) strings_env.push_back(name + "=" + value);
    for (std::string& s : strings_argv) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (std::string& s : strings_env) envp.push_back(s.data());
    envp.push_back(nullptr);
  }
};

// Forks and execs the binary with stdout → out_fd, stderr → err_fd, stdin from /dev/null.
pid_t spawn_child(const ExecImage& image, int out_fd, int err_fd) {
  const int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull < 0) throw system_error("open /dev/null");
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(devnull);
    throw system_error("fork");
  }
  if (pid == 0) {
    // A test process that dies (crash, abort, ctest timeout) must not leave servers behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &dfl, nullptr);
    if (::dup2(devnull, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) ::_exit(127);
    ::execve(image.argv[0], image.argv.data(), image.envp.data());
    ::_exit(127);
  }
  ::close(devnull);
  return pid;
}

struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw system_error("pipe2");
    read = fds[0];
    write = fds[1];
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  void close_read() {
    if (read >= 0) ::close(read);
    read = -1;
  }
  void close_write() {
    if (write >= 0) ::close(write);
    write = -1;
  }
};

// Waits for `pid` until the deadline; false if it is still running then.
bool try_wait(pid_t pid, Clock::time_point deadline, int& status) {
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) throw system_error("waitpid");
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::string quote_args(const std::vector<std::string>& args) {
  std::string out = "stockbell";
  for (const std::string& a : args) out += " " + a;
  return out;
}

}  // namespace

const std::string& stockbell_binary() {
  static const std::string path = STOCKBELL_BINARY;
  return path;
}

int exit_status_code(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

// ---- the backend under test ---------------------------------------------------------------------

namespace {

// The test PostgreSQL server's URL: STOCKBELL_TEST_POSTGRES, or the first line of the file
// STOCKBELL_TEST_POSTGRES_FILE names (written by tests/postgres/cluster.sh); empty: SQLite.
std::string postgres_server() {
  if (const char* url = std::getenv("STOCKBELL_TEST_POSTGRES"); url != nullptr && *url != '\0')
    return url;
  const char* file = std::getenv("STOCKBELL_TEST_POSTGRES_FILE");
  if (file == nullptr || *file == '\0') return "";
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  if (url.empty()) throw std::runtime_error(std::string("no PostgreSQL test server in ") + file);
  return url;
}

}  // namespace

std::string database_location(const std::string& db) {
  const std::string server = postgres_server();
  const bool sqlite_always = db.size() > 7 && db.compare(db.size() - 7, 7, ".sqlite") == 0;
  if (server.empty() || db.rfind("postgres", 0) == 0 || sqlite_always) return db;
  // One database per SQLite path a test names (FNV-1a of it): the test's own, whoever opens it.
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : db) hash = (hash ^ c) * 1099511628211ULL;
  char name[32];
  std::snprintf(name, sizeof name, "t%016llx", static_cast<unsigned long long>(hash));
  static std::mutex mutex;
  static std::set<std::string> created;
  std::lock_guard<std::mutex> lock(mutex);
  const std::string base = server;
  if (created.insert(name).second) {
    PGconn* conn = PQconnectdb((base + "/postgres").c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      const std::string why = PQerrorMessage(conn);
      PQfinish(conn);
      throw std::runtime_error("can't reach the test PostgreSQL at " + base + ": " + why);
    }
    PGresult* r = PQexec(conn, (std::string("CREATE DATABASE ") + name).c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    const std::string why = PQerrorMessage(conn);
    PQclear(r);
    PQfinish(conn);
    if (!ok) throw std::runtime_error(std::string("CREATE DATABASE ") + name + ": " + why);
  }
  return base + "/" + name;
}

bool testing_postgres() { return !postgres_server().empty(); }

// ---- TempDir ---------------------------------------------------------------------------------

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/stockbell-test-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw system_error("mkdtemp " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

// ---- one-shot commands -------------------------------------------------------------------------

RunResult run_stockbell(const std::vector<std::string>& args, const Environment& env,
                        std::chrono::milliseconds timeout) {
  const ExecImage image(args, env);
  Pipe out, err;
  const pid_t pid = spawn_child(image, out.write, err.write);
  out.close_write();
  err.close_write();

  RunResult result;
  const Clock::time_point deadline = Clock::now() + timeout;
  pollfd fds[2] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  while (open_fds > 0) {
    const int ready = ::poll(fds, 2, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;  // timeout (or poll failure): the child is killed below
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  if (!try_wait(pid, deadline, status)) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    throw std::runtime_error(quote_args(args) + " did not finish within " +
                             std::to_string(timeout.count()) + " ms");
  }
  result.status = exit_status_code(status);
  return result;
}

std::string create_key(const std::string& db, const std::string& store, const std::string& kind,
                       const std::vector<std::string>& origins) {
  std::vector<std::string> args = {"keys", "create", "--db", db, "--store", store, "--kind", kind};
  for (const std::string& origin : origins) {
    args.push_back("--origin");
    args.push_back(origin);
  }
  const RunResult r = run_stockbell(args);
  if (r.status != 0 || r.out.empty() || r.out.back() != '\n')
    throw std::runtime_error(quote_args(args) + " failed (status " + std::to_string(r.status) +
                             "): " + r.err);
  return r.out.substr(0, r.out.size() - 1);
}

// ---- ServerProcess ---------------------------------------------------------------------------

ServerProcess::ServerProcess(const std::string& db)
    : ServerProcess(Options{{"--db", db, "--port", "0"}, {}, db + ".stderr", 10s}) {}

ServerProcess::ServerProcess(Options options) : options_(std::move(options)) {
  start();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  close_stdout();
}

std::string ServerProcess::base_url() const {
  return "http://" + host_ + ":" + std::to_string(port_);
}

void ServerProcess::close_stdout() {
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  stdout_fd_ = -1;
}

void ServerProcess::spawn() {
  std::vector<std::string> args = {"serve"};
  args.insert(args.end(), options_.args.begin(), options_.args.end());
  const ExecImage exec(args, options_.env);
  const int log =
      ::open(options_.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw system_error("open " + options_.log_path);
  Pipe out;
  try {
    pid_ = spawn_child(exec, out.write, log);
  } catch (...) {
    ::close(log);
    throw;
  }
  ::close(log);
  out.close_write();
  stdout_fd_ = out.read;
  out.read = -1;
  stdout_.clear();
  consumed_ = 0;
  banner_.clear();
  port_ = 0;
}

bool ServerProcess::read_more(Clock::time_point deadline) {
  if (stdout_fd_ < 0) return false;
  for (;;) {
    pollfd fd{stdout_fd_, POLLIN, 0};
    const int ready = ::poll(&fd, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    char buffer[4096];
    const ssize_t n = ::read(stdout_fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close_stdout();
      return false;
    }
    stdout_.append(buffer, static_cast<size_t>(n));
    return true;
  }
}

std::string ServerProcess::read_line(std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    const size_t newline = stdout_.find('\n', consumed_);
    if (newline != std::string::npos) {
      std::string line = stdout_.substr(consumed_, newline - consumed_);
      consumed_ = newline + 1;
      return line;
    }
    if (!read_more(deadline))
      throw std::runtime_error("no further stdout line from stockbell serve; stdout so far: " +
                               stdout_);
  }
}

void ServerProcess::start() {
  if (pid_ > 0) throw std::logic_error("ServerProcess::start: already running");
  spawn();
  const Clock::time_point deadline = Clock::now() + options_.start_timeout;
  std::string failure;
  try {
    const std::string line =
        read_line(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    // "stockbell 0.1.0 listening on http://127.0.0.1:40123 (database /tmp/x/stockbell.db)"
    const std::string marker = " listening on http://";
    const size_t at = line.find(marker);
    if (line.rfind("stockbell ", 0) != 0 || at == std::string::npos) {
      failure = "unexpected first line: " + line;
    } else {
      const size_t host_begin = at + marker.size();
      const size_t end = line.find_first_of(" /", host_begin);
      const std::string authority = line.substr(host_begin, end - host_begin);
      const size_t colon = authority.rfind(':');
      host_ = authority.substr(0, colon);
      port_ = colon == std::string::npos ? 0 : std::atoi(authority.c_str() + colon + 1);
      if (port_ <= 0) failure = "no port in: " + line;
      banner_ = line;
    }
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (!failure.empty()) {
    const int status = kill();
    throw std::runtime_error("stockbell serve did not start (" + failure + "; status " +
                             std::to_string(status) + "); stderr:\n" + stderr_text());
  }
}

int ServerProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  int status = 0;
  if (!try_wait(pid_, Clock::now() + timeout, status)) return -1;
  pid_ = -1;
  // Whatever it printed last (nothing, normally) is kept for stdout_text().
  while (read_more(Clock::now())) {
  }
  close_stdout();
  return exit_status_code(status);
}

int ServerProcess::stop(std::chrono::milliseconds timeout, int sig) {
  if (pid_ <= 0) throw std::logic_error("ServerProcess::stop: not running");
  ::kill(pid_, sig);
  const int status = wait_for_exit(timeout);
  if (status >= 0) return status;
  kill();
  throw std::runtime_error("stockbell serve did not exit within " +
                           std::to_string(timeout.count()) + " ms of signal " +
                           std::to_string(sig) + "; stderr:\n" + stderr_text());
}

int ServerProcess::kill() {
  if (pid_ <= 0) throw std::logic_error("ServerProcess::kill: not running");
  ::kill(pid_, SIGKILL);
  return wait_for_exit(std::chrono::milliseconds(60000));
}

void ServerProcess::restart() {
  const int status = stop();
  if (status != 0)
    throw std::runtime_error("stockbell serve exited with status " + std::to_string(status) +
                             " on SIGTERM; stderr:\n" + stderr_text());
  start();
}

std::string ServerProcess::stderr_text() const {
  std::ifstream in(options_.log_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace stockbell::testing
