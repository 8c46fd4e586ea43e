// The merchant's dashboard in Debian's Chromium against the real `stockbell serve --demo`:
// sign-in with a link from the real `stockbell dashboard-url`, the ranked demand, a cancel with
// its confirmation, the CSV export, the settings, sign-out; a product titled like an XSS attack
// shown as text; the page's security headers; no third-party request; keyboard navigation;
// axe-core on every page; screenshots of every page at 375 and 1280 px.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

import { startServer, launchBrowser, screenshotPath, axeSource, paths } from './harness.mjs';

const XSS = '<img src=x onerror=alert(1)>';
const PAGES = ['overview', 'demand', 'requests', 'deliveries', 'settings'];

let server, browser, page;
const dialogs = [];
const foreign = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Demand: 3 shoppers for the tee in L, 2 for the bottle, 1 for a product with a hostile title.
  const ok = (r) => assert.equal(r.status, 200, JSON.stringify(r.body));
  ok(await server.api('POST', '/api/v1/products', {products: [
    {productId: 'SKU-XSS', title: XSS, inStock: false}]}));
  const wait = (productId, variantId, email) => server.api('POST', '/api/v1/back-in-stock',
    {productId, ...(variantId ? {variantId} : {}), customer: {email}});
  for (const email of ['ana@shop.example', 'ben@shop.example', 'cy@shop.example'])
    ok(await wait('SKU-TEE-MERINO', 'SKU-TEE-MERINO-L', email));
  for (const email of ['dee@shop.example', 'eve@shop.example'])
    ok(await wait('SKU-BOTTLE-750', null, email));
  ok(await wait('SKU-XSS', null, 'fay@shop.example'));
  ok(await server.api('POST', '/api/v1/webhooks', {url: 'http://127.0.0.1:9/hook'}));

  page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  page.pageErrors = [];
  page.on('pageerror', (e) => page.pageErrors.push(e));
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.accept(); });
  page.on('request', (r) => { if (!r.url().startsWith(server.url)) foreign.push(r.url()); });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

function signInLink() {
  return execFileSync(paths.bin, ['dashboard-url', '--db', server.db, '--store', 'demo',
                                  '--base-url', server.url], {encoding: 'utf8'}).trim();
}

async function audit() {
  if (!(await page.evaluate(() => typeof axe === 'object'))) {
    // The page's CSP refuses inline scripts: axe is evaluated through the DevTools protocol.
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate(() => axe.run(document, {resultTypes: ['violations']}));
  return result.violations.map((v) => ({rule: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' '))}));
}

async function open(name) {
  await page.click(`#nav a[data-page="${name}"]`);
  await page.waitForFunction((n) => document.title.startsWith(document.querySelector(`#nav a[data-page="${n}"]`).textContent)
    && !document.querySelector('[aria-busy]'), name);
}

async function shoot(name) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({width, height: 900});
    await page.waitForTimeout(100);  // charts resize on the resize event
    await page.screenshot({path: screenshotPath(`dashboard-${name}-${width}`), fullPage: true, animations: 'disabled'});
  }
  await page.setViewportSize({width: 1280, height: 900});
}

test('the link from the CLI signs in once; the page is served with its security headers', async () => {
  const link = signInLink();
  assert.match(link, /\/dashboard\/sign-in\?token=sbl_/);
  const response = await page.goto(link);
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  const headers = response.headers();
  assert.match(headers['content-security-policy'], /script-src 'self'/);
  assert.doesNotMatch(headers['content-security-policy'], /unsafe-inline/);
  assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'no-referrer');
  await page.waitForSelector('#waiting-now');
  assert.equal(await page.textContent('#waiting-now'), '6');
  assert.equal(await page.textContent('#store'), 'demo');
  const cookies = await browser.context.cookies(server.url);
  const session = cookies.find((c) => c.name === 'stockbell_session');
  assert.ok(session.httpOnly);
  assert.equal(session.sameSite, 'Strict');
  // A second use is refused.
  const again = await fetch(link, {redirect: 'manual'});
  assert.equal(again.status, 403);
});

test('every page: no axe violations, screenshots at 375 and 1280 px', async () => {
  for (const name of PAGES) {
    await open(name);
    assert.deepEqual(await audit(), [], `axe violations on ${name}`);
    await shoot(name);
  }
  // The charts are uPlot's canvases.
  await open('overview');
  assert.equal(await page.locator('.uplot canvas').count(), 1);
});

