// Shared by the browser tests: the real `stockbell serve --demo` on a temporary database, Debian's
// Chromium driven by playwright-core (never a downloaded browser), and helpers for the widget.
//
// Paths come from the environment (tests/browser/CMakeLists.txt sets them); the defaults fit an
// in-tree `build/` + `build-wasm/`:
//   STOCKBELL_BIN            the server binary                 build/server/stockbell
//   STOCKBELL_WEB_ROOT       widget + demo, from the wasm build build-wasm/web
//   STOCKBELL_CHROMIUM       the browser                       /usr/bin/chromium
//   STOCKBELL_SCREENSHOT_DIR one PNG per widget state          build/test-output/screenshots
// Anything missing is a failure, not a skip: these tests are the proof the widget works.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

export const paths = {
  bin: process.env.STOCKBELL_BIN || path.join(root, 'build', 'server', 'stockbell'),
  webRoot: process.env.STOCKBELL_WEB_ROOT || path.join(root, 'build-wasm', 'web'),
  chromium: process.env.STOCKBELL_CHROMIUM || '/usr/bin/chromium',
  screenshots: process.env.STOCKBELL_SCREENSHOT_DIR ||
    path.join(root, 'build', 'test-output', 'screenshots'),
};

const requirements = [
  [paths.bin, "the server: 'cmake -S . -B build && cmake --build build'"],
  [path.join(paths.webRoot, 'widget', 'stockbell.js'),
   "the widget: 'emcmake cmake -S . -B build-wasm && cmake --build build-wasm'"],
  [path.join(paths.webRoot, 'widget', 'stockbell-core.wasm'), 'the widget (see above)'],
  [path.join(paths.webRoot, 'demo', 'index.html'), 'the demo page (built with the widget)'],
  [paths.chromium, "Debian's browser: 'apt-get install -y chromium'"],
];
for (const [file, what] of requirements)
  assert.ok(fs.existsSync(file), `missing ${file}: build or install ${what}`);

let playwright, axe;
try {
  playwright = await import('playwright-core');
  axe = (await import('axe-core')).default;
} catch (e) {
  throw new Error(`the test dependencies are missing: run 'npm ci' in ${root} (${e.message})`);
}

export const axeSource = axe.source;

/// The `?v=` of a widget file's versioned URL: the first 12 hex digits of its SHA-256
/// (web/build.mjs), e.g. fileVersion('stockbell-core.wasm') or fileVersion('i18n/de.json').
export const fileVersion = (file) => crypto.createHash('sha256')
  .update(fs.readFileSync(path.join(paths.webRoot, 'widget', file))).digest('hex').slice(0, 12);

// ---- the server ----------------------------------------------------------------------------

