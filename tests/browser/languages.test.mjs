// The widget in the shopper's language: chosen from the element's lang, then the nearest lang up
// to <html lang>, then English; every word from core/i18n/messages.json (the e-mail's problems
// worded by the core from the language file the widget downloaded); only that one file fetched,
// after the button shows (the button's words are built into the loader).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import {
  startServer, launchBrowser, openPage, publishableKey, waitEvent, freshEmail, messages, fill,
  fileVersion,
} from './harness.mjs';

const PROTEIN = 'SKU-PROTEIN-1KG';
const VANILLA = 'SKU-PROTEIN-1KG-VANILLA';

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

/// A page in `htmlLang` with one sold-out widget (`attrs` added to it); records the widget's
/// language files and back-in-stock POSTs.
async function open(htmlLang, attrs = '', before) {
  const files = [], posts = [];
  const page = await openPage(browser.context, server.url, `<!doctype html><html lang="${htmlLang}">
    <title>t</title><script src="/widget/stockbell.js" data-key="${key}" async></script>
    <main><stockbell-notify product-id="${PROTEIN}" variant-id="${VANILLA}" product-title="Whey"
      ${attrs}></stockbell-notify></main>`, (p) => {
    p.on('request', (r) => {
      if (r.url().includes('/i18n/')) files.push(r.url());
      if (r.method() === 'POST' && r.url().includes('/back-in-stock')) posts.push(r);
    });
    return before?.(p);
  });
  await waitEvent(page, 0, 'ready');
  return {page, files, posts, host: page.locator('stockbell-notify')};
}

for (const lang of ['en', 'de', 'fr', 'es']) {
  test(`${lang}: every word and the e-mail's problem in ${lang}, from one language file`, async () => {
    const words = messages[lang].widget, field = messages[lang].field;
    const {page, files, posts, host} = await open(lang);
    await host.getByRole('button', {name: words.button, exact: true}).click();
    assert.equal(await host.locator('#intro').textContent(), fill(words.intro, {item: 'Whey'}));
    const input = host.getByLabel(words.label, {exact: true});
    assert.equal(await input.getAttribute('placeholder'), words.emailPlaceholder);
    await host.getByRole('button', {name: words.cancel, exact: true}).waitFor();

    await input.fill('buyer@@example.com');
    await host.getByRole('button', {name: words.submit, exact: true}).click();
    const error = await waitEvent(page, 0, 'error', {code: 'invalid_email'});
    assert.equal(await host.locator('#err').textContent(), field.invalid_email);
    assert.equal(error.detail.message, field.invalid_email);
    assert.equal(posts.length, 0, 'the core worded it, in the page\'s language');

    await input.fill('x'.repeat(250) + '@example.com');
    await host.getByRole('button', {name: words.submit, exact: true}).click();
    await host.locator('#err').filter({hasText: fill(field.too_long, {limit: 254})}).waitFor();

    const email = freshEmail(`lang-${lang}`);
    await input.fill(email);
    await host.getByRole('button', {name: words.submit, exact: true}).click();
    await host.locator('#status').filter({hasText: fill(words.doneTo, {email})}).waitFor();

    assert.deepEqual(files, [`${server.url}/widget/i18n/${lang}.json?v=${fileVersion(`i18n/${lang}.json`)}`]);
    assert.deepEqual(page.pageErrors, []);
    await page.close();
  });
}

test('the element\'s lang wins over the page\'s; a region falls back to its language; unknown is English', async () => {
  let {page, host, files} = await open('de', 'lang="fr-CA"');
  await host.getByRole('button', {name: messages.fr.widget.button, exact: true}).waitFor();
  assert.equal(files.length, 1);
  assert.match(files[0], /\/i18n\/fr\.json\?v=/);
  await page.close();

  ({page, host, files} = await open('de-CH'));
  await host.getByRole('button', {name: messages.de.widget.button, exact: true}).waitFor();
  await page.close();

  ({page, host, files} = await open('pt-BR'));
  await host.getByRole('button', {name: messages.en.widget.button, exact: true}).click();
  await host.getByLabel(messages.en.widget.label, {exact: true}).waitFor();
  assert.equal(files.length, 1);
  assert.match(files[0], /\/i18n\/en\.json\?v=/);
  await page.close();
});

