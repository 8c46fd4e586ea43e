// Measuring helpers for bench/run. Each subcommand prints one JSON object on stdout.
//
//   bench_tool seed DB N               N waiting requests (distinct e-mails) for BENCH-1/BENCH-1-M
//                                      in store "bench"; prints the secret key
//   bench_tool raw-fanout DB           the baseline: the same UPDATE + event INSERTs as an
//                                      in-stock upsert, in one transaction, with raw SQLite
//   bench_tool upsert-latency URL KEY N  N upserts that notify nobody, over one keep-alive
//                                      connection: p50/p99 in ms
//   bench_tool upsert URL KEY          one upsert putting BENCH-1-M in stock: latency, triggered
//   bench_tool register-direct DB T S  registrations/s through the service and the writer
//                                      (durable, group commit) from T threads for S seconds,
//                                      without HTTP: the writer's own ceiling
//   bench_tool release DB N Q BATCHES  on a DB seeded with `seed DB N`: a proportional release
//                                      (perUnit 1) of quantity Q through the storage and the
//                                      writer: the upsert's first batch, then BATCHES due
//                                      batches run as the scheduler runs them (ms each);
//                                      baseline: the same batch as raw SQLite statements;
//                                      and the place in line of the last request (ms)
//   bench_tool scheduler DB TARGETS    one scheduler round (nothing due) with TARGETS pending
//                                      schedules, and with none (the baseline), in µs
//   bench_tool smtp-loop URL N T       the e-mail baseline: N copies of a back-in-stock mail
//                                      (the shipped English template, MIME as Stockbell builds
//                                      it) sent to an SMTP server by a bare libcurl loop on T
//                                      threads, one connection each: mails/s
//   bench_tool validate N              ns per back-in-stock validation (core) and per plain
//                                      nlohmann::json::parse of the same body (baseline: a
//                                      well-known parser doing only the parsing)

#include <curl/curl.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/back_in_stock.hpp"
#include "core/json.hpp"
#include "core/mail_template.hpp"
#include "core/mime.hpp"
#include "server/app/keys.hpp"
#include "server/app/notify.hpp"
#include "server/app/release.hpp"
#include "server/app/requests.hpp"
#include "server/store/storage.hpp"

namespace {

using namespace stockbell;
using namespace stockbell::server;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1))];
}

constexpr const char* kBenchBody =
    R"({"productId":"SKU-PROTEIN-1KG","variantId":"SKU-PROTEIN-1KG-VANILLA","productTitle":"Protein Powder 1 kg","variantTitle":"Vanilla","customer":{"email":"  Buyer.Name+tag@Example.com ","firstName":"Ada","lastName":"Lovelace","attributes":{"source":"pdp","visits":3}}})";

// Seeds like N calls of the API would: subscribers, one target, a snapshot, waiting requests
// and their `requested` events, in set-based statements straight on the file (a benchmark
// fixture, not a code path of the server): the server's storage creates the schema and the key.
int seed(const std::string& db_path, int64_t n) {
  const auto start = Clock::now();
  std::string key;
  {
    std::unique_ptr<Storage> storage = open_storage(db_path);
    key = KeyService(*storage).create("bench", KeyKind::secret, {});
    storage->write([](WriteTx& tx) {
      const int64_t store = *tx.find_store("bench");
      tx.snapshot_id(tx.target_id(store, "BENCH-1", "BENCH-1-M"), ProductSnapshot{});
    });
    storage->stop();
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) return 1;
  sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
  const std::string sql =
      "BEGIN IMMEDIATE;"
      "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < " +
      std::to_string(n) +
      ") INSERT INTO subscribers(store_id, email, attributes, created_at, updated_at)"
      " SELECT s.id, 'seed' || i || '@bench.example', '{}', 1, 1 FROM c, stores s"
      " WHERE s.name = 'bench';"
      "INSERT INTO requests(target_id, subscriber_id, status, created_at)"
      " SELECT t.id, sub.id, 0, 1 FROM targets t JOIN subscribers sub ON sub.store_id = t.store_id"
      " WHERE t.product_id = 'BENCH-1' AND t.variant_id = 'BENCH-1-M' ORDER BY sub.id;"
      "INSERT INTO events(store_id, type, request_id, snapshot_id, created_at)"
      " SELECT t.store_id, 0, r.id, (SELECT max(id) FROM snapshots), 1"
      " FROM requests r JOIN targets t ON t.id = r.target_id ORDER BY r.id;"
      "COMMIT;";
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "seeding failed: %s\n", error);
    return 1;
  }
  sqlite3_close(db);
  std::printf("{\"key\":\"%s\",\"requests\":%lld,\"seconds\":%.3f}\n", key.c_str(),
              static_cast<long long>(n), ms_since(start) / 1000.0);
  return 0;
}

