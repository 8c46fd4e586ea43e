// Sequenzy's own MCP server (npm @sequenzy/mcp, pinned in package.json, run unmodified over
// stdio by mcp_driver.mjs) against the real `stockbell` binary (a fresh database, a free
// loopback port): every commerce tool the MCP has.
//   - Tools for what Stockbell has (products, outbound webhooks) are called with every field
//     their input schema declares: no isError, the structuredContent validates against the
//     tool's outputSchema with the official MCP client SDK's validator (the one its Client runs
//     in callTool), and Stockbell's stored state, read through its own API, is what was sent.
//   - Tools for what Stockbell does not have fail cleanly: isError, HTTP 404 or 405 from
//     Stockbell, and its error envelope as the MCP's "Details".
// README "Sequenzy compatibility" lists both. The transcript of every call is written to
// $STOCKBELL_COMPAT_OUT/sequenzy_mcp.jsonl.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';

import { McpDriver, sequenzyMcpPackage } from './mcp_driver.mjs';
import { StockbellServer } from './stockbell_server.mjs';

const PINNED_VERSION = '0.0.176';

// Tools Stockbell answers (README: Sequenzy compatibility, "accepted").
const SUPPORTED = [
  'list_products', 'upsert_products', 'delete_product',
  'list_webhooks', 'create_webhook', 'update_webhook', 'delete_webhook',
  'list_webhook_deliveries', 'replay_webhook_delivery', 'list_integrations',
];
// Commerce tools for features Stockbell does not have: a clean 404 or 405.
const UNSUPPORTED = [
  'attach_product_file', 'remove_product_file', 'sync_products', 'test_webhook',
  'get_event_schema', 'get_event_sample', 'trigger_subscriber_event', 'trigger_subscriber_events',
  'import_subscriber_events', 'add_subscriber', 'get_subscriber', 'update_subscriber',
  'remove_subscriber', 'search_subscribers', 'get_subscriber_activity', 'create_subscriber_import',
  'get_subscriber_import', 'bulk_add_subscriber_tags', 'bulk_remove_subscriber_tags',
  'preview_cart_items', 'get_shopify_automation_settings', 'update_shopify_automation_settings',
  'get_sync_rules', 'update_sync_rules', 'get_integration_guide',
  'list_web_tracking_keys', 'get_web_tracking_key', 'create_web_tracking_key',
  'update_web_tracking_key', 'delete_web_tracking_key', 'get_integration_pixel',
  'activate_integration_pixel',
];

const COMPANY = 'comp_stockbell';  // every tool takes companyId (sent as X-Company-Id): ignored
const EVENT_TYPES = [
  'ecommerce.back_in_stock_requested', 'ecommerce.back_in_stock', 'ecommerce.order_placed',
  'ecommerce.order_cancelled', 'ecommerce.order_fulfilled', 'ecommerce.order_refunded',
];
const STOCKBELL_EVENTS = [...EVENT_TYPES, '*'].join(', ');

let server;
let mcp;
let tools;  // name → tool from tools/list
const validator = new AjvJsonSchemaValidator();
const fieldsUsed = new Map();  // tool → Set of argument names sent
const transcript = [];

before(async () => {
  server = await StockbellServer.start();
  mcp = await McpDriver.start({ apiUrl: server.url, apiKey: server.secret });
  tools = new Map((await mcp.listTools()).map((t) => [t.name, t]));
});

after(async () => {
  await mcp?.close();
  const code = await server?.stop();
  const dir = process.env.STOCKBELL_COMPAT_OUT;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sequenzy_mcp.jsonl'), transcript.map((t) => JSON.stringify(t)).join('\n') + '\n');
    writeFileSync(join(dir, 'stockbell_requests.log'), server?.log ?? '');
  }
  assert.equal(code, 0, 'stockbell stops cleanly');
});

async function call(name, args) {
  assert.ok(tools.has(name), `the MCP has no tool ${name}`);
  const declared = Object.keys(tools.get(name).inputSchema?.properties ?? {});
  for (const key of Object.keys(args)) {
    assert.ok(declared.includes(key), `${name} does not declare ${key}`);
    if (!fieldsUsed.has(name)) fieldsUsed.set(name, new Set());
    fieldsUsed.get(name).add(key);
  }
  await server.mark();
  const result = await mcp.callTool(name, args);
  const requests = await server.mark();
  transcript.push({ tool: name, args, requests, result });
  return { result, requests };
}

