#pragma once
// The back-in-stock request use cases (README "API"): registering, listing and cancelling
// requests, and the event feed. Each write is one storage transaction, answered once durable.
// Registering also keeps the request's consent record and, when the store asks for double
// opt-in (or the address unsubscribed before), makes it pending and queues the confirmation
// mail (README "E-mail").

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/back_in_stock.hpp"
#include "core/errors.hpp"
#include "core/query.hpp"
#include "core/responses.hpp"
#include "core/subscriber.hpp"
#include "server/app/notify.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

/// Where a storefront registration came from, for its consent record.
struct RequestOrigin {
  std::optional<std::string> client_address;
  std::optional<std::string> user_agent;  ///< the header as sent; kept as one printable line
};

/// How long a pending request waits for its confirmation (the mail says 7 days).
constexpr int64_t kPendingRequestTtlMs = 7LL * 24 * 3600 * 1000;
constexpr size_t kMaxUserAgentChars = 500;

class RequestService {
 public:
  explicit RequestService(Storage& storage, Mail mail = Mail::off)
      : storage_(storage), mail_(mail) {}

  /// Creates the subscriber and the request, or finds the open one (a repeat). What a repeat
  /// may change depends on `trust` (core/subscriber.hpp). `origin` is kept for publishable-key
  /// requests only.
  RegisterOutcome register_request(int64_t store_id, Trust trust,
                                   const BackInStockRequest& request,
                                   const RequestOrigin& origin = {});

  struct RequestPage {
    std::vector<RequestRecord> rows;
    int64_t total = 0;
  };
  RequestPage list_requests(int64_t store_id, const RequestListQuery& query);

  /// Cancels a waiting request. A cancelled one is returned as it is (idempotent); a notified
  /// one is a `conflict`; an unknown id (or another store's) is `not_found`.
  Result<RequestRecord> cancel_request(int64_t store_id, const std::string& request_id);

  struct EventPage {
    std::vector<EventRecord> rows;
    bool has_more = false;
  };
  /// `after` must be an event id of this database (`evt_...`), else validation_failed.
  Result<EventPage> list_events(int64_t store_id, const EventListQuery& query);

  /// Pending requests older than kPendingRequestTtlMs become expired; how many.
  int64_t expire_pending(int64_t now);

 private:
  Storage& storage_;
  Mail mail_;
};

}  // namespace stockbell::server