// What an in-stock upsert does for a target with N waiting requests, without Stockbell around it.
int raw_fanout(const std::string& db_path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) return 1;
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
               nullptr, nullptr, nullptr);
  const auto start = Clock::now();
  const char* sql =
      "BEGIN IMMEDIATE;"
      "INSERT INTO events(store_id, type, request_id, snapshot_id, created_at)"
      " SELECT t.store_id, 1, r.id, (SELECT max(id) FROM snapshots), 1"
      " FROM requests r JOIN targets t ON t.id = r.target_id"
      " WHERE t.product_id = 'BENCH-1' AND t.variant_id = 'BENCH-1-M' AND r.status = 0"
      " ORDER BY r.id;"
      "UPDATE requests SET status = 1, notified_at = 1 WHERE status = 0 AND target_id ="
      " (SELECT id FROM targets WHERE product_id = 'BENCH-1' AND variant_id = 'BENCH-1-M');"
      "COMMIT;";
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "raw fan-out failed: %s\n", error);
    return 1;
  }
  const double elapsed = ms_since(start);
  const int64_t notified = sqlite3_changes(db);
  sqlite3_close(db);
  std::printf("{\"ms\":%.3f,\"notified\":%lld}\n", elapsed, static_cast<long long>(notified));
  return 0;
}

httplib::Client client_for(const std::string& url) {
  httplib::Client client(url);
  client.set_tcp_nodelay(true);
  client.set_keep_alive(true);
  client.set_read_timeout(600, 0);
  return client;
}

int upsert(const std::string& url, const std::string& key) {
  httplib::Client client = client_for(url);
  const std::string body =
      R"({"products":[{"productId":"BENCH-1","title":"Bench","variants":[{"variantId":"BENCH-1-M","title":"M","inventoryQuantity":5}]}]})";
  const auto started_epoch_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
  const auto start = Clock::now();
  auto res = client.Post("/api/v1/products", {{"Authorization", "Bearer " + key}}, body,
                         "application/json");
  const double elapsed = ms_since(start);
  if (!res || res->status != 200) {
    std::fprintf(stderr, "upsert failed: %s\n", res ? res->body.c_str() : "no response");
    return 1;
  }
  JsonParseFailure failure;
  const std::optional<Json> reply = parse_json(res->body, failure);
  const Json* triggered = reply ? reply->find("backInStockEventsTriggered") : nullptr;
  if (triggered == nullptr || !triggered->as_integer()) {
    std::fprintf(stderr, "unexpected upsert answer: %s\n", res->body.c_str());
    return 1;
  }
  std::printf("{\"ms\":%.3f,\"triggered\":%lld,\"started_epoch_ms\":%lld}\n", elapsed,
              static_cast<long long>(*triggered->as_integer()),
              static_cast<long long>(started_epoch_ms));
  return 0;
}

struct Upload {
  const std::string* bytes;
  size_t sent;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->bytes->size() - upload->sent);
  std::memcpy(buffer, upload->bytes->data() + upload->sent, n);
  upload->sent += n;
  return n;
}