/** A call that must work: no isError, the output validates against the tool's outputSchema. */
async function ok(name, args) {
  const { result, requests } = await call(name, args);
  assert.ok(!result.isError, `${name} ${JSON.stringify(args)} failed: ${result.content?.[0]?.text}`);
  assert.ok(requests.length > 0, `${name} reached Stockbell`);
  for (const r of requests) assert.ok(r.status < 300, `${r.method} ${r.path} answered ${r.status}`);
  const schema = tools.get(name).outputSchema;
  assert.ok(schema, `${name} has an outputSchema`);
  const check = validator.getValidator(schema)(result.structuredContent);
  assert.ok(check.valid, `${name}: the output does not match its outputSchema: ${check.errorMessage}\n` +
                         JSON.stringify(result.structuredContent));
  assert.equal(result.structuredContent.success, true);
  return result.structuredContent;
}

/** The body Stockbell answered, as the MCP passes it on: the text after "Details: ". */
function details(result) {
  const text = result.content?.[0]?.text ?? '';
  const at = text.indexOf('\nDetails: ');
  assert.ok(at >= 0, `no Details in ${text}`);
  return JSON.parse(text.slice(at + '\nDetails: '.length));
}

/** A call that must fail cleanly: isError, one of `statuses` from Stockbell, its envelope. */
async function fails(name, args, statuses = [404, 405]) {
  const { result, requests } = await call(name, args);
  assert.equal(result.isError, true, `${name} must fail: ${JSON.stringify(result.structuredContent)}`);
  const error = result.structuredContent?.error;
  assert.ok(statuses.includes(error?.statusCode),
            `${name}: status ${error?.statusCode}, expected ${statuses}: ${result.content?.[0]?.text}`);
  assert.ok(requests.length > 0, `${name} reached Stockbell`);
  const last = requests[requests.length - 1];
  assert.equal(last.status, error.statusCode, `Stockbell's log says ${last.method} ${last.path} ${last.status}`);
  return details(result);
}

/** The error envelope of README "Errors", as the body of a 404/405. */
function assertEnvelope(body, code) {
  assert.equal(body.success, false);
  assert.equal(body.code, code);
  assert.equal(typeof body.error, 'string');
  assert.ok(body.error.length > 0);
}

test('the pinned, unmodified @sequenzy/mcp talks to Stockbell', () => {
  assert.equal(sequenzyMcpPackage().version, PINNED_VERSION);
  assert.equal(mcp.initializeResult.serverInfo.name, 'sequenzy');
  assert.equal(mcp.initializeResult.serverInfo.version, PINNED_VERSION);
  for (const name of [...SUPPORTED, ...UNSUPPORTED]) assert.ok(tools.has(name), `tools/list has ${name}`);
  // The validator is live: a wrong type fails the upsert's output schema.
  const upsert = validator.getValidator(tools.get('upsert_products').outputSchema);
  assert.equal(upsert({ success: true, created: 'one' }).valid, false);
  assert.equal(upsert({ success: true, created: 1, updated: 0, products: [] }).valid, true);
});

