// Shopper e-mail (README "E-mail") end to end: the real `stockbell` binary sending through a
// real SMTP server on loopback (tests/smtp/smtp_sink.py, aiosmtpd), which parses every message
// back with Python's email package. The mail's headers, parts, encoding, links and language;
// STARTTLS, smtps:// and a login;
// one-click unsubscribe and double opt-in through the links taken from received mail; retries
// of temporary failures, permanent failures, give-up; `kill -9` with queued mail while the SMTP
// server is down; mail suppressed or erased after a sender read it; settings that change after mail was queued; header injection; templates;
// the message list; the privacy routes; a silent SMTP server next to fast HTTP answers.

#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "hostile_support.hpp"
#include "http_checks.hpp"
#include "server/store/postgres/pg.hpp"
#include "server/store/sqlite/sqlite.hpp"
#include "smtp_sink.hpp"
#include "webhook_receiver.hpp"

using namespace stockbell::testing;
using namespace std::chrono_literals;

namespace {

// Runs `sql` on the test's database, whichever backend the suite runs on (time travel).
void exec_sql(const std::string& db, const std::string& sql) {
  if (testing_postgres()) {
    stockbell::server::pg::Database pg(database_location(db), 10000);
    pg.exec(sql);
  } else {
    stockbell::server::Database sqlite(db, stockbell::server::Database::Mode::read_write_create);
    sqlite.exec(sql.c_str());
  }
}

const char* kPublicUrl = "https://stockbell.shop.test";

/// `serve` flags for a server that mails through `smtp_url`, retrying quickly.
std::vector<std::string> mail_flags(const std::string& smtp_url,
                                    std::vector<std::string> more = {}) {
  std::vector<std::string> flags = {"--smtp-url",           smtp_url,
                                    "--public-url",         kPublicUrl,
                                    "--mail-retry-first-ms", "100",
                                    "--mail-retry-max-ms",  "200",
                                    "--rate-ip-per-minute", "0",
                                    "--rate-email-per-hour", "0"};
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

HttpResponse patch_settings(const Api& api, const json& body) {
  return api.send("PATCH", "/api/v1/settings", body.dump(), {}, "application/json");
}

HttpResponse put_json(const Api& api, const std::string& target, const json& body) {
  return api.send("PUT", target, body.dump(), {}, "application/json");
}

/// A tea in two sizes, both sold out; `url` and `image` for the mail.
void seed_tea(const Api& api, bool in_stock = false) {
  REQUIRE_STATUS(
      api.upsert(json::array({{{"productId", "TEA"},
                               {"title", "Grüner Tee – Sencha"},
                               {"url", "https://teehaus.example/products/sencha?size=100&ref=mail"},
                               {"imageUrl", "https://teehaus.example/img/sencha.jpg"},
                               {"currency", "EUR"},
                               {"variants",
                                {{{"variantId", "TEA-100"}, {"title", "100 g"}, {"priceCents", 1299},
                                  {"inStock", in_stock}},
                                 {{"variantId", "TEA-250"}, {"title", "250 g"}, {"priceCents", 2799},
                                  {"inStock", in_stock}}}}}})),
      200);
}

HttpResponse restock(const Api& api, const std::string& variant = "TEA-100") {
  const HttpResponse r = api.upsert(json::array(
      {{{"productId", "TEA"},
        {"title", "Grüner Tee – Sencha"},
        {"variants",
         {{{"variantId", "TEA-100"}, {"title", "100 g"}, {"inStock", variant == "TEA-100"}},
          {{"variantId", "TEA-250"}, {"title", "250 g"}, {"inStock", variant == "TEA-250"}}}}}}));
  REQUIRE_STATUS(r, 200);
  return r;
}

json request_for(const std::string& email, const std::string& variant = "TEA-100",
                 const std::optional<std::string>& locale = std::nullopt,
                 const std::optional<std::string>& first_name = std::nullopt) {
  json body = request_body("TEA", variant, email);
  if (locale) body["locale"] = *locale;
  if (first_name) body["customer"]["firstName"] = *first_name;
  return body;
}

json messages(const Api& api, const std::string& query_string = {}) {
  const HttpResponse r = api.get("/api/v1/messages" + query_string);
  REQUIRE_STATUS(r, 200);
  return r.json()["messages"];
}

json message_to(const Api& api, const std::string& email) {
  const json list = messages(api, query({{"email", email}}));
  REQUIRE(list.size() == 1);
  return list[0];
}

json requests_of(const Api& api, const std::string& email) {
  const HttpResponse r = api.get("/api/v1/back-in-stock" + query({{"email", email}}));
  REQUIRE_STATUS(r, 200);
  return r.json()["requests"];
}

/// The received mails to one address.
std::vector<ReceivedMail> mails_to(const SmtpSink& sink, const std::string& email) {
  std::vector<ReceivedMail> out;
  for (ReceivedMail& m : sink.mails())
    if (m.to() == email) out.push_back(std::move(m));
  return out;
}

ReceivedMail the_mail_to(const SmtpSink& sink, const std::string& email) {
  REQUIRE(eventually([&] { return !mails_to(sink, email).empty(); }, 20s));
  const std::vector<ReceivedMail> mails = mails_to(sink, email);
  REQUIRE(mails.size() == 1);
  return mails[0];
}

/// Waits until the message to `email` has `status`.
json wait_message(const Api& api, const std::string& email, const std::string& status) {
  json found;
  const bool reached = eventually([&] {
    const json list = messages(api, query({{"email", email}}));
    if (list.size() != 1) return false;
    found = list[0];
    return found["status"] == status;
  }, 20s);
  INFO("message: " << found.dump());
  REQUIRE(reached);
  return found;
}

/// Links in a mail's text part, in order.
std::vector<std::string> links_in(const std::string& text) {
  std::vector<std::string> out;
  const std::regex link(R"((https?://[^\s<>"]+))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), link); it != std::sregex_iterator();
       ++it)
    out.push_back((*it)[1]);
  return out;
}

std::string link_starting(const std::string& text, const std::string& prefix) {
  for (const std::string& l : links_in(text))
    if (l.rfind(prefix, 0) == 0) return l;
  return "";
}

