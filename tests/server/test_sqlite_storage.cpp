// server/store/sqlite: the SQLite backend, used only through the Storage interface
// (server/store/storage.hpp) on a real file, as the use cases use it: what a write commits a read
// sees, a write that throws leaves nothing, the writer's cache never serves what a write changed,
// the one-waiting-request rule, notification, the outbox wake-up, public ids and stopping.

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "server/store/storage.hpp"
#include "support.hpp"

using namespace stockbell;
using namespace stockbell::server;
using stockbell::testing::TempDir;

// No doctest assertion runs inside a write function: those run on the writer's thread.

namespace {

constexpr int64_t kNow = 1'700'000'000'000;

Product product(const std::string& id, const std::string& title) {
  Product p;
  p.product_id = id;
  p.title = title;
  return p;
}

/// One store in a fresh database, with the registration steps the use cases take.
struct Shop {
  TempDir dir;
  std::string path = dir.file("stockbell.db");
  std::unique_ptr<Storage> storage = open_storage(path);
  int64_t store = storage->write([](WriteTx& tx) { return tx.create_store("shop", kNow); });

  struct Registered {
    int64_t target = 0;
    int64_t subscriber = 0;
    int64_t request = 0;
    int64_t event = 0;  ///< its `ecommerce.back_in_stock_requested` event
  };
  /// What registering does: a waiting request with its event and catalog snapshot.
  Registered register_request(WriteTx& tx, const std::string& product_id,
                              const std::string& email) {
    Registered r;
    r.target = tx.target_id(store, product_id, product_id);
    std::optional<SubscriberRecord> known = tx.find_subscriber(store, email);
    r.subscriber = known ? known->id : tx.insert_subscriber(store, email, {}, kNow);
    r.request = tx.insert_request(r.target, r.subscriber, std::nullopt, std::nullopt, kNow);
    const int64_t snapshot = tx.current_snapshot_id(store, r.target, product_id, product_id);
    r.event = tx.insert_event(store, EventType::back_in_stock_requested, r.request, snapshot, kNow);
    return r;
  }
  Registered register_request(const std::string& product_id, const std::string& email) {
    return storage->write([&](WriteTx& tx) { return register_request(tx, product_id, email); });
  }
  void save(const Product& p) {
    storage->write([&](WriteTx& tx) { tx.save_product(store, p, kNow); });
  }
  std::optional<std::string> event_product_title(int64_t event) {
    std::optional<EventRecord> e = storage->read([&](ReadTx& tx) { return tx.find_event(event); });
    REQUIRE(e.has_value());
    return e->catalog.product_title;
  }
  RequestRecord request(int64_t id) {
    std::optional<RequestRecord> r =
        storage->read([&](ReadTx& tx) { return tx.find_request(store, id); });
    REQUIRE(r.has_value());
    return *r;
  }
  int64_t count_requests() {
    return storage->read([&](ReadTx& tx) { return tx.count_requests(store, {}); });
  }
};

struct Boom : std::runtime_error {
  Boom() : std::runtime_error("boom") {}
};

}  // namespace

TEST_CASE("what a write committed, a read sees, also after reopening the file") {
  Shop shop;
  shop.save(product("P", "Protein"));
  const std::optional<ProductRecord> read =
      shop.storage->read([&](ReadTx& tx) { return tx.find_product(shop.store, "P"); });
  REQUIRE(read.has_value());
  CHECK(read->product.title == "Protein");
  CHECK(read->created_at == kNow);

  shop.storage.reset();
  shop.storage = open_storage(shop.path);
  CHECK(shop.storage->read([&](ReadTx& tx) { return tx.find_store("shop"); }) ==
        std::optional<int64_t>(shop.store));
  CHECK(
      shop.storage->read([&](ReadTx& tx) { return tx.find_product(shop.store, "P"); }).has_value());
}

TEST_CASE("a write that throws leaves nothing behind; its exception reaches the caller") {
  Shop shop;
  CHECK_THROWS_AS(shop.storage->write([&](WriteTx& tx) {
    tx.create_store("gone", kNow);
    tx.save_product(shop.store, product("P", "Protein"), kNow);
    shop.register_request(tx, "P", "a@example.com");
    throw Boom();
  }),
                  Boom);
  CHECK_FALSE(shop.storage->read([&](ReadTx& tx) { return tx.find_store("gone"); }).has_value());
  CHECK_FALSE(
      shop.storage->read([&](ReadTx& tx) { return tx.find_product(shop.store, "P"); }).has_value());
  CHECK(shop.count_requests() == 0);

  // The storage goes on, and nothing cached in the failed write is served afterwards: the
  // target and snapshot rows it inserted were rolled back with it.
  const Shop::Registered r = shop.register_request("P", "a@example.com");
  CHECK(shop.request(r.request).product_id == "P");
  CHECK(shop.event_product_title(r.event) == std::nullopt);  // no product was stored
}

