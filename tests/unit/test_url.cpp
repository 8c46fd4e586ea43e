// core/url: absolute http(s) URLs for product links and images; browser origins for
// publishable keys.

#include <doctest/doctest.h>

#include <string>

#include "core/url.hpp"

using namespace stockbell;

TEST_CASE("absolute http and https URLs are valid") {
  for (const std::string url : {"https://shop.example/p/1?x=y", "http://shop.example", "https://shop.example/",
                          "HTTPS://Shop.Example/P", "https://shop.example:8443/p#top",
                          "https://cdn.shop.example/img/a%20b.jpg", "http://127.0.0.1:8080/x",
                          "https://[::1]:8443/", "https://xn--mnchen-3ya.example/",
                          "https://münchen.example/p", "https://user@shop.example/p"}) {
    CAPTURE(url);
    CHECK(is_valid_http_url(url));
  }
}

TEST_CASE("other schemes, relative URLs, spaces and controls are invalid") {
  for (const std::string url : {"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x",
                          "ftp://shop.example/p", "//shop.example/p", "/p/1", "shop.example/p",
                          "https://", "https:///p", "http://?x", "https://shop example/p",
                          "https://shop.example/a b", "https://shop.example/\"", "https://shop.example/<x>",
                          "https://shop.example\\p", "https://shop.example/\x07", "https://:80/",
                          "https://.example/", "https://@/p", "", "https:shop.example",
                          "https://a..b/", "https://shop..example:8080/p"}) {
    CAPTURE(url);
    CHECK_FALSE(is_valid_http_url(url));
  }
}

TEST_CASE("a port is 1 to 65535, or empty for the default") {
  for (const std::string url : {"https://shop.example:1/", "https://shop.example:65535/x",
                                "http://shop.example:/p", "https://[::1]:443/", "https://[::1]/"}) {
    CAPTURE(url);
    CHECK(is_valid_http_url(url));
  }
  for (const std::string url : {"https://shop.example:0/", "http://shop.example:65536/hook",
                                "https://shop.example:99999", "https://shop.example:123456/",
                                "https://shop.example:8o/", "https://[::1]:0/", "https://[::1]:65536/",
                                "https://shop.example:-1/"}) {
    CAPTURE(url);
    CHECK_FALSE(is_valid_http_url(url));
    CHECK_FALSE(split_http_url(url).has_value());
  }
}

TEST_CASE("origins are normalised the way browsers send them") {
  CHECK(normalize_origin("HTTPS://Shop.Example:443/") == "https://shop.example");
  CHECK(normalize_origin("https://shop.example") == "https://shop.example");
  CHECK(normalize_origin("http://shop.example:80") == "http://shop.example");
  CHECK(normalize_origin("http://localhost:8080") == "http://localhost:8080");
  CHECK(normalize_origin("https://shop.example:8443") == "https://shop.example:8443");
  // A default port of the other scheme is not dropped.
  CHECK(normalize_origin("http://shop.example:443") == "http://shop.example:443");
  CHECK(normalize_origin("https://shop.example:80") == "https://shop.example:80");
}

TEST_CASE("anything that is not an origin is rejected") {
  for (const std::string origin : {"shop.example", "ftp://shop.example", "https://", "https:///",
                             "https://shop.example/p", "https://shop.example?x", "https://a@shop.example",
                             "https://shop.example/#x", "https://shop example", "null", ""}) {
    CAPTURE(origin);
    CHECK_FALSE(normalize_origin(origin).has_value());
  }
}
