// Shopper e-mail as people see it, in headless Chromium: the back-in-stock mail (English and
// German; French with the product's picture and link) as a mail client shows its HTML part, the
// unsubscribe and confirm pages opened from links in received mail and their buttons clicked,
// and the widget's "check your inbox" for a store with double opt-in. Each is audited with
// axe-core (WCAG 2 A/AA) and saved as a screenshot in ${STOCKBELL_SCREENSHOT_DIR} (mail-*.png,
// page-*.png) for a human look.
//
// The mail goes through a real SMTP server on loopback: tests/smtp/smtp_sink.py (aiosmtpd),
// which writes each message and its parsed parts to a folder.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  startServer, launchBrowser, openDemo, widget, waitEvent, eventCount, freshEmail,
  screenshotPath, axeSource, startSmtpSink,
} from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PROTEIN = 'SKU-PROTEIN-1KG';
const VANILLA = 'SKU-PROTEIN-1KG-VANILLA';
const TEE = 'SKU-TEE-MERINO';
const TEE_M = 'SKU-TEE-MERINO-M';
const BOTTLE = 'SKU-BOTTLE-750';

let sink, server, browser;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const {port} = s.address(); s.close(() => resolve(port)); });
  });
}

before(async () => {
  sink = await startSmtpSink();
  // The links in a mail point at this server: its port is chosen first.
  const port = await freePort();
  server = await startServer(['--port', String(port), '--smtp-url', sink.url,
                              '--public-url', `http://127.0.0.1:${port}`,
                              '--mail-from', 'Stockbell demo <shop@demo.example>',
                              '--mail-retry-first-ms', '100']);
  browser = await launchBrowser();
  const settings = await server.api('PATCH', '/api/v1/settings', {storeName: 'Protein & Co'});
  assert.equal(settings.status, 200);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

/// axe-core's WCAG 2 A and AA rules on the page; the violations. The shopper pages forbid
/// every script (their CSP): their HTML is audited in a tab of its own.
async function audit(page, underCsp = false) {
  if (underCsp) {
    const copy = await browser.context.newPage();
    await copy.setContent(await page.content());
    try {
      return await audit(copy);
    } finally {
      await copy.close();
    }
  }
  await page.addScriptTag({content: axeSource});
  const result = await page.evaluate(() => axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  }));
  return result.violations.map((v) => ({rule: v.id, help: v.help,
                                        nodes: v.nodes.map((n) => n.target.join(' '))}));
}

/// The demo product with `variant` in stock (the demo catalog, pushed again).
async function restock(productId, variantId) {
  const catalog = JSON.parse(fs.readFileSync(
    path.resolve(here, '..', '..', 'web', 'demo', 'catalog.json'), 'utf8'));
  const product = catalog.products.find((p) => p.productId === productId);
  for (const v of product.variants)
    if (v.variantId === variantId) Object.assign(v, {inStock: true, inventoryQuantity: 5});
  const r = await server.api('POST', '/api/v1/products', {products: [product]});
  assert.equal(r.status, 200);
  return r.body.backInStockEventsTriggered;
}

/// A mail's HTML part as a mail client shows it, `width` wide.
async function showMail(mail, name, width = 600) {
  const page = await browser.context.newPage();
  await page.setViewportSize({width, height: 900});
  await page.setContent(mail.html);
  await page.screenshot({path: screenshotPath(name), fullPage: true});
  return page;
}

test('the back-in-stock mail in English and German, as a mail client shows it', async () => {
  const en = freshEmail('mail-en'), de = freshEmail('mail-de');
  for (const [email, body] of [[en, {}], [de, {locale: 'de', customer: {email: de, firstName: 'Anna'}}]]) {
    const r = await server.api('POST', '/api/v1/back-in-stock',
                               {productId: PROTEIN, variantId: VANILLA, customer: {email}, ...body});
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'waiting');
  }
  assert.ok(await restock(PROTEIN, VANILLA) >= 2);

  const english = await sink.mailTo(en);
  assert.equal(english.subject, 'Back in stock: Whey Protein, 1 kg');
  assert.equal(english.from, 'Stockbell demo <shop@demo.example>');
  const page = await showMail(english, 'mail-back-in-stock-en');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.match(await page.locator('body').innerText(), /Whey Protein, 1 kg\s+Vanilla\s+\$\d+\.\d\d/);
  // The demo catalog has no product URLs: the mail sends the shopper to the store instead.
  assert.match(await page.locator('body').innerText(), /Visit the Protein & Co shop to order it/);
  assert.equal(await page.getByRole('link', {name: 'Unsubscribe'}).count(), 1);
  for (const alt of await page.locator('img').evaluateAll((imgs) => imgs.map((i) => i.alt)))
    assert.equal(alt, 'Whey Protein, 1 kg');
  assert.deepEqual(await audit(page), [], 'axe violations in the English mail');
  await page.setViewportSize({width: 375, height: 800});
  await page.screenshot({path: screenshotPath('mail-back-in-stock-en-375'), fullPage: true});
  await page.close();

  const german = await sink.mailTo(de);
  assert.equal(german.subject, 'Wieder verfügbar: Whey Protein, 1 kg');
  const dePage = await showMail(german, 'mail-back-in-stock-de');
  assert.equal(await dePage.evaluate(() => document.documentElement.lang), 'de');
  assert.match(await dePage.locator('body').innerText(), /Hallo Anna,/);
  assert.match(await dePage.locator('body').innerText(), /\d+,\d\d\u00a0\$/);
  assert.deepEqual(await audit(dePage), [], 'axe violations in the German mail');
  await dePage.close();
});