TEST_CASE("saving a product refreshes the snapshot the next registration gets") {
  Shop shop;
  shop.save(product("P", "Old title"));
  const Shop::Registered first = shop.register_request("P", "a@example.com");  // caches it
  shop.save(product("P", "New title"));
  const Shop::Registered second = shop.register_request("P", "b@example.com");
  CHECK(shop.event_product_title(first.event) == std::optional<std::string>("Old title"));
  CHECK(shop.event_product_title(second.event) == std::optional<std::string>("New title"));

  // Deleting it too: the next registration's snapshot has no catalog facts.
  CHECK(shop.storage->write([&](WriteTx& tx) { return tx.delete_product(shop.store, "P"); }));
  const Shop::Registered third = shop.register_request("P", "c@example.com");
  CHECK(shop.event_product_title(third.event) == std::nullopt);
}

TEST_CASE("adding or disabling a webhook is seen by the next write") {
  Shop shop;
  auto any = [&] {
    return shop.storage->write([&](WriteTx& tx) { return tx.has_enabled_webhooks(shop.store); });
  };
  CHECK_FALSE(any());  // a "no" the writer may remember
  WebhookRecord webhook;
  webhook.store_id = shop.store;
  webhook.url = "https://hooks.example/stockbell";
  webhook.secret = "whsec_test";
  webhook.id = shop.storage->write([&](WriteTx& tx) { return tx.insert_webhook(webhook); });
  CHECK(any());
  webhook.enabled = false;
  shop.storage->write([&](WriteTx& tx) { tx.update_webhook(webhook); });
  CHECK_FALSE(any());
}

TEST_CASE("one waiting request per target and subscriber; notified or cancelled ones don't count") {
  Shop shop;
  const Shop::Registered first = shop.register_request("P", "a@example.com");
  CHECK_THROWS(shop.storage->write([&](WriteTx& tx) {
    tx.insert_request(first.target, first.subscriber, std::nullopt, std::nullopt, kNow);
  }));
  CHECK(shop.count_requests() == 1);
  CHECK(shop.storage
            ->write([&](WriteTx& tx) {
              return tx.find_waiting_request(first.target, first.subscriber);
            })
            ->id == first.request);

  // Another subscriber, or another target, is another request.
  shop.register_request("P", "b@example.com");
  shop.register_request("Q", "a@example.com");
  CHECK(shop.count_requests() == 3);

  // Once notified, the same subscriber can wait for the same target again.
  const EventRange notified = shop.storage->write([&](WriteTx& tx) {
    const int64_t snapshot = tx.current_snapshot_id(shop.store, first.target, "P", "P");
    return tx.notify_target(shop.store, first.target, snapshot, kNow);
  });
  CHECK(notified.count == 2);
  const Shop::Registered again = shop.register_request("P", "a@example.com");
  CHECK(shop.request(again.request).status == RequestStatus::waiting);
  CHECK(shop.request(first.request).status == RequestStatus::notified);

  // And once cancelled.
  CHECK(shop.storage->write(
      [&](WriteTx& tx) { return tx.cancel_request(shop.store, again.request, kNow); }));
  const Shop::Registered third = shop.register_request("P", "a@example.com");
  CHECK(shop.request(third.request).status == RequestStatus::waiting);
  CHECK(shop.count_requests() == 5);
}

TEST_CASE("notify_target notifies each waiting request of a target once, events consecutive") {
  Shop shop;
  shop.save(product("P", "Protein"));
  std::vector<int64_t> waiting;
  for (const char* email : {"a@example.com", "b@example.com", "c@example.com"})
    waiting.push_back(shop.register_request("P", email).request);
  const int64_t cancelled = shop.register_request("P", "d@example.com").request;
  shop.storage->write([&](WriteTx& tx) { tx.cancel_request(shop.store, cancelled, kNow); });
  const Shop::Registered elsewhere = shop.register_request("Q", "a@example.com");
  const int64_t target =
      shop.storage->write([&](WriteTx& tx) { return tx.target_id(shop.store, "P", "P"); });

  const EventRange events = shop.storage->write([&](WriteTx& tx) {
    const int64_t snapshot = tx.current_snapshot_id(shop.store, target, "P", "P");
    return tx.notify_target(shop.store, target, snapshot, kNow + 5);
  });
  CHECK(events.count == 3);
  CHECK(events.last - events.first + 1 == 3);

  const std::vector<EventRecord> feed = shop.storage->read(
      [&](ReadTx& tx) { return tx.list_events(shop.store, EventType::back_in_stock, 0, 100); });
  REQUIRE(feed.size() == 3);
  for (size_t i = 0; i < feed.size(); ++i) {
    INFO("event " << i);
    CHECK(feed[i].id == events.first + static_cast<int64_t>(i));
    CHECK(feed[i].request_id == waiting[i]);  // in request order
    CHECK(feed[i].catalog.product_title == std::optional<std::string>("Protein"));
    CHECK(feed[i].created_at == kNow + 5);
    const RequestRecord r = shop.request(waiting[i]);
    CHECK(r.status == RequestStatus::notified);
    CHECK(r.notified_at == std::optional<int64_t>(kNow + 5));
  }
  CHECK(shop.request(cancelled).status == RequestStatus::cancelled);
  CHECK(shop.request(elsewhere.request).status == RequestStatus::waiting);

  // Never twice.
  const EventRange repeat = shop.storage->write([&](WriteTx& tx) {
    const int64_t snapshot = tx.current_snapshot_id(shop.store, target, "P", "P");
    return tx.notify_target(shop.store, target, snapshot, kNow + 6);
  });
  CHECK(repeat.count == 0);
}

