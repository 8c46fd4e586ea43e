// The real `stockbell` binary for the compatibility tests: a fresh database in a fresh
// directory, a secret key made with `stockbell keys create`, `stockbell serve --port 0` on
// loopback (the port it prints), and a stop that always happens: stop() from the test's
// `after`, and a kill on process exit for a test run that dies on the way.
//
//   const server = await StockbellServer.start();  // server.url, server.secret
//   await server.stop();                           // SIGTERM; the exit code

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const running = new Set();
const MARKER = '/compat-mark/';
process.on('exit', () => { for (const child of running) child.kill('SIGKILL'); });

function binary() {
  const bin = process.env.STOCKBELL_BIN;
  if (!bin) throw new Error('STOCKBELL_BIN is not set (ctest sets it to the built stockbell)');
  return bin;
}

// Children get the parent's environment minus every STOCKBELL_* variable.
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('STOCKBELL_')) env[k] = v;
  return env;
}

export class StockbellServer {
  static async start({ store = 'shop', flags = [] } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'stockbell-compat-'));
    const db = join(dir, 'stockbell.db');
    const secret = execFileSync(binary(), ['keys', 'create', '--db', db, '--store', store, '--kind', 'secret'],
                                { env: cleanEnv(), encoding: 'utf8' }).trim();
    const child = spawn(binary(), ['serve', '--db', db, '--host', '127.0.0.1', '--port', '0',
                                   '--log-requests', ...flags],
                        { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const server = new StockbellServer(child, dir, db, secret);
    await server.listening;
    return server;
  }

  constructor(child, dir, db, secret) {
    this.child = child;
    this.dir = dir;
    this.db = db;
    this.secret = secret;
    this.log = '';  // stderr: one `METHOD /path STATUS DURATIONms REQUEST-ID` line per request (--log-requests)
    this.marks = 0;
    this.markedAt = 0;
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? 128);
    }));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => { this.log += d; });
    this.listening = new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`stockbell did not start: ${this.log}`)), 10000);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/ listening on (http:\/\/[^\s]+) /);
        if (m) {
          clearTimeout(timer);
          this.url = m[1];
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`stockbell exited at start: ${this.log}`)));
    });
  }

  /** The request log lines so far: `[{method, path, status}]`, markers left out. */
  requests() {
    return this.log.split('\n')
      .map((line) => line.match(/^([A-Z]+) (\/.*) (\d{3}) [0-9.]+ms \S+$/))
      .filter(Boolean)
      .map(([, method, path, status]) => ({ method, path, status: Number(status) }))
      .filter((r) => !r.path.startsWith(MARKER));
  }

  /**
   * Every request logged since the previous mark(): a marker request goes out and, once its own
   * log line is in, the lines before it are what happened meanwhile (the log is written by the
   * server's threads, a moment after each answer).
   */
  async mark() {
    const name = `${MARKER}${++this.marks}`;
    await fetch(this.url + name).then((r) => r.text());
    const deadline = Date.now() + 5000;
    let at;
    while ((at = this.log.indexOf(`GET ${name} `)) < 0) {
      if (Date.now() > deadline) throw new Error(`the request log never showed ${name}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const chunk = this.log.slice(this.markedAt, at);
    this.markedAt = at;
    return chunk.split('\n')
      .map((line) => line.match(/^([A-Z]+) (\/.*) (\d{3}) [0-9.]+ms \S+$/))
      .filter(Boolean)
      .map(([, method, path, status]) => ({ method, path, status: Number(status) }))
      .filter((r) => !r.path.startsWith(MARKER));
  }

  /** Stockbell's own API with the store's secret key (the state checks). */
  async api(method, path, body) {
    const res = await fetch(this.url + path, {
      method,
      headers: { authorization: `Bearer ${this.secret}`,
                 ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** SIGTERM, SIGKILL after 10 s; removes the directory; the exit code. */
  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10000);
      this.code = await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
    return this.code;
  }
}
