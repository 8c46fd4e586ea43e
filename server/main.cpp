// `stockbell`: see server/cli.hpp for the commands.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "core/version.hpp"
#include "server/auth.hpp"
#include "server/cli.hpp"
#include "server/http_server.hpp"
#include "server/service.hpp"
#include "server/writer.hpp"

namespace {

using namespace stockbell::server;

const char* system_getenv(const char* name) { return std::getenv(name); }

int keys_create(const KeysCreateCommand& cmd) {
  Writer writer(cmd.db, Writer::Options{});
  const std::string key = writer.run([&](Database& db) {
    return create_key(db, cmd.store, cmd.kind, cmd.origins, now_ms());
  });
  writer.stop();
  std::printf("%s\n", key.c_str());
  return 0;
}

struct Runner {
  int operator()(const ServeCommand& c) const { return serve(c.config); }
  int operator()(const KeysCreateCommand& c) const { return keys_create(c); }
  int operator()(const HelpCommand&) const {
    std::fputs(usage_text().c_str(), stdout);
    return 0;
  }
  int operator()(const VersionCommand&) const {
    std::printf("stockbell %s\n", STOCKBELL_VERSION);
    return 0;
  }
  int operator()(const UsageError& e) const {
    std::fprintf(stderr, "stockbell: %s\n\n%s", e.message.c_str(), usage_text().c_str());
    return 2;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return std::visit(Runner{}, parse_command_line(args, system_getenv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stockbell: %s\n", e.what());
    return 1;
  }
}
