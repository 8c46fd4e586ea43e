#pragma once
// The pages a shopper opens from an e-mail (README "E-mail"): unsubscribe (`/u/{token}`) and
// confirm (`/c/{token}`), in the shopper's language (core/i18n's `page` strings). Opening a
// page shows a button and changes nothing (mail scanners follow links); the button POSTs back.
// Every value is HTML-escaped; the page holds no script and loads nothing.

#include <string>
#include <string_view>

namespace stockbell {

enum class ShopperPageKind {
  unsubscribe,   ///< GET /u/{token}: "Stop back-in-stock emails from {store} to {email}?"
  unsubscribed,  ///< after POST /u/{token}
  confirm,       ///< GET /c/{token}: "Confirm that you want an email ... when {item} ..."
  confirmed,     ///< after POST /c/{token}
  invalid_link,  ///< a forged, altered or expired token
};

struct ShopperPage {
  ShopperPageKind kind = ShopperPageKind::invalid_link;
  std::string locale;  ///< BCP 47; the page's words fall back to the store's default, then en
  std::string store_default_locale = "en";
  std::string store = {};  ///< the store's name
  std::string email = {};
  std::string item = {};  ///< "Linen shirt – M"
};

/// The whole document, UTF-8.
std::string shopper_page_html(const ShopperPage& page);

/// The Content-Security-Policy the pages are served with: nothing loads, no script runs, the
/// form posts only to the page itself and no other site may frame it.
constexpr std::string_view kShopperPageCsp =
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

/// `text` with `& < > " '` escaped for HTML text and quoted attributes.
std::string html_escape(std::string_view text);

}  // namespace stockbell