test('demand: ranked by waiting shoppers; a hostile title is text, never HTML', async () => {
  await open('demand');
  const rows = page.locator('#page tbody tr');
  assert.equal(await rows.count(), 3);
  assert.match(await rows.nth(0).textContent(), /Merino Running Tee.*L.*3/s);
  assert.match(await rows.nth(1).textContent(), /Insulated Steel Bottle.*2/s);
  assert.ok((await rows.nth(2).textContent()).includes(XSS));
  assert.equal(await page.locator('#page img').count(), 0);
  assert.deepEqual(dialogs, []);  // no alert(1)
  assert.equal(await page.locator('.uplot canvas').count(), 1);
});

test('keyboard: the sections are reached and opened with Tab and Enter', async () => {
  await page.goto(server.url + '/dashboard#overview');
  await page.waitForSelector('#waiting-now');
  let focused = '';
  for (let i = 0; i < 10 && focused !== 'requests'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.dataset?.page || '');
  }
  assert.equal(focused, 'requests');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#q');
  assert.equal(new URL(page.url()).hash, '#requests');
});

test('requests: search, cancel with confirmation, export CSV', async () => {
  await open('requests');
  await page.fill('#q', 'ben@shop.example');
  await page.press('#q', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('#page tbody tr').length === 1);
  await page.click('#page tbody button');
  await page.waitForSelector('text=Request cancelled.');
  assert.equal(dialogs.length, 1);
  assert.match(dialogs[0], /ben@shop\.example/);
  assert.match(await page.textContent('#page tbody'), /cancelled/);
  const waiting = await server.api('GET', '/api/v1/back-in-stock?status=waiting');
  assert.equal(waiting.body.pagination.total, 5);

  // The export follows the search (ben's request only), then everything once it is cleared.
  const exported = async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Export CSV')]);
    return fs.readFileSync(await download.path(), 'utf8').trimEnd().split('\r\n');
  };
  let lines = await exported();
  assert.equal(lines[0], 'id,email,productId,variantId,productTitle,variantTitle,status,createdAt,notifiedAt,cancelledAt');
  assert.equal(lines.length, 2);
  assert.ok(lines[1].includes('ben@shop.example') && lines[1].includes(',cancelled,'));
  await page.fill('#q', '');
  await page.press('#q', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('#page tbody tr').length === 6);
  lines = await exported();
  assert.equal(lines.length, 7);
  assert.ok(lines.some((l) => l.includes(',SKU-XSS,')));
});

test('settings: saved with the CSRF token; a bad time zone is reported at its field', async () => {
  await open('settings');
  await page.fill('#set-timeZone', 'Europe/Atlantis');
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.getElementById('err-timeZone').textContent !== '');
  await page.fill('#set-timeZone', 'Europe/Berlin');
  await page.click('button[type=submit]');
  await page.waitForSelector('text=Settings saved.');
  const settings = await server.api('GET', '/api/v1/settings');
  assert.equal(settings.body.settings.timeZone, 'Europe/Berlin');
});

test('sign-out ends the session; the page says how to sign in again', async () => {
  await page.click('#sign-out');
  await page.waitForSelector('text=You are signed out');
  const status = await page.evaluate(async () => (await fetch('/api/v1/back-in-stock')).status);
  assert.equal(status, 401);
  await page.screenshot({path: screenshotPath('dashboard-signed-out-375'), fullPage: true});
  assert.deepEqual(await audit(), []);
  assert.deepEqual(page.pageErrors.map(String), []);
  assert.deepEqual(foreign, [], 'the dashboard made a request to another site');
});

test('a store no one waits at yet says so, on the overview and on the demand page', async () => {
  execFileSync(paths.bin, ['keys', 'create', '--db', server.db, '--store', 'quiet', '--kind', 'secret']);
  const link = execFileSync(paths.bin, ['dashboard-url', '--db', server.db, '--store', 'quiet',
                                        '--base-url', server.url], {encoding: 'utf8'}).trim();
  await page.goto(link);
  await page.waitForSelector('#waiting-now');
  assert.equal(await page.textContent('#waiting-now'), '0');
  assert.equal(await page.textContent('#store'), 'quiet');
  await page.waitForSelector('text=No one is waiting yet.', {state: 'attached'});
  await open('demand');
  assert.match(await page.textContent('#page'), /No one is waiting yet\./);
  assert.equal(await page.locator('.uplot').count(), 0);  // no empty chart
  assert.deepEqual(await audit(), []);
  await shoot('empty-demand');
});
