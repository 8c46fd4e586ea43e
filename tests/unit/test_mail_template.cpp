// core/mail_template: the shipped templates in four languages (golden files), the rules a
// store's template must follow (with line and column), rendering (escaping, missing values,
// one-line subjects) and the choice of template by locale.

#include <doctest/doctest.h>

#include <string>

#include "core/mail_template.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::problem_list;
using stockbell::test::repeat;

namespace {

MailValues full_values(const std::string& locale) {
  MailValues v;
  v.locale = locale;
  v.store_name = "Teehaus Kranich";
  v.product_title = "Grüner Tee – Sencha";
  v.variant_title = "100 g";
  v.first_name = "Anna";
  v.price = "12,99\u00a0€";
  v.image_url = "https://teehaus.example/img/sencha.jpg";
  v.product_url = "https://teehaus.example/products/sencha?variant=100g&utm_source=stockbell";
  v.unsubscribe_url = "https://stockbell.example/u/TOKEN?lang=" + locale;
  v.confirm_url = "https://stockbell.example/c/TOKEN?lang=" + locale;
  return v;
}

MailValues minimal_values(const std::string& locale) {
  MailValues v;
  v.locale = locale;
  v.store_name = "Teehaus Kranich";
  v.product_title = "Grüner Tee – Sencha";
  v.confirm_url = "https://stockbell.example/c/TOKEN";
  return v;
}

Result<MailTemplate> parse(MailKind kind, const MailTemplate& t) {
  Json body;
  body["subject"] = t.subject;
  body["text"] = t.text;
  body["html"] = t.html;
  return parse_mail_template(kind, dump(body));
}

MailTemplate with_html(std::string html) {
  return MailTemplate{"Back: {{productTitle}}", "{{{productTitle}}}", std::move(html)};
}

// "field:code@line:column" of each problem.
std::string located(const Result<MailTemplate>& r) {
  if (r.ok()) return "ok";
  std::string out;
  for (const FieldError& e : r.error().details) {
    if (!out.empty()) out += ", ";
    out += e.field + ":" + std::string(field_code_name(e.code));
    if (e.line) out += "@" + std::to_string(*e.line) + ":" + std::to_string(*e.column);
  }
  return out;
}

}  // namespace

TEST_CASE("the shipped templates: both kinds in en, de, fr, es, each valid") {
  CHECK(default_mail_locales() == std::vector<std::string>{"de", "en", "es", "fr"});
  for (MailKind kind : kMailKinds) {
    for (const std::string& locale : default_mail_locales()) {
      CAPTURE(mail_kind_name(kind));
      CAPTURE(locale);
      const MailTemplate* t = default_mail_template(kind, locale);
      REQUIRE(t != nullptr);
      CHECK(located(parse(kind, *t)) == "ok");
      CHECK(t->subject.find('\n') == std::string::npos);
      CHECK(t->html.find("<html lang=\"{{locale}}\"") != std::string::npos);
    }
  }
  CHECK(default_mail_template(MailKind::back_in_stock, "pt") == nullptr);
}

TEST_CASE("the shipped templates render as their golden files (full and minimal data)") {
  for (MailKind kind : kMailKinds) {
    for (const std::string& locale : default_mail_locales()) {
      for (const char* data : {"full", "minimal"}) {
        const MailValues values =
            std::string(data) == "full" ? full_values(locale) : minimal_values(locale);
        const RenderedMail mail = render_mail(*default_mail_template(kind, locale), values);
        const std::string base =
            "mail/" + std::string(mail_kind_name(kind)) + "." + locale + "." + data;
        stockbell::test::check_golden(base + ".subject.txt", mail.subject);
        stockbell::test::check_golden(base + ".text.txt", mail.text);
        stockbell::test::check_golden(base + ".html", mail.html);
      }
    }
  }
}

