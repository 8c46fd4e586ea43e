#pragma once
// The webhook use cases: endpoints (create, list, update, delete, rotate the secret) and their
// deliveries (list, re-send). Secrets are `whsec_` + 40 random base62 characters, shown at
// creation and rotation only; after a rotation the old secret also signs for
// kSecretRotationGraceMs (core/limits.hpp).

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/query.hpp"
#include "core/webhook.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

class WebhookService {
 public:
  WebhookService(Storage& storage, bool public_only) : storage_(storage), public_only_(public_only) {}

  struct WithSecret {
    WebhookRecord webhook;
    std::string secret;
  };
  Result<WithSecret> create(int64_t store_id, const WebhookPatch& patch);
  std::vector<WebhookRecord> list(int64_t store_id);
  Result<WebhookRecord> get(int64_t store_id, const std::string& id);
  Result<WebhookRecord> update(int64_t store_id, const std::string& id, const WebhookPatch& patch);
  /// The id of the endpoint deleted.
  Result<std::string> remove(int64_t store_id, const std::string& id);
  Result<WithSecret> rotate_secret(int64_t store_id, const std::string& id);

  struct DeliveryPage {
    std::vector<DeliveryRecord> rows;
    int64_t total = 0;
  };
  Result<DeliveryPage> deliveries(int64_t store_id, const std::string& id,
                                  const DeliveryListQuery& query);
  Result<DeliveryRecord> resend(int64_t store_id, const std::string& id,
                                const std::string& delivery_id);

 private:
  /// On a public-only server, a validation error for a URL whose host is private.
  std::optional<ApiError> refuse_private(const std::string& url) const;

  Storage& storage_;
  bool public_only_;
};

}  // namespace stockbell::server
