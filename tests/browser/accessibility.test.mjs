// Every state of the widget in both modes (inline, dialog) and both themes (light, dark):
// an axe-core audit of the whole page (shadow DOM included) with 0 violations, and screenshots at
// 375 px and 1280 px in ${STOCKBELL_SCREENSHOT_DIR} for a person to look at
// (<mode>-<theme>-<nn>-<state>-<width>.png). Then the dialog by keyboard alone.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import {
  startServer, launchBrowser, openDemo, widget, pick, eventCount, waitEvent, freshEmail,
  screenshotPath, axeSource, focused, events, startSmtpSink,
} from './harness.mjs';

const PROTEIN = 'SKU-PROTEIN-1KG';
const VANILLA = 'SKU-PROTEIN-1KG-VANILLA';
const PRODUCT_IMAGE = 'data:image/svg+xml,' + encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" ' +
  'fill="#0f766e"/><text x="32" y="41" font-size="24" text-anchor="middle" fill="#fff" ' +
  'font-family="sans-serif">WP</text></svg>');

// The server mails through a real SMTP server, so a store with double opt-in answers "pending".
let sink, server, browser;
before(async () => {
  sink = await startSmtpSink();
  server = await startServer(['--smtp-url', sink.url, '--public-url', 'http://127.0.0.1']);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

/// Every axe rule (WCAG 2.x A/AA and best practices) on the whole document; the violations.
async function audit(page) {
  // Evaluated through DevTools, not as an inline <script>: the demo page's CSP refuses those.
  if (!(await page.evaluate(() => typeof axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => axe.run(document, {resultTypes: ['violations']}));
  return result.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.flat().join(' >>> ')),
  }));
}

test('the audit sees into the widget\'s shadow DOM (it can fail)', async () => {
  const page = await openDemo(browser.context, server.url);
  await pick(page, PROTEIN, VANILLA);
  const w = widget(page, PROTEIN);
  await w.button.click();
  await w.input.waitFor();
  // Break the input's label inside the shadow root (and its placeholder, which axe would take
  // for a name): axe must notice.
  await w.host.evaluate((el) => {
    el.shadowRoot.getElementById('label').remove();
    el.shadowRoot.getElementById('email').removeAttribute('placeholder');
  });
  const violations = await audit(page);
  const label = violations.find((v) => v.rule === 'label');
  assert.ok(label, `expected a 'label' violation, got ${JSON.stringify(violations)}`);
  assert.ok(label.nodes.some((n) => n.includes('#email')), JSON.stringify(label));
  await page.close();
});

for (const mode of ['inline', 'dialog']) {
  for (const theme of ['light', 'dark']) {
    test(`${mode}, ${theme}: every state passes axe, screenshots at 375 and 1280 px`, async () => {
      const page = await openDemo(browser.context, `${server.url}/?mode=${mode}`,
                                  (p) => p.emulateMedia({colorScheme: theme, reducedMotion: 'reduce'}));
      const w = widget(page, PROTEIN);
      let n = 0;
      /// Audits the page, then saves the state at both widths: the product's card inline, the
      /// whole window with the dialog.
      async function check(state) {
        const name = `${mode}-${theme}-${String(++n).padStart(2, '0')}-${state}`;
        assert.deepEqual(await audit(page), [], `axe violations in ${name}`);
        for (const width of [375, 1280]) {
          await page.setViewportSize({width, height: mode === 'dialog' ? 760 : 900});
          const target = mode === 'dialog' && state !== 'idle' ? page : w.card;
          if (target === w.card) await w.card.scrollIntoViewIfNeeded();
          await target.screenshot({path: screenshotPath(`${name}-${width}`), animations: 'disabled'});
        }
        await page.setViewportSize({width: 1100, height: 900});
      }
      // The dialog shows the product's picture when the page gives one; the consent checkbox is
      // shown in this mode too, so both are audited.
      if (mode === 'dialog') {
        await w.host.evaluate((el, image) => { el.setAttribute('image', image); el.setAttribute('consent', ''); },
                              PRODUCT_IMAGE);
      }
      const consent = w.host.getByRole('checkbox');
      const tick = async () => { if (mode === 'dialog') await consent.check(); };

      await pick(page, PROTEIN, VANILLA);
      await w.button.waitFor();
      await check('idle');

      await w.button.click();
      await w.input.waitFor();
      await check('form-open');

      await w.input.fill('buyer@@example.com');
      await tick();
      await w.submit.click();
      await w.fieldError.filter({hasText: /./}).waitFor();
      await check('invalid');

      // Sending: hold the request until the audit is done.
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      await page.route('**/api/v1/back-in-stock', async (route) => {
        await held;
        await route.continue();
      });
      const email = freshEmail(`a11y-${mode}-${theme}`);
      await w.input.fill(email);
      let since = await eventCount(page);
      await w.submit.click();
      await w.host.getByRole('button', {name: 'Sending…'}).waitFor();
      await check('sending');
      release();
      await waitEvent(page, since, 'success');  // with the consent text in dialog mode
      await page.unroute('**/api/v1/back-in-stock');
      await check('done');

      // Error: the network fails; the form keeps the address and offers to try again.
      await page.reload();
      await page.waitForFunction(() => window.__stockbell.filter((e) => e.type === 'ready').length >= 3);
      await pick(page, PROTEIN, VANILLA);
      if (mode === 'dialog') await w.host.evaluate((el, image) => el.setAttribute('image', image), PRODUCT_IMAGE);
      await page.route('**/api/v1/back-in-stock', (route) => route.abort('internetdisconnected'));
      await w.button.click();
      await w.input.fill(freshEmail('a11y-error'));
      since = await eventCount(page);
      await w.submit.click();
      await waitEvent(page, since, 'error', {code: 'network'});
      await w.host.getByRole('button', {name: 'Try again'}).waitFor();
      await check('error');
      await page.unroute('**/api/v1/back-in-stock');

      // Double opt-in: the store asks new addresses to confirm, the server answers "pending" (and
      // mails the link).
      assert.equal((await server.api('PATCH', '/api/v1/settings', {email: {doubleOptIn: true}})).status, 200);
      try {
        since = await eventCount(page);
        await w.host.getByRole('button', {name: 'Try again'}).click();
        await waitEvent(page, since, 'success', {status: 'pending'});
        await w.status.filter({hasText: 'Check your inbox'}).waitFor();
        assert.match(await w.status.textContent(), /We sent a link to a11y-error\..*@example\.com\.$/);
        await check('pending');
      } finally {
        await server.api('PATCH', '/api/v1/settings', {email: {doubleOptIn: false}});
      }
      assert.deepEqual(page.pageErrors, []);
      await page.close();
    });
  }
}

