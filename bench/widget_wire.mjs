// The widget's cost to a product page, in Chromium on the real server (bench/run runs this; alone:
// `node bench/widget_wire.mjs BUILD_DIR WASM_BUILD_DIR ROUNDS`). Prints one JSON line:
//
//   wire.<lang>          bytes Chromium received (headers + encoded bodies) before the shopper
//                        interacts (loader, availability, language file) and deferred (the core,
//                        fetched on the first idle moment or click); baseline: all of it at once,
//                        as the page paid before the split
//   mainThread           main-thread time (DevTools TaskDuration) the widget adds to a product
//                        page's load until the button shows, and until the page is idle with the
//                        core compiled; baseline: the same page without the widget
//   clickToForm          on the throttled profile (Slow 4G + 4× CPU): from the click on the button
//                        to a focused, visible e-mail field, for a click 2 s after the button
//                        showed and for one the moment it showed (then the language file is still
//                        on its way); baseline: the page's own button showing a plain form. Also
//                        from that first click until the core's .wasm has arrived.
//
// Every figure is the median of ROUNDS fresh browser contexts (nothing cached).

import path from 'node:path';

const [buildDir, wasmDir, roundsText] = process.argv.slice(2);
process.env.STOCKBELL_BIN ??= path.join(buildDir, 'server', 'stockbell');
process.env.STOCKBELL_WEB_ROOT ??= path.join(wasmDir, 'web');
const rounds = Number(roundsText || 5);
const {startServer, launchBrowser, publishableKey, recordWire, throttle, widgetTraffic} =
  await import('../tests/browser/harness.mjs');

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const BOTTLE = 'SKU-BOTTLE-750';  // sold out in the demo catalog

const server = await startServer();
const browser = await launchBrowser();
const key = await publishableKey(server.url);

function productHtml(lang, withWidget) {
  return `<!doctype html><html lang="${lang}"><meta name="viewport" content="width=device-width">
    <title>Product</title>
    ${withWidget ? `<script src="/widget/stockbell.js" data-key="${key}" async></script>` : ''}
    <h1>Insulated bottle</h1><p>Sold out.</p>
    ${withWidget ? `<stockbell-notify product-id="${BOTTLE}"></stockbell-notify>` : `
    <button id="own" type="button">Notify me when available</button>
    <form id="plain" hidden><label for="e">Email address</label><input id="e" type="email"></form>
    <script>own.onclick = () => { plain.hidden = false; e.focus(); };</script>`}`;
}

