#include "server/serve.hpp"

#include <httplib.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <thread>

#include "core/version.hpp"
#include "server/app/catalog.hpp"
#include "server/app/demo.hpp"
#include "server/app/keys.hpp"
#include "server/app/clock.hpp"
#include "server/app/orders.hpp"
#include "server/app/release.hpp"
#include "server/app/requests.hpp"
#include "server/app/settings.hpp"
#include "server/app/stats.hpp"
#include "server/app/status.hpp"
#include "server/app/sweeper.hpp"
#include "server/http/connection.hpp"
#include "server/http/router.hpp"
#include "server/http/transport.hpp"
#include "server/mail/mail_dispatcher.hpp"
#include "server/mail/mail_service.hpp"
#include "server/options.hpp"
#include "server/ops/log.hpp"
#include "server/ops/metrics.hpp"
#include "server/platforms/integrations.hpp"
#include "server/platforms/receiver.hpp"
#include "server/store/storage.hpp"
#include "server/webhooks/dispatcher.hpp"
#include "server/webhooks/webhook_service.hpp"

#ifndef STOCKBELL_DEFAULT_WEB_ROOT
#define STOCKBELL_DEFAULT_WEB_ROOT ""
#endif

namespace stockbell::server {
namespace {

constexpr const char* kDemoKeyPlaceholder = "%STOCKBELL_PUBLISHABLE_KEY%";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The SMTP password: the first line of its file (a trailing CR/LF is not part of it).
std::string read_password(const std::string& path) {
  std::string text;
  try {
    text = read_file(path);
  } catch (const std::exception&) {
    throw std::runtime_error("--smtp-password-file: cannot read " + path);
  }
  return text.substr(0, text.find_first_of("\r\n"));
}

// The SMTP server's certificate authorities: a file that is there to read (libcurl would only
// say so at the first attempt, as a temporary failure of every message).
std::string ca_file(const std::string& path) {
  try {
    read_file(path);
  } catch (const std::exception&) {
    throw std::runtime_error("--smtp-ca-file: cannot read " + path);
  }
  return path;
}

constexpr std::chrono::minutes kSweepInterval{10};

// The effective configuration, one field per option, secrets masked (the SMTP password never
// comes in: only its file's path does).
void log_configuration(const ServeConfig& config) {
  std::vector<LogField> fields;
  for (const ServeOption& o : serve_options()) {
    std::string value = o.shown(config);
    if (std::string(o.flag) == "--metrics-token") value = masked_secret(config.metrics_token);
    if (o.kind == ServeOption::Kind::number)
      fields.push_back(LogField(o.flag + 2, static_cast<int64_t>(std::stoll(value))));
    else
      fields.push_back(LogField(o.flag + 2, value));
  }
  log_line("info", "configuration", fields);
}

}  // namespace

int serve(const ServeConfig& config) {
  // Signals are taken by one thread with sigwait; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  set_log_format(config.log_format == "json" ? LogFormat::json : LogFormat::text);
  metrics();  // its start time is the process's

  if (!config.test_clock_file.empty()) {
    // The flag needs an explicit opt-in; the variable STOCKBELL_TEST_CLOCK_FILE is one already
    // (server/app/clock.hpp reads it whatever the flags say).
    const char* enabled = std::getenv("STOCKBELL_ENABLE_TEST_CLOCK");
    const bool from_variable = std::getenv("STOCKBELL_TEST_CLOCK_FILE") != nullptr;
    if (!from_variable && (enabled == nullptr || std::string(enabled) != "1")) {
      log_line("error", "--test-clock-file is for tests only; set STOCKBELL_ENABLE_TEST_CLOCK=1 "
                        "to use it");
      return 2;
    }
    use_test_clock(config.test_clock_file);
  }
  const std::string web_root = config.web_root.empty() ? STOCKBELL_DEFAULT_WEB_ROOT : config.web_root;
  const Mail mail = config.smtp_url.empty() ? Mail::off : Mail::on;
  std::unique_ptr<MailDispatcher> mailer;
  MailServerSetup mail_server{config.public_url, std::nullopt};
  if (!config.mail_from.empty()) mail_server.from = parse_mailbox(config.mail_from);
  MailDispatcher::Options mailing;
  if (mail == Mail::on) {
    smtp_global_init();
    mailing.smtp.url = config.smtp_url;
    if (!config.smtp_user.empty()) mailing.smtp.user = config.smtp_user;
    if (!config.smtp_password_file.empty())
      mailing.smtp.password = read_password(config.smtp_password_file);
    if (!config.smtp_ca_file.empty()) mailing.smtp.ca_file = ca_file(config.smtp_ca_file);
    mailing.server = mail_server;
    mailing.connections = static_cast<size_t>(config.smtp_connections);
    mailing.retry = config.mail_retry;
  }
  StorageOptions storage_options;
  storage_options.pool = static_cast<size_t>(
      config.db_pool > 0 ? config.db_pool : config.threads + config.smtp_connections + 4);
  storage_options.statement_timeout_ms = config.db_statement_timeout_ms;
  std::unique_ptr<Storage> storage = open_storage(config.db, storage_options);
  KeyService keys(*storage);
  RequestService requests(*storage, mail);
  CatalogService catalog(*storage, mail);
  MailService mail_service(*storage, mail_server, mail);
  PendingSweeper sweeper(requests, kSweepInterval);
  StatusService status(*storage);
  WebhookService webhooks(*storage, config.webhooks_public_only);
  TimeZones zones;
  SettingsService settings(*storage, zones);
  OrderService orders(*storage);
  StatsService conversion_stats(*storage, zones);
  SessionService sessions(*storage);
  IntegrationService integrations(*storage);
  PlatformReceiver platforms(*storage, integrations, mail);
  WebhookDispatcher::Options dispatch;
  dispatch.timeout_ms = config.webhook_timeout_ms;
  dispatch.public_only = config.webhooks_public_only;
  dispatch.retry = config.webhook_retry;
  WebhookDispatcher dispatcher(*storage, dispatch);
  storage->on_outbox_written([&dispatcher] { dispatcher.wake(); });
  ReleaseScheduler::Options release_options;
  if (!config.test_clock_file.empty()) release_options.tick_ms = 50;  // tests move the clock
  release_options.mail = mail;  // a batch queues its shoppers' e-mail
  ReleaseScheduler release(*storage, release_options, now_ms);
  if (mail == Mail::on) {
    mailer = std::make_unique<MailDispatcher>(*storage, mailing);
    storage->on_outbox_written([&mailer] { mailer->wake(); });
  }
  StaticFiles files = StaticFiles::load(web_root);

  // Every connection is a descriptor: take the whole file limit the system allows.
  rlimit fd_limit{};
  if (getrlimit(RLIMIT_NOFILE, &fd_limit) == 0 && fd_limit.rlim_cur < fd_limit.rlim_max) {
    fd_limit.rlim_cur = fd_limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &fd_limit);
  }
  ConnectionLimits limits;
  limits.head_timeout_ms = static_cast<int>(config.head_timeout_ms);
  limits.body_timeout_ms = static_cast<int>(config.body_timeout_ms);
  limits.threads = static_cast<size_t>(config.threads);
  limits.max_connections = static_cast<size_t>(config.max_connections);
  if (getrlimit(RLIMIT_NOFILE, &fd_limit) == 0 && fd_limit.rlim_cur != RLIM_INFINITY)
    limits.max_connections =
        std::min<size_t>(limits.max_connections, fd_limit.rlim_cur > 128 ? fd_limit.rlim_cur - 64 : 64);
  limits.max_per_client = static_cast<size_t>(config.max_connections_per_client);
  limits.backlog = static_cast<int>(config.listen_backlog);
  HttpServer http(limits);
  const std::vector<Cidr> proxies = parse_cidr_list(config.trusted_proxies);
  http.set_exempt_peer([proxies](const std::string& peer) {
    return std::any_of(proxies.begin(), proxies.end(), [&](const Cidr& c) { return c.contains(peer); });
  });
  const int wanted = static_cast<int>(config.port);
  const int port = http.bind_and_listen(config.host, wanted);
  if (port < 0) {
    log_line("error", "cannot listen on " + config.host + ":" + std::to_string(wanted));
    return 1;
  }
  const std::string base = "http://" + (config.host == "0.0.0.0" ? std::string("127.0.0.1") : config.host) +
                           ":" + std::to_string(port);
  std::string demo_secret;
  if (config.demo) {
    if (files.find("/demo/index.html") == nullptr) {
      log_line("error", "--demo needs the web root with demo/ (looked in '" + web_root + "')");
      return 1;
    }
    std::vector<std::string> origins = {"http://127.0.0.1:" + std::to_string(port),
                                        "http://localhost:" + std::to_string(port)};
    if (config.host != "127.0.0.1" && config.host != "0.0.0.0" && config.host != "localhost")
      origins.push_back("http://" + config.host + ":" + std::to_string(port));
    const DemoKeys demo = seed_demo(keys, catalog, *storage,
                                    read_file(web_root + "/demo/catalog.json"), origins);
    files.substitute("/demo/index.html", kDemoKeyPlaceholder, demo.publishable);
    demo_secret = demo.secret;
  }

