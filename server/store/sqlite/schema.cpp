#include "server/store/sqlite/schema.hpp"

#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <iterator>

namespace stockbell::server {
namespace {

// Each entry migrates from version i to i+1; `PRAGMA user_version` records how far a database is.
// Never edit a shipped migration: add a new one.
constexpr const char* kMigrations[] = {
    // 1: stores, keys, catalog, subscribers, requests, events.
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE stores (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

-- Only a SHA-256 of each key is kept; the key itself is shown once, at creation.
CREATE TABLE api_keys (
  id         INTEGER PRIMARY KEY,
  store_id   INTEGER NOT NULL REFERENCES stores(id),
  kind       TEXT NOT NULL CHECK (kind IN ('secret', 'publishable')),
  key_hash   BLOB NOT NULL UNIQUE CHECK (length(key_hash) = 32),
  created_at INTEGER NOT NULL
);

CREATE TABLE api_key_origins (
  key_id INTEGER NOT NULL REFERENCES api_keys(id),
  origin TEXT NOT NULL,
  PRIMARY KEY (key_id, origin)
) WITHOUT ROWID;
CREATE INDEX api_key_origins_by_origin ON api_key_origins(origin);

-- One subscriber per store and e-mail (lower-cased).
CREATE TABLE subscribers (
  id          INTEGER PRIMARY KEY,
  store_id    INTEGER NOT NULL REFERENCES stores(id),
  email       TEXT NOT NULL,
  external_id TEXT,
  first_name  TEXT,
  last_name   TEXT,
  attributes  TEXT NOT NULL DEFAULT '{}',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (store_id, email)
);

-- `data` is what the store sent (core's storage JSON); effective stock is derived from it.
-- `search_text` is id and title case-folded (core/text.hpp fold_case) for ?search=.
-- AUTOINCREMENT (here and for webhooks and deliveries, the rows that can be deleted): a public
-- id, derived from the row id, is never given to another row after a delete.
CREATE TABLE products (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  store_id    INTEGER NOT NULL REFERENCES stores(id),
  product_id  TEXT NOT NULL,
  title       TEXT NOT NULL,
  search_text TEXT NOT NULL,
  data        TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (store_id, product_id)
);

-- What requests wait on: (product, variant) of a store. Requests refer to it by number, so a
-- million waiting requests don't repeat the ids a million times.
CREATE TABLE targets (
  id         INTEGER PRIMARY KEY,
  store_id   INTEGER NOT NULL REFERENCES stores(id),
  product_id TEXT NOT NULL,
  variant_id TEXT NOT NULL,
  UNIQUE (store_id, product_id, variant_id)
);

-- Catalog facts captured by events (title, price, image at the time); shared by every event of
-- one fan-out.
CREATE TABLE snapshots (
  id            INTEGER PRIMARY KEY,
  target_id     INTEGER NOT NULL REFERENCES targets(id),
  product_title TEXT,
  variant_title TEXT,
  url           TEXT,
  image_url     TEXT,
  price_cents   INTEGER,
  currency      TEXT
);
CREATE INDEX snapshots_by_target ON snapshots(target_id, id);

-- status: 0 waiting, 1 notified, 2 cancelled.
CREATE TABLE requests (
  id            INTEGER PRIMARY KEY,
  target_id     INTEGER NOT NULL REFERENCES targets(id),
  subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),
  status        INTEGER NOT NULL CHECK (status IN (0, 1, 2)),
  product_title TEXT,
  variant_title TEXT,
  created_at    INTEGER NOT NULL,
  notified_at   INTEGER,
  cancelled_at  INTEGER
);
-- At most one waiting request per target and subscriber: a repeat can't create a second one.
CREATE UNIQUE INDEX requests_one_waiting ON requests(target_id, subscriber_id) WHERE status = 0;
CREATE INDEX requests_by_target ON requests(target_id, status);
CREATE INDEX requests_by_subscriber ON requests(subscriber_id);

-- type: 0 ecommerce.back_in_stock_requested, 1 ecommerce.back_in_stock.
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  store_id    INTEGER NOT NULL REFERENCES stores(id),
  type        INTEGER NOT NULL CHECK (type IN (0, 1)),
  request_id  INTEGER NOT NULL REFERENCES requests(id),
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
  created_at  INTEGER NOT NULL
);
CREATE INDEX events_by_store ON events(store_id, id);
-- A request is requested once and notified at most once, whatever crashes or races happen.
CREATE UNIQUE INDEX events_once ON events(request_id, type);
)sql",
    // 2: webhooks and their outbox.
    R"sql(
-- The signing secret must be kept in clear: the server signs with it.
CREATE TABLE webhooks (
  id                     INTEGER PRIMARY KEY AUTOINCREMENT,
  store_id               INTEGER NOT NULL REFERENCES stores(id),
  url                    TEXT NOT NULL,
  description            TEXT,
  event_mask             INTEGER NOT NULL CHECK (event_mask BETWEEN 1 AND 3),
  enabled                INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  secret                 TEXT NOT NULL,
  previous_secret        TEXT,
  previous_secret_until  INTEGER,
  created_at             INTEGER NOT NULL,
  updated_at             INTEGER NOT NULL
);
CREATE INDEX webhooks_by_store ON webhooks(store_id);

-- The outbox: one row per event and endpoint, written in the event's own transaction.
-- status: 0 pending, 1 delivered, 2 failed. `due_since` starts the retry window.
CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id      INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_id        INTEGER NOT NULL REFERENCES events(id),
  status          INTEGER NOT NULL CHECK (status IN (0, 1, 2)),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  due_since       INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  delivered_at    INTEGER,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX deliveries_due ON deliveries(webhook_id, next_attempt_at) WHERE status = 0;
CREATE INDEX deliveries_by_webhook ON deliveries(webhook_id, id);

CREATE TABLE delivery_attempts (
  id           INTEGER PRIMARY KEY,
  delivery_id  INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
  attempted_at INTEGER NOT NULL,
  duration_ms  INTEGER NOT NULL,
  status_code  INTEGER,
  error        TEXT
);
CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts(delivery_id, id);
)sql",
    // 3: revoked keys. A revoked key keeps its row (and id), so an id that `keys list` showed
    // never comes back for another key.
    R"sql(
ALTER TABLE api_keys ADD COLUMN revoked_at INTEGER;
)sql",
    // 4: indexes without a `WHERE status = 0`. Queries bind their status values (see
    // server/store/db_values.hpp); a partial index makes SQLite re-prepare a statement every
    // time such a value is bound (measured: 15 µs instead of 0.7 µs for the waiting-request
    // lookup). The one-waiting rule stays a unique index, on an expression that is NULL (and
    // NULLs never collide) for every request that is not waiting.
    R"sql(