test('upsert_products: every field it declares; created and updated; state stored', async () => {
  const first = await ok('upsert_products', {
    companyId: COMPANY,
    products: [
      { productId: 'SKU-1', title: 'Linen shirt', description: 'Soft linen.',
        imageUrl: 'https://img.example/1.png', url: 'https://shop.example/p/1', priceCents: 4900,
        currency: 'USD', inStock: true, providerCreatedAt: '2026-01-02T04:04:05+01:00' },
      { productId: 'SKU-2', title: 'Mug', providerCreatedAt: null },
    ],
  });
  assert.equal(first.created, 2);
  assert.equal(first.updated, 0);
  assert.equal(first.upserted, 2);
  assert.equal(first.products.length, 2);

  const one = (await server.api('GET', '/api/v1/products/SKU-1')).body.product;
  assert.deepEqual(
    { productId: one.productId, provider: one.provider, title: one.title, description: one.description,
      imageUrl: one.imageUrl, url: one.url, priceCents: one.priceCents, currency: one.currency,
      inStock: one.inStock, providerCreatedAt: one.providerCreatedAt },
    { productId: 'SKU-1', provider: 'api', title: 'Linen shirt', description: 'Soft linen.',
      imageUrl: 'https://img.example/1.png', url: 'https://shop.example/p/1', priceCents: 4900,
      currency: 'USD', inStock: true, providerCreatedAt: '2026-01-02T03:04:05.000Z' });
  assert.equal((await server.api('GET', '/api/v1/products/SKU-2')).body.product.providerCreatedAt, null);

  // Again: an update; omitted fields keep their values, null clears.
  const second = await ok('upsert_products', {
    products: [{ productId: 'SKU-1', title: 'Linen shirt', providerCreatedAt: null }],
  });
  assert.equal(second.created, 0);
  assert.equal(second.updated, 1);
  const again = (await server.api('GET', '/api/v1/products/SKU-1')).body.product;
  assert.equal(again.description, 'Soft linen.');
  assert.equal(again.priceCents, 4900);
  assert.equal(again.providerCreatedAt, null);

  // What Stockbell refuses, it refuses cleanly (400 with every problem), and stores nothing.
  const refused = await fails('upsert_products', {
    products: [{ productId: 'SKU-9', title: 'Nine', providerCreatedAt: 'yesterday' }],
  }, [400]);
  assert.deepEqual(refused.map((d) => `${d.field}:${d.code}`), ['products[0].providerCreatedAt:invalid_timestamp']);
  assert.equal((await server.api('GET', '/api/v1/products/SKU-9')).status, 404);
});

test('list_products: every field it declares; provider, search and paging', async () => {
  await ok('upsert_products', { products: [{ productId: 'SKU-3', title: 'Protein powder', inStock: false }] });
  const page = await ok('list_products', { companyId: COMPANY, provider: 'api', search: 'shirt', limit: 1, offset: 0 });
  assert.deepEqual(page.products.map((p) => p.productId), ['SKU-1']);
  assert.deepEqual(page.pagination, { count: 1, hasMore: false, limit: 1, offset: 0, total: 1 });

  const seen = [];
  for (let offset = 0; ; offset += 2) {
    const p = await ok('list_products', { limit: 2, offset });
    seen.push(...p.products.map((x) => x.productId));
    assert.equal(p.pagination.total, 3);
    if (!p.pagination.hasMore) break;
  }
  assert.deepEqual(seen, ['SKU-1', 'SKU-2', 'SKU-3']);

  const stripe = await ok('list_products', { provider: 'stripe' });
  assert.deepEqual(stripe.products, []);
  assert.equal(stripe.pagination.total, 0);
  const all = await ok('list_products', {});
  assert.equal(all.products.length, 3);
  for (const p of all.products) assert.equal(p.provider, 'api');
});

test('a restock through the MCP notifies a waiting shopper exactly once', async () => {
  const registered = await server.api('POST', '/api/v1/back-in-stock',
                                      { productId: 'SKU-3', customer: { email: 'buyer@example.com' } });
  assert.equal(registered.status, 200);
  const restock = await ok('upsert_products', { products: [{ productId: 'SKU-3', title: 'Protein powder', inStock: true }] });
  assert.equal(restock.backInStockEventsTriggered, 1);
  const repeat = await ok('upsert_products', { products: [{ productId: 'SKU-3', title: 'Protein powder', inStock: true }] });
  assert.equal(repeat.backInStockEventsTriggered, 0);
  const feed = (await server.api('GET', '/api/v1/events?type=ecommerce.back_in_stock')).body.events;
  assert.equal(feed.length, 1);
  assert.equal(feed[0].request.id, registered.body.requestId);
  assert.equal(feed[0].product.providerProductId, 'SKU-3');
  assert.equal(feed[0].product.providerVariantId, 'SKU-3');
  const requests = (await server.api('GET', '/api/v1/back-in-stock?productId=SKU-3')).body.requests;
  assert.deepEqual(requests.map((r) => r.status), ['notified']);
});

