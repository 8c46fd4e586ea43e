// The npm package @stockbell/widget as the build makes it (build-wasm/npm, web/build.mjs):
// `npm pack` holds exactly the files a storefront needs, within its size, and a TypeScript
// consumer of the packed tarball compiles with `tsc --noEmit --strict`.
//
// Paths: STOCKBELL_NPM_DIR (default build-wasm/npm), STOCKBELL_TSC (default the repository's
// node_modules/.bin/tsc, from `npm ci`). A missing package or compiler is a failure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const npmDir = process.env.STOCKBELL_NPM_DIR || path.join(root, 'build-wasm', 'npm');
const tsc = process.env.STOCKBELL_TSC || path.join(root, 'node_modules', '.bin', 'tsc');

// What `npm pack` must hold, and no more.
const kFiles = [
  'README.md', 'dist/i18n/de.json', 'dist/i18n/en.json', 'dist/i18n/es.json', 'dist/i18n/fr.json',
  'dist/stockbell-core.js', 'dist/stockbell-core.wasm', 'dist/stockbell.js', 'package.json',
  'stockbell.d.ts',
];
// The tarball (gzip) and everything unpacked: the module and its loader are most of it.
const kMaxPackedBytes = 48 * 1024;
const kMaxUnpackedBytes = 120 * 1024;

function pack(destination) {
  assert.ok(fs.existsSync(path.join(npmDir, 'package.json')),
            `missing ${npmDir}: build the widget ('cmake --build build-wasm')`);
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination],
                           {cwd: npmDir, encoding: 'utf8', env: {...process.env, npm_config_loglevel: 'error'}});
  return JSON.parse(out)[0];
}

test('npm pack: exactly the package files, within the size budget', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockbell-pack-'));
  try {
    const info = pack(dir);
    assert.equal(info.name, '@stockbell/widget');
    assert.match(info.version, /^\d+\.\d+\.\d+$/);
    assert.deepEqual(info.files.map((f) => f.path).sort(), kFiles);
    assert.ok(info.size <= kMaxPackedBytes, `packed ${info.size} bytes > ${kMaxPackedBytes}`);
    assert.ok(info.unpackedSize <= kMaxUnpackedBytes,
              `unpacked ${info.unpackedSize} bytes > ${kMaxUnpackedBytes}`);
    console.log(`# npm pack: ${info.files.length} files, ${info.size} bytes packed, ` +
                `${info.unpackedSize} unpacked`);
    // The package's exports name files that are in it.
    const pkg = JSON.parse(fs.readFileSync(path.join(npmDir, 'package.json'), 'utf8'));
    assert.equal(pkg.exports['.'].types, './stockbell.d.ts');
    for (const target of [pkg.exports['.'].default, pkg.exports['./stockbell-core.wasm'], pkg.main])
      assert.ok(kFiles.includes(target.replace(/^\.\//, '')), `${target} is not packed`);
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
});

test('a TypeScript consumer of the packed package compiles with tsc --noEmit --strict', () => {
  assert.ok(fs.existsSync(tsc), `missing ${tsc}: run 'npm ci' in ${root}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockbell-ts-'));
  try {
    const info = pack(dir);
    const installed = path.join(dir, 'node_modules', '@stockbell', 'widget');
    fs.mkdirSync(installed, {recursive: true});
    execFileSync('tar', ['-xzf', path.join(dir, info.filename), '-C', installed, '--strip-components=1']);
    for (const file of ['consumer.ts', 'tsconfig.json'])
      fs.copyFileSync(path.join(here, file), path.join(dir, file));
    try {
      execFileSync(tsc, ['-p', path.join(dir, 'tsconfig.json')], {cwd: dir, encoding: 'utf8'});
    } catch (e) {
      assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
    }
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
});
