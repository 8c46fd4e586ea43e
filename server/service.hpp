#pragma once
// The use cases of Stockbell, one function each, between the HTTP routes (which speak core
// types) and the store (which speaks SQL). Every write runs as one job of the single writer, so
// its checks and changes happen in one transaction and a result is only returned once committed.

#include <chrono>
#include <functional>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/back_in_stock.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/product.hpp"
#include "core/query.hpp"
#include "core/responses.hpp"
#include "core/subscriber.hpp"
#include "server/read_pool.hpp"
#include "server/store.hpp"
#include "server/write_cache.hpp"
#include "server/writer.hpp"

namespace stockbell::server {

int64_t now_ms();

class Service {
 public:
  Service(Writer& writer, ReadPool& reads) : writer_(writer), reads_(reads) {
    writer_.on_rollback([this] { cache_.clear(); });
  }

  uint64_t id_key() const { return writer_.id_key(); }
  std::string public_id(IdKind kind, int64_t row) const;
  std::optional<int64_t> row_of(IdKind kind, std::string_view public_id) const;

  /// SPEC §5: creates the subscriber and the waiting request (or finds the waiting one).
  RegisterOutcome register_request(int64_t store_id, Trust trust,
                                   const BackInStockRequest& request);

  /// SPEC §6: applies the batch, then notifies every waiting request whose target is now in
  /// stock, all in one transaction.
  struct UpsertOutcome {
    std::vector<store::ProductRow> products;
    int64_t events_triggered = 0;
  };
  UpsertOutcome upsert_products(int64_t store_id, const ProductUpsert& upsert);

  std::optional<store::ProductRow> get_product(int64_t store_id, const std::string& product_id);
  bool delete_product(int64_t store_id, const std::string& product_id);
  struct ProductPage {
    std::vector<store::ProductRow> rows;
    int64_t total = 0;
  };
  ProductPage list_products(int64_t store_id, const ProductListQuery& query);

  struct RequestPage {
    std::vector<store::RequestRow> rows;
    int64_t total = 0;
  };
  RequestPage list_requests(int64_t store_id, const RequestListQuery& query);

  /// Cancels a waiting request. A cancelled one is returned as it is (idempotent); a notified one
  /// is a `conflict`; an unknown id (or another store's) is `not_found`.
  Result<store::RequestRow> cancel_request(int64_t store_id, const std::string& request_id);

  struct EventPage {
    std::vector<store::EventRow> rows;
    bool has_more = false;
  };
  /// `after` must be an event id of this database (`evt_...`), else validation_failed.
  Result<EventPage> list_events(int64_t store_id, const EventListQuery& query);

  struct Availability {
    bool in_stock = false;
    bool known = false;
  };
  Availability availability(int64_t store_id, const AvailabilityQuery& query);

  /// Builders from rows to core's view types, with public ids.
  RequestView request_view(const store::RequestRow& row) const;
  EventData event_data(const store::EventRow& row) const;
  ProductMeta product_meta(const store::ProductRow& row) const;

  Writer& writer() { return writer_; }
  /// The writer's lookups (use only inside writer jobs).
  WriteCache& write_cache() { return cache_; }
  ReadPool& reads() { return reads_; }

  /// Called after a commit that wrote webhook deliveries (the dispatcher's wake-up).
  void set_outbox_listener(std::function<void()> listener) { outbox_listener_ = std::move(listener); }
  void outbox_written() const {
    if (outbox_listener_) outbox_listener_();
  }

 private:
  Writer& writer_;
  ReadPool& reads_;
  std::function<void()> outbox_listener_;
  WriteCache cache_;
};

}  // namespace stockbell::server