/// POST as a mail client does for RFC 8058's one-click unsubscribe.
HttpResponse one_click(const Api& anonymous, const std::string& target) {
  return anonymous.post_raw(target, "List-Unsubscribe=One-Click",
                            "application/x-www-form-urlencoded");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the back-in-stock mail arrives: headers, parts, encoding, links and language") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url()));
  const Api api = s.api();
  REQUIRE_STATUS(patch_settings(api, {{"storeName", "Teehaus Kranich"},
                                      {"email",
                                       {{"from", "Teehaus Kranich <shop@teehaus.example>"},
                                        {"replyTo", "hilfe@teehaus.example"},
                                        {"defaultLocale", "fr"}}}}),
                 200);
  seed_tea(api);
  REQUIRE_STATUS(api.register_request(request_for("anna@example.com", "TEA-100", "de-AT", "Anna")), 200);
  REQUIRE_STATUS(api.register_request(request_for("bob@example.com", "TEA-100", "en")), 200);
  REQUIRE_STATUS(api.register_request(request_for("pedro@example.com", "TEA-100", "pt-BR")), 200);
  REQUIRE_STATUS(api.register_request(request_for("nobody@example.com", "TEA-250", "de")), 200);
  CHECK(messages(api).empty());  // nothing before the restock
  CHECK(restock(api).json()["backInStockEventsTriggered"] == 3);
  REQUIRE(sink.wait_for_count(3));

  // German (de-AT → the shipped de), greeting by first name, the price as Germans write it.
  const ReceivedMail de = the_mail_to(sink, "anna@example.com");
  INFO(de.raw);
  CHECK(de.subject() == "Wieder verfügbar: Grüner Tee – Sencha");
  CHECK(de.raw_header("Subject").rfind("=?UTF-8?B?", 0) == 0);  // RFC 2047 on the wire
  CHECK(de.header("From") == "Teehaus Kranich <shop@teehaus.example>");
  CHECK(de.header("Reply-To") == "hilfe@teehaus.example");
  CHECK(de.header("To") == "anna@example.com");
  CHECK(de.data["mailFrom"] == "shop@teehaus.example");
  CHECK(de.data["contentType"] == "multipart/alternative");
  REQUIRE(de.data["parts"].size() == 2);
  CHECK(de.data["parts"][0] == json{{"type", "text/plain"}, {"charset", "utf-8"},
                                    {"transferEncoding", "quoted-printable"},
                                    {"defects", json::array()}});
  CHECK(de.data["parts"][1]["type"] == "text/html");
  CHECK(de.data["parts"][1]["charset"] == "utf-8");
  CHECK(de.data["defects"].empty());
  CHECK(de.data["allLinesEndInCrlf"] == true);
  CHECK(de.header("MIME-Version") == "1.0");
  CHECK(de.header("Auto-Submitted") == "auto-generated");
  CHECK(matches(de.header("Date"), R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000)"));
  // The Message-ID is the message's id at the public host.
  const json de_message = wait_message(api, "anna@example.com", "sent");
  CHECK(de.header("Message-ID") ==
        "<" + de_message["id"].get<std::string>() + "@stockbell.shop.test>");
  CHECK(de_message["attempts"] == 1);
  CHECK(de_message["locale"] == "de-AT");
  CHECK(de_message["template"] == "back_in_stock");
  CHECK(matches(de_message["sentAt"], kTimestamp));
  // One-click unsubscribe (RFC 8058), on the public URL.
  CHECK(de.unsubscribe_url().rfind(std::string(kPublicUrl) + "/u/", 0) == 0);
  CHECK(contains(de.unsubscribe_url(), "?lang=de"));
  CHECK(de.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click");
  // The text part.
  const std::string text = de.text();
  CHECK(text.rfind("Hallo Anna,\n", 0) == 0);
  CHECK(contains(text, "Grüner Tee – Sencha – 100 g\nPreis: 12,99\u00a0€\n"));
  CHECK(contains(text, "\nhttps://teehaus.example/products/sencha?size=100&ref=mail\n"));
  CHECK(link_starting(text, std::string(kPublicUrl) + "/u/") == de.unsubscribe_url());
  // The HTML part: the language, the image with its alt text, the price, the escaped link.
  const std::string html = de.html();
  CHECK(contains(html, "<html lang=\"de\" dir=\"ltr\">"));
  CHECK(contains(html, "<img src=\"https://teehaus.example/img/sencha.jpg\" alt=\"Grüner Tee – Sencha\""));
  CHECK(contains(html, ">12,99\u00a0€</p>"));
  CHECK(contains(html, "href=\"https://teehaus.example/products/sencha?size=100&amp;ref=mail\""));
  CHECK(!contains(html, "<script"));

  // English, without a first name; the price as the English write it.
  const ReceivedMail en = the_mail_to(sink, "bob@example.com");
  CHECK(en.subject() == "Back in stock: Grüner Tee – Sencha");
  CHECK(en.text().rfind("Hello,\n", 0) == 0);
  CHECK(contains(en.text(), "Price: €12.99\n"));
  CHECK(contains(en.html(), "<html lang=\"en\""));
  CHECK(contains(en.unsubscribe_url(), "?lang=en"));
  // pt-BR: no Portuguese template: the store's default language, French.
  const ReceivedMail fr = the_mail_to(sink, "pedro@example.com");
  CHECK(contains(fr.html(), "<html lang=\"fr\""));
  CHECK(contains(fr.text(), "12,99\u00a0€"));
  // Each message its own id; the waiting 250 g shopper got nothing.
  CHECK(de.header("Message-ID") != en.header("Message-ID"));
  CHECK(mails_to(sink, "nobody@example.com").empty());
  CHECK(sink.count() == 3);
}

TEST_CASE("TLS and a login: STARTTLS, smtps://, the certificate verified, no password in clear") {
  TempDir dir;
  const std::string cert = dir.file("cert.pem"), key = dir.file("key.pem");
  const std::string password = dir.file("password");
  std::ofstream(password) << "s3cret\n";
  const std::vector<std::string> tls_login = {"--cert", cert, "--key", key, "--auth", "shop:s3cret"};
  auto with = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  const std::vector<std::string> login = {"--smtp-user", "shop", "--smtp-password-file", password,
                                          "--smtp-ca-file", cert};
  // Mail to one shopper through `smtp_url`; the message as listed once it left the queue or
  // tried at least twice.
  auto mail_one = [&](const std::string& smtp_url, const std::vector<std::string>& flags,
                      const std::string& email) {
    TestServer s(mail_flags(smtp_url, flags));
    const Api api = s.api();
    seed_tea(api);
    REQUIRE_STATUS(api.register_request(request_for(email)), 200);
    restock(api);
    json m;
    REQUIRE(eventually([&] {
      m = message_to(api, email);
      return m["status"] != "queued" || m["attempts"].get<int>() >= 2;
    }, 20s));
    return m;
  };

  {  // STARTTLS (the server refuses mail without it), then the login.
    SmtpSink sink(dir.file("starttls"), 0, with({"--tls", "starttls"}, tls_login));
    CHECK(mail_one(sink.url(), login, "anna@example.com")["status"] == "sent");
    const ReceivedMail mail = the_mail_to(sink, "anna@example.com");
    CHECK(mail.data["tls"] == true);
    CHECK(mail.data["authUser"] == "shop");
    CHECK(mail.subject() == "Back in stock: Grüner Tee – Sencha");

    // Without the authority that signed the server's certificate: not sent, never in clear.
    const json untrusted = mail_one(sink.url(), {"--smtp-user", "shop", "--smtp-password-file", password},
                                    "bob@example.com");
    CHECK(untrusted["status"] == "queued");
    INFO(untrusted.dump());
    CHECK(contains(untrusted["lastError"].get<std::string>(), "certificate"));
    // A wrong password: refused (a temporary failure: the operator's to fix), nothing sent.
    std::ofstream(dir.file("wrong")) << "guess\n";
    const json refused = mail_one(sink.url(), {"--smtp-user", "shop", "--smtp-password-file",
                                               dir.file("wrong"), "--smtp-ca-file", cert},
                                  "carol@example.com");
    CHECK(refused["status"] == "queued");
    CHECK(refused["lastError"].get<std::string>().rfind("535", 0) == 0);
    CHECK(sink.count() == 1);
  }
  {  // smtps://: TLS from the first byte.
    SmtpSink sink(dir.file("smtps"), 0, with({"--tls", "implicit"}, tls_login));
    const std::string url = "smtps://127.0.0.1:" + std::to_string(sink.port());
    CHECK(mail_one(url, login, "dora@example.com")["status"] == "sent");
    const ReceivedMail mail = the_mail_to(sink, "dora@example.com");
    CHECK(mail.data["tls"] == true);
    CHECK(mail.data["authUser"] == "shop");
  }
  {  // A server that offers no STARTTLS gets no password: with a login, TLS is required.
    SmtpSink plain(dir.file("plain"));
    const json m = mail_one(plain.url(), login, "eve@example.com");
    CHECK(m["status"] == "queued");
    INFO(m.dump());
    CHECK(contains(m["lastError"].get<std::string>(), "STARTTLS"));
    CHECK(plain.count() == 0);
    // Without a login, mail to such a server goes in clear, as before.
    CHECK(mail_one(plain.url(), {}, "fred@example.com")["status"] == "sent");
    CHECK(the_mail_to(plain, "fred@example.com").data["tls"] == false);
  }
}

TEST_CASE("a stock-only update (POST /api/v1/inventory) mails the waiting shoppers like an upsert") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url()));
  const Api api = s.api();
  seed_tea(api);
  REQUIRE_STATUS(api.register_request(request_for("anna@example.com", "TEA-250", "de", "Anna")), 200);
  const HttpResponse r = api.post(
      "/api/v1/inventory",
      {{"items", json::array({{{"productId", "TEA"}, {"variantId", "TEA-250"}, {"inventoryQuantity", 3}}})}});
  REQUIRE_STATUS(r, 200);
  CHECK(r.json()["backInStockEventsTriggered"] == 1);
  const ReceivedMail mail = the_mail_to(sink, "anna@example.com");
  CHECK(mail.subject() == "Wieder verfügbar: Grüner Tee – Sencha");
  CHECK(contains(mail.text(), "Grüner Tee – Sencha – 250 g\nPreis: 27,99\u00a0€\n"));
  wait_message(api, "anna@example.com", "sent");
}