TEST_CASE("the outbox listener fires after a commit that enqueued deliveries, and only then") {
  Shop shop;
  std::atomic<int> wakeups{0};
  int64_t pending_seen = -1;  // what a reader saw when the listener fired
  WebhookRecord webhook;
  webhook.store_id = shop.store;
  webhook.url = "https://hooks.example/stockbell";
  webhook.secret = "whsec_test";
  webhook.id = shop.storage->write([&](WriteTx& tx) { return tx.insert_webhook(webhook); });
  shop.storage->on_outbox_written([&] {
    ++wakeups;
    pending_seen = shop.storage->read(
        [&](ReadTx& tx) { return tx.count_deliveries(webhook.id, DeliveryStatus::pending); });
  });

  auto enqueue = [&](WriteTx& tx, const std::string& product_id) {
    const Shop::Registered r = shop.register_request(tx, product_id, "a@example.com");
    return tx.enqueue_deliveries(shop.store, EventType::back_in_stock_requested, r.event, r.event,
                                 kNow);
  };
  CHECK(shop.storage->write([&](WriteTx& tx) { return enqueue(tx, "P"); }) == 1);
  CHECK(wakeups == 1);
  CHECK(pending_seen == 1);  // fired after the commit: the delivery is readable

  shop.register_request("Q", "a@example.com");  // a write without deliveries
  CHECK(wakeups == 1);

  CHECK_THROWS_AS(shop.storage->write([&](WriteTx& tx) {
    enqueue(tx, "R");
    throw Boom();
  }),
                  Boom);
  CHECK(wakeups == 1);  // rolled back: nothing to send

  const int64_t other =
      shop.storage->write([](WriteTx& tx) { return tx.create_store("other", kNow); });
  const int64_t enqueued = shop.storage->write([&](WriteTx& tx) {
    const int64_t target = tx.target_id(other, "P", "P");
    const int64_t subscriber = tx.insert_subscriber(other, "a@example.com", {}, kNow);
    const int64_t request = tx.insert_request(target, subscriber, std::nullopt, std::nullopt, kNow);
    const int64_t snapshot = tx.current_snapshot_id(other, target, "P", "P");
    const int64_t event =
        tx.insert_event(other, EventType::back_in_stock_requested, request, snapshot, kNow);
    return tx.enqueue_deliveries(other, EventType::back_in_stock_requested, event, event, kNow);
  });
  CHECK(enqueued == 0);
  CHECK(wakeups == 1);  // a store without webhooks enqueues nothing
}

TEST_CASE("public ids round-trip, and stay the same when the database is reopened") {
  Shop shop;
  const std::string id = shop.storage->ids().format(IdKind::request, 42);
  CHECK(id.rfind("bisr_", 0) == 0);
  CHECK(id.size() == 5 + 13);
  for (int64_t row : {int64_t{1}, int64_t{2}, int64_t{42}, int64_t{1} << 40}) {
    INFO("row " << row);
    CHECK(shop.storage->ids().parse(IdKind::request,
                                    shop.storage->ids().format(IdKind::request, row)) ==
          std::optional<int64_t>(row));
  }
  CHECK_FALSE(shop.storage->ids().parse(IdKind::event, id).has_value());  // another kind

  shop.storage.reset();
  shop.storage = open_storage(shop.path);
  CHECK(shop.storage->ids().format(IdKind::request, 42) == id);

  // Another database has its own key (random): its ids for the same rows differ.
  TempDir other_dir;
  const std::unique_ptr<Storage> other = open_storage(other_dir.file("other.db"));
  CHECK(other->ids().format(IdKind::request, 42) != id);
}

TEST_CASE("after stop(), writes are refused with StorageUnavailable; what was written stays") {
  Shop shop;
  shop.save(product("P", "Protein"));
  shop.storage->stop();
  CHECK_THROWS_AS(shop.save(product("Q", "Quinoa")), StorageUnavailable);
  CHECK_THROWS_AS(shop.storage->write([](WriteTx& tx) { return tx.create_store("x", kNow); }),
                  StorageUnavailable);

  shop.storage.reset();
  shop.storage = open_storage(shop.path);
  CHECK(
      shop.storage->read([&](ReadTx& tx) { return tx.find_product(shop.store, "P"); }).has_value());
  CHECK_FALSE(
      shop.storage->read([&](ReadTx& tx) { return tx.find_product(shop.store, "Q"); }).has_value());
}
