// GET /openapi.json: the OpenAPI document, as built (docs/openapi.json with core's error codes),
// served by the binary with its registered media type. tests/openapi/ lints it and checks every
// answer of this suite against it; tests/server/test_openapi.cpp checks it against the route table.

#include <fstream>
#include <sstream>

#include "http_checks.hpp"

using namespace stockbell::testing;

namespace {

std::string built_document() {
  std::ifstream in(STOCKBELL_OPENAPI_JSON, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("GET /openapi.json serves the built document, no key needed") {
  TestServer s;
  const HttpResponse r = s.api("").get("/openapi.json");
  REQUIRE_STATUS(r, 200);
  CHECK(r.header("Content-Type") == "application/vnd.oai.openapi+json;version=3.1");
  CHECK_FALSE(r.has_header("Access-Control-Allow-Origin"));  // never `*` (test_http_access.cpp)
  const std::string built = built_document();
  REQUIRE(built.size() > 10000);
  CHECK(r.body == built);
  const json doc = json::parse(r.body);
  CHECK(doc["openapi"] == "3.1.0");
  CHECK(doc["paths"].contains("/api/v1/back-in-stock"));
  // The codes are filled in at build time: none is left to fill.
  CHECK(r.body.find("x-stockbell-enum") == std::string::npos);
  CHECK(doc["components"]["schemas"]["ApiCode"]["enum"].size() >= 16);

  const HttpResponse head = s.api("").send("HEAD", "/openapi.json");
  CHECK_STATUS(head, 200);
  CHECK(head.body.empty());
  const HttpResponse post = s.api("").post("/openapi.json", json::object());
  CHECK_ERROR(post, 405, "method_not_allowed");
  CHECK(post.header("Allow") == "GET");
}