// The baseline of the e-mail benchmark: what libcurl alone does with the same SMTP server.
int smtp_loop(const std::string& url, int64_t n, int threads) {
  MailValues values = sample_mail_values(MailKind::back_in_stock, "en", "Bench Store",
                                         "https://stockbell.bench.example");
  const RenderedMail rendered =
      render_mail(*default_mail_template(MailKind::back_in_stock, "en"), values);
  OutgoingMail mail;
  mail.from = Mailbox{"Bench Store", "shop@bench.example"};
  mail.to = "seed1@bench.example";
  mail.subject = rendered.subject;
  mail.text = rendered.text;
  mail.html = rendered.html;
  mail.message_id = "msg_0000000000000@stockbell.bench.example";
  mail.unsubscribe_url = values.unsubscribe_url;
  const std::string message = mime_message(mail);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> failed{0};
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      CURL* curl = curl_easy_init();
      curl_slist* rcpt = curl_slist_append(nullptr, "<seed1@bench.example>");
      while (next.fetch_add(1) < n) {
        Upload upload{&message, 0};
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_MAIL_FROM, "<shop@bench.example>");
        curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
        curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
        curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
        if (curl_easy_perform(curl) != CURLE_OK) failed.fetch_add(1);
      }
      curl_slist_free_all(rcpt);
      curl_easy_cleanup(curl);
    });
  }
  for (std::thread& t : workers) t.join();
  const double ms = ms_since(start);
  std::printf("{\"mails\":%lld,\"failed\":%lld,\"ms\":%.3f,\"mails_per_second\":%.1f,"
              "\"message_bytes\":%zu}\n",
              static_cast<long long>(n), static_cast<long long>(failed.load()), ms,
              static_cast<double>(n) / (ms / 1000.0), message.size());
  return failed.load() == 0 ? 0 : 1;
}

int upsert_latency(const std::string& url, const std::string& key, int n) {
  httplib::Client client = client_for(url);
  std::vector<double> samples;
  for (int i = 0; i < n; ++i) {
    const std::string body = R"({"products":[{"productId":"QUIET-)" + std::to_string(i % 10) +
                             R"(","title":"Quiet","priceCents":)" + std::to_string(i) +
                             R"(,"variants":[{"variantId":"Q","title":"Q","inventoryQuantity":3}]}]})";
    const auto start = Clock::now();
    auto res = client.Post("/api/v1/products", {{"Authorization", "Bearer " + key}}, body,
                           "application/json");
    samples.push_back(ms_since(start));
    if (!res || res->status != 200) {
      std::fprintf(stderr, "upsert failed: %s\n", res ? res->body.c_str() : "no response");
      return 1;
    }
  }
  std::printf("{\"n\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n", n, percentile(samples, 0.5),
              percentile(samples, 0.99));
  return 0;
}

int register_direct(const std::string& db_path, int threads, int seconds) {
  std::unique_ptr<Storage> storage = open_storage(db_path);
  RequestService requests(*storage);
  KeyService(*storage).create("bench", KeyKind::secret, {});
  const int64_t store = *storage->read([](ReadTx& tx) { return tx.find_store("bench"); });
  std::atomic<bool> stop{false};
  std::atomic<int64_t> done{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int64_t i = 0; !stop; ++i) {
        BackInStockRequest request;
        request.product_id = "BENCH-1";
        request.variant_id = "BENCH-1-M";
        request.customer.email = "d" + std::to_string(t) + "-" + std::to_string(i) + "@bench.example";
        requests.register_request(store, Trust::secret, request);
        ++done;
      }
    });
  }
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (std::thread& w : workers) w.join();
  const double elapsed = ms_since(start) / 1000.0;
  const WriteStats stats = storage->write_stats();
  std::printf("{\"registrations_per_second\":%.0f,\"transactions\":%zu,\"writes\":%zu}\n",
              static_cast<double>(done.load()) / elapsed, stats.commits, stats.writes);
  storage->stop();
  return 0;
}

