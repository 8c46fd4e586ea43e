#include "server/service.hpp"

#include "server/webhook_store.hpp"

#include "core/event.hpp"
#include "core/ids.hpp"
#include "core/timestamp.hpp"

namespace stockbell::server {

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string Service::public_id(IdKind kind, int64_t row) const {
  return format_id(kind, static_cast<uint64_t>(row), id_key());
}

std::optional<int64_t> Service::row_of(IdKind kind, std::string_view id) const {
  std::optional<uint64_t> row = parse_id(kind, id, id_key());
  if (!row || *row > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(*row);
}

RegisterOutcome Service::register_request(int64_t store_id, Trust trust,
                                          const BackInStockRequest& request) {
  struct Rows {
    int64_t subscriber = 0;
    int64_t request = 0;
    bool created = false;
    int64_t deliveries = 0;
  };
  const Rows rows = writer_.run([&](Database& db) {
    const int64_t now = now_ms();
    const Customer& customer = request.customer;
    std::optional<store::SubscriberRow> subscriber =
        store::find_subscriber(db, store_id, customer.email);
    Rows out;
    if (subscriber) {
      out.subscriber = subscriber->id;
      const SubscriberProfile updated = apply_customer(subscriber->profile, customer, trust);
      if (!(updated == subscriber->profile))
        store::update_subscriber(db, subscriber->id, updated, now);
    } else {
      out.subscriber = store::insert_subscriber(
          db, store_id, customer.email, apply_customer(SubscriberProfile{}, customer, trust), now);
    }
    const int64_t target = cache_.target(db, store_id, request.product_id, request.variant_id);
    // A subscriber created just now has no requests yet.
    if (std::optional<store::RequestRow> waiting =
            subscriber ? store::find_waiting_request(db, target, out.subscriber) : std::nullopt) {
      out.request = waiting->id;
      if (request.product_title || request.variant_title)
        store::update_request_titles(db, waiting->id, request.product_title, request.variant_title);
      return out;
    }
    out.request = store::insert_request(db, target, out.subscriber, request.product_title,
                                        request.variant_title, now);
    out.created = true;
    const int64_t snapshot =
        cache_.snapshot(db, store_id, target, request.product_id, request.variant_id);
    const int64_t event = store::insert_event(db, store_id, EventType::back_in_stock_requested,
                                              out.request, snapshot, now);
    if (cache_.has_webhooks(db, store_id))
      out.deliveries = store::enqueue_deliveries(db, store_id, EventType::back_in_stock_requested,
                                                 event, event, now);
    return out;
  });
  if (rows.deliveries > 0) outbox_written();
  return RegisterOutcome{public_id(IdKind::subscriber, rows.subscriber),
                         public_id(IdKind::request, rows.request), RequestStatus::waiting,
                         rows.created};
}

Service::UpsertOutcome Service::upsert_products(int64_t store_id, const ProductUpsert& upsert) {
  int64_t deliveries = 0;
  UpsertOutcome outcome = writer_.run([&](Database& db) {
    deliveries = 0;  // the writer may run a job twice (see Writer::run_group)
    const int64_t now = now_ms();
    UpsertOutcome out;
    out.products.reserve(upsert.products.size());
    for (const ProductPatch& patch : upsert.products) {
      std::optional<store::ProductRow> stored = store::find_product(db, store_id, patch.product_id);
      const Product merged = apply_patch(stored ? &stored->product : nullptr, patch);
      out.products.push_back(store::save_product(db, store_id, merged, now));
      cache_.product_changed(store_id, patch.product_id);
    }
    // Notify in the same transaction: a request is notified exactly when its stock change is
    // committed, and the single writer means two upserts can never both see it waiting.
    for (const store::ProductRow& row : out.products) {
      for (const auto& [target, variant_id] :
           store::waiting_targets(db, store_id, row.product.product_id)) {
        if (!resolve_target(row.product, variant_id).in_stock) continue;
        const int64_t snapshot =
            store::snapshot_id(db, target, snapshot_of(&row.product, variant_id));
        const store::EventRange events = store::notify_target(db, store_id, target, snapshot, now);
        out.events_triggered += events.count;
        if (events.count > 0)
          deliveries += store::enqueue_deliveries(db, store_id, EventType::back_in_stock,
                                                  events.first, events.last, now);
      }
    }
    return out;
  });
  if (deliveries > 0) outbox_written();
  return outcome;
}

std::optional<store::ProductRow> Service::get_product(int64_t store_id,
                                                      const std::string& product_id) {
  auto db = reads_.acquire();
  return store::find_product(*db, store_id, product_id);
}

bool Service::delete_product(int64_t store_id, const std::string& product_id) {
  return writer_.run([&](Database& db) {
    cache_.product_changed(store_id, product_id);
    return store::delete_product(db, store_id, product_id);
  });
}

Service::ProductPage Service::list_products(int64_t store_id, const ProductListQuery& query) {
  auto db = reads_.acquire();
  Transaction snapshot(*db, Transaction::Mode::deferred);  // rows and total agree
  ProductPage page;
  page.rows = store::list_products(*db, store_id, query);
  page.total = store::count_products(*db, store_id, query);
  return page;
}

Service::RequestPage Service::list_requests(int64_t store_id, const RequestListQuery& query) {
  auto db = reads_.acquire();
  Transaction snapshot(*db, Transaction::Mode::deferred);
  RequestPage page;
  page.rows = store::list_requests(*db, store_id, query);
  page.total = store::count_requests(*db, store_id, query);
  return page;
}

Result<store::RequestRow> Service::cancel_request(int64_t store_id, const std::string& request_id) {
  const std::optional<int64_t> row = row_of(IdKind::request, request_id);
  if (!row) return make_error(ApiCode::not_found, "No back-in-stock request with that id.");
  return writer_.run([&](Database& db) -> Result<store::RequestRow> {
    std::optional<store::RequestRow> request = store::find_request(db, store_id, *row);
    if (!request) return make_error(ApiCode::not_found, "No back-in-stock request with that id.");
    if (request->status == RequestStatus::notified)
      return make_error(ApiCode::conflict,
                        "The request was already notified and can no longer be cancelled.");
    if (request->status == RequestStatus::waiting) {
      store::cancel_request(db, store_id, *row, now_ms());
      request = store::find_request(db, store_id, *row);
    }
    return *request;
  });
}

Result<Service::EventPage> Service::list_events(int64_t store_id, const EventListQuery& query) {
  int64_t after = 0;
  if (query.after) {
    const std::optional<int64_t> row = row_of(IdKind::event, *query.after);
    if (!row) {
      Problems problems;
      problems.add("after", FieldCode::invalid_type, std::nullopt, "an event id (evt_...)");
      return validation_error(problems);
    }
    after = *row;
  }
  auto db = reads_.acquire();
  EventPage page;
  page.rows = store::list_events(*db, store_id, query.type, after, query.limit + 1);
  if (static_cast<int64_t>(page.rows.size()) > query.limit) {
    page.rows.pop_back();
    page.has_more = true;
  }
  return page;
}

Service::Availability Service::availability(int64_t store_id, const AvailabilityQuery& query) {
  auto db = reads_.acquire();
  std::optional<store::ProductRow> product = store::find_product(*db, store_id, query.product_id);
  if (!product) return {};
  const TargetState target = resolve_target(product->product, query.variant_id);
  return Availability{target.in_stock, target.known};
}

RequestView Service::request_view(const store::RequestRow& row) const {
  RequestView v;
  v.id = public_id(IdKind::request, row.id);
  v.product_id = row.product_id;
  v.variant_id = row.variant_id;
  v.product_title = row.product_title;
  v.variant_title = row.variant_title;
  v.status = row.status;
  v.subscriber_id = public_id(IdKind::subscriber, row.subscriber_id);
  v.email = row.email;
  v.created_at_ms = row.created_at;
  v.notified_at_ms = row.notified_at;
  v.cancelled_at_ms = row.cancelled_at;
  return v;
}

EventData Service::event_data(const store::EventRow& row) const {
  EventData e;
  e.id = public_id(IdKind::event, row.id);
  e.type = row.type;
  e.created_at_ms = row.created_at;
  e.subscriber = EventSubscriber{public_id(IdKind::subscriber, row.subscriber_id), row.email,
                                 row.first_name, row.last_name, row.external_id};
  e.product_id = row.product_id;
  e.variant_id = row.variant_id;
  e.request_product_title = row.request_product_title;
  e.request_variant_title = row.request_variant_title;
  e.catalog = row.catalog;
  e.request_id = public_id(IdKind::request, row.request_id);
  e.request_created_at_ms = row.request_created_at;
  return e;
}

ProductMeta Service::product_meta(const store::ProductRow& row) const {
  return ProductMeta{public_id(IdKind::product, row.id), format_timestamp(row.created_at),
                     format_timestamp(row.updated_at)};
}

}  // namespace stockbell::server
