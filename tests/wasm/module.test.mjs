// The shipped WebAssembly module itself (build-wasm/web/widget/stockbell-core.js + .wasm) under
// `node --test`: it carries the one version string, and it takes bodies up to the server's
// size limits (64 KiB for a back-in-stock request, 1 MiB for an upsert; README "Errors"), including
// multi-byte text, without truncation or corruption.
//
// Paths: STOCKBELL_WIDGET_DIR (stockbell-core.js + .wasm), STOCKBELL_VERSION_HEADER
// (core/version.hpp); defaults fit an in-tree build-wasm/. A missing module is a failure.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root, loadShippedModule, loadTestModule, assertShippedModuleExists } from './shipped_module.mjs';

const versionHeader =
  process.env.STOCKBELL_VERSION_HEADER ?? path.join(root, 'core', 'version.hpp');

const kRequestLimit = 64 * 1024;   // POST /api/v1/back-in-stock
const kUpsertLimit = 1024 * 1024;  // POST /api/v1/products

// Pads a JSON text with trailing spaces (insignificant white space) to exactly `bytes` bytes.
function padTo(json, bytes) {
  const size = Buffer.byteLength(json, 'utf8');
  assert.ok(size <= bytes, `body is already ${size} bytes`);
  return json + ' '.repeat(bytes - size);
}

test('the shipped module exists', () => {
  assertShippedModuleExists();
});

let core;
before(async () => {
  core = await loadShippedModule();
});

test('version() is the version in core/version.hpp', () => {
  const match = /^#define STOCKBELL_VERSION "(\d+\.\d+\.\d+)"$/m.exec(fs.readFileSync(versionHeader, 'utf8'));
  assert.ok(match, `no STOCKBELL_VERSION line in ${versionHeader}`);
  assert.equal(core.version(), match[1]);
});

test('a 64 KiB back-in-stock body with multi-byte text is read whole', () => {
  // 50 attributes of 400 characters of 1-, 2-, 3- and 4-byte UTF-8 (about 50 KB), padded to 64 KiB.
  const attributes = {};
  for (let i = 0; i < 50; i++) {
    const unit = ['a', 'é', '日', '😀'][i % 4];
    attributes[`attr_${String(i).padStart(2, '0')}`] = unit.repeat(400);
  }
  const request = {
    productId: 'Größe-日本-SKU',
    customer: { email: 'Buyer@Example.COM', firstName: 'Zoë', attributes },
  };
  const body = padTo(JSON.stringify(request), kRequestLimit);
  assert.equal(Buffer.byteLength(body, 'utf8'), kRequestLimit);
  const outcome = JSON.parse(core.validateBackInStock(body, ''));
  assert.equal(outcome.ok, true, JSON.stringify(outcome.error));
  assert.equal(outcome.request.productId, 'Größe-日本-SKU');
  assert.equal(outcome.request.customer.email, 'buyer@example.com');
  assert.equal(outcome.request.customer.firstName, 'Zoë');
  assert.deepStrictEqual(outcome.request.customer.attributes, attributes);
});

test('a 64 KiB body still reports its problem at the end', () => {
  const request = { productId: 'SKU-1', customer: { email: 'a@b' } };
  const body = padTo(JSON.stringify(request), kRequestLimit - 2) + ' x';
  const outcome = JSON.parse(core.validateBackInStock(body, ''));
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error.code, 'invalid_json');
  assert.match(outcome.error.error, new RegExp(`column ${kRequestLimit}:`));
});

test('the shipped module validates requests only: no upsert validation in a storefront', () => {
  assert.equal(typeof core.validateBackInStock, 'function');
  assert.equal(core.validateProductUpsert, undefined);
});

test('a 1 MiB upsert of 100 products is read whole (test module)', async () => {
  const testCore = await loadTestModule();
  const products = [];
  for (let i = 0; i < 100; i++)
    products.push({ productId: `P${i}`, title: `Product ${i}`, description: 'ß'.repeat(5000) });
  const body = padTo(JSON.stringify({ products }), kUpsertLimit);
  const outcome = JSON.parse(testCore.validateProductUpsert(body, ''));
  assert.equal(outcome.ok, true, JSON.stringify(outcome.error));
  assert.equal(outcome.upsert.products.length, 100);
  assert.equal(outcome.upsert.products[99].productId, 'P99');
  assert.equal(outcome.upsert.products[99].description, 'ß'.repeat(5000));
});

test('repeated calls give identical answers (no state between calls)', () => {
  const body = '{"productId":"SKU-1","customer":{"email":"a@b."}}';
  const first = core.validateBackInStock(body, '');
  for (let i = 0; i < 200; i++) core.validateBackInStock(`{"productId":"${i}","customer":{"email":"x@y"}}`, '');
  assert.equal(core.validateBackInStock(body, ''), first);
  assert.equal(JSON.parse(first).error.details[0].code, 'invalid_email');
});