TEST_CASE("one-click unsubscribe through the URL from the received mail") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url()));
  const Api api = s.api();
  const Api anonymous = s.api("");
  seed_tea(api);
  REQUIRE_STATUS(api.register_request(request_for("anna@example.com", "TEA-100")), 200);
  REQUIRE_STATUS(api.register_request(request_for("anna@example.com", "TEA-250")), 200);
  REQUIRE_STATUS(api.register_request(request_for("bob@example.com", "TEA-250")), 200);
  restock(api, "TEA-100");
  const ReceivedMail mail = the_mail_to(sink, "anna@example.com");
  const std::string target = target_of(mail.unsubscribe_url());
  REQUIRE(target.rfind("/u/", 0) == 0);

  // GET (a mail scanner following the link) shows a page and changes nothing.
  const HttpResponse page = anonymous.get(target);
  CHECK(page.status == 200);
  CHECK(page.media_type() == "text/html");
  CHECK(contains(page.body, "<form method=\"post\">"));
  CHECK(contains(page.body, "anna@example.com"));
  CHECK(!contains(page.body, "<script"));
  CHECK(page.header("Content-Security-Policy") ==
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'");
  CHECK(page.header("X-Frame-Options") == "DENY");
  CHECK(page.header("X-Content-Type-Options") == "nosniff");
  CHECK(page.header("Referrer-Policy") == "no-referrer");
  CHECK(page.header("Cache-Control") == "no-store");
  json anna = requests_of(api, "anna@example.com");
  REQUIRE(anna.size() == 2);
  CHECK(anna[0]["status"] == "waiting");  // TEA-250, newest first

  // The mail client's one-click POST: every open request of the address in the store ends.
  const HttpResponse done = one_click(anonymous, target);
  CHECK(done.status == 200);
  CHECK(done.media_type() == "text/html");
  CHECK(contains(done.body, "You&#39;re unsubscribed"));
  CHECK(!contains(done.body, "<form"));
  anna = requests_of(api, "anna@example.com");
  CHECK(anna[0]["status"] == "cancelled");
  CHECK(anna[1]["status"] == "notified");
  CHECK(requests_of(api, "bob@example.com")[0]["status"] == "waiting");
  // Again: the same page, nothing more to do.
  CHECK(one_click(anonymous, target).status == 200);

  // The next restock mails Bob only.
  restock(api, "TEA-250");
  REQUIRE(sink.wait_for_count(2));
  std::this_thread::sleep_for(500ms);
  CHECK(mails_to(sink, "anna@example.com").size() == 1);
  CHECK(mails_to(sink, "bob@example.com").size() == 1);

  // A new request from the address needs confirmation, though the store does not ask for it.
  const HttpResponse again = api.register_request(request_for("anna@example.com", "TEA-250"));
  REQUIRE_STATUS(again, 200);
  CHECK(again.json()["status"] == "pending");
  REQUIRE(sink.wait_for_count(3));
  const std::vector<ReceivedMail> to_anna = mails_to(sink, "anna@example.com");
  REQUIRE(to_anna.size() == 2);
  CHECK(to_anna[1].subject() == "Please confirm your back-in-stock alert");
  CHECK(to_anna[1].header("List-Unsubscribe").empty());
  const json listed = messages(api, query({{"email", "anna@example.com"}}));
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["template"] == "confirm_request");
  CHECK(listed[1]["template"] == "back_in_stock");
}

TEST_CASE("a forged or altered link is refused and changes nothing") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url()));
  const Api api = s.api();
  const Api anonymous = s.api("");
  seed_tea(api);
  REQUIRE_STATUS(api.register_request(request_for("anna@example.com", "TEA-100")), 200);
  REQUIRE_STATUS(api.register_request(request_for("anna@example.com", "TEA-250")), 200);
  restock(api, "TEA-100");
  const std::string target = target_of(the_mail_to(sink, "anna@example.com").unsubscribe_url());
  const std::string token = target.substr(3, target.find('?') - 3);
  REQUIRE(token.size() == 51);
  auto flip = [](std::string t, size_t at) {
    t[at] = t[at] == 'A' ? 'B' : 'A';
    return t;
  };
  // Another store's shopper, whose token is genuine, but for another store and address.
  const Api other = s.api(s.create_key("other", "secret"));
  seed_tea(other);
  REQUIRE_STATUS(other.register_request(request_for("eve@example.com", "TEA-100")), 200);
  restock(other, "TEA-100");
  const std::string eve = target_of(the_mail_to(sink, "eve@example.com").unsubscribe_url());
  const std::string eve_token = eve.substr(3, eve.find('?') - 3);
  const std::vector<std::string> forged = {
      "/u/" + flip(token, 0),                      // the version
      "/u/" + flip(token, 5),                      // the store
      "/u/" + flip(token, 20),                     // the subscriber
      "/u/" + flip(token, 40),                     // the MAC
      "/u/" + token.substr(0, 50),                 // one character short
      "/u/" + token + "A",                         // one long
      "/u/" + token.substr(0, 30) + eve_token.substr(30),  // Anna's claims, Eve's MAC
      "/c/" + token,                               // an unsubscribe token as a confirm link
      "/u/" + std::string(51, 'A'),
      "/u/%00",
      "/u/" + std::string(5000, 'x'),
  };
  const json before = requests_of(api, "anna@example.com");
  for (const std::string& t : forged) {
    INFO(t.substr(0, 80));
    for (const std::string method : {"GET", "POST"}) {
      const HttpResponse r = method == "GET" ? anonymous.get(t) : one_click(anonymous, t);
      CHECK(r.status >= 400);
      CHECK(r.status < 500);
      if (r.status == 404 && r.media_type() == "text/html")
        CHECK(contains(r.body, "This link is invalid or has expired."));
    }
  }
  CHECK(requests_of(api, "anna@example.com") == before);
  CHECK(requests_of(api, "anna@example.com")[0]["status"] == "waiting");
  CHECK(requests_of(other, "eve@example.com")[0]["status"] == "notified");
  // Eve's own link works for Eve only: Anna's requests stay.
  CHECK(one_click(anonymous, eve).status == 200);
  CHECK(requests_of(api, "anna@example.com") == before);
}