/// A new tab on a product page (`lang`, with or without the widget), throttled or not, with the
/// browser's cache off (every round pays for every byte).
async function open(lang, withWidget, throttled) {
  const page = await browser.context.newPage();
  const context = page;  // closed after each round
  await page.setViewportSize({width: 412, height: 900});
  const wire = await recordWire(page);
  await wire.cdp.send('Network.setCacheDisabled', {cacheDisabled: true});
  if (throttled) await throttle(wire.cdp);
  await wire.cdp.send('Performance.enable');
  await page.route(`${server.url}/p.html`, (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8', body: productHtml(lang, withWidget)}));
  await page.addInitScript(() => {
    window.__ready = new Promise((resolve) => document.addEventListener('stockbell:ready', resolve));
  });
  await page.goto(`${server.url}/p.html`, {waitUntil: 'load'});
  return {context, page, wire};
}

const taskMs = async (cdp) => {
  const {metrics} = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value * 1000;
};

// Waits until the page's main thread has been idle for a moment (the core compiled, if asked for).
const settle = (page) => page.evaluate(() => new Promise((resolve) => {
  const idle = () => requestIdleCallback(() => setTimeout(resolve, 200));
  if (typeof window.StockbellCore == 'function' || !document.querySelector('stockbell-notify')) idle();
  else setTimeout(idle, 1500);
}));

async function wireFigures(lang) {
  const before = [], deferred = [], total = [];
  for (let i = 0; i < rounds; i++) {
    const {context, page, wire} = await open(lang, true, false);
    await page.evaluate(() => window.__ready);
    await page.waitForFunction(() => typeof window.StockbellCore == 'function');
    await settle(page);
    const t = widgetTraffic(wire.finished());
    before.push(t.beforeBytes);
    deferred.push(t.deferredBytes);
    total.push(t.totalBytes);
    await context.close();
  }
  return {beforeInteractionBytes: median(before), deferredBytes: median(deferred),
          totalBytes: median(total), baselineAllAtOnceBytes: median(total),
          ratioToBaseline: median(before) / median(total)};
}

async function mainThread() {
  const shown = [], idle = [], base = [];
  for (let i = 0; i < rounds; i++) {
    let {context, page, wire} = await open('en', false, true);
    await settle(page);
    base.push(await taskMs(wire.cdp));
    await context.close();
    ({context, page, wire} = await open('en', true, true));
    await page.evaluate(() => window.__ready);
    shown.push(await taskMs(wire.cdp));
    await page.waitForFunction(() => typeof window.StockbellCore == 'function', null, {timeout: 30000});
    await settle(page);
    idle.push(await taskMs(wire.cdp));
    await context.close();
  }
  const b = median(base);
  return {baselinePageMs: b, untilButtonMs: median(shown), untilIdleWithCoreMs: median(idle),
          addedUntilButtonMs: median(shown) - b, addedUntilIdleMs: median(idle) - b};
}

// In the page: the time from the click's event to the frame after the e-mail field got the focus
// and is visible; and until the core answered a validation (the widget's window.StockbellCore).
async function clickToForm(withWidget, delayMs) {
  const usable = [], core = [];
  for (let i = 0; i < rounds; i++) {
    const {context, page} = await open('en', withWidget, true);
    if (withWidget) await page.evaluate(() => window.__ready);
    await page.evaluate(() => {
      window.__usable = new Promise((resolve) => {
        let clicked = 0;
        document.addEventListener('click', (e) => { window.__clicked = clicked = e.timeStamp; }, true);
        // The e-mail field getting the focus (the click focuses the button first).
        document.addEventListener('focusin', (e) => {
          if (e.composedPath()[0].type !== 'email') return;
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - clicked)));
        }, true);
      });
    });
    const button = withWidget ? page.locator('stockbell-notify').getByRole('button') : page.locator('#own');
    // The click as soon as the button shows (the words and the core are still on their way on
    // this profile), or a moment later, as a shopper who read the page first.
    await button.waitFor();
    if (delayMs) await page.waitForTimeout(delayMs);
    await button.click();
    usable.push(await page.evaluate(() => window.__usable));
    if (withWidget) {
      core.push(await page.evaluate(async () => {
        const click = window.__clicked;
        for (;;) {
          const wasm = performance.getEntriesByType('resource').find((r) => r.name.includes('stockbell-core.wasm'));
          if (wasm && wasm.responseEnd > 0) return wasm.responseEnd - click;
          await new Promise((r) => setTimeout(r, 20));
        }
      }));
    }
    await context.close();
  }
  return {usableMs: median(usable), coreAfterClickMs: core.length ? median(core) : null};
}

try {
  const out = {rounds, profile: 'Slow 4G (562.5 ms RTT, 1.44 Mbit/s) + 4x CPU'};
  out.wire = {en: await wireFigures('en'), de: await wireFigures('de')};
  out.mainThread = await mainThread();
  const first = await clickToForm(true, 0), later = await clickToForm(true, 2000);
  const plain = await clickToForm(false, 0);
  out.clickToForm = {widgetMs: later.usableMs, atOnceMs: first.usableMs,
                     baselinePlainFormMs: plain.usableMs, coreLoadedAfterClickMs: first.coreAfterClickMs};
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
  await server.stop();
}