TEST_CASE("rendering: HTML escapes every value, text and subject never do") {
  MailValues v = full_values("en");
  v.product_title = "<script>alert(1)</script> \"Tee\" & Co's";
  v.first_name = "<b>Eve</b>";
  v.product_url = "https://shop.example/p?a=1&b=\"><script>alert(3)</script>";
  const RenderedMail mail = render_mail(*default_mail_template(MailKind::back_in_stock, "en"), v);
  CHECK(mail.html.find("<script>") == std::string::npos);
  CHECK(mail.html.find("&lt;script&gt;alert(1)&lt;/script&gt; &quot;Tee&quot; &amp; Co&apos;s") !=
        std::string::npos);
  CHECK(mail.html.find("&lt;b&gt;Eve&lt;/b&gt;") != std::string::npos);
  CHECK(mail.html.find("href=\"https://shop.example/p?a=1&amp;b=&quot;&gt;&lt;script&gt;") !=
        std::string::npos);
  CHECK(mail.subject == "Back in stock: <script>alert(1)</script> \"Tee\" & Co's");
  CHECK(mail.text.find("<script>alert(1)</script> \"Tee\" & Co's") != std::string::npos);
  CHECK(mail.text.find("&amp;") == std::string::npos);
  // A store's text part written with {{var}} is not HTML-escaped either.
  const MailTemplate own{"{{productTitle}}", "{{productTitle}} / {{{productTitle}}}", "<p>{{productTitle}}</p>"};
  const RenderedMail r = render_mail(own, v);
  CHECK(r.subject == v.product_title);
  CHECK(r.text == v.product_title + " / " + v.product_title);
}

TEST_CASE("rendering: a missing value, or an empty one, leaves its block out") {
  const MailTemplate* t = default_mail_template(MailKind::back_in_stock, "en");
  MailValues v = minimal_values("en");
  v.first_name = "";  // an empty string would be "true" to kainjow: "Hi ,"
  v.variant_title = "";
  const RenderedMail mail = render_mail(*t, v);
  CHECK(mail.text.rfind("Hello,\n", 0) == 0);
  CHECK(mail.text.find("Hi ,") == std::string::npos);
  CHECK(mail.text.find(" – \n") == std::string::npos);
  CHECK(mail.text.find("Price:") == std::string::npos);
  CHECK(mail.text.find("Unsubscribe") == std::string::npos);
  CHECK(mail.html.find("<img") == std::string::npos);
  CHECK(mail.html.find("href=\"\"") == std::string::npos);
  CHECK(mail.text.find("\n\n\n") == std::string::npos);  // no runs of blank lines
}

TEST_CASE("rendering: a subject is one line whatever the values hold") {
  MailValues v = full_values("en");
  v.product_title = "Tea\r\nBcc: evil@example.com\u0085x\u0007";
  const RenderedMail mail = render_mail(*default_mail_template(MailKind::back_in_stock, "en"), v);
  CHECK(mail.subject == "Back in stock: Tea  Bcc: evil@example.com x");
}

TEST_CASE("choosing a template: exact, language, store default, en; the store's own first") {
  const std::vector<StoreTemplate> none;
  auto chosen = [](std::string_view locale, std::string_view store_default,
                   const std::vector<StoreTemplate>& own) {
    const ChosenTemplate c = choose_template(MailKind::back_in_stock, locale, store_default, own);
    return c.locale + (c.custom ? "*" : "");
  };
  CHECK(chosen("de-CH", "en", none) == "de");
  CHECK(chosen("fr", "de", none) == "fr");
  CHECK(chosen("pt-BR", "es", none) == "es");
  CHECK(chosen("pt-BR", "pt", none) == "en");
  CHECK(chosen("", "de", none) == "de");
  CHECK(chosen("not a tag", "en", none) == "en");
  const MailTemplate own{"s", "t", "h"};
  const std::vector<StoreTemplate> store = {{MailKind::back_in_stock, "de-CH", own},
                                            {MailKind::back_in_stock, "pt", own},
                                            {MailKind::confirm_request, "it", own}};
  CHECK(chosen("de-CH", "en", store) == "de-CH*");
  CHECK(chosen("de-AT", "en", store) == "de");  // the shipped German: no custom de-AT or de
  CHECK(chosen("pt-BR", "en", store) == "pt*");
  CHECK(chosen("it", "en", store) == "en");  // the store's it is a confirm_request template
  const ChosenTemplate c = choose_template(MailKind::back_in_stock, "de-CH", "en", store);
  CHECK(c.parts == &store[0].parts);
}

