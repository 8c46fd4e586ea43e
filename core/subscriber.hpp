#pragma once
// A subscriber (one per store and e-mail) and how a back-in-stock request's `customer` updates it.

#include <cstdint>
#include <optional>
#include <string>

#include "core/back_in_stock.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"

namespace stockbell {

/// The profile fields of a stored subscriber (the e-mail is its key and never changes).
struct SubscriberProfile {
  std::optional<std::string> external_id;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  Json attributes = Json::object();

  bool operator==(const SubscriberProfile& o) const {
    return external_id == o.external_id && first_name == o.first_name &&
           last_name == o.last_name && attributes == o.attributes;
  }
};

/// A stored subscriber (row id, Unix milliseconds).
struct SubscriberRecord {
  int64_t id = 0;  ///< `sub_...`
  std::string email;
  SubscriberProfile profile;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::optional<int64_t> confirmed_at;   ///< double opt-in: the shopper confirmed the address
  std::optional<int64_t> suppressed_at;  ///< the shopper unsubscribed: no e-mail
};

/// `{"id","email","externalId","firstName","lastName","attributes","createdAt","updatedAt",
/// "confirmedAt","suppressedAt"}`: everything Stockbell keeps about the person.
Json subscriber_json(const SubscriberRecord& subscriber, const IdCodec& ids);

/// Who sent the request decides how far it may change an existing subscriber.
enum class Trust {
  secret,       ///< the store's backend: provided fields are set, attributes merged
  publishable,  ///< anyone on the storefront: only empty fields are filled and new attributes
                ///< added, so nobody can rename or re-tag another person's subscription
};

/// The profile after applying `customer` onto `stored` (a new subscriber starts empty).
SubscriberProfile apply_customer(const SubscriberProfile& stored, const Customer& customer,
                                 Trust trust);

}  // namespace stockbell