/// `stockbell serve --demo --port 0` on a fresh database. Resolves once it printed its URL and
/// the demo secret key. Every tab of a test run comes from 127.0.0.1, so the per-address
/// storefront limit is raised (a suite makes ~70 storefront calls in seconds); `args` may
/// override it or add flags.
/// `options.port` and `options.dir` start it again where a stopped one (`stop({keep: true})`) was.
export async function startServer(args = [], options = {}) {
  const dir = options.dir || fs.mkdtempSync(path.join(os.tmpdir(), 'stockbell-browser-'));
  // options.demo === false: an existing store's server, no demo (a demo start revokes the
  // demo store's earlier keys).
  const demo = options.demo === false ? [] : ['--demo'];
  const child = spawn(paths.bin, ['serve', ...demo, '--host', '127.0.0.1', '--port', String(options.port || 0),
                                  '--db', path.join(dir, 'demo.db'), '--web-root', paths.webRoot,
                                  '--rate-ip-per-minute', '6000', '--rate-ip-burst', '1000',
                                  ...args],
                      {stdio: ['ignore', 'pipe', 'pipe']});
  let out = '', err = '';
  child.stderr.on('data', (d) => { err += d; });
  const started = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}${err}`)), 15000);
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}${err}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const url = /listening on (http:\/\/\S+)/.exec(out);
      const secret = /demo secret key[^:]*: (sk_\S+)/.exec(out);
      if (url && (secret || !demo.length)) {
        clearTimeout(timer);
        resolve({url: url[1], secret: secret?.[1]});
      }
    });
  });
  return {
    ...started,
    dir,
    db: path.join(dir, 'demo.db'),
    port: Number(new URL(started.url).port),
    /// `stockbell keys ...` on this server's database; the printed output.
    keys(...argv) {
      return new Promise((resolve, reject) => {
        const cli = spawn(paths.bin, ['keys', ...argv, '--db', path.join(dir, 'demo.db')]);
        let out = '';
        cli.stdout.on('data', (d) => { out += d; });
        cli.stderr.on('data', (d) => { out += d; });
        cli.on('exit', (code) => code === 0 ? resolve(out) : reject(new Error(`keys ${argv.join(' ')}: ${out}`)));
      });
    },
    /// A call to the API, as a store's backend would make it (secret key unless told otherwise).
    async api(method, route, body, key = started.secret) {
      const res = await fetch(started.url + route, {
        method,
        headers: {Authorization: `Bearer ${key}`,
                  ...(body === undefined ? {} : {'Content-Type': 'application/json'})},
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return {status: res.status, body: await res.json()};
    },
    async stop({keep = false} = {}) {
      child.removeAllListeners('exit');
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keep) fs.rmSync(dir, {recursive: true, force: true});
    },
  };
}

// ---- the browser ---------------------------------------------------------------------------

/// A real SMTP server on loopback (tests/smtp/smtp_sink.py, aiosmtpd) as a child process, writing
/// each message it accepts and its parsed parts to a folder; resolves once it listens.
export async function startSmtpSink() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockbell-mail-'));
  const child = spawn('/usr/bin/python3', [path.join(root, 'tests', 'smtp', 'smtp_sink.py'), '--port', '0', '--dir', dir, '--quiet'],
                      {stdio: ['ignore', 'pipe', 'inherit']});
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`SMTP sink did not start: ${out}`)), 15000);
    child.on('exit', (code) => reject(new Error(`SMTP sink exited (${code}): ${out}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on [\d.]+:(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    /// Every received message (the sink's JSON), oldest first.
    mails() {
      return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
        .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    },
    /// Waits for the first message to `to` after the first `skip` of them.
    async mailTo(to, skip = 0) {
      for (let i = 0; i < 400; ++i) {
        const found = this.mails().filter((m) => m.rcptTos.includes(to))[skip];
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no mail to ${to}`);
    },
    async stop() {
      child.removeAllListeners('exit');
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, {recursive: true, force: true});
    },
  };
}

export async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'stockbell-chromium-'));
  const context = await playwright.chromium.launchPersistentContext(profile, {
    executablePath: paths.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: {width: 1100, height: 900},
    reducedMotion: 'reduce',
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, {recursive: true, force: true});
    },
  };
}

/// Records every stockbell:* event, every page error and every console line from the first
/// script on (`page.consoleLines`: "error: stockbell: ...").
async function instrument(page) {
  page.pageErrors = [];
  page.consoleLines = [];
  page.on('pageerror', (e) => page.pageErrors.push(e));
  page.on('console', (m) => page.consoleLines.push(`${m.type()}: ${m.text()}`));
  await page.addInitScript(() => {
    window.__stockbell = [];
    for (const type of ['ready', 'submit', 'success', 'error'])
      document.addEventListener('stockbell:' + type, (e) =>
        window.__stockbell.push({type, detail: e.detail, productId: e.target.getAttribute('product-id')}));
  });
}

/// A new tab on the demo storefront, with its products rendered and every widget evaluated.
/// `before(page)` runs before navigation (e.g. to block a route).
export async function openDemo(context, url, before) {
  const page = await context.newPage();
  await instrument(page);
  if (before) await before(page);
  await page.goto(url);
  await page.locator('stockbell-notify').nth(2).waitFor({state: 'attached'});
  await page.waitForFunction(() => window.__stockbell.filter((e) => e.type === 'ready').length >= 3);
  return page;
}

/// A tab on a page of our own, served from the same origin (so the demo key is allowed for it).
export async function openPage(context, url, html, before) {
  const page = await context.newPage();
  await instrument(page);
  if (before) await before(page);
  await page.route(url + '/test-page.html', (route) =>
    route.fulfill({status: 200, contentType: 'text/html; charset=utf-8', body: html}));
  await page.goto(url + '/test-page.html');
  return page;
}

/// The words of core/i18n/messages.json: messages.de.widget.button, messages.fr.field.too_long, ...
export const messages = JSON.parse(fs.readFileSync(path.join(root, 'core', 'i18n', 'messages.json'), 'utf8'));

/// `text` with each `{name}` of `values` filled in, as the widget does.
export const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, name) => name in values ? values[name] : all);

/// The publishable key the server wrote into the demo page.
export async function publishableKey(url) {
  const html = await (await fetch(url + '/')).text();
  return /data-key="(pk_[^"]+)"/.exec(html)[1];
}

/// The recorded stockbell:* events so far.
export const events = (page) => page.evaluate(() => window.__stockbell);

/// Waits for a stockbell:* event after the first `since` events that matches `fields`
/// (compared against its detail, plus `productId` of the element).
export async function waitEvent(page, since, type, fields = {}) {
  const handle = await page.waitForFunction(([since, type, fields]) => {
    const hit = window.__stockbell.slice(since).find((e) => e.type === type &&
      Object.entries(fields).every(([k, v]) => (k in e.detail ? e.detail[k] : e[k]) === v));
    return hit || false;
  }, [since, type, fields], {timeout: 10000});
  return handle.jsonValue();
}

export const eventCount = (page) => page.evaluate(() => window.__stockbell.length);

/// The widget of one demo product, and the parts of its shadow DOM the tests look at.
export function widget(page, productId) {
  const host = page.locator(`#${productId} stockbell-notify`);
  const part = (id) => host.locator(`#${id}`);
  return {
    host,
    card: page.locator(`#${productId}`),
    button: host.getByRole('button', {name: 'Notify me when available'}),
    input: host.getByLabel('Email address'),
    submit: host.getByRole('button', {name: 'Notify me', exact: true}),
    cancel: host.getByRole('button', {name: 'Cancel'}),
    fieldError: part('err'),
    status: part('status'),
    honeypot: part('hp'),
  };
}

/// Picks a variant in the demo's picker; the detail of the widget's stockbell:ready for it.
export async function pick(page, productId, variantId) {
  const since = await eventCount(page);
  await page.selectOption(`#pick-${productId}`, variantId);
  return (await waitEvent(page, since, 'ready', {variantId})).detail;
}

/// The focused element, looking through shadow roots: {id, tag, text, host}.
export function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement, host = null;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) {
      host = el;
      el = el.shadowRoot.activeElement;
    }
    return el && {id: el.id, tag: el.tagName.toLowerCase(), text: el.textContent.trim(),
                  host: host && host.getAttribute('product-id')};
  });
}

