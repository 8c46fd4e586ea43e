// server/http/request_scope: which client request ids are kept, and the ones made instead.

#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "server/http/request_scope.hpp"

using namespace stockbell::server;

TEST_CASE("a sane client id is kept; anything else is replaced by a new one") {
  CHECK(request_id_from("trace-42") == "trace-42");
  CHECK(request_id_from("0f8fad5b-d9cb-469f-a165-70867728950e") ==
        "0f8fad5b-d9cb-469f-a165-70867728950e");
  CHECK(request_id_from(std::string(64, 'a')) == std::string(64, 'a'));
  const std::regex generated("[0-9a-f]{32}");
  for (const std::string& bad :
       {std::string(), std::string(65, 'a'), std::string("a b"), std::string("a\r\nX-Evil: 1"),
        std::string("a\"b"), std::string("caf\xc3\xa9")})
    CHECK(std::regex_match(request_id_from(bad), generated));
}

TEST_CASE("new ids differ, and a new request starts unmatched and without a store") {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(request_id_from(""));
  CHECK(ids.size() == 1000);
  current_request().route = "/x";
  current_request().store = "shop";
  begin_request("given");
  CHECK(current_request().id == "given");
  CHECK(current_request().route == "unmatched");
  CHECK(current_request().store.empty());
}
