// A small MCP client over stdio: starts Sequenzy's published MCP server (@sequenzy/mcp, exactly
// as npm installed it) as a child process and speaks JSON-RPC to it, one message per line
// (MCP stdio framing). No MCP SDK in between: what the tests see is what the server wrote.
//
//   const mcp = await McpDriver.start({ apiUrl: 'http://127.0.0.1:8080', apiKey: 'sk_...' });
//   const tools = await mcp.listTools();           // tools/list, every tool with its schemas
//   const result = await mcp.callTool('list_products', { limit: 10 });
//   await mcp.close();

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The installed package: its entry point (the `sequenzy-mcp` bin) and its version. */
export function sequenzyMcpPackage() {
  const entry = require.resolve('@sequenzy/mcp');  // .../node_modules/@sequenzy/mcp/dist/index.js
  const root = dirname(dirname(entry));
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return { entry, root, version };
}

export class McpDriver {
  /** Spawns the server with SEQUENZY_API_URL / SEQUENZY_API_KEY and completes the handshake. */
  static async start({ apiUrl, apiKey, timeoutMs = 20000 }) {
    const { entry } = sequenzyMcpPackage();
    const child = spawn(process.execPath, [entry], {
      // Only what the server needs: no developer variable can change the run.
      env: { PATH: process.env.PATH, SEQUENZY_API_URL: apiUrl, SEQUENZY_API_KEY: apiKey },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const driver = new McpDriver(child, timeoutMs);
    driver.initializeResult = await driver.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'stockbell-compat-tests', version: '1' },
    });
    driver.notify('notifications/initialized');
    return driver;
  }

  constructor(child, timeoutMs) {
    this.child = child;
    this.timeoutMs = timeoutMs;
    this.nextId = 1;
    this.pending = new Map();
    this.buffer = '';
    this.stderr = '';
    this.exited = new Promise((resolve) => child.on('exit', resolve));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => { this.stderr += d; });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => this.onData(d));
    child.on('exit', (code, signal) => {
      for (const { reject } of this.pending.values())
        reject(new Error(`the MCP server exited (${code ?? signal}): ${this.stderr}`));
      this.pending.clear();
    });
  }

  onData(data) {
    this.buffer += data;
    for (let at; (at = this.buffer.indexOf('\n')) >= 0;) {
      const line = this.buffer.slice(0, at).trim();
      this.buffer = this.buffer.slice(at + 1);
      if (!line) continue;
      const message = JSON.parse(line);  // anything else on stdout breaks the protocol: fail
      const waiter = this.pending.get(message.id);
      if (message.id === undefined || !waiter) continue;  // notifications, server requests
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`JSON-RPC error ${JSON.stringify(message.error)}`));
      else waiter.resolve(message.result);
    }
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, {
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });
  }

  notify(method, params) {
    this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}) }) + '\n');
  }

  async listTools() {
    const tools = [];
    let cursor;
    do {
      const page = await this.request('tools/list', cursor ? { cursor } : {});
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  /** The raw `tools/call` result: `{content, structuredContent, isError?}`. */
  callTool(name, args) {
    return this.request('tools/call', { name, arguments: args });
  }

  /** Ends stdin, then SIGTERM, then SIGKILL if it is still there after a second. */
  async close() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin.end();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 1000);
    await this.exited;
    clearTimeout(timer);
  }
}