DROP INDEX requests_one_waiting;
CREATE UNIQUE INDEX requests_one_waiting
  ON requests(target_id, (CASE WHEN status = 0 THEN subscriber_id END));
DROP INDEX requests_by_subscriber;
CREATE INDEX requests_by_subscriber ON requests(subscriber_id, target_id, status);
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries(webhook_id, status, next_attempt_at);
)sql",
    // 5: the whole request lifecycle (pending 3, expired 4, purchased 5; server/store/
    // db_values.cpp), which the CHECK of migration 1 refused: SQLite changes a CHECK only by
    // rebuilding the table (foreign keys are off while migrations run). And store settings.
    R"sql(
CREATE TABLE requests_v5 (
  id            INTEGER PRIMARY KEY,
  target_id     INTEGER NOT NULL REFERENCES targets(id),
  subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),
  status        INTEGER NOT NULL CHECK (status IN (0, 1, 2, 3, 4, 5)),
  product_title TEXT,
  variant_title TEXT,
  created_at    INTEGER NOT NULL,
  notified_at   INTEGER,
  cancelled_at  INTEGER
);
INSERT INTO requests_v5(id, target_id, subscriber_id, status, product_title, variant_title,
                        created_at, notified_at, cancelled_at)
  SELECT id, target_id, subscriber_id, status, product_title, variant_title, created_at,
         notified_at, cancelled_at FROM requests;
DROP TABLE requests;
ALTER TABLE requests_v5 RENAME TO requests;
CREATE UNIQUE INDEX requests_one_waiting
  ON requests(target_id, (CASE WHEN status = 0 THEN subscriber_id END));
CREATE INDEX requests_by_target ON requests(target_id, status);
CREATE INDEX requests_by_subscriber ON requests(subscriber_id, target_id, status);

