// The widget on the demo storefront, in headless Chromium against the real server: what a shopper
// sees and can do, that its messages are the server's words, and that requests really land.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import {
  startServer, launchBrowser, openDemo, openPage, publishableKey, widget, pick, focused,
  events, eventCount, waitEvent, freshEmail, fileVersion,
} from './harness.mjs';

const PROTEIN = 'SKU-PROTEIN-1KG';
const VANILLA = 'SKU-PROTEIN-1KG-VANILLA';
const CHOCOLATE = 'SKU-PROTEIN-1KG-CHOCOLATE';
const STRAWBERRY = 'SKU-PROTEIN-1KG-STRAWBERRY';
const TEE = 'SKU-TEE-MERINO';
const BOTTLE = 'SKU-BOTTLE-750';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/// The body the widget sends for the vanilla protein, to ask the server directly.
const vanillaBody = (email) => ({
  productId: PROTEIN, variantId: VANILLA, productTitle: 'Whey Protein, 1 kg', variantTitle: 'Vanilla',
  customer: {email},
});

/// Records the widget's POSTs to the back-in-stock endpoint.
function recordPosts(page) {
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/api/v1/back-in-stock')) posts.push(r);
  });
  return posts;
}

async function openVanillaForm(page) {
  await pick(page, PROTEIN, VANILLA);
  const w = widget(page, PROTEIN);
  await w.button.click();
  await w.input.waitFor();
  return w;
}

test('a sold-out variant and a sold-out product show the Notify me button', async () => {
  const page = await openDemo(browser.context, server.url);
  const ready = await pick(page, PROTEIN, VANILLA);
  assert.deepEqual(ready, {inStock: false, known: true, productId: PROTEIN, variantId: VANILLA});
  await widget(page, PROTEIN).button.waitFor({state: 'visible'});
  // The bottle has no variants and inStock: false in the catalog.
  await widget(page, BOTTLE).button.waitFor({state: 'visible'});
  assert.deepEqual(page.pageErrors, []);
  await page.close();
});

test('an in-stock variant shows nothing', async () => {
  const page = await openDemo(browser.context, server.url);
  const w = widget(page, PROTEIN);
  const ready = (await events(page)).find((e) => e.type === 'ready' && e.productId === PROTEIN);
  assert.equal(ready.detail.variantId, CHOCOLATE);  // the picker's first option
  assert.equal(ready.detail.inStock, true);
  assert.equal(await w.host.getByRole('button').count(), 0);
  assert.equal((await w.host.boundingBox()).height, 0);
  await page.close();
});

test('switching the variant in the picker re-evaluates the widget', async () => {
  const page = await openDemo(browser.context, server.url);
  const protein = widget(page, PROTEIN), tee = widget(page, TEE);
  assert.equal((await pick(page, PROTEIN, VANILLA)).inStock, false);
  await protein.button.waitFor({state: 'visible'});
  assert.equal((await pick(page, PROTEIN, STRAWBERRY)).inStock, true);
  await protein.button.waitFor({state: 'hidden'});
  assert.equal((await pick(page, PROTEIN, VANILLA)).inStock, false);
  await protein.button.waitFor({state: 'visible'});
  // inventoryQuantity 0 and an explicit inStock: false are both sold out.
  assert.equal((await pick(page, TEE, 'SKU-TEE-MERINO-M')).inStock, false);
  await tee.button.waitFor({state: 'visible'});
  assert.equal((await pick(page, TEE, 'SKU-TEE-MERINO-L')).inStock, false);
  assert.equal((await pick(page, TEE, 'SKU-TEE-MERINO-XL')).inStock, true);
  await tee.button.waitFor({state: 'hidden'});
  await page.close();
});