  Router router(config,
                UseCases{keys, requests, catalog, webhooks, settings, status, orders,
                         conversion_stats, integrations, platforms, sessions, mail_service,
                         storage->ids()},
                std::move(files));
  configure_transport(http, config, router);

  std::printf("stockbell %s listening on %s (database %s)\n", STOCKBELL_VERSION, base.c_str(),
              config.db.c_str());
  if (mail == Mail::on)
    std::printf("e-mail to shoppers: through %s, links to %s\n", config.smtp_url.c_str(),
                config.public_url.c_str());
  if (config.demo) {
    std::printf("demo storefront: %s/\n", base.c_str());
    std::printf("demo secret key (shown once): %s\n", demo_secret.c_str());
  }
  std::fflush(stdout);

  log_configuration(config);
  std::thread signal_thread([&http, &status, signals] {
    int received = 0;
    sigwait(&signals, &received);
    if (received == SIGUSR1) return;  // our own wake-up: serving already ended
    status.begin_shutdown();  // /readyz: 503 for whatever is still answered
    http.stop();
  });

  dispatcher.start();
  release.start();
  if (mailer) mailer->start();
  sweeper.start();
  http.run();  // returns once stopped and every request being read or handled is answered
  dispatcher.stop();  // attempts under way finish and are recorded
  release.stop();     // the batch under way commits; the rest stays due in the database
  if (mailer) mailer->stop();
  sweeper.stop();
  storage->stop();
  const WriteStats stats = storage->write_stats();
  log_line("info", std::to_string(stats.writes) + " writes in " + std::to_string(stats.commits) +
                       " transactions",
           {{"writes", static_cast<int64_t>(stats.writes)},
            {"commits", static_cast<int64_t>(stats.commits)}});
  pthread_kill(signal_thread.native_handle(), SIGUSR1);  // harmless if it already returned
  signal_thread.join();
  log_line("info", "stopped");
  return 0;
}

}  // namespace stockbell::server
