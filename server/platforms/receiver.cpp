#include "server/platforms/receiver.hpp"

#include "core/shopify.hpp"
#include "core/woocommerce.hpp"
#include "server/app/catalog.hpp"
#include "server/app/clock.hpp"
#include "server/app/notify.hpp"
#include "server/app/orders.hpp"
#include "server/platforms/signature.hpp"

namespace stockbell::server {
namespace {

const char* signature_header(Platform platform) {
  return platform == Platform::shopify ? "X-Shopify-Hmac-Sha256" : "X-WC-Webhook-Signature";
}

const char* topic_header(Platform platform) {
  return platform == Platform::shopify ? "X-Shopify-Topic" : "X-WC-Webhook-Topic";
}

// Which version table a resource's modification times are kept in.
const char* resource_of(PlatformActionKind kind) {
  switch (kind) {
    case PlatformActionKind::upsert_product:
    case PlatformActionKind::patch_variant:
      return "product";
    case PlatformActionKind::order:
      return "order";
    default:
      return nullptr;
  }
}

struct Applied {
  std::string outcome = "applied";
  std::string note;
  int64_t events = 0;
};

// Recomputes the stock of every variant a Shopify inventory item stands for, from its summed
// levels (or the variant's stored quantity when no level is known) and its tracking flag.
int64_t restock_item(WriteTx& tx, int64_t store_id, const IntegrationRecord& connection,
                     const std::string& item_id, int64_t now, Mail mail) {
  const std::vector<ItemLink> links = tx.item_links(connection.id, item_id);
  if (links.empty()) return 0;
  const bool tracked = tx.item_tracked(connection.id, item_id).value_or(true);
  const std::optional<int64_t> summed = tx.summed_levels(connection.id, item_id);
  std::vector<StockUpdate> updates;
  for (const ItemLink& link : links) {
    std::optional<ProductRecord> product = tx.find_product(store_id, link.product_id);
    if (!product) continue;
    const Variant* variant = find_variant(product->product, link.variant_id);
    if (variant == nullptr) continue;
    const bool active = product->product.in_stock != false;  // draft/archived are stored false
    const std::optional<int64_t> quantity = summed ? summed : variant->inventory_quantity;
    updates.push_back(shopify_level_stock(link.product_id, link.variant_id, active, tracked,
                                          link.continue_selling, quantity));
  }
  return apply_stock_updates(tx, store_id, updates, now, false, mail).events_triggered;
}

Applied apply_product(WriteTx& tx, int64_t store_id, const IntegrationRecord& connection,
                      PlatformAction& action, int64_t now, Mail mail) {
  Applied out;
  if (connection.platform == Platform::shopify)
    resolve_shopify_stock(action, [&](const std::string& item) -> std::optional<bool> {
      if (item.empty()) return std::nullopt;
      return tx.item_tracked(connection.id, item);
    });
  const std::optional<ProductRecord> stored = tx.find_product(store_id, action.product.product_id);
  const Product product = apply_platform_product(stored ? &stored->product : nullptr, action);
  const ProductRecord saved = tx.save_product(store_id, product, now);
  out.events = notify_in_stock(tx, store_id, saved.product, now, mail);
  std::vector<ItemLink> links;
  for (const VariantStockFacts& facts : action.stock) {
    if (facts.inventory_item_id.empty()) continue;
    links.push_back({facts.inventory_item_id, action.product.product_id, facts.variant_id,
                     facts.continue_selling});
    if (facts.tracked) tx.set_item_tracked(connection.id, facts.inventory_item_id, *facts.tracked);
  }
  if (action.keep_variant_ids)  // WooCommerce: variation id → its parent
    for (const std::string& id : *action.keep_variant_ids)
      links.push_back({id, action.product.product_id, id, false});
  if (action.product.variants || action.keep_variant_ids)
    tx.save_item_links(connection.id, action.product.product_id, links, action.variants_complete);
  return out;
}

Applied apply_variant(WriteTx& tx, int64_t store_id, const IntegrationRecord& connection,
                      const PlatformAction& action, int64_t now, Mail mail) {
  Applied out;
  const std::optional<ProductRecord> stored = tx.find_product(store_id, action.product_id);
  if (!stored) out.note = "the variation came before its product: a placeholder product was made";
  const Product product = apply_variant_patch(stored ? &stored->product : nullptr, action);
  const ProductRecord saved = tx.save_product(store_id, product, now);
  out.events = notify_in_stock(tx, store_id, saved.product, now, mail);
  tx.save_item_links(
      connection.id, action.product_id,
      {ItemLink{action.variant.variant_id, action.product_id, action.variant.variant_id, false}},
      false);
  return out;
}

Applied apply_delete(WriteTx& tx, int64_t store_id, const IntegrationRecord& connection,
                     const PlatformAction& action, int64_t now, Mail mail) {
  Applied out;
  if (tx.delete_product(store_id, action.resource_id)) {
    tx.save_item_links(connection.id, action.resource_id, {}, true);
    return out;
  }
  // WooCommerce deletes a variation with its own id.
  bool removed = false;
  for (const ItemLink& link : tx.item_links(connection.id, action.resource_id)) {
    std::optional<ProductRecord> product = tx.find_product(store_id, link.product_id);
    if (!product || !remove_variant(product->product, link.variant_id)) continue;
    const ProductRecord saved = tx.save_product(store_id, product->product, now);
    // The product's own stock derives from its variants: it may be in stock now.
    out.events += notify_in_stock(tx, store_id, saved.product, now, mail);
    removed = true;
  }
  if (!removed) {
    out.outcome = "ignored";
    out.note = "no such product";
  }
  return out;
}

Applied apply_action(WriteTx& tx, int64_t store_id, const IntegrationRecord& connection,
                     PlatformAction& action, int64_t now, Mail mail) {
  Applied out;
  switch (action.kind) {
    case PlatformActionKind::ignore:
      out.outcome = "ignored";
      out.note = action.note;
      return out;
    case PlatformActionKind::upsert_product:
      return apply_product(tx, store_id, connection, action, now, mail);
    case PlatformActionKind::patch_variant:
      return apply_variant(tx, store_id, connection, action, now, mail);
    case PlatformActionKind::delete_product:
      return apply_delete(tx, store_id, connection, action, now, mail);
    case PlatformActionKind::inventory_level: {
      const InventoryLevel& level = action.level;
      if (!tx.save_inventory_level(connection.id, level)) {
        out.outcome = "stale";
        out.note = "a newer level of this item at this location was applied";
        return out;
      }
      if (!level.disconnected)
        tx.set_item_tracked(connection.id, level.inventory_item_id, level.available.has_value());
      if (tx.item_links(connection.id, level.inventory_item_id).empty())
        out.note = "no product names this inventory item yet: the level is kept for later";
      out.events = restock_item(tx, store_id, connection, level.inventory_item_id, now, mail);
      return out;
    }
    case PlatformActionKind::inventory_item:
      tx.set_item_tracked(connection.id, action.resource_id, action.tracked.value_or(true));
      out.events = restock_item(tx, store_id, connection, action.resource_id, now, mail);
      return out;
    case PlatformActionKind::order: {
      const OrderApplied applied = apply_order(tx, store_id, action.order, now);
      if (applied.ended + applied.converted > 0)
        out.note = std::to_string(applied.ended) + " waiting request(s) ended, " +
                   std::to_string(applied.converted) + " conversion(s)";
      return out;
    }
    case PlatformActionKind::refund:
      if (!apply_refund(tx, store_id, action.resource_id, action.refund, now)) {
        out.outcome = "ignored";
        out.note = "no such order";
      }
      return out;
  }
  return out;
}

}  // namespace

Result<std::string> PlatformReceiver::receive(Platform platform, const std::string& token,
                                              const PlatformDelivery& delivery) {
  const std::optional<IntegrationRecord> connection = integrations_.by_token(platform, token);
  if (!connection) return not_found(Resource::integration);
  if (platform == Platform::woocommerce && !delivery.signature &&
      is_woocommerce_ping(delivery.body))
    return platform_outcome_json(platform, "ping", "ignored", PlatformActionKind::ignore, 0,
                                 "WooCommerce's ping: the address works");
  if (!delivery.signature)
    return bad_signature(SignatureProblem::missing, signature_header(platform));
  if (!platform_signature_valid(connection->secret, delivery.body, *delivery.signature))
    return bad_signature(SignatureProblem::mismatch, signature_header(platform));

  Problems problems;
  if (!delivery.topic || delivery.topic->empty())
    problems.add(topic_header(platform), FieldCode::required);
  if (platform == Platform::shopify && delivery.shop_domain &&
      normalize_shop_domain(*delivery.shop_domain) != connection->address)
    problems.add("X-Shopify-Shop-Domain", FieldCode::invalid_value, std::nullopt,
                 connection->address);
  if (!problems.empty()) return validation_error(problems);
  const std::string& topic = *delivery.topic;
  Result<Json> payload = parse_platform_body(delivery.body);
  if (!payload.ok()) return payload.error();
  Result<PlatformAction> mapped =
      platform == Platform::shopify
          ? map_shopify(topic, payload.value(),
                        ShopifyContext{connection->address, connection->currency})
          : map_woocommerce(topic, payload.value(), WooContext{connection->currency});
  if (!mapped.ok()) return mapped.error();

  // Platforms send a delivery id; one that doesn't is known by its body's hash.
  const std::string delivery_id = delivery.delivery_id && !delivery.delivery_id->empty()
                                      ? *delivery.delivery_id
                                      : "sha256:" + sha256_hex(delivery.body);
  const int64_t store_id = connection->store_id;
  return storage_.write([&](WriteTx& tx) -> Result<std::string> {
    PlatformAction action = mapped.value();  // a replayed write job starts afresh
    const int64_t now = now_ms();
    if (tx.platform_delivery_outcome(connection->id, delivery_id))
      return platform_outcome_json(platform, topic, "replayed", action.kind, 0,
                                   "this delivery was processed already");
    Applied applied;
    const char* resource = resource_of(action.kind);
    const std::string& resource_id = action.resource_id;
    std::optional<int64_t> seen;
    if (resource != nullptr && action.updated_at)
      seen = tx.platform_version(connection->id, resource, resource_id);
    if (seen && action.updated_at && *action.updated_at < *seen) {
      applied.outcome = "stale";
      applied.note = "a newer version of this resource was applied already";
    } else {
      applied = apply_action(tx, store_id, *connection, action, now, mail_);
      if (resource != nullptr && action.updated_at && applied.outcome == "applied")
        tx.save_platform_version(connection->id, resource, resource_id, *action.updated_at);
    }
    const std::string outcome = platform_outcome_json(platform, topic, applied.outcome, action.kind,
                                                      applied.events, applied.note);
    tx.save_platform_delivery(connection->id, delivery_id, topic, outcome, now);
    return outcome;
  });
}

}  // namespace stockbell::server