-- core/settings.hpp: `data` is settings_json() of the store's settings; no row: the defaults.
CREATE TABLE store_settings (
  store_id   INTEGER PRIMARY KEY REFERENCES stores(id),
  data       TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql",
    // 6: orders and conversions, order events, store platform connections. Events get order
    // types (2..5, server/store/db_values.cpp) and belong to a request or to an order; webhook
    // endpoints may take the new types (mask bits 2..5). Both CHECKs change: the tables are
    // rebuilt (foreign keys are off while migrations run), keeping the webhooks' AUTOINCREMENT
    // high-water mark so a deleted endpoint's public id never comes back.
    R"sql(
-- `data` is core's order_to_storage(); the columns are what queries filter and sum on.
-- `purchased_at`: when the order was first seen as a purchase (its effects are applied once).
CREATE TABLE orders (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  store_id     INTEGER NOT NULL REFERENCES stores(id),
  order_id     TEXT NOT NULL,
  status       INTEGER NOT NULL CHECK (status IN (0, 1, 2, 3)),
  currency     TEXT NOT NULL,
  total_cents  INTEGER NOT NULL,
  ordered_at   INTEGER NOT NULL,
  data         TEXT NOT NULL,
  purchased_at INTEGER,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  UNIQUE (store_id, order_id)
);

-- What a purchase did to its buyer's requests: effect 0 ended a waiting request (purchased),
-- 1 converted a notified one. One row per request at most (it goes with its request when a
-- shopper's data is erased). `reversed_at`: the order was cancelled or refunded since (a
-- conversion no longer counts).
CREATE TABLE purchases (
  request_id    INTEGER PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
  order_id      INTEGER NOT NULL REFERENCES orders(id),
  store_id      INTEGER NOT NULL REFERENCES stores(id),
  effect        INTEGER NOT NULL CHECK (effect IN (0, 1)),
  product_id    TEXT NOT NULL,
  variant_id    TEXT NOT NULL,
  revenue_cents INTEGER NOT NULL,
  currency      TEXT NOT NULL,
  at            INTEGER NOT NULL,
  reversed_at   INTEGER
);
CREATE INDEX purchases_by_order ON purchases(order_id);
CREATE INDEX purchases_by_store ON purchases(store_id, effect, at);

CREATE TABLE events_v6 (
  id          INTEGER PRIMARY KEY,
  store_id    INTEGER NOT NULL REFERENCES stores(id),
  type        INTEGER NOT NULL CHECK (type IN (0, 1, 2, 3, 4, 5)),
  request_id  INTEGER REFERENCES requests(id),
  snapshot_id INTEGER REFERENCES snapshots(id),
  order_id    INTEGER REFERENCES orders(id),
  data        TEXT,
  created_at  INTEGER NOT NULL,
  CHECK ((request_id IS NULL) = (order_id IS NOT NULL))
);
INSERT INTO events_v6(id, store_id, type, request_id, snapshot_id, created_at)
  SELECT id, store_id, type, request_id, snapshot_id, created_at FROM events;
DROP TABLE events;
ALTER TABLE events_v6 RENAME TO events;
CREATE INDEX events_by_store ON events(store_id, id);
CREATE UNIQUE INDEX events_once ON events(request_id, type);
-- An order records each status once, whatever is pushed again. Partial, so the millions of
-- back-in-stock events of a fan-out add no entries to it; no bound value is ever compared with
-- its condition (the upsert spells it out), so statements are not re-prepared per bind.
CREATE UNIQUE INDEX events_once_per_order ON events(order_id, type) WHERE order_id IS NOT NULL;

CREATE TABLE webhooks_v6 (
  id                     INTEGER PRIMARY KEY AUTOINCREMENT,
  store_id               INTEGER NOT NULL REFERENCES stores(id),
  url                    TEXT NOT NULL,
  description            TEXT,
  event_mask             INTEGER NOT NULL CHECK (event_mask BETWEEN 1 AND 63),
  enabled                INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  secret                 TEXT NOT NULL,
  previous_secret        TEXT,
  previous_secret_until  INTEGER,
  created_at             INTEGER NOT NULL,
  updated_at             INTEGER NOT NULL
);
INSERT INTO webhooks_v6 SELECT id, store_id, url, description, event_mask, enabled, secret,
  previous_secret, previous_secret_until, created_at, updated_at FROM webhooks;
INSERT INTO sqlite_sequence(name, seq) SELECT 'webhooks_v6', 0
  WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'webhooks_v6');