TEST_CASE("double opt-in through the link from the received mail; the consent record") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url()));
  const Api api = s.api();
  const Api anonymous = s.api("");
  const std::string origin = "https://teehaus.example";
  const Api pk = s.api(s.create_key("shop", "publishable", {origin}));
  REQUIRE_STATUS(patch_settings(api, {{"email", {{"doubleOptIn", true}}}}), 200);
  seed_tea(api);
  // TEA-100 is in stock already (registered anyway, e.g. from a stale page); TEA-250 is not.
  REQUIRE_STATUS(api.upsert(json::array({{{"productId", "TEA"}, {"title", "Grüner Tee – Sencha"},
      {"variants", {{{"variantId", "TEA-100"}, {"title", "100 g"}, {"priceCents", 1299}, {"inStock", true}},
                    {{"variantId", "TEA-250"}, {"title", "250 g"}, {"inStock", false}}}}}})), 200);
  const httplib::Headers browser = {{"Origin", origin},
                                    {"User-Agent", "  Mozilla/5.0 (X11; Linux x86_64)\t"}};
  json body = request_for("Marie@Example.com", "TEA-250", "fr", "Marie");
  body["consentText"] = "J’accepte de recevoir un e-mail.";
  const HttpResponse first = pk.register_request(body, browser);
  REQUIRE_STATUS(first, 200);
  CHECK(first.json()["status"] == "pending");
  const HttpResponse second = pk.register_request(request_for("marie@example.com", "TEA-100", "fr"), browser);
  CHECK(second.json()["status"] == "pending");
  // A repeat of a pending request is the same request, still pending: no second one.
  CHECK(pk.register_request(body, browser).json()["requestId"] == first.json()["requestId"]);

  // The consent record, as the store lists it.
  json listed = requests_of(api, "marie@example.com");
  REQUIRE(listed.size() == 2);
  const json consent = listed[1]["consent"];
  CHECK(listed[1]["status"] == "pending");
  CHECK(listed[1]["locale"] == "fr");
  CHECK(consent["source"] == "widget");
  CHECK(consent["clientAddress"] == "127.0.0.1");
  CHECK(consent["userAgent"] == "Mozilla/5.0 (X11; Linux x86_64)");
  CHECK(consent["text"] == "J’accepte de recevoir un e-mail.");
  CHECK(consent["at"] == listed[1]["createdAt"]);
  CHECK(consent["confirmedAt"].is_null());
  CHECK(api.get("/api/v1/back-in-stock?status=pending").json()["pagination"]["total"] == 2);

  // One confirmation mail per new pending request, in French, nothing else.
  REQUIRE(sink.wait_for_count(2));
  std::this_thread::sleep_for(300ms);
  const std::vector<ReceivedMail> confirms = mails_to(sink, "marie@example.com");
  REQUIRE(confirms.size() == 2);
  CHECK(confirms[0].subject() == "Merci de confirmer votre alerte retour en stock");
  CHECK(contains(confirms[0].text(), "Bonjour Marie,"));
  const std::string link = link_starting(confirms[0].text(), std::string(kPublicUrl) + "/c/");
  REQUIRE(!link.empty());
  CHECK(contains(confirms[0].html(), "href=\"" + link + "\""));

  // GET shows the page and changes nothing.
  const HttpResponse page = anonymous.get(target_of(link));
  CHECK(page.status == 200);
  CHECK(contains(page.body, "<html lang=\"fr\">"));
  CHECK(contains(page.body, "Grüner Tee – Sencha – 250 g"));
  CHECK(requests_of(api, "marie@example.com")[1]["status"] == "pending");
  CHECK(sink.count() == 2);

  // POST confirms: both requests wait, and the one in stock is notified at once.
  const HttpResponse confirmed = anonymous.post_raw(target_of(link), "", "application/x-www-form-urlencoded");
  CHECK(confirmed.status == 200);
  listed = requests_of(api, "marie@example.com");
  CHECK(listed[0]["status"] == "notified");  // TEA-100
  CHECK(listed[1]["status"] == "waiting");   // TEA-250
  CHECK(matches(listed[1]["consent"]["confirmedAt"], kTimestamp));
  const ReceivedMail back = [&] {
    REQUIRE(sink.wait_for_count(3));
    return sink.mails()[2];
  }();
  CHECK(back.subject() == "De retour en stock\u00a0: Grüner Tee – Sencha");
  // The second link confirms nothing new: the page says so, nothing is sent twice.
  const std::string link2 = link_starting(confirms[1].text(), std::string(kPublicUrl) + "/c/");
  CHECK(anonymous.post_raw(target_of(link2), "", "application/x-www-form-urlencoded").status == 200);
  CHECK(anonymous.get(target_of(link2)).status == 200);
  // A confirmed address registers straight into waiting.
  REQUIRE_STATUS(api.register_request(request_for("marie@example.com", "TEA-250-X")), 200);
  CHECK(requests_of(api, "marie@example.com")[0]["status"] == "waiting");
  restock(api, "TEA-250");
  REQUIRE(sink.wait_for_count(4));
  std::this_thread::sleep_for(300ms);
  CHECK(sink.count() == 4);
  CHECK(sink.mails()[3].subject() == "De retour en stock\u00a0: Grüner Tee – Sencha");
}

TEST_CASE("pending requests expire after 7 days, and so does their link") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url()));
  REQUIRE_STATUS(patch_settings(s.api(), {{"email", {{"doubleOptIn", true}}}}), 200);
  seed_tea(s.api());
  REQUIRE_STATUS(s.api().register_request(request_for("late@example.com")), 200);
  REQUIRE_STATUS(s.api().register_request(request_for("fresh@example.com")), 200);
  const std::string link =
      link_starting(the_mail_to(sink, "late@example.com").text(), std::string(kPublicUrl) + "/c/");
  REQUIRE(s.server.stop() == 0);
  // Eight days pass for one of them.
  exec_sql(s.db,
           "UPDATE requests SET created_at = created_at - 8 * 86400000 WHERE subscriber_id ="
           " (SELECT id FROM subscribers WHERE email = 'late@example.com')");
  s.server.start();  // the sweep runs at start
  const Api api = s.api();
  CHECK(eventually([&] { return requests_of(api, "late@example.com")[0]["status"] == "expired"; }));
  CHECK(requests_of(api, "fresh@example.com")[0]["status"] == "pending");
  // Nothing left to confirm: the link says it is invalid or expired, nothing changes.
  const HttpResponse r = s.api("").post_raw(target_of(link), "", "application/x-www-form-urlencoded");
  CHECK(r.status == 404);
  CHECK(contains(r.body, "invalid or has expired"));
  CHECK(requests_of(api, "late@example.com")[0]["status"] == "expired");
}

TEST_CASE("a temporary failure (451) is retried and then delivered once") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url()));
  const Api api = s.api();
  seed_tea(api);
  REQUIRE_STATUS(api.register_request(request_for("anna+defer2@example.com")), 200);
  restock(api);
  const json sent = wait_message(api, "anna+defer2@example.com", "sent");
  CHECK(sent["attempts"] == 3);
  CHECK(sent["lastError"].is_null());
  std::this_thread::sleep_for(500ms);
  CHECK(mails_to(sink, "anna+defer2@example.com").size() == 1);
  // /metrics counts the attempts by outcome (README "Operations").
  const std::string metrics = s.api("").get("/metrics").body;
  INFO(metrics);
  CHECK(metrics.find("stockbell_mail_attempts_total{outcome=\"retry\"} 2\n") != std::string::npos);
  CHECK(metrics.find("stockbell_mail_attempts_total{outcome=\"delivered\"} 1\n") != std::string::npos);
  CHECK(metrics.find("stockbell_mail_attempts_total{outcome=\"failed\"} 0\n") != std::string::npos);
  CHECK(metrics.find("stockbell_outbox_depth{outbox=\"mail\"} 0\n") != std::string::npos);
}