export function screenshotPath(name) {
  fs.mkdirSync(paths.screenshots, {recursive: true});
  return path.join(paths.screenshots, name + '.png');
}

let emailCounter = 0;
/// A fresh, valid address per call, so tests don't see each other's requests.
export const freshEmail = (tag) =>
  `${tag}.${process.pid}.${Date.now()}.${++emailCounter}@example.com`;

// ---- the wire ------------------------------------------------------------------------------

/// Records every request of `page` as Chromium's network stack saw it (DevTools protocol):
/// `{url, method, status, encoding, bytes, start, end}`, `bytes` being what came over the wire
/// for the response (headers and encoded body), `start` the wall-clock ms it was sent (compare
/// with `performance.timeOrigin + performance.now()` in the page), `end` a monotonic ms.
export async function recordWire(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => requests.set(e.requestId, {
    url: e.request.url, method: e.request.method, start: e.wallTime * 1000,
  }));
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (!r) return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    Object.assign(r, {status: e.response.status, encoding: headers['content-encoding'] || null,
                      cacheControl: headers['cache-control'] || null});
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, {bytes: e.encodedDataLength, end: e.timestamp * 1000});
  });
  return {
    cdp,
    /// The finished requests whose URL matches `pattern`, in the order they started.
    finished: (pattern = /./) => [...requests.values()].filter((r) => r.end && pattern.test(r.url))
      .sort((a, b) => a.start - b.start),
  };
}

/// The DevTools "Slow 4G" profile (562.5 ms round trip, 1.44 Mbit/s down, 675 kbit/s up) and a
/// 4× slower CPU, on `cdp`.
export async function throttle(cdp) {
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 562.5, downloadThroughput: 1.6 * 1e6 / 8 * 0.9,
    uploadThroughput: 750 * 1e3 / 8 * 0.9});
  await cdp.send('Emulation.setCPUThrottlingRate', {rate: 4});
}

/// The widget's files and API calls among recorded requests, by what they are for: `before` the
/// shopper interacts (the loader, the availability check) and `deferred` (the core and the
/// language's words, fetched on the first idle moment or click).
export function widgetTraffic(finished) {
  const widgetFiles = finished.filter((r) => /\/widget\/|\/api\/v1\/storefront\//.test(r.url));
  const deferred = widgetFiles.filter((r) => /stockbell-core\.|\/i18n\//.test(r.url));
  const before = widgetFiles.filter((r) => !deferred.includes(r));
  const sum = (list) => list.reduce((n, r) => n + r.bytes, 0);
  return {before, deferred, beforeBytes: sum(before), deferredBytes: sum(deferred),
          totalBytes: sum(widgetFiles)};
}
