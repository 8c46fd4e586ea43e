// Every answer the HTTP suite received, checked against docs/openapi.json (the finished document,
// $STOCKBELL_OPENAPI_JSON): tests/http/api_client.cpp records each exchange (method, target,
// status, Content-Type, a JSON body) to $STOCKBELL_EXCHANGES_DIR/exchanges-<pid>.jsonl. Each is
// matched to its path template, method and status in the document; its media type must be one the
// response declares, and a JSON body must validate (ajv, JSON Schema 2020-12) against the declared
// schema. An error body's `code` must have the status the document gives it (`x-http-status`).
// A JSON request body the server accepted (2xx) must validate against the documented request body.
// A status the operation does not declare, or a body its schema refuses, fails.
//
// Not matched, on purpose (counted and printed): static files (`/widget/...`, `/dashboard`, the
// demo page: not API), and paths no route has, which must be a 404 error envelope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const Ajv2020 = (await import('ajv/dist/2020.js')).default.default;
const addFormats = (await import('ajv-formats')).default.default;

const docPath = process.env.STOCKBELL_OPENAPI_JSON;
const dir = process.env.STOCKBELL_EXCHANGES_DIR;
assert.ok(docPath && dir, 'STOCKBELL_OPENAPI_JSON and STOCKBELL_EXCHANGES_DIR must be set');
const doc = JSON.parse(fs.readFileSync(docPath, 'utf8'));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'doc', components: doc.components });
const compiled = new Map();
function validatorFor(schema) {
  const key = JSON.stringify(schema);
  if (!compiled.has(key)) compiled.set(key, ajv.compile(JSON.parse(key.replaceAll('"#/components/', '"doc#/components/'))));
  return compiled.get(key);
}
const envelope = validatorFor({ $ref: '#/components/schemas/ErrorEnvelope' });
const statusOfCode = doc.components.schemas.ApiCode['x-http-status'];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const templates = Object.keys(doc.paths).map((p) => ({ path: p, segments: p.split('/').slice(1) }));

/** The segments of a request path as the server splits it: `/v1/...` is `/api/v1/...`, a trailing
 *  slash is the same path. Segments stay percent-encoded (an encoded `/` is inside one). */
export function segmentsOf(target) {
  let segments = target.split('?')[0].split('/').slice(1);
  if (segments.length > 1 && segments[segments.length - 1] === '') segments = segments.slice(0, -1);
  if (segments[0] === 'v1') segments = ['api', ...segments];
  return segments;
}

/** Paths the server answers as API (server/http/router.cpp, Router::handle); others are files. */
function isApi(segments) {
  const [a, b] = segments;
  return (a === 'api' && (b === 'v1' || b === 'woocommerce')) ||
         (segments.length === 1 && ['healthz', 'readyz', 'metrics', 'openapi.json'].includes(a)) ||
         (segments.length === 2 && (a === 'u' || a === 'c')) ||
         (segments.length === 2 && a === 'dashboard' && b === 'sign-in');
}

/** The templates matching, most literal segments first (`/integrations/shopify` before
 *  `/integrations/{platform}`). */
function matching(segments) {
  const literal = (t) => t.segments.filter((s) => !s.startsWith('{')).length;
  return templates
    .filter((t) => t.segments.length === segments.length &&
                   t.segments.every((s, i) => s.startsWith('{') || s === segments[i]))
    .sort((x, y) => literal(y) - literal(x));
}

function mediaType(contentType) {
  return (contentType || '').split(';')[0].trim().toLowerCase();
}

function readExchanges() {
  assert.ok(fs.existsSync(dir), `no recorded exchanges in ${dir}: run the http.* tests first`);
  const out = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort())
    for (const line of fs.readFileSync(path.join(dir, name), 'utf8').split('\n'))
      if (line) out.push(JSON.parse(line));
  return out;
}

