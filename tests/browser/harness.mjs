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
  [path.join(paths.webRoot, 'widget', 'stockbell.wasm'), 'the widget (see above)'],
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
export const version = /#define STOCKBELL_VERSION "([^"]+)"/.exec(
  fs.readFileSync(path.join(root, 'core', 'version.hpp'), 'utf8'))[1];

// ---- the server ----------------------------------------------------------------------------

/// `stockbell serve --demo --port 0` on a fresh database. Resolves once it printed its URL and
/// the demo secret key. Every tab of a test run comes from 127.0.0.1, so the per-address
/// storefront limit is raised (a suite makes ~70 storefront calls in seconds); `args` may
/// override it or add flags.
export async function startServer(args = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockbell-browser-'));
  const child = spawn(paths.bin, ['serve', '--demo', '--host', '127.0.0.1', '--port', '0',
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
      if (url && secret) {
        clearTimeout(timer);
        resolve({url: url[1], secret: secret[1]});
      }
    });
  });
  return {
    ...started,
    db: path.join(dir, 'demo.db'),
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

// ---- the browser ---------------------------------------------------------------------------

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

/// Records every stockbell:* event and every page error from the first script on.
async function instrument(page) {
  page.pageErrors = [];
  page.on('pageerror', (e) => page.pageErrors.push(e));
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
