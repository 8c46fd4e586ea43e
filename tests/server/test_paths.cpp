// server/http/paths: how the router reads a request target. Product ids may hold `/`, spaces or
// any Unicode, percent-encoded (README "Upsert products": "percent-encode ids with / or spaces").

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "server/http/paths.hpp"

using stockbell::server::path_segments;
using stockbell::server::percent_decode;
using Segments = std::vector<std::string>;

TEST_CASE("percent_decode decodes escapes in either letter case") {
  CHECK(percent_decode("SKU%2F1") == std::optional<std::string>("SKU/1"));
  CHECK(percent_decode("SKU%2f1") == std::optional<std::string>("SKU/1"));
  CHECK(percent_decode("a%20b") == std::optional<std::string>("a b"));
  CHECK(percent_decode("100%25") == std::optional<std::string>("100%"));
  CHECK(percent_decode("%41%42") == std::optional<std::string>("AB"));
  CHECK(percent_decode("") == std::optional<std::string>(""));
  CHECK(percent_decode("plain-id_1.2~x") == std::optional<std::string>("plain-id_1.2~x"));
}

TEST_CASE("percent_decode keeps + as + (paths are not form data)") {
  CHECK(percent_decode("a+b") == std::optional<std::string>("a+b"));
  CHECK(percent_decode("a%2Bb") == std::optional<std::string>("a+b"));
}

TEST_CASE("percent_decode passes UTF-8 through, raw or escaped, byte for byte") {
  CHECK(percent_decode("%E2%82%AC") == std::optional<std::string>("\xE2\x82\xAC"));  // €
  CHECK(percent_decode("%e2%82%ac") == std::optional<std::string>("\xE2\x82\xAC"));
  CHECK(percent_decode("caf\xC3\xA9") == std::optional<std::string>("caf\xC3\xA9"));  // café
  CHECK(percent_decode("%00") == std::optional<std::string>(std::string(1, '\0')));
}

TEST_CASE("percent_decode refuses malformed escapes") {
  for (const char* text : {"%", "%4", "a%4", "abc%", "%zz", "%4g", "%g4", "%%41", "%-1", "% 41"}) {
    INFO("'" << text << "'");
    CHECK_FALSE(percent_decode(text).has_value());
  }
}

TEST_CASE("path_segments splits and decodes the path") {
  CHECK(path_segments("/api/v1/products") == std::optional<Segments>({"api", "v1", "products"}));
  CHECK(path_segments("/api/v1/products/SKU%2F1") ==
        std::optional<Segments>({"api", "v1", "products", "SKU/1"}));
  CHECK(path_segments("/api/v1/products/a%20b+c") ==
        std::optional<Segments>({"api", "v1", "products", "a b+c"}));
  CHECK(path_segments("/api/v1/products/%E2%82%AC") ==
        std::optional<Segments>({"api", "v1", "products", "\xE2\x82\xAC"}));
  CHECK(path_segments("/healthz") == std::optional<Segments>({"healthz"}));
}

TEST_CASE("path_segments maps the /v1 alias onto /api/v1") {
  CHECK(path_segments("/v1/products/SKU%2F1?x") ==
        std::optional<Segments>({"api", "v1", "products", "SKU/1"}));
  CHECK(path_segments("/v1") == std::optional<Segments>({"api", "v1"}));
  CHECK(path_segments("/v1x/products") == std::optional<Segments>({"v1x", "products"}));
  CHECK(path_segments("/api/v1") == std::optional<Segments>({"api", "v1"}));  // not doubled
}

TEST_CASE("path_segments drops trailing slashes, keeps empty inner segments") {
  CHECK(path_segments("/api/v1/products/") == std::optional<Segments>({"api", "v1", "products"}));
  CHECK(path_segments("/api/v1/products//") == std::optional<Segments>({"api", "v1", "products"}));
  CHECK(path_segments("/api//v1") == std::optional<Segments>({"api", "", "v1"}));
  CHECK(path_segments("/") == std::optional<Segments>(Segments{}));
  CHECK(path_segments("") == std::optional<Segments>(Segments{}));
}

TEST_CASE("path_segments ignores the query, even a malformed one") {
  CHECK(path_segments("/api/v1/events?after=evt_1&limit=5") ==
        std::optional<Segments>({"api", "v1", "events"}));
  CHECK(path_segments("/healthz?x=%zz") == std::optional<Segments>({"healthz"}));
  CHECK(path_segments("/?x") == std::optional<Segments>(Segments{}));
  CHECK(path_segments("/api/v1/products/a%3Fb") ==
        std::optional<Segments>({"api", "v1", "products", "a?b"}));
}

TEST_CASE("path_segments refuses a malformed escape in any segment") {
  CHECK_FALSE(path_segments("/api/v1/products/%zz").has_value());
  CHECK_FALSE(path_segments("/api/v1/products/SKU%2").has_value());
  CHECK_FALSE(path_segments("/v1/%/products").has_value());
}