test('an invalid e-mail shows exactly the server\'s message, before any request', async () => {
  const email = 'buyer@@example.com';
  const direct = await server.api('POST', '/api/v1/back-in-stock', vanillaBody(email));
  assert.equal(direct.status, 400);
  const expected = direct.body.details[0];
  assert.equal(expected.field, 'customer.email');

  const page = await openDemo(browser.context, server.url);
  const posts = recordPosts(page);
  const w = await openVanillaForm(page);
  assert.equal(await w.input.getAttribute('type'), 'email');
  assert.equal(await w.input.getAttribute('autocomplete'), 'email');
  const since = await eventCount(page);
  await w.input.fill(email);
  await w.submit.click();
  const error = await waitEvent(page, since, 'error', {code: 'invalid_email'});

  assert.equal(await w.fieldError.textContent(), expected.message);
  assert.equal(error.detail.message, expected.message);
  assert.equal(await w.input.getAttribute('aria-invalid'), 'true');
  assert.equal(await w.input.getAttribute('aria-describedby'), 'err');
  assert.equal((await focused(page)).id, 'email');
  assert.equal(posts.length, 0, 'the WASM core rejected it: nothing was sent');

  // Corrected, the message goes away.
  await w.input.fill('buyer@example.com');
  await w.submit.click();
  await w.status.filter({hasText: "You're on the list"}).waitFor();
  assert.equal(await w.fieldError.textContent(), '');
  assert.equal(await w.input.getAttribute('aria-invalid'), null);
  await page.close();
});

test('a valid e-mail is stored; asking again looks the same and stores nothing new', async () => {
  const email = freshEmail('valid');
  const page = await openDemo(browser.context, server.url);
  const posts = recordPosts(page);
  const w = await openVanillaForm(page);
  const since = await eventCount(page);
  await w.input.fill(email);
  await w.submit.click();
  const success = await waitEvent(page, since, 'success');
  const submit = (await events(page)).slice(since).find((e) => e.type === 'submit');

  assert.deepEqual(submit.detail, {productId: PROTEIN, variantId: VANILLA});
  assert.equal(success.detail.created, undefined);  // a storefront never learns it (SPEC §5)
  assert.equal(success.detail.status, 'waiting');
  assert.match(success.detail.requestId, /^bisr_/);
  assert.match(success.detail.subscriberId, /^sub_/);
  // The place in line from the register answer, in the core's words (issue 12).
  assert.ok(Number.isInteger(success.detail.position) && success.detail.position >= 1);
  assert.equal(await w.status.textContent(),
               `You're on the list. We'll email ${email} when it's back in stock. ` +
               `You're number ${success.detail.position} in line.`);
  assert.equal((await focused(page)).id, 'status');
  assert.equal(await w.host.getByRole('button').count(), 0, 'form and button are gone');
  assert.deepEqual(JSON.parse(posts[0].postData()), {...vanillaBody(email), locale: 'en'});  // <html lang="en">

  const list = await server.api('GET', `/api/v1/back-in-stock?email=${encodeURIComponent(email)}`);
  assert.equal(list.status, 200);
  assert.equal(list.body.requests.length, 1);
  const stored = list.body.requests[0];
  assert.equal(stored.id, success.detail.requestId);
  assert.equal(stored.variantId, VANILLA);
  assert.equal(stored.variantTitle, 'Vanilla');
  assert.equal(stored.status, 'waiting');
  assert.equal(stored.position, success.detail.position);  // the newest: the back of the line

  // The same shopper again, on a fresh page: nothing new is created.
  await page.reload();
  await page.waitForFunction(() => window.__stockbell.filter((e) => e.type === 'ready').length >= 3);
  const again = await openVanillaForm(page);
  const since2 = await eventCount(page);
  await again.input.fill(email);
  await again.submit.click();
  const repeat = await waitEvent(page, since2, 'success');
  assert.equal(repeat.detail.created, undefined);
  assert.equal(repeat.detail.requestId, success.detail.requestId);
  // Publishable keys don't tell whether an address was already waiting: the same words, and
  // the place a new request would get (the back of the line).
  assert.ok(repeat.detail.position >= success.detail.position);
  assert.equal(await again.status.textContent(),
               `You're on the list. We'll email ${email} when it's back in stock. ` +
               `You're number ${repeat.detail.position} in line.`);
  const after = await server.api('GET', `/api/v1/back-in-stock?email=${encodeURIComponent(email)}`);
  assert.equal(after.body.requests.length, 1);
  await page.close();
});

