// core/shopper_page: the unsubscribe and confirm pages, in the shopper's language, every value
// escaped, no script.

#include <doctest/doctest.h>

#include "core/shopper_page.hpp"

using namespace stockbell;

TEST_CASE("the unsubscribe page: the store's words for that address, and a button") {
  ShopperPage page{ShopperPageKind::unsubscribe, "en", "en", "Linen & Co", "anna@example.com", ""};
  const std::string html = shopper_page_html(page);
  CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
  CHECK(html.find("<title>Unsubscribe</title>") != std::string::npos);
  CHECK(html.find("Stop back-in-stock emails from Linen &amp; Co to anna@example.com?") !=
        std::string::npos);
  CHECK(html.find("<form method=\"post\">") != std::string::npos);
  CHECK(html.find("<button type=\"submit\">Unsubscribe</button>") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
}

TEST_CASE("pages speak the shopper's language, else the store's default, else English") {
  ShopperPage page{ShopperPageKind::confirm, "de-AT", "en", "Teehaus", "a@b", "Grüner Tee – 100 g"};
  std::string html = shopper_page_html(page);
  CHECK(html.find("<html lang=\"de\">") != std::string::npos);
  CHECK(html.find("Bitte bestätigen Sie, dass Teehaus Ihnen eine E-Mail schicken soll, sobald "
                  "Grüner Tee – 100 g wieder verfügbar ist.") != std::string::npos);
  CHECK(html.find(">Bestätigen</button>") != std::string::npos);
  page.locale = "pt";
  page.store_default_locale = "fr";
  CHECK(shopper_page_html(page).find("<html lang=\"fr\">") != std::string::npos);
  page.store_default_locale = "pt";
  CHECK(shopper_page_html(page).find("<html lang=\"en\">") != std::string::npos);
}

TEST_CASE("values are escaped; results and invalid links have no form") {
  ShopperPage page{ShopperPageKind::confirmed, "en", "en", "<b>Shop</b>", "x@y",
                   "<script>alert(1)</script>"};
  std::string html = shopper_page_html(page);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&lt;b&gt;Shop&lt;/b&gt;") != std::string::npos);
  CHECK(html.find("<form") == std::string::npos);
  page.kind = ShopperPageKind::invalid_link;
  html = shopper_page_html(page);
  CHECK(html.find("This link is invalid or has expired.") != std::string::npos);
  CHECK(html.find("Shop") == std::string::npos);  // an invalid link names no store
  CHECK(html_escape("a&b<c>\"'") == "a&amp;b&lt;c&gt;&quot;&#39;");
}