TEST_CASE("a permanent failure (550) fails the message with the server's reply, never retried") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url()));
  const Api api = s.api();
  seed_tea(api);
  REQUIRE_STATUS(api.register_request(request_for("gone+reject@example.com")), 200);
  REQUIRE_STATUS(api.register_request(request_for("fine@example.com")), 200);
  restock(api);
  const json failed = wait_message(api, "gone+reject@example.com", "failed");
  CHECK(failed["attempts"] == 1);
  CHECK(failed["lastError"].get<std::string>().rfind(
            "550 5.1.1 <gone+reject@example.com>: Recipient address rejected", 0) == 0);
  CHECK(failed["nextAttemptAt"].is_null());
  wait_message(api, "fine@example.com", "sent");
  std::this_thread::sleep_for(800ms);  // several retry intervals
  CHECK(message_to(api, "gone+reject@example.com")["attempts"] == 1);
  CHECK(mails_to(sink, "gone+reject@example.com").empty());
  CHECK(messages(api, "?status=failed").size() == 1);
}

TEST_CASE("temporary failures until the give-up time fail the message") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url(), {"--mail-give-up-ms", "700"}));
  const Api api = s.api();
  seed_tea(api);
  REQUIRE_STATUS(api.register_request(request_for("full+defer@example.com")), 200);
  restock(api);
  const json failed = wait_message(api, "full+defer@example.com", "failed");
  CHECK(failed["attempts"].get<int>() >= 2);
  CHECK(failed["lastError"].get<std::string>().rfind("451 4.3.0", 0) == 0);
  CHECK(mails_to(sink, "full+defer@example.com").empty());
}

TEST_CASE("kill -9 with 20 queued messages while SMTP is down: each delivered exactly once after restart") {
  TempDir mail_dir;
  ReservedPort down;  // refuses connections: the SMTP server is down
  TestServer s(mail_flags(down.smtp_url()));
  const Api api = s.api();
  seed_tea(api);
  std::vector<std::string> shoppers;
  for (int i = 0; i < 20; ++i) {
    shoppers.push_back("shopper" + std::to_string(i) + "@example.com");
    REQUIRE_STATUS(api.register_request(request_for(shoppers.back())), 200);
  }
  CHECK(restock(api).json()["backInStockEventsTriggered"] == 20);
  // Every message was tried and failed to connect: queued, with the error.
  REQUIRE(eventually([&] {
    const json list = messages(api, "?status=queued&limit=100");
    if (list.size() != 20) return false;
    for (const json& m : list)
      if (m["attempts"] == 0) return false;
    return true;
  }));
  const json one = messages(api, "?limit=1")[0];
  CHECK(contains(one["lastError"].get<std::string>(), "onnect"));
  CHECK(s.server.kill() == 137);

  down.release();
  SmtpSink sink(mail_dir.file("mail"), down.port());  // the SMTP server is back
  s.server.start();
  const Api after = s.api();
  REQUIRE(sink.wait_for_count(20));
  REQUIRE(eventually([&] { return messages(after, "?status=sent&limit=100").size() == 20; }));
  std::this_thread::sleep_for(1s);  // nothing more arrives
  const std::vector<ReceivedMail> mails = sink.mails();
  CHECK(mails.size() == 20);
  std::set<std::string> ids, recipients;
  for (const ReceivedMail& m : mails) {
    ids.insert(m.header("Message-ID"));
    recipients.insert(m.to());
  }
  CHECK(ids.size() == 20);
  CHECK(recipients == std::set<std::string>(shoppers.begin(), shoppers.end()));
}

TEST_CASE("a message suppressed or erased after the sender read it is not sent") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url(), {"--smtp-connections", "1"}));
  const Api api = s.api();
  seed_tea(api);
  REQUIRE_STATUS(api.register_request(request_for("anna@example.com", "TEA-100")), 200);
  restock(api, "TEA-100");
  const std::string unsubscribe = target_of(the_mail_to(sink, "anna@example.com").unsubscribe_url());
  // One sender: the slow shopper's mail holds it for 2 s while the others wait behind it,
  // already read, in its batch.
  for (const char* email : {"slow+slow@example.com", "anna@example.com", "bob@example.com",
                            "carol@example.com"})
    REQUIRE_STATUS(api.register_request(request_for(email, "TEA-250")), 200);
  const std::string bob = requests_of(api, "bob@example.com")[0]["subscriberId"];
  CHECK(restock(api, "TEA-250").json()["backInStockEventsTriggered"] == 4);
  std::this_thread::sleep_for(300ms);
  REQUIRE(sink.count() == 1);
  REQUIRE_STATUS(one_click(s.api(""), unsubscribe), 200);  // Anna unsubscribes
  REQUIRE_STATUS(api.del("/api/v1/subscribers/" + bob), 200);  // the store erases Bob
  REQUIRE(sink.wait_for_count(3));  // the slow one and Carol
  std::this_thread::sleep_for(500ms);
  CHECK(sink.count() == 3);
  CHECK(mails_to(sink, "slow+slow@example.com").size() == 1);
  CHECK(mails_to(sink, "carol@example.com").size() == 1);
  CHECK(mails_to(sink, "anna@example.com").size() == 1);  // the first one only
  CHECK(mails_to(sink, "bob@example.com").empty());
  const json anna = messages(api, query({{"email", "anna@example.com"}}));
  REQUIRE(anna.size() == 2);
  CHECK(anna[0]["status"] == "suppressed");
  CHECK(anna[0]["attempts"] == 0);
  CHECK(anna[1]["status"] == "sent");
  CHECK(messages(api, query({{"email", "bob@example.com"}})).empty());
}

TEST_CASE("changing settings or templates never changes mail already queued") {
  TempDir mail_dir;
  ReservedPort down;
  TestServer s(mail_flags(down.smtp_url()));
  const Api api = s.api();
  REQUIRE_STATUS(patch_settings(api, {{"storeName", "Old Name"},
                                      {"email", {{"from", "Old <old@shop.example>"}}}}),
                 200);
  seed_tea(api);
  REQUIRE_STATUS(api.register_request(request_for("queued@example.com")), 200);
  restock(api);
  REQUIRE(eventually([&] { return messages(api).size() == 1; }));
  // Everything about the mail changes after it was queued.
  REQUIRE_STATUS(patch_settings(api, {{"storeName", "New Name"},
                                      {"email", {{"from", "New <new@shop.example>"}}}}),
                 200);
  REQUIRE_STATUS(put_json(api, "/api/v1/templates/back_in_stock/en",
                          {{"subject", "NEW {{productTitle}}"},
                           {"text", "new {{{productTitle}}}"},
                           {"html", "<p>new {{productTitle}}</p>"}}),
                 200);
  REQUIRE_STATUS(api.register_request(request_for("later@example.com", "TEA-250")), 200);
  // A clean stop gives back the mail it had claimed for its next attempt (on PostgreSQL a
  // kill -9 would leave the claim until its lease runs out, 70 s: the kill -9 test is above).
  CHECK(s.server.stop() == 0);
  down.release();
  SmtpSink sink(mail_dir.file("mail"), down.port());
  s.server.start();
  const ReceivedMail old = the_mail_to(sink, "queued@example.com");
  CHECK(old.header("From") == "Old <old@shop.example>");
  CHECK(old.subject() == "Back in stock: Grüner Tee – Sencha");
  CHECK(contains(old.text(), "at\nOld Name."));
  // Mail queued after the change is the new mail.
  restock(s.api(), "TEA-250");
  const ReceivedMail fresh = the_mail_to(sink, "later@example.com");
  CHECK(fresh.header("From") == "New <new@shop.example>");
  CHECK(fresh.subject() == "NEW Grüner Tee – Sencha");
  CHECK(fresh.text() == "new Grüner Tee – Sencha");
}