test('the whole flow works with the keyboard alone', async () => {
  const email = freshEmail('keyboard');
  const page = await openDemo(browser.context, server.url);
  const w = widget(page, PROTEIN);

  // Tab to the flavour picker and choose Vanilla with the arrow key.
  for (let i = 0; i < 20 && (await focused(page))?.id !== `pick-${PROTEIN}`; ++i)
    await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, `pick-${PROTEIN}`);
  const since = await eventCount(page);
  await page.keyboard.press('ArrowDown');
  await waitEvent(page, since, 'ready', {variantId: VANILLA});

  // Tab on to the widget's button (Add to cart is disabled, so it is skipped).
  for (let i = 0; i < 5 && (await focused(page))?.host !== PROTEIN; ++i)
    await page.keyboard.press('Tab');
  assert.deepEqual(await focused(page),
                   {id: 'open', tag: 'button', text: 'Notify me when available', host: PROTEIN});

  // Enter opens the form with the focus in the input; Escape closes it, focus back on the button.
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).id, 'email');
  await page.keyboard.press('Escape');
  assert.equal((await focused(page)).id, 'open');
  await w.input.waitFor({state: 'hidden'});

  // The Cancel button does the same.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');  // to Notify me
  await page.keyboard.press('Tab');  // to Cancel
  assert.equal((await focused(page)).text, 'Cancel');
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).id, 'open');

  // Type an invalid address, submit with Enter, fix it, submit again.
  await page.keyboard.press('Enter');
  await page.keyboard.type('not-an-address');
  await page.keyboard.press('Enter');
  await w.fieldError.filter({hasText: /./}).waitFor();
  assert.equal((await focused(page)).id, 'email');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(email);
  const since2 = await eventCount(page);
  await page.keyboard.press('Enter');
  const done = await waitEvent(page, since2, 'success', {status: 'waiting'});
  assert.deepEqual(await focused(page), {
    id: 'status', tag: 'div', host: PROTEIN,
    text: `You're on the list. We'll email ${email} when it's back in stock. ` +
          `You're number ${done.detail.position} in line.`,
  });
  await page.close();
});

test('without the WASM module the form still submits and shows the server\'s errors', async () => {
  const wasmRequests = [];
  const page = await openDemo(browser.context, server.url, (p) =>
    p.route('**/stockbell-core.wasm*', (route) => {
      wasmRequests.push(route.request().url());
      return route.fulfill({status: 404, body: 'blocked by the test'});
    }));
  const posts = recordPosts(page);
  const w = await openVanillaForm(page);
  assert.ok(wasmRequests.length > 0, 'the widget did try to load the module');

  const email = 'buyer@@example.com';
  const direct = await server.api('POST', '/api/v1/back-in-stock', vanillaBody(email));
  await w.input.fill(email);
  const since = await eventCount(page);
  await w.submit.click();
  const error = await waitEvent(page, since, 'error', {code: 'invalid_email'});
  assert.equal(error.detail.status, 400, 'the server answered');
  assert.equal(posts.length, 1);
  assert.equal(await w.fieldError.textContent(), direct.body.details[0].message);

  await w.input.fill(freshEmail('nowasm'));
  await w.submit.click();
  await w.status.filter({hasText: "You're on the list"}).waitFor();
  assert.equal(posts.length, 2);
  await page.close();
});

test('without WebAssembly at all (iOS Lockdown Mode) the form still works', async () => {
  const page = await openDemo(browser.context, server.url,
                              (p) => p.addInitScript(() => { delete window.WebAssembly; }));
  const posts = recordPosts(page);
  const w = await openVanillaForm(page);
  const direct = await server.api('POST', '/api/v1/back-in-stock', vanillaBody('buyer@@example.com'));
  await w.input.fill('buyer@@example.com');
  await w.submit.click();
  await w.fieldError.filter({hasText: /./}).waitFor();
  assert.equal(await w.fieldError.textContent(), direct.body.details[0].message);
  assert.equal(posts.length, 1, 'the server validated it');
  await w.input.fill(freshEmail('nowebassembly'));
  await w.submit.click();
  await w.status.filter({hasText: "You're on the list"}).waitFor();
  assert.deepEqual(page.pageErrors, []);
  await page.close();
});

