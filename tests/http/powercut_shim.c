// A power cut for tests (http.powercut), as an LD_PRELOAD library: it lets every file operation
// through, and logs, in order, each write, truncation and fsync/fdatasync the process makes to
// the files of one directory (STOCKBELL_POWERCUT_DIR: the database, its WAL; not the -shm file,
// which SQLite rebuilds after a crash). The test kills the process with SIGKILL, then rebuilds
// the files as a disk would have them after losing power at that instant: starting from the
// files as they were before the process started, a write counts only once an fsync/fdatasync of
// its file came after it (powercut_log.hpp). Writes still waiting for a sync are lost (or, in a
// harsher replay, some of them kept, in any order).
//
// Log records (host byte order), appended to STOCKBELL_POWERCUT_LOG:
//   'N' u8 file, u16 length, name      a file of the directory gets a number (by its name)
//   'W' u8 file, u64 offset, u32 length, bytes
//   'T' u8 file, u64 size              ftruncate, or open with O_TRUNC (size 0)
//   'S' u8 file, u64 mark              a successful fsync or fdatasync of the file, which began
//                                      when the log was `mark` bytes long: every record of the
//                                      file before `mark` is durable
// Writes and truncations are logged under the same lock as the operation itself, after it
// succeeded, so the log's order is the order the kernel saw them in.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FDS 65536
#define MAX_FILES 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char dir[4096];
static size_t dir_length;
static int log_fd = -1;
static signed char fd_file[MAX_FDS];  // file number + 1; 0: not tracked
static char* names[MAX_FILES];
static int file_count;

static int (*real_open)(const char*, int, ...);
static int (*real_open64)(const char*, int, ...);
static int (*real_openat)(int, const char*, int, ...);
static int (*real_openat64)(int, const char*, int, ...);
static ssize_t (*real_write)(int, const void*, size_t);
static ssize_t (*real_pwrite)(int, const void*, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void*, size_t, off_t);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_close)(int);

static void resolve(void) {
  if (real_write) return;
  real_open = dlsym(RTLD_NEXT, "open");
  real_open64 = dlsym(RTLD_NEXT, "open64");
  real_openat = dlsym(RTLD_NEXT, "openat");
  real_openat64 = dlsym(RTLD_NEXT, "openat64");
  real_pwrite = dlsym(RTLD_NEXT, "pwrite");
  real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
  real_ftruncate = dlsym(RTLD_NEXT, "ftruncate");
  real_ftruncate64 = dlsym(RTLD_NEXT, "ftruncate64");
  real_fsync = dlsym(RTLD_NEXT, "fsync");
  real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
  real_close = dlsym(RTLD_NEXT, "close");
  real_write = dlsym(RTLD_NEXT, "write");
}

