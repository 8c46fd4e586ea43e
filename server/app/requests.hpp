#pragma once
// The back-in-stock request use cases (README "API"): registering, listing and cancelling
// requests, and the event feed. Each write is one storage transaction, answered once durable.

#include <cstdint>
#include <vector>

#include "core/back_in_stock.hpp"
#include "core/errors.hpp"
#include "core/query.hpp"
#include "core/responses.hpp"
#include "core/subscriber.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

class RequestService {
 public:
  explicit RequestService(Storage& storage) : storage_(storage) {}

  /// Creates the subscriber and the waiting request, or finds the waiting one (a repeat). What
  /// a repeat may change depends on `trust` (core/subscriber.hpp).
  RegisterOutcome register_request(int64_t store_id, Trust trust,
                                   const BackInStockRequest& request);

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

 private:
  Storage& storage_;
};

}  // namespace stockbell::server
