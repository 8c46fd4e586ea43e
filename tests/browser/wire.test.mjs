// What the widget costs a product page on the wire, in Chromium (README: Performance): before the
// shopper interacts only the loader and the availability answer; the core and the page's language
// file come on the first idle moment (only when something is sold out), every file compressed
// (brotli) and versioned; within the budgets of issue 16 (6 KB before interaction, 40,960 bytes
// in all). Bytes are counted as Chromium received them: headers and encoded bodies.
// Timing targets are measured by bench/run, not here.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import {
  startServer, launchBrowser, openPage, publishableKey, waitEvent, recordWire, widgetTraffic,
  fileVersion,
} from './harness.mjs';

const kBeforeInteraction = 6 * 1024;
const kTotal = 40960;
const BOTTLE = 'SKU-BOTTLE-750';

let server, browser, key;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  key = await publishableKey(server.url);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function productPage(lang, product = BOTTLE) {
  const page = await browser.context.newPage();
  const wire = await recordWire(page);
  await page.route(`${server.url}/p.html`, (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="${lang}"><title>p</title>
      <script src="/widget/stockbell.js" data-key="${key}" async></script>
      <h1>Product</h1><stockbell-notify product-id="${product}"></stockbell-notify>`}));
  await page.addInitScript(() => {
    window.__ready = new Promise((resolve) => document.addEventListener('stockbell:ready',
      () => resolve(performance.timeOrigin + performance.now())));
  });
  await page.goto(`${server.url}/p.html`);
  await page.evaluate(() => window.__ready);
  return {page, wire};
}

for (const lang of ['en', 'de']) {
  test(`${lang}: before interaction only the loader and the availability; the core and the words when idle`, async () => {
    const {page, wire} = await productPage(lang);
    await page.locator('stockbell-notify').getByRole('button').waitFor();
    const shown = await page.evaluate(() => window.__ready);  // the button shows with this event
    await page.waitForFunction(() => typeof window.StockbellCore == 'function');
    await page.waitForTimeout(500);
    const t = widgetTraffic(wire.finished());
    const names = (list) => list.map((r) => new URL(r.url).pathname).sort();
    assert.deepEqual(names(t.before), ['/api/v1/storefront/availability', '/widget/stockbell.js']);
    assert.deepEqual(names(t.deferred), [`/widget/i18n/${lang}.json`, '/widget/stockbell-core.js',
                                         '/widget/stockbell-core.wasm']);
    for (const r of t.deferred) assert.ok(r.start >= shown - 5, `${r.url} was fetched before the button showed`);
    for (const r of [...t.before, ...t.deferred].filter((x) => x.url.includes('/widget/'))) {
      assert.equal(r.encoding, 'br', r.url);
      if (!r.url.includes('/widget/stockbell.js')) {
        const file = new URL(r.url).pathname.replace('/widget/', '');
        assert.equal(new URL(r.url).searchParams.get('v'), fileVersion(file), r.url);
        assert.equal(r.cacheControl, 'public, max-age=31536000, immutable', r.url);
      }
    }
    console.log(`# ${lang}: before interaction ${t.beforeBytes} bytes (${t.before.map((r) => r.bytes).join(' + ')}), ` +
                `core ${t.deferredBytes}, total ${t.totalBytes}`);
    assert.ok(t.beforeBytes <= kBeforeInteraction, `${t.beforeBytes} bytes before interaction > ${kBeforeInteraction}`);
    assert.ok(t.totalBytes <= kTotal, `${t.totalBytes} bytes in all > ${kTotal}`);
    await page.close();
  });
}

test('an in-stock product costs the loader and the availability answer, nothing more', async () => {
  const {page, wire} = await productPage('en', 'SKU-TEE-MERINO');
  await page.waitForTimeout(500);
  const t = widgetTraffic(wire.finished());
  assert.deepEqual(t.deferred, []);
  assert.equal(t.before.length, 2);
  await page.close();
});
