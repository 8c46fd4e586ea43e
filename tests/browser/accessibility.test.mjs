// An axe-core audit of the demo page in every state of the widget (shadow DOM included), with a
// screenshot of each state in ${STOCKBELL_SCREENSHOT_DIR} for a human look.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import {
  startServer, launchBrowser, openDemo, widget, pick, eventCount, waitEvent, freshEmail,
  screenshotPath, axeSource,
} from './harness.mjs';

const PROTEIN = 'SKU-PROTEIN-1KG';
const VANILLA = 'SKU-PROTEIN-1KG-VANILLA';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
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

/// Audits the page and saves a screenshot of the protein's card under `name`.
async function check(page, name) {
  await widget(page, PROTEIN).card.screenshot({path: screenshotPath(name), animations: 'disabled'});
  assert.deepEqual(await audit(page), [], `axe violations in state "${name}"`);
}

test('the audit sees into the widget\'s shadow DOM (it can fail)', async () => {
  const page = await openDemo(browser.context, server.url);
  await pick(page, PROTEIN, VANILLA);
  const w = widget(page, PROTEIN);
  await w.button.click();
  await w.input.waitFor();
  // Break the input's label inside the shadow root: axe must notice.
  await w.host.evaluate((el) => { el.shadowRoot.getElementById('label').remove(); });
  const violations = await audit(page);
  const label = violations.find((v) => v.rule === 'label');
  assert.ok(label, `expected a 'label' violation, got ${JSON.stringify(violations)}`);
  assert.ok(label.nodes.some((n) => n.includes('#email')), JSON.stringify(label));
  await page.close();
});

test('every widget state passes axe', async () => {
  const page = await openDemo(browser.context, server.url);
  const w = widget(page, PROTEIN);
  await check(page, '01-in-stock');

  await pick(page, PROTEIN, VANILLA);
  await w.button.waitFor();
  await check(page, '02-idle');

  await w.button.click();
  await w.input.waitFor();
  await check(page, '03-form-open');

  await w.input.fill('buyer@@example.com');
  await w.submit.click();
  await w.fieldError.filter({hasText: /./}).waitFor();
  await check(page, '04-invalid');

  // Sending: hold the request until the audit is done.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/api/v1/back-in-stock', async (route) => {
    await held;
    await route.continue();
  });
  const email = freshEmail('a11y');
  await w.input.fill(email);
  let since = await eventCount(page);
  await w.submit.click();
  await w.status.filter({hasText: 'Sending…'}).waitFor();
  await check(page, '05-sending');
  release();
  await waitEvent(page, since, 'success');
  await page.unroute('**/api/v1/back-in-stock');
  await check(page, '06-done');

  // The same address again on a fresh page: the same answer (a storefront never learns whether
  // an address was already waiting, SPEC §5).
  await page.reload();
  await page.waitForFunction(() => window.__stockbell.filter((e) => e.type === 'ready').length >= 3);
  await pick(page, PROTEIN, VANILLA);
  await w.button.click();
  await w.input.fill(email);
  since = await eventCount(page);
  await w.submit.click();
  await waitEvent(page, since, 'success');
  await check(page, '07-repeat');

  // Error: the network fails.
  await page.reload();
  await page.waitForFunction(() => window.__stockbell.filter((e) => e.type === 'ready').length >= 3);
  await pick(page, PROTEIN, VANILLA);
  await page.route('**/api/v1/back-in-stock', (route) => route.abort('internetdisconnected'));
  await w.button.click();
  await w.input.fill(freshEmail('a11y-error'));
  since = await eventCount(page);
  await w.submit.click();
  await waitEvent(page, since, 'error', {code: 'network'});
  await check(page, '08-error');
  await page.close();
});
