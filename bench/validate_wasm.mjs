// ns per back-in-stock validation in the shipped WebAssembly module, and per JSON.parse of the
// same body (the baseline), under Node.   node bench/validate_wasm.mjs WIDGET_DIR ITERATIONS
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [dir, iterationsText] = process.argv.slice(2);
const iterations = Number(iterationsText);
const require = createRequire(import.meta.url);
const factory = require(path.resolve(dir, 'stockbell-core.js'));
const core = await factory({ wasmBinary: fs.readFileSync(path.resolve(dir, 'stockbell-core.wasm')) });
const body = JSON.stringify({
  productId: 'SKU-PROTEIN-1KG', variantId: 'SKU-PROTEIN-1KG-VANILLA', productTitle: 'Protein Powder 1 kg',
  variantTitle: 'Vanilla',
  customer: { email: '  Buyer.Name+tag@Example.com ', firstName: 'Ada', lastName: 'Lovelace', attributes: { source: 'pdp', visits: 3 } },
});
let sink = 0;
for (let i = 0; i < 1000; i++) sink += core.validateBackInStock(body, '').length;  // warm up
let start = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) sink += core.validateBackInStock(body, '').length;
const validateNs = Number(process.hrtime.bigint() - start) / iterations;
start = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) sink += Object.keys(JSON.parse(body)).length;
const jsonParseNs = Number(process.hrtime.bigint() - start) / iterations;
console.log(JSON.stringify({ iterations, validateNs, jsonParseNs, sink }));