test('the request carries the page\'s language tag as its locale (the e-mail\'s language); not a tag, none', async () => {
  for (const [htmlLang, attrs, sent] of [['de-AT', '', 'de-AT'], ['de', 'lang="fr-CA"', 'fr-CA'],
                                         ['en', 'lang="english please"', undefined]]) {
    const {page, posts, host} = await open(htmlLang, attrs);
    const words = messages[sent ? sent.slice(0, 2) : 'en'].widget;
    await host.getByRole('button', {name: words.button, exact: true}).click();
    const email = freshEmail(`locale-${htmlLang}`);
    await host.getByLabel(words.label, {exact: true}).fill(email);
    await host.getByRole('button', {name: words.submit, exact: true}).click();
    await waitEvent(page, 0, 'success');
    assert.equal(JSON.parse(posts[0].postData()).locale, sent);
    const stored = await server.api('GET', `/api/v1/back-in-stock?email=${encodeURIComponent(email)}`);
    assert.equal(stored.body.requests[0].locale, sent ?? null);
    await page.close();
  }
});

test('without the core, the server\'s English field message is worded again in the language', async () => {
  const {page, host, posts} = await open('es', '',
    (p) => p.route('**/stockbell-core.wasm*', (route) => route.fulfill({status: 404})));
  const words = messages.es.widget;
  await host.getByRole('button', {name: words.button, exact: true}).click();
  await host.getByLabel(words.label, {exact: true}).fill('x'.repeat(250) + '@example.com');
  await host.getByRole('button', {name: words.submit, exact: true}).click();
  const error = await waitEvent(page, 0, 'error', {code: 'too_long'});
  assert.equal(error.detail.status, 400, 'the server answered');
  assert.equal(posts.length, 1);
  assert.equal(await host.locator('#err').textContent(), fill(messages.es.field.too_long, {limit: 254}));
  await page.close();
});

test('a store overrides words for one language and for all', async () => {
  const {page, host} = await open('fr', '', (p) => p.addInitScript(() => {
    window.StockbellStrings = {submit: 'Go', fr: {button: 'Prévenez-moi'}, de: {button: 'nie'}};
  }));
  await host.getByRole('button', {name: 'Prévenez-moi', exact: true}).click();
  await host.getByRole('button', {name: 'Go', exact: true}).waitFor();
  await host.getByLabel(messages.fr.widget.label, {exact: true}).waitFor();
  await page.close();
});

test('a language file that cannot load: the widget takes the English one, not broken', async () => {
  const {page, host} = await open('de', '',
    (p) => p.route('**/i18n/de.json*', (route) => route.fulfill({status: 404})));
  await host.getByRole('button', {name: messages.en.widget.button, exact: true}).click();
  await host.getByLabel(messages.en.widget.label, {exact: true}).fill('a@b.');
  await host.getByRole('button', {name: messages.en.widget.submit, exact: true}).click();
  await host.locator('#err').filter({hasText: messages.en.field.invalid_email}).waitFor();
  await page.close();
});

test('a click the moment the button shows opens the form at once, the words following', async () => {
  // The page's language file is held back: the form opens with the built-in words.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const {page, host} = await open('fr', '', (p) => p.route('**/i18n/fr.json*', async (route) => {
    await held;
    await route.continue();
  }));
  await host.getByRole('button', {name: messages.fr.widget.button, exact: true}).click();
  const input = host.getByLabel(messages.fr.widget.label, {exact: true});
  await input.waitFor();
  assert.equal(await host.locator('#intro').textContent(), '');
  release();
  await host.locator('#intro').filter({hasText: fill(messages.fr.widget.intro, {item: 'Whey'})}).waitFor();
  assert.equal(await input.getAttribute('placeholder'), messages.fr.widget.emailPlaceholder);
  await page.unroute('**/i18n/fr.json*');
  await page.close();
});
