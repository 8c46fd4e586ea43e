#include "server/cli.hpp"

#include <cstdlib>
#include <optional>

#include "core/store_name.hpp"
#include "core/url.hpp"
#include "core/version.hpp"

namespace stockbell::server {
namespace {

// Reads `--name value` / `--name=value` flags; `environment` maps a flag to its variable.
class FlagReader {
 public:
  FlagReader(const std::vector<std::string>& args, size_t first) : args_(args), index_(first) {}

  bool done() const { return index_ >= args_.size(); }
  /// The next flag's name, e.g. "--port"; its inline value (after '=') is kept for value().
  std::string next() {
    std::string arg = args_[index_++];
    inline_value_.reset();
    if (const size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value_ = arg.substr(eq + 1);
      arg.resize(eq);
    }
    return arg;
  }
  std::optional<std::string> value() {
    if (inline_value_) return inline_value_;
    if (index_ >= args_.size()) return std::nullopt;
    return args_[index_++];
  }
  bool has_inline_value() const { return inline_value_.has_value(); }

 private:
  const std::vector<std::string>& args_;
  size_t index_;
  std::optional<std::string> inline_value_;
};

std::optional<int> parse_int(const std::string& text, int min, int max) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(const std::string& text) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off" || text.empty()) return false;
  return std::nullopt;
}

Command parse_serve(const std::vector<std::string>& args, const char* (*env)(const char*)) {
  ServeConfig c;
  auto from_env = [&](const char* name) -> std::optional<std::string> {
    const char* v = env(name);
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  std::string port = std::to_string(c.port), threads = std::to_string(c.threads);
  std::string demo = "0", log = "0";
  if (auto v = from_env("STOCKBELL_HOST")) c.host = *v;
  if (auto v = from_env("STOCKBELL_PORT")) port = *v;
  if (auto v = from_env("STOCKBELL_DB")) c.db = *v;
  if (auto v = from_env("STOCKBELL_WEB_ROOT")) c.web_root = *v;
  if (auto v = from_env("STOCKBELL_DEMO")) demo = *v;
  if (auto v = from_env("STOCKBELL_THREADS")) threads = *v;
  if (auto v = from_env("STOCKBELL_LOG_REQUESTS")) log = *v;

  FlagReader flags(args, 1);
  while (!flags.done()) {
    const std::string flag = flags.next();
    auto need = [&](std::string& out) -> bool {
      std::optional<std::string> v = flags.value();
      if (!v) return false;
      out = *v;
      return true;
    };
    bool ok = true;
    if (flag == "--host") ok = need(c.host);
    else if (flag == "--port") ok = need(port);
    else if (flag == "--db") ok = need(c.db);
    else if (flag == "--web-root") ok = need(c.web_root);
    else if (flag == "--threads") ok = need(threads);
    else if (flag == "--demo") demo = flags.has_inline_value() ? *flags.value() : "1";
    else if (flag == "--log-requests") log = flags.has_inline_value() ? *flags.value() : "1";
    else return UsageError{"unknown option for serve: " + flag};
    if (!ok) return UsageError{flag + " needs a value"};
  }
  std::optional<int> port_value = parse_int(port, 0, 65535);
  if (!port_value) return UsageError{"--port must be a number from 0 to 65535, not '" + port + "'"};
  c.port = *port_value;
  std::optional<int> thread_count = parse_int(threads, 1, 1024);
  if (!thread_count) return UsageError{"--threads must be a number from 1 to 1024"};
  c.threads = *thread_count;
  std::optional<bool> demo_value = parse_bool(demo), log_value = parse_bool(log);
  if (!demo_value) return UsageError{"--demo / STOCKBELL_DEMO must be true or false"};
  if (!log_value) return UsageError{"--log-requests / STOCKBELL_LOG_REQUESTS must be true or false"};
  c.demo = *demo_value;
  c.log_requests = *log_value;
  if (c.db.empty()) return UsageError{"--db must not be empty"};
  return ServeCommand{c};
}

Command parse_keys_create(const std::vector<std::string>& args, const char* (*env)(const char*)) {
  KeysCreateCommand k;
  std::string kind;
  std::vector<std::string> origins;
  if (const char* v = env("STOCKBELL_DB")) k.db = v;
  if (const char* v = env("STOCKBELL_STORE")) k.store = v;
  if (const char* v = env("STOCKBELL_KIND")) kind = v;
  if (const char* v = env("STOCKBELL_ORIGINS")) {
    std::string list = v;
    for (size_t start = 0; start <= list.size();) {
      size_t end = list.find(',', start);
      if (end == std::string::npos) end = list.size();
      if (end > start) origins.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  FlagReader flags(args, 2);
  bool flag_origins = false;
  while (!flags.done()) {
    const std::string flag = flags.next();
    std::optional<std::string> value = flags.value();
    if (!value) return UsageError{flag + " needs a value"};
    if (flag == "--db") k.db = *value;
    else if (flag == "--store") k.store = *value;
    else if (flag == "--kind") kind = *value;
    else if (flag == "--origin") {
      if (!flag_origins) origins.clear();  // flags replace the environment's list
      flag_origins = true;
      origins.push_back(*value);
    } else {
      return UsageError{"unknown option for keys create: " + flag};
    }
  }
  if (k.db.empty()) return UsageError{"keys create needs --db PATH"};
  if (!is_valid_store_name(k.store))
    return UsageError{"--store must be 1 to 64 of a-z, 0-9, '_' and '-'"};
  if (kind == "secret") k.kind = store::KeyKind::secret;
  else if (kind == "publishable") k.kind = store::KeyKind::publishable;
  else return UsageError{"--kind must be secret or publishable"};
  for (const std::string& origin : origins) {
    std::optional<std::string> normalised = normalize_origin(origin);
    if (!normalised)
      return UsageError{"--origin '" + origin + "': must be like https://shop.example"};
    k.origins.push_back(*normalised);
  }
  if (k.kind == store::KeyKind::secret && !k.origins.empty())
    return UsageError{"--origin is for publishable keys; secret keys never go to a browser"};
  return k;
}

}  // namespace

std::string usage_text() {
  return "stockbell " STOCKBELL_VERSION
         " - self-hosted back-in-stock notifications\n"
         "\n"
         "Usage:\n"
         "  stockbell serve [--host 127.0.0.1] [--port 8080] [--db ./stockbell.db]\n"
         "                  [--web-root DIR] [--demo] [--threads 32] [--log-requests]\n"
         "  stockbell keys create --db PATH --store STORE --kind secret|publishable\n"
         "                  [--origin ORIGIN]...\n"
         "  stockbell --version | --help\n"
         "\n"
         "Every flag can also be set in the environment: STOCKBELL_HOST, STOCKBELL_PORT,\n"
         "STOCKBELL_DB, STOCKBELL_WEB_ROOT, STOCKBELL_DEMO, STOCKBELL_THREADS,\n"
         "STOCKBELL_LOG_REQUESTS; for keys create STOCKBELL_DB, STOCKBELL_STORE,\n"
         "STOCKBELL_KIND and STOCKBELL_ORIGINS (comma-separated). Flags win.\n";
}

Command parse_command_line(const std::vector<std::string>& args,
                           const char* (*getenv_fn)(const char*)) {
  if (args.empty()) return UsageError{"missing command"};
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "help") return HelpCommand{};
  if (first == "--version" || first == "-V") return VersionCommand{};
  if (first == "serve") return parse_serve(args, getenv_fn);
  if (first == "keys") {
    if (args.size() >= 2 && args[1] == "create") return parse_keys_create(args, getenv_fn);
    return UsageError{"unknown keys command (try: keys create)"};
  }
  return UsageError{"unknown command: " + first};
}

}  // namespace stockbell::server
