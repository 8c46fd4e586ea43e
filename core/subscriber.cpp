#include "core/subscriber.hpp"

#include "core/attributes.hpp"

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

}  // namespace stockbell