test('a store\'s mistake the server reports: the shopper reads plain words, the console the server\'s', async () => {
  // A store's template bug: a 300-character product id. With the module blocked, the server
  // answers; the shopper is told sign-up is unavailable, the developer reads the server's message.
  const key = await publishableKey(server.url);
  const productId = 'P'.repeat(300);
  const page = await openPage(browser.context, server.url, `<!doctype html><html lang="en">
    <title>t</title><script src="/widget/stockbell.js" data-key="${key}" async></script>
    <main><stockbell-notify product-id="${productId}" available="false"></stockbell-notify></main>`,
    (p) => p.route('**/stockbell-core.wasm*', (route) => route.fulfill({status: 404})));
  const logged = [];
  page.on('console', (m) => logged.push(`${m.type()}: ${m.text()}`));
  const host = page.locator('stockbell-notify');
  await host.getByRole('button', {name: 'Notify me when available'}).click();
  const email = freshEmail('long-id');
  const direct = await server.api('POST', '/api/v1/back-in-stock',
                                  {productId, customer: {email}}, key);
  assert.equal(direct.status, 400);
  await host.getByLabel('Email address').fill(email);
  await host.getByRole('button', {name: 'Notify me', exact: true}).click();
  const error = await waitEvent(page, 0, 'error', {code: 'too_long'});
  assert.equal(error.detail.status, 400);
  assert.equal(await host.locator('#status').textContent(), 'Sign-up is not available right now.');
  assert.equal(await host.locator('#err').textContent(), '');
  assert.ok(logged.some((line) => line.startsWith('error: stockbell: ') && line.includes(direct.body.error)),
            logged.join('\n'));
  assert.ok(error.detail.message.includes(direct.body.error));
  await page.close();
});

test('a rate limit is said in words for shoppers, never the server\'s', async () => {
  // One request per e-mail: the second for the same address is answered 429.
  const strict = await startServer(['--rate-email-burst', '1', '--rate-email-per-hour', '1']);
  try {
    const page = await openDemo(browser.context, strict.url);
    const answers = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && r.url().includes('/back-in-stock')) answers.push(r);
    });
    const email = freshEmail('limited');
    let w = await openVanillaForm(page);
    await w.input.fill(email);
    await w.submit.click();
    await w.status.filter({hasText: "You're on the list"}).waitFor();

    await page.reload();
    await page.waitForFunction(() => window.__stockbell.filter((e) => e.type === 'ready').length >= 3);
    w = await openVanillaForm(page);
    await w.input.fill(email);
    const since = await eventCount(page);
    await w.submit.click();
    const error = await waitEvent(page, since, 'error', {code: 'rate_limited'});
    const refusal = answers[answers.length - 1];
    assert.equal(refusal.status(), 429);
    const body = await refusal.json();
    assert.equal(error.detail.status, 429);
    assert.match(body.error, /Retry/, 'the server\'s own words are for developers');
    assert.equal(await w.status.textContent(), 'Please try again in a few minutes.');
    assert.equal(error.detail.message, 'Please try again in a few minutes.');
    assert.equal(await w.input.isVisible(), true, 'the form stays open');
    assert.equal(await w.input.inputValue(), email, 'with what the shopper typed');
    await page.close();
  } finally {
    await strict.stop();
  }
});

