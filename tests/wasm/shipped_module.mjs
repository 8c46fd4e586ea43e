// The module as a page gets it, for the `node --test` files of tests/wasm/: the shipped core
// (stockbell-core.js, minified by web/build.mjs) given the shipped .wasm bytes, because that Emscripten's loader cannot fetch()
// a file path under Node. STOCKBELL_WIDGET_DIR points at the folder holding both files; the
// default fits an in-tree build-wasm/. A missing module is a failure, never a skip.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const widgetDir =
  process.env.STOCKBELL_WIDGET_DIR ?? path.join(root, 'build-wasm', 'web', 'widget');

const js = path.join(widgetDir, 'stockbell-core.js');
const wasm = path.join(widgetDir, 'stockbell-core.wasm');

export function assertShippedModuleExists() {
  for (const file of [js, wasm])
    assert.ok(fs.existsSync(file), `missing ${file}: build it with 'emcmake cmake -S . -B build-wasm && cmake --build build-wasm'`);
}

export async function loadShippedModule() {
  assertShippedModuleExists();
  const factory = createRequire(import.meta.url)(js);
  assert.equal(typeof factory, 'function', `${js} does not export the module factory`);
  return factory({ wasmBinary: fs.readFileSync(wasm) });
}

// The test module: the same core built the same way, plus validateProductUpsert, which the shipped
// module leaves out (wasm/bindings.cpp). STOCKBELL_TEST_MODULE_DIR; default build-wasm/wasm/test-module.
export const testModuleDir =
  process.env.STOCKBELL_TEST_MODULE_DIR ?? path.join(root, 'build-wasm', 'wasm', 'test-module');

export async function loadTestModule() {
  const testJs = path.join(testModuleDir, 'stockbell-core.js');
  const testWasm = path.join(testModuleDir, 'stockbell-core.wasm');
  for (const file of [testJs, testWasm])
    assert.ok(fs.existsSync(file), `missing ${file}: build it with 'cmake --build build-wasm'`);
  return createRequire(import.meta.url)(testJs)({ wasmBinary: fs.readFileSync(testWasm) });
}
