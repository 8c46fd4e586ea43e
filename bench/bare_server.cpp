// The baseline of the registration benchmark: cpp-httplib built and configured exactly like
// `stockbell serve` (TCP_NODELAY, thread pool, keep-alive), answering
// POST /api/v1/back-in-stock with a constant body and doing nothing else.
//   bench_bare_server PORT THREADS

#include <httplib.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_bare_server PORT THREADS\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const size_t threads = static_cast<size_t>(std::atoi(argv[2]));
  httplib::Server http;
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(100000);
  http.set_keep_alive_timeout(5);
  http.set_payload_max_length(1024 * 1024);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  const std::string body =
      R"({"success":true,"subscriberId":"sub_0000000000000","requestId":"bisr_0000000000000","status":"waiting","created":true})";
  http.Post("/api/v1/back-in-stock", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(body, "application/json; charset=utf-8");
  });
  // "listening" only once the socket listens: the harness starts wrk when it reads it.
  if (!http.bind_to_port("127.0.0.1", port)) {
    std::fprintf(stderr, "cannot listen on 127.0.0.1:%d\n", port);
    return 1;
  }
  std::printf("listening on %d\n", port);
  std::fflush(stdout);
  return http.listen_after_bind() ? 0 : 1;
}