TEST_CASE("header injection: CR/LF in names, titles and settings never add a header") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url()));
  const Api api = s.api();
  // The API refuses control characters outright, so none is ever stored.
  json hostile = request_for("anna@example.com");
  hostile["customer"]["firstName"] = "Anna\r\nBcc: victim@example.com";
  CHECK_ERROR(api.register_request(hostile), 400, "validation_failed");
  CHECK(detail_code(api.register_request(hostile).json(), "customer.firstName") == "control_character");
  hostile = request_for("anna@example.com");
  hostile["productTitle"] = "Tea\nSubject: free money";
  CHECK(detail_code(api.register_request(hostile).json(), "productTitle") == "control_character");
  CHECK(detail_code(patch_settings(api, {{"storeName", "Shop\r\nX-Evil: 1"}}).json(), "storeName") ==
        "control_character");
  CHECK(detail_code(patch_settings(api, {{"email", {{"from", "Shop\r\nBcc: x@y.z <a@b.example>"}}}})
                        .json(),
                    "email.from") == "invalid_email");
  CHECK(detail_code(put_json(api, "/api/v1/templates/back_in_stock/en",
                             {{"subject", "Hi\r\nBcc: victim@example.com {{productTitle}}"},
                              {"text", "t"},
                              {"html", "h"}})
                        .json(),
                    "subject") == "control_character");
  // What the API allows — quotes, angle brackets, "=?", separators of other lines — reaches the
  // mail as text, and the message keeps exactly its own headers.
  REQUIRE_STATUS(patch_settings(api, {{"storeName", "Tom's \"Tea\" <Shop> =?UTF-8?B?eA==?="}}), 200);
  seed_tea(api);
  json tricky = request_for("anna@example.com");
  tricky["customer"]["firstName"] = "Eve <evil@example.com>, \"x\" =?utf-8?q?Bcc:_x?=";
  tricky["productTitle"] = "<script>alert(1)</script> \u2028Bcc: victim@example.com\u2029";
  REQUIRE_STATUS(api.register_request(tricky), 200);
  restock(api);
  const ReceivedMail mail = the_mail_to(sink, "anna@example.com");
  INFO(mail.raw.substr(0, 2000));
  std::vector<std::string> names;
  for (const json& h : mail.data["headers"]) names.push_back(h[0]);
  CHECK(names == std::vector<std::string>{"Date", "From", "To", "Subject", "Message-ID",
                                          "MIME-Version", "List-Unsubscribe",
                                          "List-Unsubscribe-Post", "Auto-Submitted",
                                          "Content-Type"});
  CHECK(mail.data["rcptTos"] == json::array({"anna@example.com"}));
  CHECK(mail.header("To") == "anna@example.com");
  // (Python's reader turns U+2028 and U+2029 into spaces; on the wire they are inside an
  // encoded word.)
  CHECK(mail.subject().rfind("Back in stock: <script>alert(1)</script> ", 0) == 0);
  CHECK(mail.raw_header("Subject").rfind("=?UTF-8?B?", 0) == 0);
  CHECK(!contains(mail.html(), "<script>"));
  CHECK(contains(mail.html(), "&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK(contains(mail.html(), "Hi Eve &lt;evil@example.com&gt;, &quot;x&quot;"));
  CHECK(contains(mail.text(), "Hi Eve <evil@example.com>, \"x\" =?utf-8?q?Bcc:_x?=,"));
  CHECK(mail.data["defects"].empty());
}

TEST_CASE("templates: list, PUT with every problem by line and column, preview, use, DELETE") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url()));
  const Api api = s.api();
  // The shipped ones: both kinds in four languages, and the variables each may use.
  const HttpResponse list = api.get("/api/v1/templates");
  REQUIRE_STATUS(list, 200);
  CHECK(list.json()["templates"].size() == 8);
  CHECK(list.json()["templates"][0]["name"] == "back_in_stock");
  CHECK(list.json()["templates"][0]["locale"] == "de");
  CHECK(list.json()["templates"][0]["custom"] == false);
  CHECK(list.json()["variables"]["confirm_request"].back() == "confirmUrl");

  // Syntax errors with the field, line and column; unknown variables by name.
  const HttpResponse bad = put_json(api, "/api/v1/templates/back_in_stock/de-CH",
                                    {{"subject", "Zurück: {{produkt}}"},
                                     {"text", "Hallo\n{{#firstName}}{{{firstName}}}"},
                                     {"html", "<p>{{>partial}}</p>"}});
  CHECK_ERROR(bad, 400, "validation_failed");
  const json details = bad.json()["details"];
  REQUIRE(details.size() == 3);
  CHECK(details[0] == json{{"field", "subject"}, {"code", "unknown_variable"},
                           {"message", "Unknown template variable \"produkt\"."},
                           {"line", 1}, {"column", 9}});
  CHECK(details[1]["field"] == "text");
  CHECK(details[1]["code"] == "template_syntax");
  CHECK(details[1]["line"] == 2);
  CHECK(details[1]["column"] == 1);
  CHECK(details[1]["message"] ==
        "Mustache syntax error at line 2, column 1: the section \"firstName\" is never closed.");
  CHECK(details[2]["code"] == "template_syntax");
  CHECK(contains(details[2]["message"].get<std::string>(), "partials"));
  CHECK_ERROR(put_json(api, "/api/v1/templates/welcome/de", {{"subject", "s"}, {"text", "t"}, {"html", "h"}}),
              404, "not_found");
  CHECK(detail_code(put_json(api, "/api/v1/templates/back_in_stock/deutsch",
                             {{"subject", "s"}, {"text", "t"}, {"html", "h"}}).json(),
                    "locale") == "invalid_locale");
  CHECK(detail_code(put_json(api, "/api/v1/templates/back_in_stock/de",
                             {{"subject", "s"}, {"text", "t"}, {"html", std::string(100'001, 'x')}}).json(),
                    "html") == "too_long");
  CHECK_ERROR(api.send("PUT", "/api/v1/templates/back_in_stock/de",
                       "{\"html\":\"" + std::string(1024 * 1024, 'x') + "\"}", {}, "application/json"),
              413, "payload_too_large");
  CHECK(api.get("/api/v1/templates").json()["templates"].size() == 8);  // nothing saved

  // A store's own Swiss German template: saved, listed, previewed, used.
  const json own = {{"subject", "Wieder da: {{{productTitle}}}"},
                    {"text", "Grüezi{{#firstName}} {{{firstName}}}{{/firstName}}!\n{{{productTitle}}} {{{price}}}\n{{{unsubscribeUrl}}}\n"},
                    {"html", "<p lang=\"{{locale}}\">{{productTitle}} {{price}}</p>"}};
  const HttpResponse saved = put_json(api, "/api/v1/templates/back_in_stock/DE-ch", own);
  REQUIRE_STATUS(saved, 200);
  CHECK(saved.json()["template"]["locale"] == "de-CH");
  CHECK(saved.json()["template"]["custom"] == true);
  CHECK(api.get("/api/v1/templates").json()["templates"].size() == 9);
  const HttpResponse preview = api.post("/api/v1/templates/back_in_stock/de-CH/preview", json::object());
  REQUIRE_STATUS(preview, 200);
  CHECK(preview.json()["preview"]["locale"] == "de-CH");
  CHECK(preview.json()["preview"]["subject"] == "Wieder da: Linen shirt");
  CHECK(preview.json()["preview"]["text"] ==
        "Grüezi Anna!\nLinen shirt 49,00\u00a0€\n" + std::string(kPublicUrl) +
            "/u/preview?lang=de-CH\n");
  // A draft and given data; HTML values escaped.
  const HttpResponse draft = api.post(
      "/api/v1/templates/back_in_stock/de-CH/preview",
      {{"html", "<h1>{{productTitle}}</h1>{{^firstName}}Hallo{{/firstName}}"},
       {"data", {{"productTitle", "<b>Tee</b>"}, {"firstName", nullptr}}}});
  REQUIRE_STATUS(draft, 200);
  CHECK(draft.json()["preview"]["html"] == "<h1>&lt;b&gt;Tee&lt;/b&gt;</h1>Hallo");
  CHECK(draft.json()["preview"]["text"] == "Grüezi!\n<b>Tee</b> 49,00\u00a0€\n" + std::string(kPublicUrl) +
                                                "/u/preview?lang=de-CH\n");
  const HttpResponse bad_data = api.post("/api/v1/templates/back_in_stock/de/preview",
                                         {{"data", {{"productUrl", "javascript:alert(1)"}, {"name", "x"}}},
                                          {"html", "{{#x}}"}});
  CHECK_ERROR(bad_data, 400, "validation_failed");
  CHECK(detail_fields(bad_data.json()) == std::vector<std::string>{"html", "html", "data.name", "data.productUrl"});
  // Plain preview of a shipped template in another language.
  CHECK(api.post_raw("/api/v1/templates/confirm_request/es/preview", "", std::nullopt).json()["preview"]["subject"] ==
        "Confirma tu aviso de disponibilidad");

  seed_tea(api);
  REQUIRE_STATUS(api.register_request(request_for("urs@example.com", "TEA-100", "de-CH", "Urs")), 200);
  REQUIRE_STATUS(api.register_request(request_for("ute@example.com", "TEA-100", "de-DE")), 200);
  restock(api);
  const ReceivedMail swiss = the_mail_to(sink, "urs@example.com");
  CHECK(swiss.subject() == "Wieder da: Grüner Tee – Sencha");
  CHECK(swiss.text().rfind("Grüezi Urs!\nGrüner Tee – Sencha 12,99\u00a0€\n" + std::string(kPublicUrl) + "/u/", 0) == 0);
  CHECK(swiss.html() == "<p lang=\"de-CH\">Grüner Tee – Sencha 12,99\u00a0€</p>");
  CHECK(the_mail_to(sink, "ute@example.com").subject() == "Wieder verfügbar: Grüner Tee – Sencha");

  // DELETE: back to the shipped German for de-CH.
  const HttpResponse removed = api.del("/api/v1/templates/back_in_stock/de-CH");
  REQUIRE_STATUS(removed, 200);
  CHECK(removed.json()["template"]["locale"] == "de");
  CHECK(removed.json()["template"]["custom"] == false);
  CHECK(api.get("/api/v1/templates").json()["templates"].size() == 8);
}

TEST_CASE("GET /api/v1/messages: filters, pagination and their errors") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url()));
  const Api api = s.api();
  seed_tea(api);
  for (const char* email : {"a@example.com", "b@example.com", "c+reject@example.com"})
    REQUIRE_STATUS(api.register_request(request_for(email)), 200);
  restock(api);
  REQUIRE(eventually([&] { return messages(api, "?status=queued").empty(); }));
  const HttpResponse all = api.get("/api/v1/messages?limit=2");
  REQUIRE_STATUS(all, 200);
  CHECK(all.json()["messages"].size() == 2);
  CHECK(all.json()["pagination"] ==
        json{{"count", 2}, {"hasMore", true}, {"limit", 2}, {"offset", 0}, {"total", 3}});
  CHECK(api.get("/api/v1/messages?limit=2&offset=2").json()["messages"].size() == 1);
  CHECK(messages(api, "?status=sent").size() == 2);
  CHECK(messages(api, "?status=failed").size() == 1);
  CHECK(messages(api, "?status=suppressed").empty());
  CHECK(messages(api, "?email=%20B%40Example.com")[0]["to"] == "b@example.com");
  CHECK(messages(api, "?template=confirm_request").empty());
  CHECK(messages(api, "?template=back_in_stock").size() == 3);
  const json m = messages(api, "?email=a@example.com")[0];
  CHECK(matches(m["id"], "msg_[0-9a-z]{13}"));
  CHECK(matches(m["subscriberId"], kSubscriberId));
  CHECK(matches(m["requestId"], kRequestId));
  const HttpResponse bad = api.get("/api/v1/messages?status=delivered&email=x&template=y&limit=0");
  CHECK_ERROR(bad, 400, "validation_failed");
  CHECK(detail_fields(bad.json()) == std::vector<std::string>{"limit", "status", "email", "template"});
  // Another store sees none of them.
  CHECK(messages(s.api(s.create_key("other", "secret"))).empty());
}

