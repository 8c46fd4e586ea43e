#include "core/shopper_page.hpp"

#include "core/i18n.hpp"

namespace stockbell {
namespace {

struct Words {
  const char* title;
  const char* text;
  const char* button;  ///< nullptr: no form
};

Words words_of(ShopperPageKind kind) {
  switch (kind) {
    case ShopperPageKind::unsubscribe:
      return {"unsubscribeTitle", "unsubscribeText", "unsubscribeButton"};
    case ShopperPageKind::unsubscribed: return {"unsubscribedTitle", "unsubscribedText", nullptr};
    case ShopperPageKind::confirm: return {"confirmTitle", "confirmText", "confirmButton"};
    case ShopperPageKind::confirmed: return {"confirmedTitle", "confirmedText", nullptr};
    case ShopperPageKind::invalid_link: return {"invalidLinkTitle", "invalidLinkText", nullptr};
  }
  return {"invalidLinkTitle", "invalidLinkText", nullptr};
}

constexpr std::string_view kStyle =
    "body{margin:0;background:#f4f4f5;color:#1f2937;font:16px/1.5 Arial,Helvetica,sans-serif}"
    "main{box-sizing:border-box;max-width:32rem;margin:3rem auto;padding:2rem;background:#fff;"
    "border-radius:8px}"
    "h1{margin:0 0 1rem;font-size:1.5rem;line-height:1.25}p{margin:0 0 1.5rem;overflow-wrap:anywhere}"
    "button{font:inherit;font-weight:bold;color:#fff;background:#1d4ed8;border:0;"
    "border-radius:6px;padding:.75rem 2rem;cursor:pointer}"
    "button:focus-visible{outline:3px solid #1f2937;outline-offset:2px}"
    ".store{margin:0;color:#4b5563;font-size:.875rem}";

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string shopper_page_html(const ShopperPage& page) {
  const Words w = words_of(page.kind);
  const std::string language = resolved_locale(page.locale, page.store_default_locale);
  auto say = [&](const char* key) {
    return html_escape(localized(TextSection::page, key, language));
  };
  const std::vector<std::pair<std::string, std::string>> values = {
      {"store", html_escape(page.store)},
      {"email", html_escape(page.email)},
      {"item", html_escape(page.item)}};
  const std::string title = say(w.title);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"" + html_escape(language) +
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"robots\" content=\"noindex\">\n<title>" +
      title + "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n<main>\n";
  if (!page.store.empty() && page.kind != ShopperPageKind::invalid_link)
    out += "<p class=\"store\">" + html_escape(page.store) + "</p>\n";
  out += "<h1>" + title + "</h1>\n<p>" + fill_placeholders(say(w.text), values) + "</p>\n";
  if (w.button != nullptr) {
    out += "<form method=\"post\">\n";
    if (page.kind == ShopperPageKind::unsubscribe)
      out += "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\n";
    out += "<button type=\"submit\">" + say(w.button) + "</button>\n</form>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace stockbell
