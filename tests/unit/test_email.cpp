// core/email: the WHATWG "valid e-mail address" grammar (what <input type=email> accepts) and
// the identity (lower-cased) of an address.

#include <doctest/doctest.h>

#include "core/email.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::repeat;

TEST_CASE("addresses browsers accept are valid") {
  for (const std::string address : {
           "a@b",
           ".a@b",
           "a.@b",
           "a..b@c",
           ".a..b.@c",
           "user+tag@sub.example.co",
           "Buyer@Example.COM",
           "!#$%&'*+/=?^_`{|}~-@example.com",
           "a@b-c",
           "a@b--c.d",
           "a@1.2.3.4",  // digits form ordinary labels
           "a@0",
           "a@b.c.d.e.f",
       }) {
    CAPTURE(address);
    CHECK(is_valid_email(address));
  }
}

TEST_CASE("addresses outside the grammar are invalid") {
  for (const std::string address : {
           "",
           "a",
           "@b",
           "a@",
           "a@b.",
           "a@.b",
           "a@b..c",
           "a@-b",
           "a@b-",
           "a@b.-c",
           "a@b.c-",
           "a b@c",
           "a@b c",
           "a@b_c",
           "\"quoted\"@x",
           "a@[1.2.3.4]",
           "é@example.com",
           "a@exämple.com",
           "a@b@c",
           "a(b)@c",
           "a,b@c",
           "a;b@c",
           "a:b@c",
           "a\\b@c",
           "a@b:80",
           "a@b/c",
           " a@b",  // callers trim first; the grammar itself has no spaces
       }) {
    CAPTURE(address);
    CHECK_FALSE(is_valid_email(address));
  }
}

TEST_CASE("a domain label is at most 63 characters") {
  CHECK(is_valid_email("a@" + repeat("x", 63)));
  CHECK(is_valid_email("a@" + repeat("x", 63) + "." + repeat("y", 63)));
  CHECK_FALSE(is_valid_email("a@" + repeat("x", 64)));
  CHECK_FALSE(is_valid_email("a@ok." + repeat("x", 64) + ".com"));
}

TEST_CASE("the local part has no length limit of its own") {
  CHECK(is_valid_email(repeat("a", 200) + "@b"));
}

TEST_CASE("identity is the ASCII lower-cased address") {
  CHECK(email_identity("Buyer@Example.COM") == "buyer@example.com");
  CHECK(email_identity("a@b") == "a@b");
  CHECK(email_identity("USER+TAG@X.Y") == "user+tag@x.y");
  CHECK(kMaxEmailLength == 254);
}

TEST_CASE("email_mailbox_key: one key per mailbox, for the per-e-mail limit") {
  struct Row {
    const char* address;
    const char* key;
  };
  for (const Row& r : {
           Row{"ann@example.com", "ann@example.com"},
           Row{"Ann@Example.COM", "ann@example.com"},
           Row{"ann+shoes@example.com", "ann@example.com"},
           Row{"ann+a+b@example.com", "ann@example.com"},
           Row{"ann+@example.com", "ann@example.com"},
           Row{"+ann@example.com", "+ann@example.com"},  // no local part before the tag: kept
           Row{"a.n.n@example.com", "a.n.n@example.com"},  // dots count elsewhere
           Row{"a.n.n@gmail.com", "ann@gmail.com"},
           Row{"A.N.N+news@GMail.com", "ann@gmail.com"},
           Row{"ann@googlemail.com", "ann@gmail.com"},
           Row{"a.nn+x@googlemail.com", "ann@gmail.com"},
           Row{"...@gmail.com", "...@gmail.com"},  // nothing but dots: kept
           Row{"ann@gmail.com.evil.example", "ann@gmail.com.evil.example"},
           Row{"ann@sub.gmail.com", "ann@sub.gmail.com"},
           Row{"a@b", "a@b"},
       }) {
    INFO(r.address);
    CHECK(stockbell::email_mailbox_key(r.address) == r.key);
  }
}

TEST_CASE("mailboxes: a bare address, or a display name with the address in angle brackets") {
  CHECK(parse_mailbox("shop@linen.example") == Mailbox{std::nullopt, "shop@linen.example"});
  CHECK(parse_mailbox(" Linen & Co <shop@linen.example> ") ==
        Mailbox{std::string("Linen & Co"), "shop@linen.example"});
  CHECK(parse_mailbox("\"Linen, Inc.\" <shop@linen.example>") ==
        Mailbox{std::string("Linen, Inc."), "shop@linen.example"});
  CHECK(parse_mailbox("<shop@linen.example>") == Mailbox{std::nullopt, "shop@linen.example"});
  CHECK(parse_mailbox("Grüner Laden <laden@example.com>")->display_name == "Grüner Laden");
  for (const char* bad : {"", "Shop", "Shop <>", "Shop <not-an-address>", "Shop shop@x.example>",
                          "Sh<op <s@x.example>", "Shop\r\nBcc: a@b <s@x.example>",
                          "Shop\x01 <s@x.example>"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_mailbox(bad).has_value());
  }
  CHECK_FALSE(parse_mailbox(std::string(101, 'n') + " <s@x.example>").has_value());
  CHECK(mailbox_text(*parse_mailbox("Linen & Co <shop@linen.example>")) ==
        "Linen & Co <shop@linen.example>");
  CHECK(mailbox_text(*parse_mailbox("shop@linen.example")) == "shop@linen.example");
}