test('delete_product: every field it declares; the answer names the product', async () => {
  const deleted = await ok('delete_product', { companyId: COMPANY, productId: ' SKU-2 ' });
  assert.equal(deleted.productId, 'SKU-2');
  assert.equal(deleted.deleted, true);
  assert.equal((await server.api('GET', '/api/v1/products/SKU-2')).status, 404);
  assertEnvelope(await fails('delete_product', { productId: 'SKU-2' }, [404]), 'not_found');
  // An id with a slash and a space is percent-encoded by the MCP and found.
  await ok('upsert_products', { products: [{ productId: 'SKU 1/Blue', title: 'Blue' }] });
  assert.equal((await ok('delete_product', { productId: 'SKU 1/Blue' })).productId, 'SKU 1/Blue');
});

test('webhooks: create, list, update, deliveries, replay and delete with every declared field', async () => {
  assert.deepEqual((await ok('list_webhooks', { companyId: COMPANY })).webhooks, []);
  const created = (await ok('create_webhook', { companyId: COMPANY, name: 'Stockbell', url: 'http://127.0.0.1:9/hook' })).webhook;
  assert.equal(created.name, 'Stockbell');
  assert.deepEqual(created.events, EVENT_TYPES);
  assert.match(created.secret, /^whsec_/);
  const stored = (await server.api('GET', `/api/v1/webhooks/${created.id}`)).body.webhook;
  assert.equal(stored.description, 'Stockbell');
  assert.equal(stored.enabled, true);
  assert.equal(stored.url, 'http://127.0.0.1:9/hook');

  // Sequenzy's event types: Stockbell has none of them, and says which it has.
  const refused = await fails('create_webhook', { name: 'x', url: 'https://hooks.example/x', events: ['subscriber.created'] }, [400]);
  assert.equal(refused[0].field, 'events[0]');
  assert.equal(refused[0].code, 'invalid_value');
  assert.ok(refused[0].message.includes(STOCKBELL_EVENTS), refused[0].message);

  const updated = (await ok('update_webhook', {
    companyId: COMPANY, webhookId: created.id, name: 'Renamed', url: 'http://127.0.0.1:9/v2', status: 'disabled',
  })).webhook;
  assert.equal(updated.status, 'disabled');
  let now = (await server.api('GET', `/api/v1/webhooks/${created.id}`)).body.webhook;
  assert.deepEqual([now.description, now.url, now.enabled], ['Renamed', 'http://127.0.0.1:9/v2', false]);
  assert.equal((await ok('update_webhook', { webhookId: created.id, status: 'enabled' })).webhook.enabled, true);
  const badEvents = await fails('update_webhook', { webhookId: created.id, events: ['email.sent'] }, [400]);
  assert.ok(badEvents[0].message.includes(STOCKBELL_EVENTS));
  now = (await server.api('GET', `/api/v1/webhooks/${created.id}`)).body.webhook;
  assert.deepEqual(now.events, EVENT_TYPES);

  // An event for the endpoint: a new waiting request.
  assert.equal((await server.api('POST', '/api/v1/back-in-stock',
                                 { productId: 'SKU-1', customer: { email: 'hook@example.com' } })).status, 200);
  const deliveries = (await ok('list_webhook_deliveries', { companyId: COMPANY, webhookId: created.id, limit: 5 })).deliveries;
  assert.equal(deliveries.length, 1);
  assert.equal(deliveries[0].eventType, 'ecommerce.back_in_stock_requested');
  const replayed = (await ok('replay_webhook_delivery', { companyId: COMPANY, webhookId: created.id, deliveryId: deliveries[0].id })).delivery;
  assert.equal(replayed.id, deliveries[0].id);
  assert.equal(replayed.status, 'pending');

  assertEnvelope(await fails('test_webhook', { companyId: COMPANY, webhookId: created.id }), 'not_found');

  const gone = await ok('delete_webhook', { companyId: COMPANY, webhookId: created.id });
  assert.equal(gone.webhookId, created.id);
  assert.equal((await server.api('GET', `/api/v1/webhooks/${created.id}`)).status, 404);
  assertEnvelope(await fails('delete_webhook', { webhookId: created.id }, [404]), 'not_found');
});

