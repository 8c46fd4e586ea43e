// What a storefront developer sees when the widget is set up wrong or the server can't be reached:
// one console line naming the problem and the fix, a stockbell:error event with a code, and
// nothing at all for the shopper. And how it recovers when the server comes back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import {
  startServer, launchBrowser, openPage, publishableKey, waitEvent, events,
} from './harness.mjs';

const BOTTLE = 'SKU-BOTTLE-750';  // sold out in the demo catalog

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const page = (key, element, {origin = server.url, widget = server.url, api} = {}) =>
  openPage(browser.context, origin, `<!doctype html><html lang="en"><title>t</title>
    <script src="${widget}/widget/stockbell.js"${key === null ? '' : ` data-key="${key}"`}
            ${api ? `data-api="${api}"` : ''} async></script>
    <main>${element ?? `<stockbell-notify product-id="${BOTTLE}"></stockbell-notify>`}</main>`);

/// The console lines the widget wrote with `type` ("error", "warning").
const lines = (p, type) => p.consoleLines.filter((l) => l.startsWith(`${type}: stockbell: `));

/// The shopper sees nothing: no button, no height.
async function nothingShown(p) {
  const host = p.locator('stockbell-notify');
  assert.equal(await host.getByRole('button').count(), 0);
  assert.equal((await host.boundingBox()).height, 0);
}

test('a revoked key: 401, the console says so and how to make a new one', async () => {
  const created = await server.keys('create', '--store', 'demo', '--kind', 'publishable',
                                    '--origin', server.url);
  const key = /(pk_\S+)/.exec(created)[1];
  const fingerprint = crypto.createHash('sha256').update(key).digest('hex').slice(0, 12);
  const row = (await server.keys('list', '--store', 'demo')).split('\n').find((l) => l.includes(fingerprint));
  const id = /^\s*(\d+)/.exec(row)?.[1] ?? /\bid[ =:]*(\d+)/.exec(row)[1];
  await server.keys('revoke', '--id', id);

  const p = await page(key);
  const error = await waitEvent(p, 0, 'error', {code: 'invalid_key'});
  assert.equal(error.detail.status, 401);
  const [line] = lines(p, 'error');
  assert.match(line, new RegExp(`the key ${key.slice(0, 11)}… is unknown or revoked \\(401\\): create a key with`));
  assert.match(line, /`stockbell keys create .*--kind publishable --origin http:\/\/127\.0\.0\.1:\d+` and put it in the script tag's data-key\.$/);
  assert.ok(!line.includes(key), 'never the whole key in the console');
  await nothingShown(p);
  await p.close();
});

test('an origin the key does not list: the console names the origin and the fix', async () => {
  // The page is on a store's origin the demo key does not know; Chromium hides the refused
  // answer (CORS), so the widget asks for one of its own public files to tell a refusal from a
  // broken connection.
  // (Another port of the loopback address: a store's origin no key lists, without Chromium's
  // prompt for a public page reaching a loopback host.)
  const key = await publishableKey(server.url);
  const origin = 'http://127.0.0.1:9';
  // The test fulfils the page itself, so Chromium counts it as public and asks before it reaches
  // a loopback host; a real store and Stockbell host are both public.
  await browser.context.grantPermissions(['local-network-access'], {origin});
  const p = await page(key, undefined, {origin});
  const error = await waitEvent(p, 0, 'error', {code: 'origin_not_allowed'});
  assert.equal(error.detail.status, 403);
  const [line] = lines(p, 'error');
  assert.match(line, /the key pk_\S+ does not allow this page's origin http:\/\/127\.0\.0\.1:9 \(CORS refused it; or the key is revoked\): create a key/);
  assert.match(line, /--origin http:\/\/127\.0\.0\.1:9`/);
  await nothingShown(p);
  assert.deepEqual(await events(p).then((e) => e.filter((x) => x.type === 'ready')), []);
  await p.close();
});

test('missing data-key, a secret key, a missing product-id: each one line and a code', async () => {
  let p = await page(null);
  await waitEvent(p, 0, 'error', {code: 'missing_key'});
  assert.match(lines(p, 'error')[0], /the script tag has no data-key: create a key with `stockbell keys create/);
  await nothingShown(p);
  await p.close();

  const asked = [];
  p = await openPage(browser.context, server.url, `<!doctype html><html lang="en"><title>t</title>
    <script src="/widget/stockbell.js" data-key="${server.secret}" async></script>
    <main><stockbell-notify product-id="${BOTTLE}"></stockbell-notify></main>`,
    (pg) => pg.on('request', (r) => { if (r.url().includes('/api/')) asked.push(r.url()); }));
  await waitEvent(p, 0, 'error', {code: 'secret_key'});
  assert.match(lines(p, 'error')[0], /data-key is a secret key, which must never be in a page: revoke it \(`stockbell keys revoke`\)/);
  assert.ok(!lines(p, 'error')[0].includes(server.secret));
  assert.deepEqual(asked, [], 'the secret key was not sent anywhere');
  await p.close();

  p = await page(await publishableKey(server.url), '<stockbell-notify></stockbell-notify>');
  await waitEvent(p, 0, 'error', {code: 'missing_product_id'});
  assert.match(lines(p, 'error')[0], /<stockbell-notify> has no product-id: set it \(and variant-id for a variant\)/);
  await nothingShown(p);
  assert.equal(lines(p, 'error').length, 1, 'one line, not one per evaluation');
  await p.close();
});

test('availability down, then up: the widget retries and the button appears', async () => {
  // A second, real server that is down when the page loads: the page is on its origin (so its
  // demo key allows it), the widget files come from the first server.
  const other = await startServer();
  const key = await publishableKey(other.url);
  const {port, dir} = other;
  await other.stop({keep: true});
  let restarted;
  try {
    await browser.context.grantPermissions(['local-network-access'], {origin: other.url});
    const p = await page(key, undefined, {origin: other.url, api: other.url});
    const failed = await waitEvent(p, 0, 'error', {code: 'availability_failed'});
    assert.equal(failed.detail.status, 0);
    assert.match(lines(p, 'warning')[0],
                 new RegExp(`the availability check failed \\(network from ${other.url}\\); retrying in \\d+ s`));
    await nothingShown(p);
    // Started again without --demo: a demo start would revoke the demo store's keys.
    restarted = await startServer([], {port, dir, demo: false});
    const ready = await waitEvent(p, 0, 'ready');
    assert.deepEqual(ready.detail, {inStock: false, known: true, productId: BOTTLE});
    await p.locator('stockbell-notify').getByRole('button', {name: 'Notify me when available'}).waitFor();
    assert.equal(lines(p, 'error').length, 0, 'a passing outage is a warning, not an error');
    await p.close();
  } finally {
    await restarted?.stop();
  }
});

test('available="false" shows the button at once, without asking the server', async () => {
  const asked = [];
  const p = await openPage(browser.context, server.url, `<!doctype html><html lang="en"><title>t</title>
    <script src="/widget/stockbell.js" data-key="${await publishableKey(server.url)}" async></script>
    <main><stockbell-notify product-id="${BOTTLE}" available="false"></stockbell-notify></main>`,
    (pg) => pg.on('request', (r) => { if (r.url().includes('/availability')) asked.push(r.url()); }));
  await p.locator('stockbell-notify').getByRole('button', {name: 'Notify me when available'}).waitFor();
  assert.deepEqual(asked, []);
  await p.close();
});