test('the dialog by keyboard: named, focus inside and going round, Escape and the backdrop close it', async () => {
  const page = await openDemo(browser.context, `${server.url}/?mode=dialog`);
  const w = widget(page, PROTEIN);
  await pick(page, PROTEIN, VANILLA);
  await w.button.waitFor();
  assert.equal(await w.button.getAttribute('aria-haspopup'), 'dialog');
  await w.button.focus();
  await page.keyboard.press('Enter');
  const dialog = w.host.getByRole('dialog', {name: 'Get notified'});
  await dialog.waitFor();
  assert.equal((await focused(page)).id, 'email');
  // The product in the dialog.
  assert.match(await dialog.textContent(), /Whey Protein, 1 kg.*Vanilla.*Sold out/);

  // Tab goes round: e-mail → Notify me → Cancel → Close (×) → e-mail, and back with Shift+Tab.
  const order = [];
  for (let i = 0; i < 4; ++i) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    order.push(f.id);
    assert.equal(f.host, PROTEIN, 'the focus stays in the dialog');
  }
  assert.deepEqual(order, ['send', 'cancel', 'x', 'email']);
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).id, 'x');
  assert.equal(await w.host.getByRole('button', {name: 'Close'}).count(), 1);

  await page.keyboard.press('Escape');
  await dialog.waitFor({state: 'hidden'});
  assert.equal((await focused(page)).id, 'open', 'the focus is back on the button');

  // A click on the backdrop closes it too; a click inside does not.
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await w.host.locator('#pt').click();
  assert.equal(await dialog.isVisible(), true);
  await page.mouse.click(5, 5);
  await dialog.waitFor({state: 'hidden'});
  assert.equal((await focused(page)).id, 'open');

  // The whole request from the keyboard.
  await page.keyboard.press('Enter');
  await page.keyboard.type(freshEmail('dialog-keys'));
  const since = await eventCount(page);
  await page.keyboard.press('Enter');
  const success = await waitEvent(page, since, 'success');
  assert.equal(success.detail.status, 'waiting');
  assert.equal((await focused(page)).id, 'status');
  assert.match(await w.status.textContent(), /^You're on the list\. We'll email dialog-keys\./);
  assert.equal((await events(page)).filter((e) => e.type === 'error').length, 0);
  await page.close();
});

test('the consent text the shopper agreed to is sent with the request', async () => {
  const page = await openDemo(browser.context, server.url);
  const w = widget(page, PROTEIN);
  await pick(page, PROTEIN, VANILLA);
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/back-in-stock')) posts.push(r); });

  // Without the checkbox configured, nothing about consent is sent.
  await w.button.click();
  await w.input.fill(freshEmail('no-consent'));
  let since = await eventCount(page);
  await w.submit.click();
  await waitEvent(page, since, 'success');
  assert.equal('consentText' in JSON.parse(posts[0].postData()), false);

  await page.reload();
  await page.waitForFunction(() => window.__stockbell.filter((e) => e.type === 'ready').length >= 3);
  await pick(page, PROTEIN, VANILLA);
  await w.host.evaluate((el) => el.setAttribute('consent', ''));
  await w.button.click();
  const box = w.host.getByRole('checkbox', {name: /I agree to receive a one-time email/});
  await w.input.fill(freshEmail('consent'));
  await w.submit.click();  // not ticked: the browser asks for it, nothing is sent
  await page.waitForTimeout(200);
  assert.equal(posts.length, 1);
  await box.check();
  since = await eventCount(page);
  await w.submit.click();
  await waitEvent(page, since, 'success');
  assert.equal(posts.length, 2);
  assert.equal(JSON.parse(posts[1].postData()).consentText,
               'I agree to receive a one-time email when this item is back in stock. I can unsubscribe at any time.');
  await page.close();
});

test('the consent text arrives in the stored request, with the page\'s language', async () => {
  const page = await openDemo(browser.context, server.url);
  const w = widget(page, PROTEIN);
  await pick(page, PROTEIN, VANILLA);
  await w.host.evaluate((el) => el.setAttribute('consent', ''));
  await w.button.click();
  const email = freshEmail('consent-stored');
  await w.input.fill(email);
  await w.host.getByRole('checkbox').check();
  const since = await eventCount(page);
  await w.submit.click();
  await waitEvent(page, since, 'success');
  const list = await server.api('GET', `/api/v1/back-in-stock?email=${encodeURIComponent(email)}`);
  const stored = list.body.requests[0];
  assert.equal(stored.consent.text,
               'I agree to receive a one-time email when this item is back in stock. I can unsubscribe at any time.');
  assert.equal(stored.consent.source, 'widget');
  assert.match(stored.consent.userAgent, /Chrome/);
  assert.equal(stored.locale, 'en');  // the demo page's <html lang="en">
  await page.close();
});
