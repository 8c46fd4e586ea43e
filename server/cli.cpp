#include "server/cli.hpp"

#include <cctype>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <optional>
#include <utility>

#include "core/email.hpp"
#include "core/store_name.hpp"
#include "core/url.hpp"
#include "core/version.hpp"
#include "server/http/rate_limit.hpp"
#include "server/ops/config_file.hpp"
#include "server/options.hpp"

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

// The e-mail options make sense together: links need a public URL, a login needs a server, and
// a password never comes as a flag (nor inside the URL), only from a file.
std::optional<UsageError> check_mail_options(ServeConfig& c) {
  if (c.smtp_url.empty()) {
    if (!c.smtp_user.empty() || !c.smtp_password_file.empty() || !c.smtp_ca_file.empty())
      return UsageError{"--smtp-user, --smtp-password-file and --smtp-ca-file need --smtp-url"};
    return std::nullopt;
  }
  const std::string scheme = c.smtp_url.substr(0, c.smtp_url.find("://"));
  std::string lower = scheme;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const std::string rest = c.smtp_url.find("://") == std::string::npos
                               ? std::string()
                               : c.smtp_url.substr(c.smtp_url.find("://") + 3);
  const std::string authority = rest.substr(0, rest.find('/'));
  if ((lower != "smtp" && lower != "smtps") || authority.empty() ||
      authority.find_first_of(" \t\r\n") != std::string::npos)
    return UsageError{"--smtp-url must be smtp://HOST:PORT or smtps://HOST:PORT"};
  if (authority.find('@') != std::string::npos)
    return UsageError{
        "--smtp-url: no user or password in the URL; use --smtp-user and "
        "--smtp-password-file"};
  if (c.public_url.empty())
    return UsageError{"--smtp-url needs --public-url (the base of the links in every e-mail)"};
  while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
  if (!is_valid_http_url(c.public_url) || c.public_url.find_first_of("?#") != std::string::npos ||
      c.public_url.size() > 500)
    return UsageError{
        "--public-url must be an http(s) URL without query, like https://stockbell.shop.example"};
  if (!c.mail_from.empty() && !parse_mailbox(c.mail_from))
    return UsageError{
        "--mail-from must be an address, like shop@example.com or 'Shop <shop@example.com>'"};
  return std::nullopt;
}

// `--config FILE` (or STOCKBELL_CONFIG) is read first: the environment and the flags override it.
std::optional<std::string> config_file_of(const std::vector<std::string>& args,
                                          const char* (*env)(const char*)) {
  std::optional<std::string> path;
  if (const char* value = env("STOCKBELL_CONFIG")) path = value;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) path = args[i + 1];
    if (args[i].rfind("--config=", 0) == 0) path = args[i].substr(9);
  }
  return path;
}

Command parse_serve(const std::vector<std::string>& args, const char* (*env)(const char*)) {
  ServeConfig c;
  if (std::optional<std::string> file = config_file_of(args, env); file && !file->empty()) {
    if (std::optional<std::string> error = apply_config_file(*file, c))
      return UsageError{"--config " + *error};
    c.config_file = *file;
  }
  for (const ServeOption& o : serve_options()) {
    if (const char* value = env(o.env))
      if (std::optional<std::string> error = o.assign(c, value))
        return UsageError{std::string(o.env) + ": " + *error};
  }
  FlagReader flags(args, 1);
  while (!flags.done()) {
    const std::string flag = flags.next();
    const ServeOption* option = nullptr;
    for (const ServeOption& o : serve_options())
      if (flag == o.flag) option = &o;
    if (option == nullptr) return UsageError{"unknown option for serve: " + flag};
    std::optional<std::string> value;
    if (option->kind == ServeOption::Kind::boolean && !flags.has_inline_value())
      value = "true";  // a bare switch: `--demo`
    else
      value = flags.value();
    if (!value) return UsageError{flag + " needs a value"};
    if (std::optional<std::string> error = option->assign(c, *value)) return UsageError{*error};
  }
  for (size_t start = 0; start < c.trusted_proxies.size();) {
    size_t end = c.trusted_proxies.find(',', start);
    if (end == std::string::npos) end = c.trusted_proxies.size();
    const std::string entry = c.trusted_proxies.substr(start, end - start);
    if (!entry.empty() && !Cidr::parse(entry))
      return UsageError{"--trusted-proxies: '" + entry + "' is not an address or CIDR"};
    start = end + 1;
  }
  if (c.db.empty()) return UsageError{"--db must not be empty"};
  if (c.log_format != "text" && c.log_format != "json")
    return UsageError{"--log-format must be text or json, not '" + c.log_format + "'"};
  if (!c.metrics_token.empty() && (c.metrics_token.size() < 16 ||
                                   c.metrics_token.find_first_of(" \t\r\n") != std::string::npos))
    return UsageError{"--metrics-token must be at least 16 characters, without spaces"};
  if (std::optional<UsageError> mail = check_mail_options(c)) return *mail;
  return ServeCommand{c};
}