test('a network failure is reported, and the shopper can retry', async () => {
  const page = await openDemo(browser.context, server.url);
  const w = await openVanillaForm(page);
  await page.route('**/api/v1/back-in-stock', (route) => route.abort('internetdisconnected'));
  await w.input.fill(freshEmail('offline'));
  const since = await eventCount(page);
  await w.submit.click();
  const error = await waitEvent(page, since, 'error', {code: 'network'});
  assert.equal(await w.status.textContent(),
               "We couldn't reach the store. Check your connection and try again.");
  assert.equal(error.detail.message, await w.status.textContent());
  // The form keeps the address and offers to try again.
  const retry = w.host.getByRole('button', {name: 'Try again'});
  await retry.waitFor();
  await page.unroute('**/api/v1/back-in-stock');
  await retry.click();
  await w.status.filter({hasText: "You're on the list"}).waitFor();
  await page.close();
});

test('offline: said in plain words, and the form waits with the address for another try', async () => {
  const page = await openDemo(browser.context, server.url);
  const w = await openVanillaForm(page);
  const email = freshEmail('offline');
  await w.input.fill(email);
  await browser.context.setOffline(true);
  try {
    const since = await eventCount(page);
    await w.submit.click();
    const error = await waitEvent(page, since, 'error', {code: 'offline'});
    assert.equal(error.detail.status, 0);
    assert.equal(await w.status.textContent(),
                 'You appear to be offline. Check your connection and try again.');
    assert.equal(await w.input.inputValue(), email);
  } finally {
    await browser.context.setOffline(false);
  }
  await w.host.getByRole('button', {name: 'Try again'}).click();
  await w.status.filter({hasText: "You're on the list"}).waitFor();
  await page.close();
});

test('strings are overridable per page and per element, error messages by code', async () => {
  const key = await publishableKey(server.url);
  const strings = JSON.stringify({button: 'Benachrichtigen', label: 'E-Mail-Adresse',
                                  errors: {too_long: 'Höchstens {limit} Zeichen.'}});
  const page = await openPage(browser.context, server.url, `<!doctype html><html lang="de">
    <title>t</title>
    <script src="/widget/stockbell.js" data-key="${key}" data-strings='${strings}' async></script>
    <script>window.StockbellStrings = {submit: 'Eintragen'};</script>
    <main><stockbell-notify id="a" product-id="${PROTEIN}" variant-id="${VANILLA}"></stockbell-notify>
    <stockbell-notify id="b" product-id="${BOTTLE}"></stockbell-notify></main>`);
  const a = page.locator('#a'), b = page.locator('#b');
  await a.getByRole('button', {name: 'Benachrichtigen'}).click();
  await a.getByLabel('E-Mail-Adresse').fill('x'.repeat(250) + '@example.com');
  await a.getByRole('button', {name: 'Eintragen'}).click();
  await a.locator('#err').filter({hasText: /./}).waitFor();
  assert.equal(await a.locator('#err').textContent(), 'Höchstens 254 Zeichen.');
  // Messages without an override are the core's, in the page's language (de).
  await a.getByLabel('E-Mail-Adresse').fill('');
  await a.getByRole('button', {name: 'Eintragen'}).click();
  await a.locator('#err').filter({hasText: 'Dieses Feld ist erforderlich.'}).waitFor();

  await page.locator('#b').evaluate((el) => { el.strings = {button: 'Sag Bescheid'}; });
  await b.getByRole('button', {name: 'Sag Bescheid'}).waitFor();
  await a.getByRole('button', {name: 'Eintragen'}).waitFor();  // a keeps the page's strings
  await page.close();
});