int validate(int64_t n) {
  const std::string body = kBenchBody;
  size_t sink = 0;
  auto start = Clock::now();
  for (int64_t i = 0; i < n; ++i) sink += validate_back_in_stock_json(body).size();
  const double core_ns = ms_since(start) * 1e6 / static_cast<double>(n);
  start = Clock::now();
  for (int64_t i = 0; i < n; ++i) sink += nlohmann::json::parse(body).size();
  const double parse_ns = ms_since(start) * 1e6 / static_cast<double>(n);
  std::printf("{\"iterations\":%lld,\"validate_ns\":%.1f,\"json_parse_ns\":%.1f,\"sink\":%zu}\n",
              static_cast<long long>(n), core_ns, parse_ns, sink);
  return 0;
}


// ---- release: batches deep in a long line, and the scheduler's round -----------------------

double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

int release(const std::string& db_path, int64_t seeded, int64_t quantity, int batches) {
  constexpr int64_t kT0 = 1'800'000'000'000;
  std::unique_ptr<Storage> storage = open_storage(db_path);
  const int64_t store = storage->read([](ReadTx& tx) { return *tx.find_store("bench"); });
  storage->write([&](WriteTx& tx) {
    StoreSettings settings;
    settings.release.mode = ReleaseMode::proportional;
    settings.release.per_unit = 1;
    settings.release.batch_interval_seconds = 1;
    tx.save_settings(store, settings, kT0);
  });
  Product product;
  product.product_id = "BENCH-1";
  product.title = "Bench";
  Variant variant;
  variant.variant_id = "BENCH-1-M";
  variant.title = "M";
  variant.inventory_quantity = quantity;
  product.variants.push_back(variant);
  auto start = Clock::now();
  const int64_t first = storage->write([&](WriteTx& tx) {
    const ProductRecord saved = tx.save_product(store, product, kT0);
    return notify_in_stock(tx, store, saved.product, kT0, Mail::off);
  });
  const double first_ms = ms_since(start);
  std::vector<double> batch_ms;
  int64_t notified = first;
  for (int i = 1; i <= batches; ++i) {
    const int64_t now = kT0 + i * 1000;
    start = Clock::now();
    const std::vector<DueRelease> due =
        storage->read([&](ReadTx& tx) { return tx.due_releases(now, 64); });
    for (const DueRelease& d : due)
      notified += storage->write([&](WriteTx& tx) { return run_due_release(tx, d, now, Mail::off); });
    batch_ms.push_back(ms_since(start));
  }
  // The place in line of the last request (what a registration at the back of this line
  // counts, on a reader): one walk of the target's waiting index.
  const int64_t target = storage->write([&](WriteTx& tx) {
    return tx.target_id(store, "BENCH-1", "BENCH-1-M");
  });
  std::vector<double> position_ms;
  int64_t last_position = 0;
  for (int i = 0; i < 5; ++i) {
    start = Clock::now();
    // `seed` gives the requests of a fresh database the row ids 1..N.
    last_position = storage->read(
        [&](ReadTx& tx) { return tx.waiting_positions(target, {seeded}).front(); });
    position_ms.push_back(ms_since(start));
  }
  storage->stop();
  storage.reset();

  // The baseline: one batch of the same size at the same depth as bare statements.
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) return 1;
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
               nullptr, nullptr, nullptr);
  const std::string raw =
      "BEGIN IMMEDIATE;"
      "CREATE TEMP TABLE batch AS SELECT id FROM requests WHERE target_id ="
      " (SELECT id FROM targets WHERE product_id = 'BENCH-1' AND variant_id = 'BENCH-1-M')"
      " AND status = 0 ORDER BY id LIMIT " + std::to_string(quantity) + ";"
      "INSERT INTO events(store_id, type, request_id, snapshot_id, created_at)"
      " SELECT 1, 1, id, (SELECT max(id) FROM snapshots), 1 FROM batch ORDER BY id;"
      "UPDATE requests SET status = 1, notified_at = 1 WHERE id IN (SELECT id FROM batch);"
      "DROP TABLE batch;"
      "COMMIT;";
  std::vector<double> raw_ms;
  for (int i = 0; i < 5; ++i) {
    start = Clock::now();
    char* error = nullptr;
    if (sqlite3_exec(db, raw.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::fprintf(stderr, "raw batch failed: %s\n", error);
      return 1;
    }
    raw_ms.push_back(ms_since(start));
  }
  sqlite3_close(db);
  std::printf(
      "{\"firstBatchMs\":%.3f,\"batchMsMedian\":%.3f,\"batchMsMax\":%.3f,\"batches\":%d,"
      "\"notified\":%lld,\"rawBatchMsMedian\":%.3f,\"lastPosition\":%lld,"
      "\"lastPositionMs\":%.3f}\n",
      first_ms, median_of(batch_ms), *std::max_element(batch_ms.begin(), batch_ms.end()),
      batches, static_cast<long long>(notified), median_of(raw_ms),
      static_cast<long long>(last_position), median_of(position_ms));
  return 0;
}