UPDATE sqlite_sequence
  SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'webhooks'), 0))
  WHERE name = 'webhooks_v6';
DROP TABLE webhooks;
ALTER TABLE webhooks_v6 RENAME TO webhooks;
CREATE INDEX webhooks_by_store ON webhooks(store_id);

-- A store's connection to Shopify or WooCommerce. `token` is the path segment of its webhook
-- address; `secret` verifies the platform's HMAC, so it is kept in clear (never shown again).
-- `origin`: a WooCommerce store's browser origin (the storefront capture), one store each.
CREATE TABLE integrations (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  store_id   INTEGER NOT NULL REFERENCES stores(id),
  platform   TEXT NOT NULL CHECK (platform IN ('shopify', 'woocommerce')),
  token      TEXT NOT NULL UNIQUE,
  address    TEXT NOT NULL,
  origin     TEXT,
  secret     TEXT NOT NULL,
  currency   TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (store_id, platform),
  UNIQUE (platform, origin)
);

-- Deliveries processed, by the platform's delivery id, with the answer they got: a replay gets
-- the same answer and changes nothing.
CREATE TABLE platform_deliveries (
  integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  delivery_id    TEXT NOT NULL,
  topic          TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  received_at    INTEGER NOT NULL,
  PRIMARY KEY (integration_id, delivery_id)
) WITHOUT ROWID;

-- The modification time of the last payload applied per resource: older ones are stale.
CREATE TABLE platform_versions (
  integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  resource       TEXT NOT NULL,
  resource_id    TEXT NOT NULL,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (integration_id, resource, resource_id)
) WITHOUT ROWID;

-- Which variant an item stands for (Shopify inventory items, WooCommerce variations).
CREATE TABLE platform_items (
  integration_id   INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  item_id          TEXT NOT NULL,
  product_id       TEXT NOT NULL,
  variant_id       TEXT NOT NULL,
  continue_selling INTEGER NOT NULL CHECK (continue_selling IN (0, 1)),
  PRIMARY KEY (integration_id, item_id, product_id, variant_id)
) WITHOUT ROWID;
CREATE INDEX platform_items_by_product ON platform_items(integration_id, product_id);

-- Shopify: whether an inventory item is tracked, and its level per location.
CREATE TABLE inventory_tracking (
  integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  item_id        TEXT NOT NULL,
  tracked        INTEGER NOT NULL CHECK (tracked IN (0, 1)),
  PRIMARY KEY (integration_id, item_id)
) WITHOUT ROWID;
CREATE TABLE inventory_levels (
  integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  item_id        TEXT NOT NULL,
  location_id    TEXT NOT NULL,
  available      INTEGER,
  updated_at     INTEGER,
  PRIMARY KEY (integration_id, item_id, location_id)
) WITHOUT ROWID;
)sql",
    // 7: the dashboard. Sign-in links and sessions (only SHA-256 hashes of their tokens), and
    // the counters the dashboard's figures read instead of scanning requests: `demand` per
    // target (waiting requests and the oldest wait), `activity` per store, kind and quarter hour.
    // Triggers keep both in step with every write of `requests`, whichever use case makes it
    // (register, cancel, notify, purchase, expiry), in the writing transaction. The numbers in
    // them are server/store/db_values.cpp's: request status 0 waiting, 1 notified, 2 cancelled,
    // 4 expired, 5 purchased; activity 0 requested, then the status entered (1, 2, 4, 5).
    // A changed rule is a new migration that drops and recreates them.
    R"sql(