/** Checks one exchange; returns a problem ("" when it is described) and what it matched. */
export function check(x) {
  const segments = segmentsOf(x.target);
  if (!isApi(segments)) return { skipped: 'static file' };
  const decodes = segments.every((s) => { try { decodeURIComponent(s); return true; } catch { return false; } });
  const method = x.method.toLowerCase() === 'head' ? 'get' : x.method.toLowerCase();
  const candidates = matching(segments);
  let body;
  if (x.body !== undefined) {
    try { body = JSON.parse(x.body); } catch { return { problem: 'the body is not JSON though it says so' }; }
  }
  const envelopeProblem = (code) => {
    if (body === undefined) return `a ${x.status} without a JSON body`;
    if (!envelope(body)) return `not an ErrorEnvelope: ${ajv.errorsText(envelope.errors)}`;
    if (code && body.code !== code) return `code ${body.code}, expected ${code}`;
    return '';
  };
  if (candidates.length === 0 || !decodes) {  // no route; `%zz` is no path at all
    if (x.status !== 404) return { problem: `no path of the document matches, and the answer is ${x.status}, not 404` };
    return { skipped: 'unknown path (404)', problem: envelopeProblem('not_found') };
  }
  const template = candidates.find((t) => doc.paths[t.path][method]);
  if (!template) {
    if (x.status === 405) return { skipped: 'method the path lacks (405)', problem: envelopeProblem('method_not_allowed') };
    return { problem: `${x.method} is not an operation of ${candidates[0].path}, and the answer is ${x.status}, not 405` };
  }
  const op = doc.paths[template.path][method];
  const where = `${method.toUpperCase()} ${template.path} ${x.status}`;
  const declared = op.responses[String(x.status)];
  if (!declared) return { where, problem: `status ${x.status} is not declared (declared: ${Object.keys(op.responses).join(', ')})` };
  const response = declared.$ref ? doc.components.responses[declared.$ref.split('/').pop()] : declared;
  const type = mediaType(x.contentType);
  const content = response.content || {};
  const types = Object.keys(content).map(mediaType);
  if (types.length === 0) {
    if (x.body && x.body.length) return { where, problem: `a body (${type}) where the document declares none` };
    return { where, problem: '' };
  }
  if (!types.includes(type) && !(x.method === 'HEAD' && !type))
    return { where, problem: `media type "${type}", declared: ${types.join(', ')}` };
  // A JSON body the server accepted must be one the document allows (an answer 2xx).
  if (x.requestBody !== undefined && x.status < 300 && op.requestBody) {
    const declaredBody = op.requestBody.content['application/json'];
    if (!declaredBody) return { where, problem: 'a JSON request body was accepted where the document declares none' };
    let sent;
    try { sent = JSON.parse(x.requestBody); } catch { sent = undefined; }
    const validateSent = validatorFor(declaredBody.schema);
    if (sent !== undefined && !validateSent(sent))
      return { where, problem: `the server accepted a request body its schema refuses: ${ajv.errorsText(validateSent.errors, { separator: '; ' })}\n    sent: ${x.requestBody.slice(0, 600)}` };
  }
  if (type !== 'application/json' || x.method === 'HEAD') return { where, problem: '' };
  const schema = Object.entries(content).find(([t]) => mediaType(t) === type)[1].schema;
  const validate = validatorFor(schema);
  if (!validate(body))
    return { where, problem: `the body does not match its schema: ${ajv.errorsText(validate.errors, { separator: '; ' })}\n    body: ${x.body.slice(0, 600)}` };
  if (body && body.success === false && typeof body.code === 'string' && statusOfCode[body.code] !== x.status)
    return { where, problem: `code ${body.code} is ${statusOfCode[body.code]} in the document, answered with ${x.status}` };
  return { where, problem: '' };
}

test('every response the HTTP suite received is one the document describes', () => {
  const exchanges = readExchanges();
  assert.ok(exchanges.length > 1000, `only ${exchanges.length} exchanges recorded: did the HTTP suite run?`);
  const problems = new Map();
  const skipped = new Map();
  const seen = new Set();
  for (const x of exchanges) {
    const result = check(x);
    if (result.skipped) skipped.set(result.skipped, (skipped.get(result.skipped) || 0) + 1);
    if (result.where) seen.add(result.where);
    if (result.problem) {
      const key = `${result.where || x.method + ' ' + x.target.split('?')[0]}: ${result.problem.split('\n')[0].replace(/\/\d+/g, '/*').slice(0, 200)}`;
      if (!problems.has(key)) problems.set(key, { count: 0, example: `${x.method} ${x.target} → ${x.status}: ${result.problem}` });
      problems.get(key).count += 1;
    }
  }
  const operations = [];
  for (const [p, item] of Object.entries(doc.paths))
    for (const m of METHODS.filter((m) => item[m]))
      for (const status of Object.keys(item[m].responses))
        operations.push(`${m.toUpperCase()} ${p} ${status}`);
  const report = [
    `${exchanges.length} exchanges; skipped: ${[...skipped].map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}`,
    `declared responses seen: ${operations.filter((o) => seen.has(o)).length} of ${operations.length}`,
    'never seen (declared, not exercised by the HTTP suite):',
    ...operations.filter((o) => !seen.has(o)).map((o) => `  ${o}`),
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'coverage.txt'), report + '\n');
  console.log(report.split('\n').slice(0, 2).join('\n'));
  const listed = [...problems.values()].map((p) => `${p.count}× ${p.example}`);
  assert.equal(listed.length, 0, `responses the document does not describe:\n${listed.join('\n')}`);
  // Each success answer the document declares met a real one at least once, so no success schema
  // is untested.
  const unseen = operations.filter((o) => /\s[23]\d\d$/.test(o) && !seen.has(o));
  assert.deepEqual(unseen, [], 'success answers the document declares that the HTTP suite never received');
});