// One scheduler round, nothing due, on the database as it is; median µs of `rounds`.
double scheduler_round_us(const std::string& db_path, int rounds) {
  std::unique_ptr<Storage> storage = open_storage(db_path);
  ReleaseScheduler scheduler(*storage, {}, [] { return int64_t{1'800'000'000'000}; });
  std::vector<double> us;
  for (int i = 0; i < rounds; ++i) {
    const auto start = Clock::now();
    scheduler.run_once();
    storage->read([](ReadTx& tx) { return tx.next_release_due_at(); });
    us.push_back(ms_since(start) * 1000.0);
  }
  storage->stop();
  return median_of(us);
}

int scheduler(const std::string& db_path, int64_t targets) {
  const std::string empty_path = db_path + ".empty";
  {
    std::unique_ptr<Storage> storage = open_storage(db_path);
    storage->write([](WriteTx& tx) { tx.create_store("bench", 1); });
    storage->stop();
    std::unique_ptr<Storage> empty = open_storage(empty_path);
    empty->write([](WriteTx& tx) { tx.create_store("bench", 1); });
    empty->stop();
  }
  // A fixture: TARGETS targets, each with a schedule due later than the round looks.
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) return 1;
  const std::string sql =
      "BEGIN IMMEDIATE;"
      "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < " +
      std::to_string(targets) +
      ") INSERT INTO targets(store_id, product_id, variant_id)"
      " SELECT 1, 'P-' || i, 'V-' || i FROM c;"
      "INSERT INTO release_schedules(target_id, store_id, next_batch_at, released)"
      " SELECT id, 1, 1900000000000 + id * 1000, 1 FROM targets;"
      "COMMIT;";
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "scheduler fixture failed: %s\n", error);
    return 1;
  }
  sqlite3_close(db);
  const double with_us = scheduler_round_us(db_path, 200);
  const double empty_us = scheduler_round_us(empty_path, 200);
  std::printf("{\"pendingSchedules\":%lld,\"roundUs\":%.1f,\"emptyRoundUs\":%.1f}\n",
              static_cast<long long>(targets), with_us, empty_us);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  try {
    if (a.size() == 3 && a[0] == "seed") return seed(a[1], std::stoll(a[2]));
    if (a.size() == 2 && a[0] == "raw-fanout") return raw_fanout(a[1]);
    if (a.size() == 3 && a[0] == "upsert") return upsert(a[1], a[2]);
    if (a.size() == 4 && a[0] == "smtp-loop")
      return smtp_loop(a[1], std::stoll(a[2]), std::stoi(a[3]));
    if (a.size() == 4 && a[0] == "upsert-latency") return upsert_latency(a[1], a[2], std::stoi(a[3]));
    if (a.size() == 2 && a[0] == "validate") return validate(std::stoll(a[1]));
    if (a.size() == 5 && a[0] == "release")
      return release(a[1], std::stoll(a[2]), std::stoll(a[3]), std::stoi(a[4]));
    if (a.size() == 3 && a[0] == "scheduler") return scheduler(a[1], std::stoll(a[2]));
    if (a.size() == 4 && a[0] == "register-direct")
      return register_direct(a[1], std::stoi(a[2]), std::stoi(a[3]));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_tool: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: see the comment at the top of bench/bench_tool.cpp\n");
  return 2;
}
