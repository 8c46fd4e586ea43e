// The OpenAPI document the binary serves (docs/openapi.json, embedded at build time) against the
// route table (server/http/router.cpp, Router::route_table): a route the document lacks fails, so
// does a documented operation no route answers, and each operation's security says who may call
// it as the table does. The error code enums are core's tables (generated, checked here too).

#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/error_codes.hpp"
#include "core/version.hpp"
#include "server/http/openapi.hpp"
#include "server/http/router.hpp"

using nlohmann::json;
using stockbell::server::Access;
using stockbell::server::Route;
using stockbell::server::Router;

namespace {

json document() { return json::parse(stockbell::server::openapi_document()); }

/// `/api/v1/webhooks/{webhookId}` → `/api/v1/webhooks/{}`, as the route table writes it.
std::string table_form(const std::string& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      out += "{}";
      i = path.find('}', i);
    } else {
      out += path[i];
    }
  }
  return out;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

/// The security schemes an operation accepts (one requirement each); "" for none needed.
std::set<std::string> schemes(const json& operation) {
  std::set<std::string> out;
  for (const json& requirement : operation.at("security")) {
    if (requirement.empty()) out.insert("");
    for (const auto& [name, scopes] : requirement.items()) out.insert(name);
  }
  return out;
}

}  // namespace

TEST_CASE("every route is in the OpenAPI document, with the access the table gives it") {
  const json doc = document();
  std::map<std::string, const json*> operations;  // "post /api/v1/products" → operation
  for (const auto& [path, item] : doc.at("paths").items())
    for (const auto& [method, operation] : item.items())
      operations[method + " " + table_form(path)] = &operation;

  const std::vector<Route> table = Router::route_table();
  CHECK(table.size() >= 45);
  std::set<std::string> routes;
  for (const Route& route : table) {
    std::string path;
    for (const std::string& segment : route.pattern) path += "/" + segment;
    const std::string key = lower(route.method) + " " + path;
    routes.insert(key);
    INFO(key);
    const auto found = operations.find(key);
    CHECK_MESSAGE(found != operations.end(), "a route docs/openapi.json does not document: " << key);
    if (found == operations.end()) continue;
    const json& operation = *found->second;
    INFO("its security: " << operation.at("security").dump());
    switch (route.access) {
      case Access::open:
      case Access::platform:  // no key needed: no requirement, or an empty one among others
        CHECK((schemes(operation).empty() || schemes(operation).count("") == 1));
        break;
      case Access::storefront:
        CHECK(schemes(operation) ==
              std::set<std::string>{"publishableKey", "secretKey", "dashboardSession"});
        break;
      case Access::secret:
        CHECK(schemes(operation) == std::set<std::string>{"secretKey", "dashboardSession"});
        break;
    }
    // A route that reads a body documents it.
    if (route.body_limit != stockbell::kMaxBodyBytes) CHECK(operation.contains("requestBody"));
  }
  for (const auto& [key, operation] : operations) {
    INFO(key);
    if (key.rfind("options ", 0) == 0) {  // CORS preflight: answered for a path with routes
      const std::string path = key.substr(8);
      CHECK((routes.count("get " + path) + routes.count("post " + path)) >= 1);
      continue;
    }
    CHECK_MESSAGE(routes.count(key) == 1, "documented, but no route answers it: " << key);
  }
}

TEST_CASE("the document's error codes are core's, each with its status; its version the binary's") {
  const json doc = document();
  CHECK(doc.at("info").at("version") == STOCKBELL_VERSION);
  const json& api = doc.at("components").at("schemas").at("ApiCode");
  std::vector<std::string> names;
  for (stockbell::ApiCode code : stockbell::all_api_codes()) {
    names.emplace_back(stockbell::api_code_name(code));
    CHECK(api.at("x-http-status").at(names.back()) == stockbell::http_status(code));
  }
  CHECK(api.at("enum") == json(names));
  CHECK(api.at("x-http-status").size() == names.size());
  names.clear();
  for (stockbell::FieldCode code : stockbell::all_field_codes())
    names.emplace_back(stockbell::field_code_name(code));
  CHECK(doc.at("components").at("schemas").at("FieldCode").at("enum") == json(names));
  CHECK(names.size() >= 29);
}