TEST_CASE("privacy: GET shows everything kept about a shopper, DELETE erases it") {
  TempDir mail_dir;
  SmtpSink sink(mail_dir.file("mail"));
  TestServer s(mail_flags(sink.url()));
  const Api api = s.api();
  WebhookReceiver hooks;
  REQUIRE_STATUS(api.post("/api/v1/webhooks", {{"url", hooks.url()}}), 200);
  seed_tea(api);
  json body = request_for("anna@example.com", "TEA-100", "de", "Anna");
  body["customer"]["attributes"] = {{"vip", true}};
  const HttpResponse reg = api.register_request(body);
  REQUIRE_STATUS(reg, 200);
  REQUIRE_STATUS(api.register_request(request_for("anna@example.com", "TEA-250")), 200);
  REQUIRE_STATUS(api.register_request(request_for("bob@example.com")), 200);
  restock(api);
  const ReceivedMail mail = the_mail_to(sink, "anna@example.com");
  wait_message(api, "anna@example.com", "sent");
  const std::string id = reg.json()["subscriberId"];
  // Orders keep their buyer (e-mail, names, external id) in the order and in its events.
  auto order = [](const std::string& order_id, const std::string& email, const std::string& name) {
    return json{{"orderId", order_id}, {"totalCents", 4200}, {"currency", "EUR"},
                {"customer", {{"email", email}, {"firstName", name}, {"externalId", "cus_" + name}}},
                {"items", json::array({{{"productId", "MUG"}, {"title", "Mug"}, {"quantity", 1},
                                        {"priceCents", 4200}}})}};
  };
  REQUIRE_STATUS(api.post("/api/v1/orders", order("A-1", "Anna@Example.com", "Anna")), 202);
  REQUIRE_STATUS(api.post("/api/v1/orders", order("B-1", "bob@example.com", "Bob")), 202);
  REQUIRE_STATUS(api.post("/api/v1/orders", [&] {
                   json o = order("A-1", "anna@example.com", "Anna");
                   o["status"] = "fulfilled";
                   return o;
                 }()),
                 202);
  CHECK(contains(api.get("/api/v1/events?type=ecommerce.order_placed").body, "cus_Anna"));

  const HttpResponse view = api.get("/api/v1/subscribers/" + id);
  REQUIRE_STATUS(view, 200);
  const json v = view.json();
  CHECK(v["subscriber"]["id"] == id);
  CHECK(v["subscriber"]["email"] == "anna@example.com");
  CHECK(v["subscriber"]["firstName"] == "Anna");
  CHECK(v["subscriber"]["attributes"] == json{{"vip", true}});
  CHECK(v["subscriber"]["suppressedAt"].is_null());
  CHECK(v["requests"].size() == 2);
  CHECK(v["requests"][1]["consent"]["source"] == "api");
  CHECK(v["messages"].size() == 1);
  CHECK(v["events"].size() == 3);  // requested twice, notified once
  CHECK(v["events"][0]["subscriber"]["email"] == "anna@example.com");

  // She unsubscribes, then the store erases her.
  REQUIRE_STATUS(one_click(s.api(""), target_of(mail.unsubscribe_url())), 200);
  CHECK(matches(api.get("/api/v1/subscribers/" + id).json()["subscriber"]["suppressedAt"], kTimestamp));
  const HttpResponse erased = api.del("/api/v1/subscribers/" + id);
  REQUIRE_STATUS(erased, 200);
  CHECK(erased.json() == json{{"success", true}, {"erased", id}});
  CHECK_ERROR(api.get("/api/v1/subscribers/" + id), 404, "not_found");
  CHECK_ERROR(api.del("/api/v1/subscribers/" + id), 404, "not_found");
  CHECK(requests_of(api, "anna@example.com").empty());
  // The dashboard's demand counts only who still waits: her waiting request left it too.
  CHECK(api.get("/api/v1/stats/demand").json()["waitingTotal"] ==
        api.get("/api/v1/back-in-stock?status=waiting").json()["pagination"]["total"]);
  CHECK(messages(api, "?email=anna@example.com").empty());
  const std::string feed = api.get("/api/v1/events?limit=1000").body;
  CHECK(!contains(feed, "anna@example.com"));
  CHECK(!contains(feed, id));
  CHECK(contains(feed, "bob@example.com"));
  // Her orders stay, for the store's figures, without her: the order and both its events.
  CHECK(!contains(feed, "cus_Anna"));
  CHECK(!contains(feed, "Anna"));
  CHECK(contains(feed, "cus_Bob"));
  int anna_orders = 0;
  const json events = json::parse(feed)["events"];
  for (const json& e : events) {
    if (!e.contains("order") || e["order"]["orderId"] != "A-1") continue;
    ++anna_orders;
    CHECK(e["order"]["customer"].is_null());
    CHECK(e["order"]["totalCents"] == 4200);
  }
  CHECK(anna_orders == 2);  // placed, fulfilled
  // Not in the database files either (once checkpointed by a clean stop). SQLite only: on
  // PostgreSQL the old row versions stay in its files until VACUUM reclaims them (README
  // "Scaling out").
  REQUIRE(s.server.stop() == 0);
  if (!testing_postgres()) {
    const std::string bytes =
        hostile::read_file_bytes(s.db) + hostile::read_file_bytes(s.db + "-wal");
    CHECK(!contains(bytes, "anna@example.com"));
    CHECK(!contains(bytes, "Anna@Example.com"));
    CHECK(!contains(bytes, "cus_Anna"));
    CHECK(contains(bytes, "bob@example.com"));
  }
  s.server.start();
  // Her unsubscribe outlives the erasure (a keyed hash, not the address): confirm again.
  const HttpResponse back = s.api().register_request(request_for("anna@example.com", "TEA-250"));
  REQUIRE_STATUS(back, 200);
  CHECK(back.json()["status"] == "pending");
  CHECK(back.json()["subscriberId"] != id);
  // Another store's key can't see or erase anyone here.
  const Api other = s.api(s.create_key("other", "secret"));
  CHECK_ERROR(other.get("/api/v1/subscribers/" + back.json()["subscriberId"].get<std::string>()), 404,
              "not_found");
  CHECK_ERROR(other.del("/api/v1/subscribers/" + back.json()["subscriberId"].get<std::string>()), 404,
              "not_found");
  CHECK_ERROR(other.get("/api/v1/subscribers/not-an-id"), 404, "not_found");
}