test('the mail with the product\'s picture and link, in French', async () => {
  // The shop's product page and picture, on a server of their own.
  const picture = '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320">' +
    '<rect width="480" height="320" fill="#3f6212"/><circle cx="240" cy="160" r="96" fill="#a3e635"/></svg>';
  const shop = http.createServer((req, res) => {
    if (req.url === '/img/sencha.svg') {
      res.writeHead(200, {'Content-Type': 'image/svg+xml'});
      res.end(picture);
    } else {
      res.writeHead(200, {'Content-Type': 'text/html; charset=utf-8'});
      res.end('<!DOCTYPE html><html lang="fr"><title>Sencha</title><h1>Thé vert Sencha</h1></html>');
    }
  });
  await new Promise((resolve) => shop.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${shop.address().port}`;
  try {
    const product = {productId: 'TEA-SENCHA', title: 'Thé vert – Sencha', currency: 'EUR',
                     url: `${base}/products/sencha?ref=mail&size=100`, imageUrl: `${base}/img/sencha.svg`,
                     variants: [{variantId: 'TEA-SENCHA-100', title: '100 g', priceCents: 1299, inStock: false}]};
    assert.equal((await server.api('POST', '/api/v1/products', {products: [product]})).status, 200);
    const email = freshEmail('mail-fr');
    assert.equal((await server.api('POST', '/api/v1/back-in-stock', {
      productId: 'TEA-SENCHA', variantId: 'TEA-SENCHA-100', locale: 'fr-BE',
      customer: {email, firstName: 'Élodie'}})).status, 200);
    product.variants[0].inStock = true;
    const r = await server.api('POST', '/api/v1/products', {products: [product]});
    assert.equal(r.body.backInStockEventsTriggered, 1);

    const mail = await sink.mailTo(email);
    assert.equal(mail.subject, 'De retour en stock\u00a0: Thé vert – Sencha');
    const page = await browser.context.newPage();
    await page.setViewportSize({width: 600, height: 900});
    await page.setContent(mail.html, {waitUntil: 'load'});
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
    const img = page.locator('img');
    assert.equal(await img.getAttribute('alt'), 'Thé vert – Sencha');
    assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the picture loads');
    const text = await page.locator('body').innerText();
    assert.match(text, /Bonjour Élodie,/);
    assert.match(text, /12,99\u00a0€/);
    const link = page.getByRole('link', {name: 'Voir l’article'});
    assert.equal(await link.getAttribute('href'), product.url);
    assert.deepEqual(await audit(page), [], 'axe violations in the French mail');
    await page.screenshot({path: screenshotPath('mail-back-in-stock-fr-picture'), fullPage: true});
    await page.setViewportSize({width: 375, height: 900});
    await page.screenshot({path: screenshotPath('mail-back-in-stock-fr-picture-375'), fullPage: true});
    await page.close();
  } finally {
    await new Promise((resolve) => shop.close(resolve));
  }
});

test('unsubscribe: the page from the mail\'s link, its button clicked in the browser', async () => {
  const email = freshEmail('unsubscribe');
  const r = await server.api('POST', '/api/v1/back-in-stock',
                             {productId: TEE, variantId: TEE_M, locale: 'de', customer: {email}});
  assert.equal(r.status, 200);
  const other = await server.api('POST', '/api/v1/back-in-stock',
                                 {productId: PROTEIN, variantId: VANILLA, customer: {email}});
  assert.equal(other.status, 200);
  await restock(TEE, TEE_M);
  const mail = await sink.mailTo(email);
  const link = /<([^>]+)>/.exec(mail.headers.find(([name]) => name === 'List-Unsubscribe')[1])[1];
  assert.match(link, /\/u\/[A-Za-z0-9_-]{51}\?lang=de$/);

  const page = await browser.context.newPage();
  const response = await page.goto(link);
  assert.equal(response.status(), 200);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  assert.equal(await page.getByRole('heading', {level: 1}).textContent(), 'E-Mails abbestellen');
  await page.screenshot({path: screenshotPath('page-unsubscribe-de'), fullPage: true});
  assert.deepEqual(await audit(page, true), [], 'axe violations on the unsubscribe page');
  // Its Content-Security-Policy runs no script, not even one injected into the page.
  await assert.rejects(page.addScriptTag({content: 'window.injected = 1'}), /Content Security Policy/);
  const before = await server.api('GET', `/api/v1/back-in-stock?email=${encodeURIComponent(email)}`);
  assert.equal(before.body.requests.find((q) => q.variantId === VANILLA).status, 'waiting');

  await page.getByRole('button', {name: 'Abbestellen'}).click();
  await page.getByRole('heading', {name: 'Abbestellung bestätigt'}).waitFor();
  await page.screenshot({path: screenshotPath('page-unsubscribed-de'), fullPage: true});
  assert.deepEqual(await audit(page, true), [], 'axe violations on the unsubscribed page');
  const afterwards = await server.api('GET', `/api/v1/back-in-stock?email=${encodeURIComponent(email)}`);
  assert.equal(afterwards.body.requests.find((q) => q.variantId === VANILLA).status, 'cancelled');

  // The English page, for the screenshots.
  await page.goto(link.replace('lang=de', 'lang=en'));
  await page.screenshot({path: screenshotPath('page-unsubscribe-en'), fullPage: true});
  await page.close();
});

test('double opt-in from the widget: check your inbox, then the confirm page', async () => {
  assert.equal((await server.api('PATCH', '/api/v1/settings', {email: {doubleOptIn: true}})).status, 200);
  try {
    const email = freshEmail('confirm');
    const page = await openDemo(browser.context, server.url);
    const w = widget(page, BOTTLE);
    await w.button.click();
    await w.input.fill(email);
    const since = await eventCount(page);
    await w.submit.click();
    const success = await waitEvent(page, since, 'success');
    assert.equal(success.detail.status, 'pending');
    assert.equal(await w.status.textContent(),
                 `Check your inbox to confirm your request. We sent a link to ${email}.`);
    await w.card.screenshot({path: screenshotPath('widget-pending'), animations: 'disabled'});
    await page.close();

    const mail = await sink.mailTo(email);
    assert.equal(mail.subject, 'Please confirm your back-in-stock alert');
    const shown = await showMail(mail, 'mail-confirm-request-en');
    assert.deepEqual(await audit(shown), [], 'axe violations in the confirmation mail');
    const link = await shown.getByRole('link', {name: 'Yes, notify me'}).getAttribute('href');
    await shown.close();
    assert.match(link, /\/c\/[A-Za-z0-9_-]{51}\?lang=en$/);

    const confirm = await browser.context.newPage();
    await confirm.goto(link);
    assert.match(await confirm.locator('main').innerText(), /Bottle/);
    await confirm.screenshot({path: screenshotPath('page-confirm-en'), fullPage: true});
    assert.deepEqual(await audit(confirm, true), [], 'axe violations on the confirm page');
    const pending = await server.api('GET', `/api/v1/back-in-stock?email=${encodeURIComponent(email)}`);
    assert.equal(pending.body.requests[0].status, 'pending');
    assert.equal(pending.body.requests[0].consent.source, 'widget');
    assert.match(pending.body.requests[0].consent.userAgent, /Chrome/);

    await confirm.getByRole('button', {name: 'Confirm'}).click();
    await confirm.getByRole('heading', {name: 'Request confirmed'}).waitFor();
    await confirm.screenshot({path: screenshotPath('page-confirmed-en'), fullPage: true});
    const done = await server.api('GET', `/api/v1/back-in-stock?email=${encodeURIComponent(email)}`);
    assert.equal(done.body.requests[0].status, 'waiting');
    assert.match(done.body.requests[0].consent.confirmedAt, /^\d{4}-/);
    await confirm.close();
  } finally {
    await server.api('PATCH', '/api/v1/settings', {email: {doubleOptIn: false}});
  }
});
