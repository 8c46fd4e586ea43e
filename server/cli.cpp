#include "server/cli.hpp"

#include <cstdlib>
#include <functional>
#include <optional>

#include "core/store_name.hpp"
#include "core/url.hpp"
#include "core/version.hpp"
#include "server/rate_limit.hpp"

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

std::optional<bool> parse_bool(const std::string& text) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off" || text.empty()) return false;
  return std::nullopt;
}

// One `serve` option: its flag, its environment variable, and where its value goes.
struct ServeOption {
  const char* flag;
  const char* env;
  enum class Kind { text, number, boolean } kind;
  std::string* text = nullptr;
  int64_t* number = nullptr;
  bool* boolean = nullptr;
  int64_t min = 0;
  int64_t max = 0;
};

std::optional<int64_t> parse_number(const std::string& text, int64_t min, int64_t max) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

std::optional<std::string> assign(const ServeOption& o, const std::string& value) {
  switch (o.kind) {
    case ServeOption::Kind::text:
      *o.text = value;
      return std::nullopt;
    case ServeOption::Kind::number:
      if (std::optional<int64_t> n = parse_number(value, o.min, o.max)) {
        *o.number = *n;
        return std::nullopt;
      }
      return std::string(o.flag) + " must be a number from " + std::to_string(o.min) + " to " +
             std::to_string(o.max) + ", not '" + value + "'";
    case ServeOption::Kind::boolean:
      if (std::optional<bool> b = parse_bool(value)) {
        *o.boolean = *b;
        return std::nullopt;
      }
      return std::string(o.flag) + " must be true or false, not '" + value + "'";
  }
  return std::nullopt;
}

