#include "smtp_sink.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef STOCKBELL_SMTP_SINK
#error "STOCKBELL_SMTP_SINK must be defined to the path of tests/smtp/smtp_sink.py"
#endif

namespace stockbell::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int bound_socket(int* port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    const std::string error = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error("binding a loopback port: " + error);
  }
  *port = ntohs(address.sin_port);
  return fd;
}

}  // namespace

std::string ReceivedMail::to() const {
  return data.at("rcptTos").empty() ? "" : data.at("rcptTos")[0].get<std::string>();
}

std::string ReceivedMail::header(const std::string& name) const {
  for (const auto& pair : data.at("headers"))
    if (lower(pair[0].get<std::string>()) == lower(name)) return pair[1].get<std::string>();
  return "";
}

std::string ReceivedMail::raw_header(const std::string& name) const {
  for (const auto& pair : data.at("rawHeaders"))
    if (lower(pair[0].get<std::string>()) == lower(name)) return pair[1].get<std::string>();
  return "";
}

size_t ReceivedMail::header_count(const std::string& name) const {
  size_t n = 0;
  for (const auto& pair : data.at("headers"))
    if (lower(pair[0].get<std::string>()) == lower(name)) ++n;
  return n;
}

std::string ReceivedMail::unsubscribe_url() const {
  const std::string value = header("List-Unsubscribe");
  const size_t open = value.find('<');
  const size_t close = value.find('>');
  if (open == std::string::npos || close == std::string::npos) return "";
  return value.substr(open + 1, close - open - 1);
}

SmtpSink::SmtpSink(std::string folder, int port, std::vector<std::string> options)
    : folder_(std::move(folder)), port_(port), options_(std::move(options)) {
  std::filesystem::create_directories(folder_);
  start();
}

SmtpSink::~SmtpSink() {
  try {
    stop();
  } catch (...) {
  }
}

void SmtpSink::start() {
  if (pid_ > 0) throw std::logic_error("SmtpSink::start: already running");
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  const std::string port = std::to_string(port_);
  std::vector<std::string> args = {"/usr/bin/python3", STOCKBELL_SMTP_SINK, "--port", port,
                                   "--dir", folder_, "--quiet"};
  args.insert(args.end(), options_.begin(), options_.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(out[1], 1);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  pid_ = pid;
  // Wait for "listening on 127.0.0.1:PORT".
  std::string seen;
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  while (seen.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{out[0], POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[256];
    const ssize_t n = ::read(out[0], buffer, sizeof buffer);
    if (n <= 0) break;
    seen.append(buffer, static_cast<size_t>(n));
  }
  ::close(out[0]);
  const size_t colon = seen.rfind(':');
  if (seen.rfind("listening on ", 0) != 0 || colon == std::string::npos) {
    stop();
    throw std::runtime_error("the SMTP sink did not start: " + seen);
  }
  port_ = std::stoi(seen.substr(colon + 1));
}

void SmtpSink::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
}

std::vector<ReceivedMail> SmtpSink::mails() const {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder_))
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  std::vector<ReceivedMail> out;
  for (const std::string& file : files) {
    ReceivedMail mail;
    mail.data = nlohmann::json::parse(slurp(file));
    mail.raw = slurp(file.substr(0, file.size() - 5) + ".eml");
    out.push_back(std::move(mail));
  }
  return out;
}

size_t SmtpSink::count() const {
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder_))
    n += entry.path().extension() == ".json";
  return n;
}

bool SmtpSink::wait_for_count(size_t n, std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (count() < n) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

ReservedPort::ReservedPort() { fd_ = bound_socket(&port_); }

ReservedPort::~ReservedPort() { release(); }

void ReservedPort::release() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

SilentPort::SilentPort() {
  fd_ = bound_socket(&port_);
  if (::listen(fd_, 64) != 0) throw std::runtime_error("listen");
}

SilentPort::~SilentPort() {
  if (fd_ >= 0) ::close(fd_);
}

std::string target_of(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return path == std::string::npos ? "/" : url.substr(path);
}

}  // namespace stockbell::testing
