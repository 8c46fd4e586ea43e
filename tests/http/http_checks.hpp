#pragma once
// doctest checks for HTTP responses: a failure shows the response body and the calling line.

#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "api_client.hpp"

namespace stockbell::testing {

/// Checks the status; on failure prints the body (or the transport error).
#define CHECK_STATUS(response, expected)                                             \
  do {                                                                               \
    const ::stockbell::testing::HttpResponse& sb_r_ = (response);                    \
    INFO("response body: " << sb_r_.body << (sb_r_.status == 0 ? sb_r_.error : "")); \
    CHECK(sb_r_.status == (expected));                                               \
  } while (0)

#define REQUIRE_STATUS(response, expected)                                           \
  do {                                                                               \
    const ::stockbell::testing::HttpResponse& sb_r_ = (response);                    \
    INFO("response body: " << sb_r_.body << (sb_r_.status == 0 ? sb_r_.error : "")); \
    REQUIRE(sb_r_.status == (expected));                                             \
  } while (0)

/// The error envelope of README: API / Errors: the status, `Content-Type: application/json`,
/// success false, a message and the code.
#define CHECK_ERROR(response, status, code) \
  ::stockbell::testing::check_error_envelope((response), (status), (code), __FILE__, __LINE__)

inline void check_error_envelope(const HttpResponse& r, int status, const std::string& code,
                                 const char* file, int line) {
  INFO("checked at " << std::string(file) << ":" << line << "; response body: " << r.body
                     << r.error);
  CHECK(r.status == status);
  CHECK(r.media_type() == "application/json");
  const json body = json::parse(r.body, nullptr, false);
  REQUIRE(body.is_object());
  CHECK(body.value("success", true) == false);
  CHECK(body.value("code", "") == code);
  REQUIRE(body.contains("error"));
  CHECK(body["error"].is_string());
  CHECK(!body["error"].get<std::string>().empty());
  if (body.contains("details")) {
    CHECK(body["details"].is_array());
    for (const json& d : body["details"]) {
      CHECK(d["field"].is_string());
      CHECK(d["code"].is_string());
      CHECK(d["message"].is_string());
    }
  }
}

inline bool matches(const std::string& text, const char* pattern) {
  return std::regex_match(text, std::regex(pattern));
}

inline bool matches(const json& value, const char* pattern) {
  return value.is_string() && matches(value.get<std::string>(), pattern);
}

/// Public ids: prefix + 13 Crockford base32 characters.
constexpr const char* kSubscriberId = "sub_[0-9a-z]{13}";
constexpr const char* kRequestId = "bisr_[0-9a-z]{13}";
constexpr const char* kProductId = "prod_[0-9a-z]{13}";
constexpr const char* kEventId = "evt_[0-9a-z]{13}";
/// RFC 3339 UTC, e.g. `2025-01-31T12:00:00.123Z`.
constexpr const char* kTimestamp = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z";

}  // namespace stockbell::testing
