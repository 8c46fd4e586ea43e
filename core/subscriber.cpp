#include "core/subscriber.hpp"

#include "core/attributes.hpp"
#include "core/timestamp.hpp"

namespace stockbell {
namespace {

void apply_field(std::optional<std::string>& stored, const std::optional<std::string>& incoming,
                 Trust trust) {
  if (!incoming) return;
  if (trust == Trust::secret || !stored) stored = incoming;
}

}  // namespace

SubscriberProfile apply_customer(const SubscriberProfile& stored, const Customer& customer,
                                 Trust trust) {
  SubscriberProfile out = stored;
  apply_field(out.external_id, customer.external_id, trust);
  apply_field(out.first_name, customer.first_name, trust);
  apply_field(out.last_name, customer.last_name, trust);
  out.attributes = merge_attributes(stored.attributes, customer.attributes, trust == Trust::secret);
  return out;
}

Json subscriber_json(const SubscriberRecord& s, const IdCodec& ids) {
  auto text = [](const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); };
  auto time = [](const std::optional<int64_t>& ms) {
    return ms ? Json(format_timestamp(*ms)) : Json(nullptr);
  };
  Json out;
  out["id"] = ids.format(IdKind::subscriber, s.id);
  out["email"] = s.email;
  out["externalId"] = text(s.profile.external_id);
  out["firstName"] = text(s.profile.first_name);
  out["lastName"] = text(s.profile.last_name);
  out["attributes"] = s.profile.attributes;
  out["createdAt"] = format_timestamp(s.created_at);
  out["updatedAt"] = format_timestamp(s.updated_at);
  out["confirmedAt"] = time(s.confirmed_at);
  out["suppressedAt"] = time(s.suppressed_at);
  return out;
}

}  // namespace stockbell