TEST_CASE("a silent SMTP server holds no HTTP answer; a store can turn e-mail off") {
  SilentPort silent;
  TestServer s(mail_flags(silent.smtp_url(), {"--smtp-connections", "2"}));
  const Api api = s.api();
  seed_tea(api);
  for (int i = 0; i < 10; ++i)
    REQUIRE_STATUS(api.register_request(request_for("s" + std::to_string(i) + "@example.com")), 200);
  restock(api);
  // Both senders now wait for a greeting that never comes; the API answers as always.
  std::this_thread::sleep_for(300ms);
  for (int i = 0; i < 20; ++i) {
    const auto started = std::chrono::steady_clock::now();
    REQUIRE_STATUS(api.register_request(request_for("t" + std::to_string(i) + "@example.com", "TEA-250")), 200);
    REQUIRE_STATUS(api.get("/api/v1/messages"), 200);
    CHECK(std::chrono::steady_clock::now() - started < 2s);
  }
  CHECK(messages(api, "?status=queued").size() == 10);
  // email.enabled false: the store's restocks queue no mail.
  REQUIRE_STATUS(patch_settings(api, {{"email", {{"enabled", false}}}}), 200);
  CHECK(restock(api, "TEA-250").json()["backInStockEventsTriggered"] == 20);
  CHECK(api.get("/api/v1/messages").json()["pagination"]["total"] == 10);
  // A clean stop does not wait for the silent server's timeout.
  const auto stopping = std::chrono::steady_clock::now();
  CHECK(s.server.stop(70s) == 0);
  INFO("stop took " << std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - stopping).count() << " ms");
}

TEST_CASE("without --smtp-url nothing is queued and nobody waits for a confirmation") {
  TestServer s;
  const Api api = s.api();
  REQUIRE_STATUS(patch_settings(api, {{"email", {{"doubleOptIn", true}}}}), 200);
  seed_tea(api);
  const HttpResponse r = api.register_request(request_for("anna@example.com"));
  CHECK(r.json()["status"] == "waiting");
  CHECK(restock(api).json()["backInStockEventsTriggered"] == 1);
  CHECK(api.get("/api/v1/messages").json()["pagination"]["total"] == 0);
  // The templates can be written and previewed without a mail server.
  CHECK_STATUS(api.post_raw("/api/v1/templates/back_in_stock/en/preview", "", std::nullopt), 200);
}

TEST_CASE("serve: the e-mail flags that belong together, and no password on the command line") {
  TempDir dir;
  const std::string db = dir.file("stockbell.db");
  auto serve = [&](std::vector<std::string> flags) {
    std::vector<std::string> args = {"serve", "--db", db, "--port", "0"};
    args.insert(args.end(), flags.begin(), flags.end());
    return run_stockbell(args, {}, 5s);
  };
  RunResult r = serve({"--smtp-url", "smtp://127.0.0.1:25"});
  CHECK(r.status == 2);
  CHECK(contains(r.err, "--smtp-url needs --public-url"));
  r = serve({"--smtp-url", "smtp://user:secret@127.0.0.1:25", "--public-url", kPublicUrl});
  CHECK(r.status == 2);
  CHECK(contains(r.err, "no user or password in the URL"));
  r = serve({"--smtp-url", "http://127.0.0.1:25", "--public-url", kPublicUrl});
  CHECK(r.status == 2);
  r = serve({"--smtp-url", "smtp://127.0.0.1:25", "--public-url", "stockbell.example"});
  CHECK(r.status == 2);
  CHECK(contains(r.err, "--public-url must be"));
  r = serve({"--smtp-user", "shop"});
  CHECK(r.status == 2);
  r = serve({"--smtp-password", "secret"});
  CHECK(r.status == 2);
  CHECK(contains(r.err, "unknown option for serve: --smtp-password"));
  r = serve({"--smtp-url", "smtp://127.0.0.1:25", "--public-url", kPublicUrl, "--mail-from", "not an address"});
  CHECK(r.status == 2);
  r = serve({"--smtp-url", "smtp://127.0.0.1:25", "--public-url", kPublicUrl, "--smtp-user", "shop",
             "--smtp-password-file", dir.file("missing")});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "--smtp-password-file: cannot read"));
  r = serve({"--smtp-url", "smtp://127.0.0.1:25", "--public-url", kPublicUrl, "--smtp-ca-file",
             dir.file("missing.pem")});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "--smtp-ca-file: cannot read"));
  r = serve({"--smtp-ca-file", dir.file("missing.pem")});
  CHECK(r.status == 2);
  CHECK(contains(r.err, "need --smtp-url"));
}
