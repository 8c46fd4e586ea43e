// core/subscriber: how a request's `customer` changes a stored subscriber, by key kind.

#include <doctest/doctest.h>

#include "core/subscriber.hpp"
#include "tests/unit/support.hpp"

using namespace stockbell;
using stockbell::test::json;

namespace {

Customer customer(std::optional<std::string> first, std::optional<std::string> last,
                  std::optional<std::string> external, Json attributes = Json::object()) {
  Customer c;
  c.email = "buyer@example.com";
  c.first_name = std::move(first);
  c.last_name = std::move(last);
  c.external_id = std::move(external);
  c.attributes = std::move(attributes);
  return c;
}

SubscriberProfile stored_profile() {
  SubscriberProfile p;
  p.first_name = "Ada";
  p.external_id = "cus_1";
  p.attributes = json(R"({"plan":"free"})");
  return p;
}

}  // namespace

TEST_CASE("a new subscriber takes whatever the customer provides") {
  for (Trust trust : {Trust::secret, Trust::publishable}) {
    SubscriberProfile p = apply_customer(
        {}, customer("Ada", "Lovelace", "cus_1", json(R"({"vip":true,"x":null})")), trust);
    CHECK(*p.first_name == "Ada");
    CHECK(*p.last_name == "Lovelace");
    CHECK(*p.external_id == "cus_1");
    CHECK(p.attributes == json(R"({"vip":true})"));
  }
}

TEST_CASE("secret key: provided fields replace, omitted fields keep, attributes merge") {
  SubscriberProfile p = apply_customer(
      stored_profile(), customer("Grace", std::nullopt, std::nullopt, json(R"({"plan":"pro"})")),
      Trust::secret);
  CHECK(*p.first_name == "Grace");
  CHECK_FALSE(p.last_name.has_value());
  CHECK(*p.external_id == "cus_1");
  CHECK(p.attributes == json(R"({"plan":"pro"})"));
  SubscriberProfile removed = apply_customer(
      stored_profile(), customer({}, {}, {}, json(R"({"plan":null})")), Trust::secret);
  CHECK(removed.attributes == Json::object());
}

TEST_CASE("publishable key: only empty fields are filled, only new attributes added") {
  SubscriberProfile p = apply_customer(
      stored_profile(),
      customer("Mallory", "Lovelace", "cus_evil", json(R"({"plan":"pro","ref":"ad"})")),
      Trust::publishable);
  CHECK(*p.first_name == "Ada");         // not renamed
  CHECK(*p.external_id == "cus_1");      // not re-linked
  CHECK(*p.last_name == "Lovelace");     // was empty: filled
  CHECK(p.attributes == json(R"({"plan":"free","ref":"ad"})"));
  SubscriberProfile kept = apply_customer(
      stored_profile(), customer({}, {}, {}, json(R"({"plan":null})")), Trust::publishable);
  CHECK(kept.attributes == json(R"({"plan":"free"})"));
}

TEST_CASE("a customer with nothing to add leaves the profile as it was") {
  for (Trust trust : {Trust::secret, Trust::publishable})
    CHECK(apply_customer(stored_profile(), customer({}, {}, {}), trust) == stored_profile());
}

TEST_CASE("subscriber JSON: every field kept about the person, in a fixed order") {
  SubscriberRecord s;
  s.id = 1;
  s.email = "anna@example.com";
  s.profile.first_name = "Anna";
  s.created_at = 0;
  s.updated_at = 1709210096789;
  s.suppressed_at = 1709210096789;
  CHECK(dump(subscriber_json(s, stockbell::test::kTestIds)) ==
        R"({"id":")" + stockbell::test::kTestIds.format(IdKind::subscriber, 1) +
            R"(","email":"anna@example.com","externalId":null,"firstName":"Anna",)"
            R"("lastName":null,"attributes":{},"createdAt":"1970-01-01T00:00:00.000Z",)"
            R"("updatedAt":"2024-02-29T12:34:56.789Z","confirmedAt":null,)"
            R"("suppressedAt":"2024-02-29T12:34:56.789Z"})");
}