test('available="true|false" decides without asking the server; the module loads lazily', async () => {
  const key = await publishableKey(server.url);
  const asked = [], wasm = [];
  const page = await openPage(browser.context, server.url, `<!doctype html><html lang="en">
    <title>t</title><script src="/widget/stockbell.js" data-key="${key}" async></script>
    <main><stockbell-notify product-id="${BOTTLE}" available="true"></stockbell-notify></main>`,
    (p) => p.on('request', (r) => {
      if (r.url().includes('/storefront/availability')) asked.push(r.url());
      if (r.url().includes('.wasm')) wasm.push(r.url());
    }));
  const host = page.locator('stockbell-notify');
  assert.equal((await waitEvent(page, 0, 'ready')).detail.inStock, true);
  await page.waitForTimeout(300);  // time for a request, had one been started
  assert.equal(await host.getByRole('button').count(), 0);
  assert.deepEqual(asked, []);
  assert.deepEqual(wasm, [], 'nothing sold out: the module is not fetched');

  // The page learns it is sold out after all.
  const wasmLoaded = page.waitForResponse((r) => r.url().includes('.wasm'));
  await host.evaluate((el) => el.setAttribute('available', 'false'));
  await host.getByRole('button', {name: 'Notify me when available'}).waitFor();
  const response = await wasmLoaded;  // when the browser is idle, before any click
  assert.equal(response.url(), `${server.url}/widget/stockbell-core.wasm?v=${fileVersion('stockbell-core.wasm')}`);
  assert.equal(response.headers()['content-type'], 'application/wasm');
  assert.equal(response.headers()['content-encoding'], 'br');
  assert.match(response.headers()['cache-control'], /immutable/);
  assert.deepEqual(asked, []);
  await page.close();
});

test('a bot filling the hidden field is told it worked, and nothing is sent', async () => {
  const page = await openDemo(browser.context, server.url);
  const posts = recordPosts(page);
  const w = await openVanillaForm(page);
  await w.input.fill(freshEmail('bot'));
  await w.honeypot.evaluate((input) => { input.value = 'http://spam.example'; });
  const since = await eventCount(page);
  await w.submit.click();
  await w.status.filter({hasText: "You're on the list"}).waitFor();
  assert.equal(posts.length, 0);
  assert.deepEqual((await events(page)).slice(since), []);
  await page.close();
});

test('from another origin: the API is the script\'s own origin, through CORS', async () => {
  // The page is on 127.0.0.1, the widget comes from localhost (both allowed for the demo key),
  // as a store would embed it from its Stockbell host.
  const key = await publishableKey(server.url);
  const widgetOrigin = server.url.replace('127.0.0.1', 'localhost');
  // The test page is fulfilled by the test, so Chromium counts it as public and would ask the
  // shopper before it reaches a loopback host; a real store and Stockbell host are both public.
  await browser.context.grantPermissions(['local-network-access'], {origin: server.url});
  const page = await openPage(browser.context, server.url, `<!doctype html><html lang="en">
    <title>t</title><script src="${widgetOrigin}/widget/stockbell.js" data-key="${key}" async></script>
    <main><stockbell-notify product-id="${PROTEIN}" variant-id="${VANILLA}"></stockbell-notify></main>`);
  const apiCalls = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/')) apiCalls.push(r.url()); });
  const host = page.locator('stockbell-notify');
  await host.getByRole('button', {name: 'Notify me when available'}).click();
  await host.getByLabel('Email address').fill(freshEmail('cors'));
  await host.getByRole('button', {name: 'Notify me', exact: true}).click();
  await host.locator('#status').filter({hasText: "You're on the list"}).waitFor();
  assert.ok(apiCalls.length > 0 && apiCalls.every((u) => u.startsWith(widgetOrigin + '/api/v1/')),
            JSON.stringify(apiCalls));
  await page.close();
});

test('an AMD loader on the page is left alone', async () => {
  // RequireJS breaks on an anonymous define() from a plain script tag; the bundle must not call it.
  const key = await publishableKey(server.url);
  const page = await openPage(browser.context, server.url, `<!doctype html><html lang="en">
    <title>t</title>
    <script>window.defineCalls = 0; window.define = function () { defineCalls++; };
            define.amd = {jQuery: true};</script>
    <script src="/widget/stockbell.js" data-key="${key}"></script>
    <main><stockbell-notify product-id="${BOTTLE}"></stockbell-notify></main>`);
  await page.locator('stockbell-notify').getByRole('button', {name: 'Notify me when available'}).waitFor();
  await page.waitForFunction(() => typeof window.StockbellCore == 'function');  // the core came too
  assert.deepEqual(await page.evaluate(() => [window.defineCalls, define.amd]), [0, {jQuery: true}]);
  await page.close();
});
