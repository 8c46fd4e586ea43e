#pragma once
// The webhook use cases: endpoints (create, list, update, delete, rotate the secret) and their
// deliveries (list, re-send). Secrets are `whsec_` + 40 random base62 characters, shown at
// creation and rotation only; after a rotation the old secret also signs for 24 hours.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/query.hpp"
#include "core/webhook.hpp"
#include "server/service.hpp"
#include "server/webhook_store.hpp"

namespace stockbell::server {

constexpr int64_t kSecretRotationGraceMs = 24 * 3600 * 1000;

class WebhookService {
 public:
  WebhookService(Service& service, bool public_only) : service_(service), public_only_(public_only) {}

  struct WithSecret {
    store::WebhookRow webhook;
    std::string secret;
  };
  Result<WithSecret> create(int64_t store_id, const WebhookPatch& patch);
  std::vector<store::WebhookRow> list(int64_t store_id);
  Result<store::WebhookRow> get(int64_t store_id, const std::string& id);
  Result<store::WebhookRow> update(int64_t store_id, const std::string& id, const WebhookPatch& patch);
  Result<bool> remove(int64_t store_id, const std::string& id);
  Result<WithSecret> rotate_secret(int64_t store_id, const std::string& id);

  struct DeliveryPage {
    std::vector<store::DeliveryRow> rows;
    int64_t total = 0;
  };
  Result<DeliveryPage> deliveries(int64_t store_id, const std::string& id,
                                  const DeliveryListQuery& query);
  Result<store::DeliveryRow> resend(int64_t store_id, const std::string& id,
                                    const std::string& delivery_id);

  WebhookView view(const store::WebhookRow& row) const;
  DeliveryView view(const store::DeliveryRow& row) const;

 private:
  /// On a public-only server, a URL whose host is this machine or a private IP literal.
  std::optional<ApiError> refuse_private(const std::string& url) const;
  ApiError not_found() const;

  Service& service_;
  bool public_only_;
};

}  // namespace stockbell::server