CREATE TABLE sign_in_links (
  token_hash BLOB PRIMARY KEY,
  store_id   INTEGER NOT NULL REFERENCES stores(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
) WITHOUT ROWID;
CREATE TABLE sessions (
  token_hash   BLOB PRIMARY KEY,
  store_id     INTEGER NOT NULL REFERENCES stores(id),
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ended_at     INTEGER
) WITHOUT ROWID;

-- `oldest_at`: created_at of the target's first (lowest id) waiting request; the titles are the
-- latest a request of the target sent (the catalog's, when it has the product, win).
CREATE TABLE demand (
  target_id     INTEGER PRIMARY KEY REFERENCES targets(id),
  store_id      INTEGER NOT NULL REFERENCES stores(id),
  waiting       INTEGER NOT NULL,
  oldest_at     INTEGER,
  product_title TEXT,
  variant_title TEXT
);
CREATE INDEX demand_ranked ON demand(store_id, waiting DESC, oldest_at);
CREATE TABLE activity (
  store_id INTEGER NOT NULL REFERENCES stores(id),
  bucket   INTEGER NOT NULL,
  kind     INTEGER NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (store_id, bucket, kind)
) WITHOUT ROWID;
-- Notified requests per target and time ("notified in the last 30 days").
CREATE INDEX requests_notified ON requests(target_id, notified_at) WHERE notified_at IS NOT NULL;

INSERT INTO demand(target_id, store_id, waiting, oldest_at, product_title, variant_title)
  SELECT r.target_id, t.store_id, COUNT(*), MIN(r.created_at),
    (SELECT x.product_title FROM requests x WHERE x.target_id = r.target_id
     AND x.product_title IS NOT NULL ORDER BY x.id DESC LIMIT 1),
    (SELECT x.variant_title FROM requests x WHERE x.target_id = r.target_id
     AND x.variant_title IS NOT NULL ORDER BY x.id DESC LIMIT 1)
  FROM requests r JOIN targets t ON t.id = r.target_id WHERE r.status = 0 GROUP BY r.target_id;
INSERT INTO activity(store_id, bucket, kind, count)
  SELECT t.store_id, r.created_at / 900000, 0, COUNT(*)
  FROM requests r JOIN targets t ON t.id = r.target_id GROUP BY 1, 2;
INSERT INTO activity(store_id, bucket, kind, count)
  SELECT t.store_id, r.notified_at / 900000, 1, COUNT(*)
  FROM requests r JOIN targets t ON t.id = r.target_id WHERE r.status = 1 AND r.notified_at IS NOT NULL
  GROUP BY 1, 2;
INSERT INTO activity(store_id, bucket, kind, count)
  SELECT t.store_id, r.cancelled_at / 900000, 2, COUNT(*)
  FROM requests r JOIN targets t ON t.id = r.target_id WHERE r.status = 2 AND r.cancelled_at IS NOT NULL
  GROUP BY 1, 2;

CREATE TRIGGER requests_counted AFTER INSERT ON requests BEGIN
  INSERT INTO activity(store_id, bucket, kind, count)
    SELECT store_id, NEW.created_at / 900000, 0, 1 FROM targets WHERE id = NEW.target_id
    ON CONFLICT(store_id, bucket, kind) DO UPDATE SET count = count + 1;
  INSERT INTO demand(target_id, store_id, waiting, oldest_at, product_title, variant_title)
    SELECT NEW.target_id, store_id, 1, NEW.created_at, NEW.product_title, NEW.variant_title
    FROM targets WHERE id = NEW.target_id AND NEW.status = 0
    ON CONFLICT(target_id) DO UPDATE
      SET oldest_at = CASE WHEN waiting = 0 THEN NEW.created_at ELSE oldest_at END,
          waiting = waiting + 1,
          product_title = COALESCE(NEW.product_title, product_title),
          variant_title = COALESCE(NEW.variant_title, variant_title);
END;
CREATE TRIGGER requests_titled AFTER UPDATE OF product_title, variant_title ON requests BEGIN
  UPDATE demand SET product_title = COALESCE(NEW.product_title, product_title),
                    variant_title = COALESCE(NEW.variant_title, variant_title)
    WHERE target_id = NEW.target_id;
END;
CREATE TRIGGER requests_start_waiting AFTER UPDATE OF status ON requests
  WHEN NEW.status = 0 AND OLD.status <> 0 BEGIN
  INSERT INTO demand(target_id, store_id, waiting, oldest_at)
    SELECT NEW.target_id, store_id, 0, NULL FROM targets WHERE id = NEW.target_id
    ON CONFLICT(target_id) DO NOTHING;
  UPDATE demand SET waiting = waiting + 1,
    oldest_at = (SELECT created_at FROM requests WHERE target_id = NEW.target_id AND status = 0
                 ORDER BY id LIMIT 1)
    WHERE target_id = NEW.target_id;
END;
CREATE TRIGGER requests_stop_waiting AFTER UPDATE OF status ON requests
  WHEN OLD.status = 0 AND NEW.status <> 0 BEGIN
  UPDATE demand SET waiting = waiting - 1,
    oldest_at = (SELECT created_at FROM requests WHERE target_id = NEW.target_id AND status = 0
                 ORDER BY id LIMIT 1)
    WHERE target_id = NEW.target_id;
  INSERT INTO activity(store_id, bucket, kind, count)
    SELECT store_id,
      (CASE NEW.status WHEN 1 THEN NEW.notified_at WHEN 2 THEN NEW.cancelled_at END) / 900000,
      NEW.status, 1
    FROM targets WHERE id = NEW.target_id AND NEW.status IN (1, 2, 4, 5)
      AND (CASE NEW.status WHEN 1 THEN NEW.notified_at WHEN 2 THEN NEW.cancelled_at END) IS NOT NULL
    ON CONFLICT(store_id, bucket, kind) DO UPDATE SET count = count + 1;
  INSERT INTO activity(store_id, bucket, kind, count)
    SELECT store_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) / 900000,
      NEW.status, 1
    FROM targets WHERE id = NEW.target_id AND NEW.status IN (1, 2, 4, 5)
      AND (CASE NEW.status WHEN 1 THEN NEW.notified_at WHEN 2 THEN NEW.cancelled_at END) IS NULL
    ON CONFLICT(store_id, bucket, kind) DO UPDATE SET count = count + 1;
END;
)sql",
    // 8: proportional release (core/release.hpp). One row per target whose release runs in
    // batches: when the next batch is due and how many the batch under way released. The
    // scheduler reads the due ones through the index on next_batch_at, never every row. Expiry
    // finds old waiting requests through (status, created_at).
    R"sql(