// The `--flag value` pairs from args[first] on (`command` names them in errors, e.g.
// "keys create"): `set` takes each and says whether it knew it.
std::optional<UsageError> read_flags(
    const std::vector<std::string>& args, size_t first, const std::string& command,
    const std::function<bool(const std::string&, const std::string&)>& set) {
  FlagReader flags(args, first);
  while (!flags.done()) {
    const std::string flag = flags.next();
    std::optional<std::string> value = flags.value();
    if (!value) return UsageError{flag + " needs a value"};
    if (!set(flag, *value)) return UsageError{"unknown option for " + command + ": " + flag};
  }
  return std::nullopt;
}

// The same for a command whose flags each set one string: `{{"--db", &db}, {"--to", &to}}`.
std::optional<UsageError> read_flags(
    const std::vector<std::string>& args, size_t first, const std::string& command,
    std::initializer_list<std::pair<const char*, std::string*>> targets) {
  return read_flags(args, first, command, [&](const std::string& flag, const std::string& value) {
    for (const auto& [name, target] : targets)
      if (flag == name) {
        *target = value;
        return true;
      }
    return false;
  });
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
      read_flags(args, 2, "keys create", [&](const std::string& flag, const std::string& value) {
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
  if (std::optional<KeyKind> parsed = parse_key_kind(kind))
    k.kind = *parsed;
  else
    return UsageError{"--kind must be secret or publishable"};
  for (const std::string& origin : origins) {
    std::optional<std::string> normalised = normalize_origin(origin);
    if (!normalised)
      return UsageError{"--origin '" + origin + "': must be like https://shop.example"};
    k.origins.push_back(*normalised);
  }
  if (k.kind == KeyKind::secret && !k.origins.empty())
    return UsageError{"--origin is for publishable keys; secret keys never go to a browser"};
  return k;
}

Command parse_keys_list(const std::vector<std::string>& args, const char* (*env)(const char*)) {
  KeysListCommand k;
  if (const char* v = env("STOCKBELL_DB")) k.db = v;
  if (const char* v = env("STOCKBELL_STORE")) k.store = v;
  std::optional<UsageError> error =
      read_flags(args, 2, "keys list", [&](const std::string& flag, const std::string& value) {
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
      read_flags(args, 2, "keys revoke", [&](const std::string& flag, const std::string& value) {
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

Command parse_dashboard_url(const std::vector<std::string>& args, const char* (*env)(const char*)) {
  DashboardUrlCommand d;
  if (const char* v = env("STOCKBELL_DB")) d.db = v;
  if (const char* v = env("STOCKBELL_STORE")) d.store = v;
  if (const char* v = env("STOCKBELL_BASE_URL")) d.base_url = v;
  if (std::optional<UsageError> error =
          read_flags(args, 1, "dashboard-url",
                     {{"--db", &d.db}, {"--store", &d.store}, {"--base-url", &d.base_url}}))
    return *error;
  if (d.db.empty()) return UsageError{"dashboard-url needs --db PATH"};
  if (!is_valid_store_name(d.store)) return UsageError{kBadStoreName};
  while (!d.base_url.empty() && d.base_url.back() == '/') d.base_url.pop_back();
  if (!is_valid_http_url(d.base_url))
    return UsageError{"--base-url must be like https://stock.example or http://127.0.0.1:8080"};
  return d;
}

// `backup --db PATH --to FILE` / `restore --from FILE --db PATH` (STOCKBELL_DB for --db).
Command parse_backup(const std::vector<std::string>& args, const char* (*env)(const char*),
                     bool restore) {
  std::string db, other;
  if (const char* v = env("STOCKBELL_DB")) db = v;
  const char* other_flag = restore ? "--from" : "--to";
  if (std::optional<UsageError> error =
          read_flags(args, 1, args[0], {{"--db", &db}, {other_flag, &other}}))
    return *error;
  if (db.empty()) return UsageError{args[0] + " needs --db PATH"};
  if (other.empty()) return UsageError{args[0] + " needs " + std::string(other_flag) + " FILE"};
  if (restore) return RestoreCommand{other, db};
  return BackupCommand{db, other};
}

Command parse_migrate(const std::vector<std::string>& args) {
  MigrateCommand m;
  if (std::optional<UsageError> error =
          read_flags(args, 1, "migrate", {{"--from", &m.from}, {"--to", &m.to}}))
    return *error;
  if (m.from.empty()) return UsageError{"migrate needs --from PATH (the SQLite database)"};
  if (m.to.rfind("postgres://", 0) != 0 && m.to.rfind("postgresql://", 0) != 0)
    return UsageError{"migrate needs --to postgres://... (the PostgreSQL database)"};
  return m;
}

}  // namespace

std::string usage_text() {
  return "stockbell " STOCKBELL_VERSION
         " - self-hosted back-in-stock notifications\n"
         "\n"
         "Usage:\n"
         "  stockbell serve [OPTION]...\n"
         "  stockbell keys create --db PATH --store STORE --kind secret|publishable\n"
         "                  [--origin ORIGIN]...\n"
         "  stockbell keys list --db PATH [--store STORE]\n"
         "  stockbell keys revoke --db PATH --id ID\n"
         "  stockbell dashboard-url --db PATH --store STORE [--base-url URL]\n"
         "  stockbell backup --db PATH --to FILE\n"
         "  stockbell restore --from FILE --db PATH\n"
         "  stockbell migrate --from PATH --to postgres://USER@HOST/DB\n"
         "  stockbell --version | --help\n"
         "\n"
         "serve options (each also an environment variable; a flag wins):\n" +
         serve_options_help() +
         "\n"
         "keys create reads STOCKBELL_DB, STOCKBELL_STORE, STOCKBELL_KIND and\n"
         "STOCKBELL_ORIGINS (comma-separated); keys list STOCKBELL_DB and STOCKBELL_STORE;\n"
         "keys revoke STOCKBELL_DB. Flags win over the environment.\n"
         "\n"
         "keys list shows each key's id, store, kind, creation and revocation time,\n"
         "fingerprint (the first 12 hex digits of its SHA-256: printf %s KEY | sha256sum)\n"
         "and origins, never the key. keys revoke ends a key for good; a running server\n"
         "stops accepting it within 5 seconds.\n"
         "\n"
         "dashboard-url prints a sign-in link to the store's dashboard, valid once for 15\n"
         "minutes; --base-url (STOCKBELL_BASE_URL, default http://127.0.0.1:8080) is where\n"
         "browsers reach the server.\n"
         "\n"
         "backup copies the database while the server runs (one consistent snapshot, checked\n"
         "and synced; FILE must not exist; a progress line on a terminal). restore checks a\n"
         "backup and puts it in place of --db: stop the server first. Both read STOCKBELL_DB.\n"
         "\n"
         "--db takes a SQLite file path or a postgres:// (postgresql://) URL everywhere.\n"
         "migrate copies a SQLite database into an empty PostgreSQL database (keys, ids\n"
         "and everything else keep working) and checks every table's count at the end.\n";
}

Command parse_command_line(const std::vector<std::string>& args,
                           const char* (*getenv_fn)(const char*)) {
  if (args.empty()) return UsageError{"missing command"};
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "help") return HelpCommand{};
  if (first == "--version" || first == "-V") return VersionCommand{};
  if (first == "serve") return parse_serve(args, getenv_fn);
  if (first == "dashboard-url") return parse_dashboard_url(args, getenv_fn);
  if (first == "backup") return parse_backup(args, getenv_fn, false);
  if (first == "restore") return parse_backup(args, getenv_fn, true);
  if (first == "migrate") return parse_migrate(args);
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