TEST_CASE("a store's template: syntax errors name the part, line and column") {
  CHECK(located(parse(MailKind::back_in_stock, with_html("<p>\n  {{#price}}{{price}}\n</p>"))) ==
        "html:template_syntax@2:3");
  const Result<MailTemplate> r =
      parse(MailKind::back_in_stock, with_html("<p>\n  {{#price}}{{price}}\n</p>"));
  CHECK(r.error().details[0].message ==
        "Mustache syntax error at line 2, column 3: the section \"price\" is never closed.");
  CHECK(located(parse(MailKind::back_in_stock, with_html("ü{{price"))) ==
        "html:template_syntax@1:2");
  CHECK(located(parse(MailKind::back_in_stock, with_html("{{{price}}"))) ==
        "html:template_syntax@1:1");
  CHECK(located(parse(MailKind::back_in_stock, with_html("{{#a}}{{/b}}"))) ==
        "html:unknown_variable@1:1, html:template_syntax@1:7");
  CHECK(located(parse(MailKind::back_in_stock, with_html("x\n\n{{/price}}"))) ==
        "html:template_syntax@3:1");
  CHECK(located(parse(MailKind::back_in_stock, with_html("{{ }}"))) == "html:template_syntax@1:1");
  CHECK(located(parse(MailKind::back_in_stock, with_html("{{! a comment }}ok"))) == "ok");
  CHECK(located(parse(MailKind::back_in_stock, with_html("{{&price}} {{ price }}"))) == "ok");
}

TEST_CASE("a store's template: unknown variables are named, once each, in every part") {
  const Result<MailTemplate> r = parse(
      MailKind::back_in_stock,
      MailTemplate{"Hi {{name}}", "{{confirmUrl}} {{name}} {{name}}", "{{product.title}} {{.}}"});
  CHECK(located(r) ==
        "subject:unknown_variable@1:4, text:unknown_variable@1:1, text:unknown_variable@1:16, "
        "html:unknown_variable@1:1, html:unknown_variable@1:19");
  CHECK(r.error().details[0].message == "Unknown template variable \"name\".");
  // Each kind has its own link.
  CHECK(located(parse(MailKind::confirm_request,
                      MailTemplate{"s", "{{{unsubscribeUrl}}}", "{{confirmUrl}}"})) ==
        "text:unknown_variable@1:1");
  CHECK(located(parse(MailKind::confirm_request,
                      MailTemplate{"s", "{{{confirmUrl}}}", "{{confirmUrl}}"})) == "ok");
}

TEST_CASE("a store's template: no partials, delimiter changes, deep nesting or tag floods") {
  // Partials are the only way a Mustache template recurses: refused.
  CHECK(located(parse(MailKind::back_in_stock, with_html("{{>back_in_stock}}"))) ==
        "html:template_syntax@1:1");
  CHECK(located(parse(MailKind::back_in_stock, with_html("{{=<% %>=}}<% price %>"))) ==
        "html:template_syntax@1:1");
  std::string deep, deeper;
  for (size_t i = 0; i < kMaxTemplateDepth; ++i) deep = "{{#price}}" + deep + "{{/price}}";
  CHECK(located(parse(MailKind::back_in_stock, with_html(deep))) == "ok");
  deeper = "{{#price}}" + deep + "{{/price}}";
  CHECK(located(parse(MailKind::back_in_stock, with_html(deeper))) ==
        "html:template_syntax@1:101");
  CHECK(located(parse(MailKind::back_in_stock,
                      with_html(repeat("{{price}}", kMaxTemplateTags)))) == "ok");
  const Result<MailTemplate> flood =
      parse(MailKind::back_in_stock, with_html(repeat("{{price}}", kMaxTemplateTags + 1)));
  CHECK(located(flood) == "html:template_syntax@1:2701");
  CHECK(flood.error().details[0].message ==
        "Mustache syntax error at line 1, column 2701: more than 300 tags.");
}