CREATE TABLE release_schedules (
  target_id     INTEGER PRIMARY KEY REFERENCES targets(id),
  store_id      INTEGER NOT NULL REFERENCES stores(id),
  next_batch_at INTEGER NOT NULL,
  released      INTEGER NOT NULL
);
CREATE INDEX release_schedules_due ON release_schedules(next_batch_at);
CREATE INDEX requests_by_age ON requests(status, created_at);
)sql",
    // 9: shopper e-mail (README "E-mail"): consent records, confirmed and suppressed addresses,
    // the stores' own templates and the message outbox.
    R"sql(
-- The key that signs a store's unsubscribe and confirm links (HMAC-SHA256), made at first use.
ALTER TABLE stores ADD COLUMN mail_key BLOB;

ALTER TABLE subscribers ADD COLUMN confirmed_at INTEGER;   -- double opt-in: the address confirmed
ALTER TABLE subscribers ADD COLUMN suppressed_at INTEGER;  -- unsubscribed: no e-mail

-- The consent record. source: 0 api (secret key), 1 widget (publishable key); NULL for requests
-- stored before this migration. Client address and user agent of publishable-key requests only.
ALTER TABLE requests ADD COLUMN locale TEXT;
ALTER TABLE requests ADD COLUMN source INTEGER;
ALTER TABLE requests ADD COLUMN client_address TEXT;
ALTER TABLE requests ADD COLUMN user_agent TEXT;
ALTER TABLE requests ADD COLUMN consent_text TEXT;
ALTER TABLE requests ADD COLUMN confirmed_at INTEGER;
-- At most one open request (waiting 0 or pending 3) per target and subscriber: a repeat while
-- the address is being confirmed can't create a second one, and confirming never collides.
DROP INDEX requests_one_waiting;
CREATE UNIQUE INDEX requests_one_open
  ON requests(target_id, (CASE WHEN status IN (0, 3) THEN subscriber_id END));
-- Pending requests expire after 7 days: found by status and age through requests_by_age
-- (migration 8).

-- Unsubscribed addresses, as an HMAC of the address under the store's mail_key: the suppression
-- outlives the erasure of the subscriber without keeping the address.
CREATE TABLE suppressions (
  store_id   INTEGER NOT NULL REFERENCES stores(id),
  email_hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (store_id, email_hash)
) WITHOUT ROWID;

-- A store's own templates. kind: 0 back_in_stock, 1 confirm_request; locale normalised.
CREATE TABLE mail_templates (
  store_id   INTEGER NOT NULL REFERENCES stores(id),
  kind       INTEGER NOT NULL CHECK (kind IN (0, 1)),
  locale     TEXT NOT NULL,
  subject    TEXT NOT NULL,
  text       TEXT NOT NULL,
  html       TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (store_id, kind, locale)
) WITHOUT ROWID;