test('commerce tools for features Stockbell does not have fail cleanly: 404/405 and the envelope', async () => {
  const email = 'buyer@example.com';
  const calls = {
    attach_product_file: { companyId: COMPANY, productId: 'SKU-1', url: 'https://files.example/guide.pdf', fileName: 'guide.pdf' },
    remove_product_file: { productId: 'SKU-1' },
    sync_products: { integrationId: 'int_1' },
    get_event_schema: { eventName: 'ecommerce.back_in_stock', provider: 'api' },
    get_event_sample: { eventName: 'ecommerce.back_in_stock' },
    trigger_subscriber_event: { email, event: 'ecommerce.back_in_stock', properties: { productId: 'SKU-1' } },
    trigger_subscriber_events: { email, events: [{ name: 'ecommerce.back_in_stock' }] },
    import_subscriber_events: { events: [{ name: 'ecommerce.back_in_stock', eventId: 'evt-1', email }] },
    add_subscriber: { email },
    get_subscriber: { email },
    update_subscriber: { email, firstName: 'Ada' },
    remove_subscriber: { email },
    search_subscribers: {},
    get_subscriber_activity: { email },
    create_subscriber_import: { subscribers: [{ email }] },
    get_subscriber_import: { importId: 'imp_1' },
    bulk_add_subscriber_tags: { tags: ['vip'], emails: [email] },
    bulk_remove_subscriber_tags: { tags: ['vip'], emails: [email] },
    preview_cart_items: {},
    get_shopify_automation_settings: {},
    update_shopify_automation_settings: { cartAbandonment: { enabled: false } },
    get_sync_rules: {},
    update_sync_rules: { syncRules: [{ triggerEvent: 'ecommerce.order_placed', actions: { addTags: ['buyer'], removeTags: [] } }] },
    get_integration_guide: {},
    list_web_tracking_keys: {},
    get_web_tracking_key: { id: 'wtk_1' },
    create_web_tracking_key: { name: 'Storefront' },
    update_web_tracking_key: { id: 'wtk_1', name: 'Renamed' },
    delete_web_tracking_key: { id: 'wtk_1' },
    get_integration_pixel: { integrationId: 'int_1' },
    activate_integration_pixel: { integrationId: 'int_1' },
  };
  const snapshot = async () => JSON.stringify([
    (await server.api('GET', '/api/v1/products?limit=100')).body,
    (await server.api('GET', '/api/v1/back-in-stock?limit=100')).body,
    (await server.api('GET', '/api/v1/events?limit=1000')).body,
  ]);
  const before = await snapshot();
  for (const [name, args] of Object.entries(calls)) {
    const body = await fails(name, args);
    assert.ok(['not_found', 'method_not_allowed'].includes(body.code), `${name}: ${JSON.stringify(body)}`);
    assertEnvelope(body, body.code);
  }
  assert.equal(await snapshot(), before, 'the failed calls changed nothing');
  // test_webhook is called in the webhooks test; together, every unsupported commerce tool.
  assert.deepEqual([...Object.keys(calls), 'test_webhook'].sort(), [...UNSUPPORTED].sort());
});

test('integrations: the store platforms connected (Shopify, WooCommerce), with every declared field', async () => {
  assert.deepEqual((await ok('list_integrations', { companyId: COMPANY })).integrations, []);
  const connected = await server.api('PUT', '/api/v1/integrations/shopify',
                                     { shopDomain: 'compat-shop.myshopify.com', webhookSecret: 'compat-secret' });
  assert.equal(connected.status, 200);
  // includeInactive: a disconnected integration is deleted, so both values list the same.
  for (const includeInactive of [true, false]) {
    const listed = (await ok('list_integrations', { companyId: COMPANY, includeInactive })).integrations;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].platform, 'shopify');
    assert.equal(JSON.stringify(listed).includes('compat-secret'), false, 'never a secret');
  }
  assert.equal((await server.api('DELETE', '/api/v1/integrations/shopify')).status, 200);
});

test('coverage: every supported tool got every field it declares; nothing answered 5xx', () => {
  for (const name of SUPPORTED) {
    const declared = Object.keys(tools.get(name).inputSchema?.properties ?? {}).sort();
    const used = [...(fieldsUsed.get(name) ?? [])].sort();
    assert.deepEqual(used, declared, `${name}: fields declared but never sent`);
  }
  const errors = server.requests().filter((r) => r.status >= 500);
  assert.deepEqual(errors, []);
});