TEST_CASE("a store's template: sizes, types, control characters, every problem at once") {
  CHECK(problem_list(parse(MailKind::back_in_stock,
                           MailTemplate{repeat("ü", kMaxTemplateSubjectChars + 1),
                                        repeat("t", kMaxTemplateTextChars + 1),
                                        repeat("h", kMaxTemplateHtmlChars + 1)})) ==
        "subject:too_long, text:too_long, html:too_long");
  CHECK(problem_list(parse(MailKind::back_in_stock,
                           MailTemplate{repeat("ü", kMaxTemplateSubjectChars),
                                        repeat("t", kMaxTemplateTextChars),
                                        repeat("h", kMaxTemplateHtmlChars)})) == "ok");
  CHECK(problem_list(parse(MailKind::back_in_stock, MailTemplate{"a\nb", "a\nb\r\n\tc", "x"})) ==
        "subject:control_character");
  CHECK(problem_list(parse(MailKind::back_in_stock, MailTemplate{"a", "b\u0007", "x"})) ==
        "text:control_character");
  CHECK(problem_list(parse_mail_template(MailKind::back_in_stock,
                                         R"({"subject":1,"text":" ","extra":true})")) ==
        "subject:invalid_type, text:empty, html:required, extra:unknown_field");
  CHECK(problem_list(parse_mail_template(MailKind::back_in_stock, "[]")) == ":invalid_type");
  CHECK(parse_mail_template(MailKind::back_in_stock, "{").error().code == ApiCode::invalid_json);
}

TEST_CASE("rendering is bounded: the largest valid template with the longest values") {
  // No lists, partials or lambdas: every tag renders at most once.
  MailValues v = full_values("en");
  v.product_title = repeat("<", 2000);  // 4 bytes escaped each
  const std::string html = repeat("{{productTitle}}", kMaxTemplateTags);
  const RenderedMail mail = render_mail(with_html(html), v);
  CHECK(mail.html.size() == kMaxTemplateTags * 2000 * 4);
}

TEST_CASE("parsed templates kept for rendering again: the same mail, bounded memory") {
  ParsedTemplates parsed;
  for (MailKind kind : kMailKinds) {
    for (const std::string& locale : default_mail_locales()) {
      const MailTemplate& t = *default_mail_template(kind, locale);
      for (const MailValues& v : {full_values(locale), minimal_values(locale), full_values(locale)}) {
        const RenderedMail kept = render_mail(t, v, &parsed);
        const RenderedMail once = render_mail(t, v);
        CHECK(kept.subject == once.subject);
        CHECK(kept.text == once.text);
        CHECK(kept.html == once.html);
      }
    }
  }
  // 8 templates of 3 parts each: 24 kept.
  CHECK(parsed.size() == 24);
  // A part that is the same text as HTML and as text: escaped as HTML only.
  MailValues v = full_values("en");
  v.product_title = "<b>";
  const RenderedMail same = render_mail(MailTemplate{"{{productTitle}}", "{{productTitle}}",
                                                     "{{productTitle}}"}, v, &parsed);
  CHECK(same.text == "<b>");
  CHECK(same.html == "&lt;b&gt;");
  // Templates beyond kMaxParsedTemplateChars in all: it starts over rather than grow.
  const std::string big = repeat("x", kMaxTemplateHtmlChars - 20);
  for (int i = 0; i < 30; ++i)
    render_mail(with_html(std::to_string(i) + big + "{{productTitle}}"), v, &parsed);
  CHECK(parsed.size() < 2 * kMaxParsedTemplateChars / kMaxTemplateHtmlChars);
  CHECK(render_mail(with_html("29" + big + "{{productTitle}}"), v, &parsed).html ==
        "29" + big + "&lt;b&gt;");
}

TEST_CASE("the mail setup a message keeps: JSON round trip") {
  MailSetup setup;
  setup.store_name = "Linen & Co";
  setup.from = Mailbox{"Linen & Co", "shop@linen.example"};
  setup.default_locale = "de";
  setup.templates.push_back(StoreTemplate{MailKind::confirm_request, "de-CH",
                                          MailTemplate{"s {{storeName}}", "t", "<p>h</p>"}});
  const std::string text = dump(mail_setup_json(setup));
  CHECK(text ==
        R"({"storeName":"Linen & Co","from":"Linen & Co <shop@linen.example>","replyTo":null,)"
        R"("defaultLocale":"de","templates":[{"name":"confirm_request","locale":"de-CH",)"
        R"("subject":"s {{storeName}}","text":"t","html":"<p>h</p>"}]})");
  const std::optional<MailSetup> back = mail_setup_from_json(text);
  REQUIRE(back);
  CHECK(*back == setup);
  CHECK_FALSE(mail_setup_from_json("{}"));
  CHECK_FALSE(mail_setup_from_json("not json"));
}
