// The HTTP integration tests: the real `stockbell` binary on loopback (see server_process.hpp).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <signal.h>

int main(int argc, char** argv) {
  // A server that dies mid-request must fail a test, not kill the test process.
  signal(SIGPIPE, SIG_IGN);
  doctest::Context context(argc, argv);
  return context.run();
}