-- The e-mail setup (core/mail_template.hpp MailSetup: settings and the store's templates) a
-- message is sent with; shared by every message queued while it was current.
CREATE TABLE mail_setups (
  id         INTEGER PRIMARY KEY,
  store_id   INTEGER NOT NULL REFERENCES stores(id),
  data       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX mail_setups_by_store ON mail_setups(store_id, id);

-- The outbox: one row per e-mail, written in the transaction that notifies (back_in_stock) or
-- registers (confirm_request). status: 0 queued, 1 sent, 2 failed, 3 suppressed. A request gets
-- each kind of e-mail at most once.
CREATE TABLE messages (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  store_id        INTEGER NOT NULL REFERENCES stores(id),
  subscriber_id   INTEGER NOT NULL REFERENCES subscribers(id),
  request_id      INTEGER NOT NULL REFERENCES requests(id),
  snapshot_id     INTEGER NOT NULL REFERENCES snapshots(id),
  setup_id        INTEGER NOT NULL REFERENCES mail_setups(id),
  kind            INTEGER NOT NULL CHECK (kind IN (0, 1)),
  status          INTEGER NOT NULL CHECK (status IN (0, 1, 2, 3)),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  due_since       INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  last_error      TEXT,
  UNIQUE (request_id, kind)
);
CREATE INDEX messages_due ON messages(status, next_attempt_at);
CREATE INDEX messages_by_store ON messages(store_id, id);
CREATE INDEX messages_by_subscriber ON messages(subscriber_id, id);

-- Erasing a shopper (DELETE /api/v1/subscribers/{id}) deletes their requests: a waiting one
-- leaves the dashboard's demand counter (migration 7) as if it had stopped waiting.
CREATE TRIGGER requests_erased AFTER DELETE ON requests WHEN OLD.status = 0 BEGIN
  UPDATE demand SET waiting = waiting - 1,
    oldest_at = (SELECT created_at FROM requests WHERE target_id = OLD.target_id AND status = 0
                 ORDER BY id LIMIT 1)
    WHERE target_id = OLD.target_id;
END;
)sql",
};

uint64_t random_u64() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness available");
  uint64_t value;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

}  // namespace

int schema_version() { return static_cast<int>(std::size(kMigrations)); }

void configure_connection(Database& db) {
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA synchronous = FULL");
  // Deleted and overwritten content is zeroed, not left in free space: an erased shopper's
  // address is gone from the file (Debian's SQLite does this by default; this does not depend
  // on the build).
  db.exec("PRAGMA secure_delete = ON");
}

uint64_t open_schema(Database& db) {
  db.exec("PRAGMA journal_mode = WAL");
  configure_connection(db);
  // A migration may rebuild a table other tables refer to: foreign keys are checked once all
  // migrations ran (foreign_key_check below), not while they run.
  db.exec("PRAGMA foreign_keys = OFF");
  Transaction tx(db);
  Statement& version = db.cached("PRAGMA user_version");
  version.step();
  const int64_t current = version.int64(0);
  version.reset();
  if (current > schema_version())
    throw std::runtime_error("the database was written by a newer Stockbell (schema version " +
                             std::to_string(current) + ")");
  for (int64_t v = current; v < schema_version(); ++v) {
    db.exec(kMigrations[v]);
    db.exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
  }
  // The key of the public id permutation (see core/ids.hpp), chosen once per database.
  Statement& select = db.cached("SELECT value FROM meta WHERE key = 'id_key'");
  uint64_t id_key;
  if (select.step()) {
    id_key = std::stoull(select.string(0));
    select.reset();
  } else {
    select.reset();
    id_key = random_u64();
    db.cached("INSERT INTO meta(key, value) VALUES ('id_key', ?)")
        .bind(1, std::to_string(id_key))
        .run();
  }
  Statement& check = db.cached("PRAGMA foreign_key_check");
  const bool broken = check.step();
  check.reset();
  if (broken) throw std::runtime_error("the migrated database fails its foreign key check");
  tx.commit();
  db.exec("PRAGMA foreign_keys = ON");
  return id_key;
}

}  // namespace stockbell::server
