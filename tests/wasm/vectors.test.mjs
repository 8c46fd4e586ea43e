// The shared vectors (tests/vectors/*.json) through the exact WebAssembly module the widget
// ships (build-wasm/web/widget/stockbell-core.js + .wasm), under `node --test`; the product-upsert
// vectors through the test module (the same core and flags plus upsert validation, which the
// shipped module leaves out: no storefront sends an upsert).
//
// For every vector: the outcome must deep-equal `expect`, and the output string must be
// byte-identical to the native core's output for the same vector (written by the doctest
// vector runner to ${STOCKBELL_TEST_OUT_DIR}/vectors-native.json). Together they prove the
// widget shows exactly what the server would answer.
//
// Paths (set by tests/wasm/CMakeLists.txt; the defaults fit an in-tree build/ and build-wasm/):
//   STOCKBELL_WIDGET_DIR      folder holding stockbell-core.js and .wasm
//   STOCKBELL_VECTORS_DIR     tests/vectors
//   STOCKBELL_NATIVE_VECTORS  vectors-native.json of the native run
// A missing module or native output is a failure, never a skip.

import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  root, widgetDir, loadShippedModule, loadTestModule, assertShippedModuleExists,
} from './shipped_module.mjs';

const vectorsDir = process.env.STOCKBELL_VECTORS_DIR ?? path.join(root, 'tests', 'vectors');
const nativePath =
  process.env.STOCKBELL_NATIVE_VECTORS ?? path.join(root, 'build', 'test-output', 'vectors-native.json');

// A vector's body as the binding takes it: text as a JS string (what the widget passes), raw
// bytes (`bodyHex`, e.g. invalid UTF-8) as a Uint8Array, which Embind copies byte for byte.
function bodyOf(vector) {
  assert.ok(('body' in vector) !== ('bodyHex' in vector), 'exactly one of body and bodyHex');
  return 'body' in vector ? vector.body : new Uint8Array(Buffer.from(vector.bodyHex, 'hex'));
}

function shown(body) {
  const text = typeof body === 'string' ? body : `hex:${Buffer.from(body).toString('hex')}`;
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

// Reported first and plainly, so a missing build reads as one clear failure.
test('the shipped module and the native outputs exist', () => {
  assertShippedModuleExists();
  assert.ok(fs.existsSync(nativePath),
            `missing ${nativePath}: run the native vectors first (ctest -R vectors.native)`);
});

const suites = [
  { key: 'back_in_stock', file: 'back_in_stock.json', fn: 'validateBackInStock' },
  { key: 'product_upsert', file: 'product_upsert.json', fn: 'validateProductUpsert', testModule: true },
  { key: 'back_in_stock_i18n', file: 'back_in_stock_i18n.json', fn: 'validateBackInStock' },
];

// A vector's language as the widget injects it: the very file it downloads (generated from
// core/i18n/messages.json by web/build.mjs). No language: '' (English, the core's own words).
function languageOf(vector) {
  if (!('language' in vector)) return '';
  const file = path.join(widgetDir, 'i18n', `${vector.language}.json`);
  assert.ok(fs.existsSync(file), `missing ${file}: the widget build writes it`);
  return fs.readFileSync(file, 'utf8');
}

for (const suite of suites) {
  const vectors = JSON.parse(fs.readFileSync(path.join(vectorsDir, suite.file), 'utf8'));

  describe(`${suite.file} through the shipped WebAssembly`, () => {
    let core;
    let native;

    before(async () => {
      core = await (suite.testModule ? loadTestModule() : loadShippedModule());
      assert.ok(fs.existsSync(nativePath),
                `missing ${nativePath}: run the native vectors first (ctest -R vectors.native)`);
      native = JSON.parse(fs.readFileSync(nativePath, 'utf8'))[suite.key];
    });

    test('the native run covered exactly these vectors', () => {
      assert.ok(Array.isArray(native), `${nativePath} has no "${suite.key}" list`);
      assert.equal(native.length, vectors.length);
    });

    vectors.forEach((vector, index) => {
      test(vector.name, () => {
        const body = bodyOf(vector);
        const output = core[suite.fn](body, languageOf(vector));
        assert.equal(typeof output, 'string');
        assert.deepStrictEqual(JSON.parse(output), vector.expect,
                               `body: ${shown(body)}\ngot:  ${output}`);
        const wasmBytes = Buffer.from(output, 'utf8');
        const nativeBytes = Buffer.from(native[index] ?? '', 'utf8');
        assert.ok(wasmBytes.equals(nativeBytes),
                  `WASM and native outputs differ\nbody:   ${shown(body)}\nwasm:   ${output}\n` +
                  `native: ${native[index]}`);
      });
    });
  });
}
