#include "server/ops/backup.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "server/store/backup.hpp"

namespace stockbell::server {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::atomic<bool> g_interrupted{false};

void on_signal(int) {
  g_interrupted = true;
}

// SIGINT and SIGTERM end the copy between two steps (the temporary file is then removed).
void catch_interruptions() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void sync_directory_of(const std::string& path) {
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

void remove_with_companions(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path + suffix, ec);
}

std::string duration_text(double seconds) {
  char buffer[32];
  if (seconds < 60)
    std::snprintf(buffer, sizeof buffer, "%.1f s", seconds);
  else
    std::snprintf(buffer, sizeof buffer, "%dm%02ds", static_cast<int>(seconds) / 60,
                  static_cast<int>(seconds) % 60);
  return buffer;
}

// The progress line on a terminal: redrawn at most 10 times a second.
class ProgressLine {
 public:
  ProgressLine() : tty_(::isatty(STDERR_FILENO) == 1), start_(Clock::now()) {}
  void update(const BackupProgress& p) {
    if (!tty_) return;
    const auto now = Clock::now();
    if (p.done < p.total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(p.done) / elapsed : 0;
    const double left = rate > 0 ? static_cast<double>(p.total - p.done) / rate : 0;
    std::fprintf(stderr, "\r\033[Kbackup: %lld/%lld pages (%d%%), %.0f pages/s, %s left",
                 static_cast<long long>(p.done), static_cast<long long>(p.total),
                 p.total > 0 ? static_cast<int>(100 * p.done / p.total) : 100, rate,
                 duration_text(left).c_str());
    drawn_ = true;
  }
  void end() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
  }
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  bool tty_;
  bool drawn_ = false;
  Clock::time_point start_;
  Clock::time_point last_{};
};

}  // namespace

int run_backup(const BackupCommand& command) {
  if (!backup_supported(command.db)) {
    std::fprintf(stderr,
                 "stockbell: backup copies SQLite databases; a PostgreSQL database is backed up "
                 "with its own tools:\n"
                 "  pg_dump --format=custom --file=%s '%s'\n"
                 "and restored into an empty database with pg_restore --dbname=URL %s\n"
                 "(pg_dump takes one consistent snapshot while Stockbell keeps running).\n",
                 command.to.c_str(), command.db.c_str(), command.to.c_str());
    return 2;
  }
  std::error_code ec;
  if (!fs::exists(command.db, ec)) {
    std::fprintf(stderr, "stockbell: no database at %s\n", command.db.c_str());
    return 1;
  }
  if (fs::exists(command.to, ec)) {
    std::fprintf(stderr, "stockbell: %s already exists; backup writes a new file\n",
                 command.to.c_str());
    return 1;
  }
  catch_interruptions();
  const std::string temporary = command.to + ".partial-" + std::to_string(::getpid());
  ProgressLine line;
  BackupProgress last;
  try {
    backup_database(
        command.db, temporary,
        [&](const BackupProgress& p) {
          last = p;
          line.update(p);
        },
        g_interrupted);
    if (g_interrupted) throw std::runtime_error("interrupted");
    if (std::rename(temporary.c_str(), command.to.c_str()) != 0)
      throw std::runtime_error("cannot rename " + temporary + " to " + command.to);
    sync_directory_of(command.to);
  } catch (const std::exception& e) {
    line.end();
    remove_with_companions(temporary);
    std::fprintf(stderr, "stockbell: backup of %s failed: %s (nothing was written to %s)\n",
                 command.db.c_str(), e.what(), command.to.c_str());
    return g_interrupted ? 130 : 1;
  }
  line.end();
  const uintmax_t bytes = fs::file_size(command.to, ec);
  std::printf("backup: %s: %lld pages, %.1f MiB in %s; integrity check ok\n", command.to.c_str(),
              static_cast<long long>(last.total), static_cast<double>(bytes) / (1024.0 * 1024.0),
              duration_text(line.elapsed()).c_str());
  return 0;
}

int run_restore(const RestoreCommand& command) {
  if (!backup_supported(command.db)) {
    std::fprintf(stderr,
                 "stockbell: restore writes SQLite databases; restore a PostgreSQL dump "
                 "with pg_restore\n");
    return 2;
  }
  std::error_code ec;
  if (!fs::exists(command.from, ec)) {
    std::fprintf(stderr, "stockbell: no backup at %s\n", command.from.c_str());
    return 1;
  }
  catch_interruptions();
  const std::string temporary = command.db + ".restoring-" + std::to_string(::getpid());
  try {
    verify_database_file(command.from);
    fs::copy_file(command.from, temporary, fs::copy_options::none);
    fs::permissions(temporary, fs::perms::owner_read | fs::perms::owner_write);
    const int fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) throw std::runtime_error("cannot sync " + temporary);
    ::close(fd);
    if (g_interrupted) throw std::runtime_error("interrupted");
    // The old file's WAL must not be applied to the restored one.
    for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(command.db + suffix, ec);
    if (std::rename(temporary.c_str(), command.db.c_str()) != 0)
      throw std::runtime_error("cannot rename " + temporary + " to " + command.db);
    sync_directory_of(command.db);
  } catch (const std::exception& e) {
    fs::remove(temporary, ec);
    std::fprintf(stderr, "stockbell: restore of %s failed: %s (%s is unchanged)\n",
                 command.from.c_str(), e.what(), command.db.c_str());
    return g_interrupted ? 130 : 1;
  }
  std::printf("restored %s from %s; start the server on it\n", command.db.c_str(),
              command.from.c_str());
  return 0;
}

}  // namespace stockbell::server
