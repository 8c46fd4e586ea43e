// `stockbell migrate --from PATH --to postgres://...` (README "Scaling out"): a SQLite database
// with data copied into PostgreSQL answers the same: same ids, same key, same figures; a target
// with data is refused. Runs only in the `postgres` label (http_pg.migrate).

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

json body_of(const Api& api, const std::string& target) {
  const HttpResponse r = api.get(target);
  REQUIRE_STATUS(r, 200);
  return r.json();
}

}  // namespace

TEST_CASE("migrate copies a SQLite database into PostgreSQL: same ids, keys and answers") {
  if (!testing_postgres()) return;
  TempDir dir;
  // `.sqlite` paths stay SQLite files in every label (server_process.cpp database_location).
  const std::string source = dir.file("source.sqlite");
  const std::string secret = create_key(source, "shop", "secret");
  const std::vector<std::string> reads = {
      "/api/v1/products?limit=100", "/api/v1/back-in-stock?limit=100",
      "/api/v1/events?limit=100", "/api/v1/webhooks", "/api/v1/stats/demand?limit=10"};
  std::vector<json> before;
  {
    ServerProcess server(source);
    const Api api(server.host(), server.port(), secret);
    REQUIRE_STATUS(api.post("/api/v1/webhooks", {{"url", "https://hooks.example/x"}}), 200);
    for (int i = 0; i < 12; ++i)
      REQUIRE_STATUS(api.register_request(request_body("SKU-" + std::to_string(i % 3), std::nullopt,
                                                       "m" + std::to_string(i) + "@example.com")),
                     200);
    REQUIRE_STATUS(api.upsert(json::array({{{"productId", "SKU-0"},
                                            {"title", "Zero"},
                                            {"variants", {{{"variantId", "SKU-0"},
                                                           {"title", "One size"},
                                                           {"inventoryQuantity", 5}}}}}})),
                   200);
    for (const std::string& target : reads) before.push_back(body_of(api, target));
    CHECK(server.stop() == 0);
  }

  const std::string target_path = dir.file("target.db");  // a PostgreSQL database in this label
  const std::string target = database_location(target_path);
  const RunResult r = run_stockbell({"migrate", "--from", source, "--to", target}, {}, 60s);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("every table's count matches the source") != std::string::npos);
  CHECK(r.err.find("copied requests: 12 rows\n") != std::string::npos);  // not a TTY: plain lines
  CHECK(r.err.find("\r") == std::string::npos);

  ServerProcess server(target_path);
  const Api api(server.host(), server.port(), secret);  // the key still works
  for (size_t i = 0; i < reads.size(); ++i) CHECK_MESSAGE(body_of(api, reads[i]) == before[i], reads[i]);
  // New rows get new ids after the copied ones.
  const HttpResponse created = api.register_request(request_body("SKU-9", std::nullopt, "new@example.com"));
  REQUIRE_STATUS(created, 200);
  CHECK(body_of(api, "/api/v1/back-in-stock?limit=100")["requests"].size() == 13);

  // A target with data is refused, and left as it was.
  const RunResult again = run_stockbell({"migrate", "--from", source, "--to", target}, {}, 60s);
  CHECK(again.status == 1);
  CHECK(again.err.find("not empty") != std::string::npos);
  CHECK(body_of(api, "/api/v1/back-in-stock?limit=100")["requests"].size() == 13);
}
