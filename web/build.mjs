#!/usr/bin/env node
// Builds the widget's web files from the core's module and the one table of words, at build time
// (wasm/CMakeLists.txt runs it after linking the module):
//
//   node web/build.mjs --core DIR --out DIR --npm DIR --esbuild PATH --version X
//
//   <out>/stockbell.js            the loader (web/stockbell.js, minified), the one script tag
//   <out>/stockbell-core.js|.wasm the core: Emscripten's loader (minified) and the module
//   <out>/i18n/<lang>.json        one language's words: {widget, field, expected} of
//                                 core/i18n/messages.json (generated, never copied by hand)
//   <out>/console.json            the console's lines for developers (core/i18n/console.json)
//   <out>/*.br, *.gz              each of those precompressed (brotli 11, gzip 9) for the server
//   <npm>/                        the npm package (web/package/ + the files above, no .br/.gz)
//
// The loader asks for the others as FILE?v=<first 12 hex digits of the file's SHA-256>, so a
// versioned URL always names exactly one content and the server can let browsers keep it for a
// year (server/http/static_files.hpp). The words of the button and the form are built into the loader.

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0 || i + 1 >= args.length) throw new Error(`web/build.mjs: missing ${name}`);
  return args[i + 1];
};
const coreDir = flag('--core'), out = flag('--out'), npm = flag('--npm');
const esbuild = flag('--esbuild'), version = flag('--version');

export const contentVersion = (bytes) =>
  crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 12);

// `mangle`: property names starting with `_` are the loader's own (methods and fields of its
// element), shortened too.
const minify = (code, mangle) =>
  execFileSync(esbuild, ['--minify', '--target=es2017', '--charset=utf8', '--log-level=warning',
                         ...(mangle ? ['--mangle-props=^_[a-z]'] : [])],
               {input: code, maxBuffer: 64 << 20}).toString();

function write(file, bytes) {
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, bytes);
}

// ---- the languages -------------------------------------------------------------------------
const messages = JSON.parse(fs.readFileSync(path.join(root, 'core', 'i18n', 'messages.json'), 'utf8'));
const languages = {};
fs.rmSync(out, {recursive: true, force: true});  // nothing stale is ever served
for (const [lang, table] of Object.entries(messages)) {
  // What the widget needs: its words, and the field messages the core words the e-mail's problem
  // with (the `page` words belong to the server's pages).
  const text = JSON.stringify({widget: table.widget, field: table.field, expected: table.expected});
  write(path.join(out, 'i18n', lang + '.json'), text);
  languages[lang] = contentVersion(text);
}

// ---- the core ------------------------------------------------------------------------------
const coreJs = minify(fs.readFileSync(path.join(coreDir, 'stockbell-core.js'), 'utf8'));
const coreWasm = fs.readFileSync(path.join(coreDir, 'stockbell-core.wasm'));
write(path.join(out, 'stockbell-core.js'), coreJs);
write(path.join(out, 'stockbell-core.wasm'), coreWasm);

// ---- the loader ----------------------------------------------------------------------------
// The words of the button and the form in every language are built in, so neither waits for a
// file (a click the moment the button shows opens the form at once).
// (The introduction and the placeholder follow with the file.)
const kFormWords = ['button', 'label', 'submit', 'cancel', 'close', 'dialogTitle', 'soldOut'];
const form = Object.fromEntries(Object.keys(languages).map((lang) =>
  [lang, Object.fromEntries(kFormWords.map((key) => [key, messages[lang].widget[key]]))]));
// The console's lines for developers: fetched by the loader only when something is wrong.
const consoleLines = JSON.stringify(JSON.parse(fs.readFileSync(path.join(root, 'core', 'i18n', 'console.json'), 'utf8')));
write(path.join(out, 'console.json'), consoleLines);
const build = {core: contentVersion(coreJs), wasm: contentVersion(coreWasm),
               console: contentVersion(consoleLines), languages, form};
const source = fs.readFileSync(path.join(here, 'stockbell.js'), 'utf8');
const slot = 'const BUILD = __STOCKBELL_BUILD__;';
if (!source.includes(slot)) throw new Error(`web/stockbell.js lost '${slot}'`);
const loader = minify(source.replace(slot, `const BUILD = ${JSON.stringify(build)};`), true);
write(path.join(out, 'stockbell.js'), loader);

// ---- precompressed copies, for the server to pick by Accept-Encoding --------------------------
function compressAll(dir) {
  for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) { compressAll(file); continue; }
    if (/\.(br|gz)$/.test(entry.name)) { fs.rmSync(file); continue; }
    const bytes = fs.readFileSync(file);
    const br = zlib.brotliCompressSync(bytes, {params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_MODE]: /\.wasm$/.test(file) ? zlib.constants.BROTLI_MODE_GENERIC
                                                                : zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length}});
    const gz = zlib.gzipSync(bytes, {level: 9, memLevel: 9});
    if (br.length < bytes.length) write(file + '.br', br);
    if (gz.length < bytes.length) write(file + '.gz', gz);
  }
}
compressAll(out);

// ---- the npm package -----------------------------------------------------------------------
fs.rmSync(npm, {recursive: true, force: true});
const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package', 'package.json'), 'utf8'));
pkg.version = version;
write(path.join(npm, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
for (const file of ['stockbell.d.ts', 'README.md'])
  fs.copyFileSync(path.join(here, 'package', file), path.join(npm, file));
const dist = path.join(npm, 'dist');
for (const file of ['stockbell.js', 'stockbell-core.js', 'stockbell-core.wasm'])
  write(path.join(dist, file), fs.readFileSync(path.join(out, file)));
for (const lang of Object.keys(messages))
  write(path.join(dist, 'i18n', lang + '.json'), fs.readFileSync(path.join(out, 'i18n', lang + '.json')));
