// What the widget's .wasm spends its bytes on: every function body by size, named from the symbol
// map the link writes (--emit-symbol-map), grouped by what it is for, plus the data section.
//
//   node bench/wasm_sizes.mjs [WASM_BUILD_DIR] [--top N] [--json]
//
// Reads WASM_BUILD_DIR/wasm/core/stockbell-core.wasm and its .js.symbols (default build-wasm).
// Function indexes count imports first, as the symbol map does. Sizes are raw bytes of each body
// (brotli shrinks the whole module to about 40 %).

import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) || 'build-wasm';
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
const wasm = fs.readFileSync(path.join(dir, 'wasm', 'core', 'stockbell-core.wasm'));
const names = new Map(fs.readFileSync(path.join(dir, 'wasm', 'core', 'stockbell-core.js.symbols'), 'utf8')
  .split('\n').filter(Boolean).map((line) => {
    const at = line.indexOf(':');
    return [Number(line.slice(0, at)), line.slice(at + 1)];
  }));

let pos = 8;
const leb = () => {
  let result = 0, shift = 0, byte;
  do {
    byte = wasm[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return result;
};
const sections = {};
let imports = 0;
const bodies = [];
while (pos < wasm.length) {
  const id = wasm[pos++];
  const size = leb();
  const start = pos;
  sections[id] = (sections[id] || 0) + size;
  if (id === 2) {  // imports: count the functions
    const count = leb();
    for (let i = 0; i < count; i++) {
      for (let s = 0; s < 2; s++) {  // module, field
        const length = leb();
        pos += length;
      }
      const kind = wasm[pos++];
      if (kind === 0) { imports++; leb(); }
      else if (kind === 1) { pos++; const flags = leb(); leb(); if (flags & 1) leb(); }
      else if (kind === 2) { const flags = leb(); leb(); if (flags & 1) leb(); }
      else if (kind === 3) { pos += 2; }
    }
  } else if (id === 10) {  // code: one body per defined function
    const count = leb();
    for (let i = 0; i < count; i++) {
      const bodySize = leb();
      bodies.push({index: imports + i, size: bodySize});
      pos += bodySize;
    }
  }
  pos = start + size;
}

const demangle = (name) => name.replace(/\\20/g, ' ').replace(/\\28/g, '(').replace(/\\29/g, ')')
  .replace(/\\2c/g, ',').replace(/\\3c/g, '<').replace(/\\3e/g, '>').replace(/\\3a/g, ':')
  .replace(/\\26/g, '&').replace(/\\2a/g, '*').replace(/\\5b/g, '[').replace(/\\5d/g, ']');
// What a function is for, by its name.
const groups = [
  ['core: JSON parse and write', /Json|json|parse_json|quote\b|dump/],
  ['core: e-mail, text, fields', /email|text|utf|trim|Field|field|Problems|attribute|subscriber|code_point/i],
  ['core: back-in-stock, products', /back_in_stock|BackInStock|product|Product|variant|currency|url/i],
  ['core: errors and messages', /error|Error|message|Message|reword|validation/i],
  ['Embind', /embind|emscripten::|EmscriptenBind|_embind|BindingType|wire/i],
  ['libc++ strings, vectors, maps', /std::|basic_string|__1::|vector|__tree|allocator/],
  ['libc / malloc', /malloc|free|memcpy|memset|memmove|strlen|emmalloc|sbrk|printf|strto|__/],
];
const total = {};
for (const b of bodies) {
  b.name = demangle(names.get(b.index) || `function ${b.index}`);
  b.group = (groups.find(([, re]) => re.test(b.name)) || ['other'])[0];
  total[b.group] = (total[b.group] || 0) + b.size;
}
const result = {
  bytes: wasm.length, code: sections[10] || 0, data: sections[11] || 0, functions: bodies.length,
  groups: Object.entries(total).sort((a, b) => b[1] - a[1]).map(([group, bytes]) => ({group, bytes})),
  imports,
  largest: bodies.sort((a, b) => b.size - a.size).slice(0, top).map(({name, size}) => ({name, size})),
};
if (args.includes('--json')) {
  console.log(JSON.stringify(result));
} else {
  console.log(`${result.bytes} bytes: code ${result.code}, data ${result.data}, ${result.functions} functions`);
  for (const g of result.groups) console.log(`${String(g.bytes).padStart(7)}  ${g.group}`);
  console.log(`\nlargest ${top}:`);
  for (const f of result.largest) console.log(`${String(f.size).padStart(7)}  ${f.name.slice(0, 110)}`);
}