Command parse_serve(const std::vector<std::string>& args, const char* (*env)(const char*)) {
  ServeConfig c;
  int64_t port = c.port, threads = c.threads;
  using K = ServeOption::Kind;
  const ServeOption options[] = {
      {"--host", "STOCKBELL_HOST", K::text, &c.host},
      {"--port", "STOCKBELL_PORT", K::number, nullptr, &port, nullptr, 0, 65535},
      {"--db", "STOCKBELL_DB", K::text, &c.db},
      {"--web-root", "STOCKBELL_WEB_ROOT", K::text, &c.web_root},
      {"--demo", "STOCKBELL_DEMO", K::boolean, nullptr, nullptr, &c.demo},
      {"--threads", "STOCKBELL_THREADS", K::number, nullptr, &threads, nullptr, 1, 1024},
      {"--log-requests", "STOCKBELL_LOG_REQUESTS", K::boolean, nullptr, nullptr, &c.log_requests},
      {"--head-timeout-ms", "STOCKBELL_HEAD_TIMEOUT_MS", K::number, nullptr, &c.head_timeout_ms,
       nullptr, 100, 600'000},
      {"--body-timeout-ms", "STOCKBELL_BODY_TIMEOUT_MS", K::number, nullptr, &c.body_timeout_ms,
       nullptr, 100, 600'000},
      {"--webhooks-public-only", "STOCKBELL_WEBHOOKS_PUBLIC_ONLY", K::boolean, nullptr, nullptr,
       &c.webhooks_public_only},
      {"--webhook-timeout-ms", "STOCKBELL_WEBHOOK_TIMEOUT_MS", K::number, nullptr,
       &c.webhook_timeout_ms, nullptr, 100, 60'000},
      {"--webhook-retry-first-ms", "STOCKBELL_WEBHOOK_RETRY_FIRST_MS", K::number, nullptr,
       &c.webhook_retry_first_ms, nullptr, 10, 86'400'000},
      {"--webhook-retry-max-ms", "STOCKBELL_WEBHOOK_RETRY_MAX_MS", K::number, nullptr,
       &c.webhook_retry_max_ms, nullptr, 10, 86'400'000},
      {"--webhook-give-up-ms", "STOCKBELL_WEBHOOK_GIVE_UP_MS", K::number, nullptr,
       &c.webhook_give_up_ms, nullptr, 0, 30LL * 86'400'000},
      {"--rate-ip-per-minute", "STOCKBELL_RATE_IP_PER_MINUTE", K::number, nullptr,
       &c.rate_ip_per_minute, nullptr, 0, 1'000'000},
      {"--rate-ip-burst", "STOCKBELL_RATE_IP_BURST", K::number, nullptr, &c.rate_ip_burst, nullptr,
       1, 1'000'000},
      {"--rate-email-per-hour", "STOCKBELL_RATE_EMAIL_PER_HOUR", K::number, nullptr,
       &c.rate_email_per_hour, nullptr, 0, 1'000'000},
      {"--rate-email-burst", "STOCKBELL_RATE_EMAIL_BURST", K::number, nullptr,
       &c.rate_email_burst, nullptr, 1, 1'000'000},
      {"--trusted-proxies", "STOCKBELL_TRUSTED_PROXIES", K::text, &c.trusted_proxies},
  };
  for (const ServeOption& o : options) {
    if (const char* value = env(o.env))
      if (std::optional<std::string> error = assign(o, value))
        return UsageError{std::string(o.env) + ": " + *error};
  }
  FlagReader flags(args, 1);
  while (!flags.done()) {
    const std::string flag = flags.next();
    const ServeOption* option = nullptr;
    for (const ServeOption& o : options)
      if (flag == o.flag) option = &o;
    if (option == nullptr) return UsageError{"unknown option for serve: " + flag};
    std::optional<std::string> value;
    if (option->kind == K::boolean && !flags.has_inline_value())
      value = "true";  // a bare switch: `--demo`
    else
      value = flags.value();
    if (!value) return UsageError{flag + " needs a value"};
    if (std::optional<std::string> error = assign(*option, *value)) return UsageError{*error};
  }
  for (size_t start = 0; start < c.trusted_proxies.size();) {
    size_t end = c.trusted_proxies.find(',', start);
    if (end == std::string::npos) end = c.trusted_proxies.size();
    const std::string entry = c.trusted_proxies.substr(start, end - start);
    if (!entry.empty() && !Cidr::parse(entry))
      return UsageError{"--trusted-proxies: '" + entry + "' is not an address or CIDR"};
    start = end + 1;
  }
  c.port = static_cast<int>(port);
  c.threads = static_cast<int>(threads);
  if (c.db.empty()) return UsageError{"--db must not be empty"};
  return ServeCommand{c};
}

// The `--flag value` pairs after `keys <command>`: `set` takes each and says whether it knew it.
std::optional<UsageError> read_key_flags(
    const std::vector<std::string>& args, const char* command,
    const std::function<bool(const std::string&, const std::string&)>& set) {
  FlagReader flags(args, 2);
  while (!flags.done()) {
    const std::string flag = flags.next();
    std::optional<std::string> value = flags.value();
    if (!value) return UsageError{flag + " needs a value"};
    if (!set(flag, *value))
      return UsageError{std::string("unknown option for ") + command + ": " + flag};
  }
  return std::nullopt;
}

constexpr const char* kBadStoreName = "--store must be 1 to 64 of a-z, 0-9, '_' and '-'";

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
  bool flag_origins = false;
  std::optional<UsageError> error =
      read_key_flags(args, "keys create", [&](const std::string& flag, const std::string& value) {
        if (flag == "--db")
          k.db = value;
        else if (flag == "--store")
          k.store = value;
        else if (flag == "--kind")
          kind = value;
        else if (flag == "--origin") {
          if (!flag_origins) origins.clear();  // flags replace the environment's list
          flag_origins = true;
          origins.push_back(value);
        } else {
          return false;
        }
        return true;
      });
  if (error) return *error;
  if (k.db.empty()) return UsageError{"keys create needs --db PATH"};
  if (!is_valid_store_name(k.store)) return UsageError{kBadStoreName};
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

Command parse_keys_list(const std::vector<std::string>& args, const char* (*env)(const char*)) {
  KeysListCommand k;
  if (const char* v = env("STOCKBELL_DB")) k.db = v;
  if (const char* v = env("STOCKBELL_STORE")) k.store = v;
  std::optional<UsageError> error =
      read_key_flags(args, "keys list", [&](const std::string& flag, const std::string& value) {
        if (flag == "--db")
          k.db = value;
        else if (flag == "--store")
          k.store = value;
        else
          return false;
        return true;
      });
  if (error) return *error;
  if (k.db.empty()) return UsageError{"keys list needs --db PATH"};
  if (k.store && !is_valid_store_name(*k.store)) return UsageError{kBadStoreName};
  return k;
}

Command parse_keys_revoke(const std::vector<std::string>& args, const char* (*env)(const char*)) {
  KeysRevokeCommand k;
  if (const char* v = env("STOCKBELL_DB")) k.db = v;
  std::optional<std::string> id;
  std::optional<UsageError> error =
      read_key_flags(args, "keys revoke", [&](const std::string& flag, const std::string& value) {
        if (flag == "--db")
          k.db = value;
        else if (flag == "--id")
          id = value;
        else
          return false;
        return true;
      });
  if (error) return *error;
  if (k.db.empty()) return UsageError{"keys revoke needs --db PATH"};
  if (!id) return UsageError{"keys revoke needs --id ID (see keys list)"};
  std::optional<int64_t> number = parse_number(*id, 1, INT64_C(999999999999999));
  if (!number) return UsageError{"--id must be a key id from keys list, not '" + *id + "'"};
  k.id = *number;
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
         "                  [--head-timeout-ms 5000] [--body-timeout-ms 30000]\n"
         "                  [--webhooks-public-only] [--webhook-timeout-ms 10000]\n"
         "                  [--webhook-retry-first-ms 10000] [--webhook-retry-max-ms 3600000]\n"
         "                  [--webhook-give-up-ms 86400000]\n"
         "                  [--rate-ip-per-minute 120] [--rate-ip-burst 60]\n"
         "                  [--rate-email-per-hour 10] [--rate-email-burst 5]\n"
         "                  [--trusted-proxies ADDR[/BITS],...]\n"
         "  stockbell keys create --db PATH --store STORE --kind secret|publishable\n"
         "                  [--origin ORIGIN]...\n"
         "  stockbell keys list --db PATH [--store STORE]\n"
         "  stockbell keys revoke --db PATH --id ID\n"
         "  stockbell --version | --help\n"
         "\n"
         "Every flag can also be set in the environment as STOCKBELL_<FLAG> (upper case,\n"
         "'-' as '_': STOCKBELL_PORT, STOCKBELL_DB, STOCKBELL_WEBHOOK_TIMEOUT_MS, ...);\n"
         "for keys create STOCKBELL_DB, STOCKBELL_STORE, STOCKBELL_KIND and\n"
         "STOCKBELL_ORIGINS (comma-separated); for keys list STOCKBELL_DB and STOCKBELL_STORE;\n"
         "for keys revoke STOCKBELL_DB. Flags win over the environment.\n"
         "\n"
         "keys list shows each key's id, store, kind, creation and revocation time,\n"
         "fingerprint (the first 12 hex digits of its SHA-256: printf %s KEY | sha256sum)\n"
         "and origins, never the key. keys revoke ends a key for good; a running server\n"
         "stops accepting it within 5 seconds.\n";
}

Command parse_command_line(const std::vector<std::string>& args,
                           const char* (*getenv_fn)(const char*)) {
  if (args.empty()) return UsageError{"missing command"};
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "help") return HelpCommand{};
  if (first == "--version" || first == "-V") return VersionCommand{};
  if (first == "serve") return parse_serve(args, getenv_fn);
  if (first == "keys") {
    const std::string sub = args.size() >= 2 ? args[1] : "";
    if (sub == "create") return parse_keys_create(args, getenv_fn);
    if (sub == "list") return parse_keys_list(args, getenv_fn);
    if (sub == "revoke") return parse_keys_revoke(args, getenv_fn);
    return UsageError{"unknown keys command (keys create, keys list or keys revoke)"};
  }
  return UsageError{"unknown command: " + first};
}

}  // namespace stockbell::server