__attribute__((constructor)) static void init(void) {
  resolve();
  const char* d = getenv("STOCKBELL_POWERCUT_DIR");
  const char* l = getenv("STOCKBELL_POWERCUT_LOG");
  if (!d || !l || strlen(d) + 2 > sizeof dir) return;
  strcpy(dir, d);
  dir_length = strlen(dir);
  if (dir_length == 0 || dir[dir_length - 1] != '/') dir[dir_length++] = '/';
  dir[dir_length] = 0;
  log_fd = real_open(l, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

// Whole records only: a short write to the log would desynchronize it.
static void put(const void* data, size_t size) {
  const char* p = data;
  while (size > 0) {
    const ssize_t n = real_write(log_fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) abort();  // a test harness that cannot log must not pass silently
    p += n;
    size -= (size_t)n;
  }
}

static void header(char type, int file) {
  const unsigned char bytes[2] = {(unsigned char)type, (unsigned char)file};
  put(bytes, 2);
}

static int file_of(int fd) { return fd >= 0 && fd < MAX_FDS ? fd_file[fd] - 1 : -1; }

// Called under the lock after a successful open.
static void track(int fd, const char* path, int flags) {
  if (fd < 0 || fd >= MAX_FDS || log_fd < 0 || !path) return;
  fd_file[fd] = 0;
  if (strncmp(path, dir, dir_length) != 0) return;
  const char* name = path + dir_length;
  if (strchr(name, '/') || strstr(name, "-shm")) return;
  int file = 0;
  while (file < file_count && strcmp(names[file], name) != 0) ++file;
  if (file == file_count) {
    if (file_count == MAX_FILES) abort();
    names[file_count++] = strdup(name);
    const uint16_t length = (uint16_t)strlen(name);
    header('N', file);
    put(&length, sizeof length);
    put(name, length);
  }
  fd_file[fd] = (signed char)(file + 1);
  if (flags & O_TRUNC) {
    const uint64_t size = 0;
    header('T', file);
    put(&size, sizeof size);
  }
}

static int mode_of(int flags, va_list args) {
  return (flags & (O_CREAT | O_TMPFILE)) ? va_arg(args, int) : 0;
}

#define OPEN_HOOK(name, real)                       \
  int name(const char* path, int flags, ...) {      \
    va_list args;                                   \
    va_start(args, flags);                          \
    const int mode = mode_of(flags, args);          \
    va_end(args);                                   \
    resolve();                                      \
    pthread_mutex_lock(&lock);                      \
    const int fd = real(path, flags, mode);         \
    const int saved = errno;                        \
    track(fd, path, flags);                         \
    pthread_mutex_unlock(&lock);                    \
    errno = saved;                                  \
    return fd;                                      \
  }
OPEN_HOOK(open, real_open)
OPEN_HOOK(open64, real_open64)

#define OPENAT_HOOK(name, real)                                       \
  int name(int at, const char* path, int flags, ...) {                \
    va_list args;                                                     \
    va_start(args, flags);                                            \
    const int mode = mode_of(flags, args);                            \
    va_end(args);                                                     \
    resolve();                                                        \
    pthread_mutex_lock(&lock);                                        \
    const int fd = real(at, path, flags, mode);                       \
    const int saved = errno;                                          \
    track(fd, path[0] == '/' ? path : NULL, flags);                   \
    pthread_mutex_unlock(&lock);                                      \
    errno = saved;                                                    \
    return fd;                                                        \
  }
OPENAT_HOOK(openat, real_openat)
OPENAT_HOOK(openat64, real_openat64)

static void log_write(int file, uint64_t offset, const void* data, ssize_t n) {
  if (n <= 0) return;
  const uint32_t length = (uint32_t)n;
  header('W', file);
  put(&offset, sizeof offset);
  put(&length, sizeof length);
  put(data, length);
}

#define PWRITE_HOOK(name, real)                                   \
  ssize_t name(int fd, const void* data, size_t size, off_t at) { \
    resolve();                                                    \
    if (file_of(fd) < 0) return real(fd, data, size, at);         \
    pthread_mutex_lock(&lock);                                    \
    const ssize_t n = real(fd, data, size, at);                   \
    const int saved = errno;                                      \
    const int file = file_of(fd);                                 \
    if (file >= 0) log_write(file, (uint64_t)at, data, n);        \
    pthread_mutex_unlock(&lock);                                  \
    errno = saved;                                                \
    return n;                                                     \
  }
PWRITE_HOOK(pwrite, real_pwrite)
PWRITE_HOOK(pwrite64, real_pwrite64)

ssize_t write(int fd, const void* data, size_t size) {
  resolve();
  if (file_of(fd) < 0) return real_write(fd, data, size);
  pthread_mutex_lock(&lock);
  const off_t at = lseek(fd, 0, SEEK_CUR);
  const ssize_t n = real_write(fd, data, size);
  const int saved = errno;
  const int file = file_of(fd);
  if (file >= 0 && at >= 0) log_write(file, (uint64_t)at, data, n);
  pthread_mutex_unlock(&lock);
  errno = saved;
  return n;
}

#define TRUNCATE_HOOK(name, real)                     \
  int name(int fd, off_t size) {                      \
    resolve();                                        \
    if (file_of(fd) < 0) return real(fd, size);       \
    pthread_mutex_lock(&lock);                        \
    const int r = real(fd, size);                     \
    const int saved = errno;                          \
    const int file = file_of(fd);                     \
    if (r == 0 && file >= 0) {                        \
      const uint64_t s = (uint64_t)size;              \
      header('T', file);                              \
      put(&s, sizeof s);                              \
    }                                                 \
    pthread_mutex_unlock(&lock);                      \
    errno = saved;                                    \
    return r;                                         \
  }
TRUNCATE_HOOK(ftruncate, real_ftruncate)
TRUNCATE_HOOK(ftruncate64, real_ftruncate64)

// The sync itself runs outside the lock (writes of other threads go on meanwhile, as they would),
// and is logged where it began: only writes that finished before it started are surely covered.
#define SYNC_HOOK(name, real)                                        \
  int name(int fd) {                                                 \
    resolve();                                                       \
    if (file_of(fd) < 0) return real(fd);                            \
    pthread_mutex_lock(&lock);                                       \
    const int file = file_of(fd);                                    \
    const off_t mark = file >= 0 ? lseek(log_fd, 0, SEEK_END) : -1;  \
    pthread_mutex_unlock(&lock);                                     \
    const int r = real(fd);                                          \
    const int saved = errno;                                         \
    if (r == 0 && file >= 0) {                                       \
      pthread_mutex_lock(&lock);                                     \
      const uint64_t at = (uint64_t)mark;                            \
      header('S', file);                                             \
      put(&at, sizeof at);                                           \
      pthread_mutex_unlock(&lock);                                   \
    }                                                                \
    errno = saved;                                                   \
    return r;                                                        \
  }
SYNC_HOOK(fsync, real_fsync)
SYNC_HOOK(fdatasync, real_fdatasync)

int close(int fd) {
  resolve();
  if (fd >= 0 && fd < MAX_FDS && fd_file[fd]) {
    pthread_mutex_lock(&lock);
    fd_file[fd] = 0;
    const int r = real_close(fd);
    const int saved = errno;
    pthread_mutex_unlock(&lock);
    errno = saved;
    return r;
  }
  return real_close(fd);
}
