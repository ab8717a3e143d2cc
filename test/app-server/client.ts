/**
 * A test client for `opencodex app-server` over stdio or WebSocket that checks every message the server
 * sends against Codex 0.171's JSON Schema (test/fixtures/codex-app-server-schema/): notifications and
 * server requests by method, responses by the method of the request they answer, errors by the error shape.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import WebSocket from 'ws';
import { CLI } from '../support/cli.js';

const SCHEMA = join(import.meta.dirname, '../fixtures/codex-app-server-schema');
type Json = Record<string, unknown>;

const RESPONSES: Record<string, string> = {
  initialize: 'v1/InitializeResponse',
  'thread/start': 'v2/ThreadStartResponse',
  'thread/resume': 'v2/ThreadResumeResponse',
  'thread/fork': 'v2/ThreadForkResponse',
  'thread/list': 'v2/ThreadListResponse',
  'thread/read': 'v2/ThreadReadResponse',
  'thread/archive': 'v2/ThreadArchiveResponse',
  'thread/unarchive': 'v2/ThreadUnarchiveResponse',
  'thread/name/set': 'v2/ThreadSetNameResponse',
  'thread/loaded/list': 'v2/ThreadLoadedListResponse',
  'thread/unsubscribe': 'v2/ThreadUnsubscribeResponse',
  'turn/start': 'v2/TurnStartResponse',
  'review/start': 'v2/ReviewStartResponse',
  'thread/compact/start': 'v2/ThreadCompactStartResponse',
  'turn/steer': 'v2/TurnSteerResponse',
  'turn/interrupt': 'v2/TurnInterruptResponse',
  'model/list': 'v2/ModelListResponse',
  'config/read': 'v2/ConfigReadResponse',
  'account/read': 'v2/GetAccountResponse',
  'hooks/list': 'v2/HooksListResponse',
  'configRequirements/read': 'v2/ConfigRequirementsReadResponse',
  'skills/list': 'v2/SkillsListResponse',
  'plugin/installed': 'v2/PluginInstalledResponse',
};

/** The integer and float formats the Rust-generated schemas use (ajv knows none of them). */
export function addNumberFormats(a: Pick<Ajv, 'addFormat'>): void {
  const integer = (min: number, max: number) => ({ type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= min && n <= max });
  a.addFormat('int32', integer(-(2 ** 31), 2 ** 31 - 1));
  a.addFormat('int64', integer(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
  a.addFormat('uint', integer(0, Number.MAX_SAFE_INTEGER));
  a.addFormat('uint8', integer(0, 255));
  a.addFormat('uint16', integer(0, 65535));
  a.addFormat('uint32', integer(0, 2 ** 32 - 1));
  a.addFormat('uint64', integer(0, Number.MAX_SAFE_INTEGER));
  a.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  a.addFormat('uri', { type: 'string', validate: (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) });
}

const ajv = new Ajv({ strict: false, allErrors: true });
addNumberFormats(ajv);

const load = (name: string): Json => JSON.parse(readFileSync(join(SCHEMA, `${name}.json`), 'utf8')) as Json;
const compiled = new Map<string, ValidateFunction>();
function compile(key: string, make: () => Json): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(make());
    compiled.set(key, v);
  }
  return v;
}

/** The validator of one method's message in a oneOf-by-method schema file (ServerNotification, ServerRequest). */
function byMethod(file: string, method: string): ValidateFunction | null {
  const root = load(file);
  const branch = (root.oneOf as Json[]).find((b) => ((b.properties as Json).method as { enum: string[] }).enum[0] === method);
  if (!branch) return null;
  return compile(`${file}:${method}`, () => ({ $schema: root.$schema, definitions: root.definitions, ...branch }));
}

/** Schema problems of one message the server sent (empty: valid). `requestMethod`: what a response answers. */
export function schemaProblems(msg: Json, requestMethod?: string): string[] {
  const fail = (v: ValidateFunction, what: string): string[] => (v.errors ?? []).map((e) => `${what}: ${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  const method = msg.method;
  if (typeof method === 'string') {
    const isRequest = msg.id !== undefined;
    const v = byMethod(isRequest ? 'ServerRequest' : 'ServerNotification', method);
    if (!v) return [`${method}: not a ${isRequest ? 'server request' : 'server notification'} of Codex 0.171`];
    return v(msg) ? [] : fail(v, method);
  }
  if (msg.error !== undefined) {
    const v = compile('error', () => load('JSONRPCError'));
    // Codex leaves out "jsonrpc"; the schema requires it. The answer to a frame with no readable id has
    // id null, as JSON-RPC 2.0 requires, which the schema's RequestId (string | integer) cannot express:
    // its error object is still checked.
    return v({ jsonrpc: '2.0', ...msg, id: msg.id === null ? 0 : msg.id }) ? [] : fail(v, 'error');
  }
  const file = requestMethod ? RESPONSES[requestMethod] : undefined;
  if (!file) return [`a response to ${requestMethod ?? 'an unknown request'}: no schema to check it`];
  const v = compile(file, () => load(file));
  return v(msg.result) ? [] : fail(v, `${requestMethod} response`);
}

export interface Client {
  /** Every message received, in order. */
  readonly messages: Json[];
  /** Schema problems of every message so far. */
  readonly problems: string[];
  request(method: string, params?: unknown): Promise<Json>;
  notify(method: string, params?: unknown): void;
  /** Sends a raw frame (a line on stdio). */
  raw(text: string): void;
  /** Answers server requests with `answer` (default: none, they wait). */
  onServerRequest(answer: (msg: Json) => unknown): void;
  /** Resolves with the first message (from `from` on) that matches. */
  waitFor(match: (m: Json) => boolean, from?: number, timeoutMs?: number): Promise<Json>;
  close(): Promise<void>;
  /** stderr of a spawned server. */
  stderr(): string;
}

function makeClient(send: (text: string) => void, closeTransport: () => Promise<void>, stderr: () => string): { client: Client; receive: (text: string) => void } {
  const messages: Json[] = [];
  const problems: string[] = [];
  const pending = new Map<number, { method: string; resolve: (m: Json) => void }>();
  const methods = new Map<number, string>();
  const waiters: Array<{ match: (m: Json) => boolean; from: number; resolve: (m: Json) => void }> = [];
  let answer: ((msg: Json) => unknown) | null = null;
  let next = 1000;
  const receive = (text: string): void => {
    const msg = JSON.parse(text) as Json;
    messages.push(msg);
    const id = typeof msg.id === 'number' ? msg.id : undefined;
    problems.push(...schemaProblems(msg, id !== undefined && !('method' in msg) ? methods.get(id) : undefined));
    if (id !== undefined && !('method' in msg)) {
      pending.get(id)?.resolve(msg);
      pending.delete(id);
    }
    if ('method' in msg && 'id' in msg && answer) {
      const result = answer(msg);
      if (result !== undefined) send(JSON.stringify({ id: msg.id, result }));
    }
    for (const w of [...waiters]) {
      if (messages.length - 1 >= w.from && w.match(msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  };
  const client: Client = {
    messages,
    problems,
    request(method, params) {
      const id = next++;
      methods.set(id, method);
      return new Promise((resolve) => {
        pending.set(id, { method, resolve });
        send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
      });
    },
    notify(method, params) {
      send(JSON.stringify(params === undefined ? { method } : { method, params }));
    },
    raw: (text) => send(text),
    onServerRequest(a) {
      answer = a;
    },
    waitFor(match, from = 0, timeoutMs = 20_000) {
      const found = messages.slice(from).find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { match, from, resolve: (m: Json) => (clearTimeout(timer), resolve(m)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching message in ${timeoutMs} ms; got ${messages.map((m) => m.method ?? `response ${String(m.id)}`).join(', ')}\n${stderr()}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    close: closeTransport,
    stderr,
  };
  return { client, receive };
}

export interface Spawned {
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function spawnServer(args: string[], o: { home: string; cwd: string; env?: Record<string, string> }): Spawned {
  const child = spawn(process.execPath, [CLI, 'app-server', ...args], {
    cwd: o.cwd,
    env: { ...process.env, OPENCODEX_DEBUG: undefined, NO_COLOR: '1', OPENCODEX_HOME: o.home, ...o.env } as NodeJS.ProcessEnv,
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

/** A client on a spawned server's stdio. */
export function stdioClient(s: Spawned): Client {
  const { client, receive } = makeClient(
    (text) => s.child.stdin.write(`${text}\n`),
    async () => {
      s.child.stdin.end();
      await s.exited;
    },
    s.stderr,
  );
  let buf = '';
  s.child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.trim() !== '') receive(line);
    }
  });
  return client;
}

/** A WebSocket client of a server listening at `url`. */
export async function wsClient(url: string, o: { headers?: Record<string, string>; stderr?: () => string } = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers: o.headers ?? {} });
  const { client, receive } = makeClient(
    (text) => ws.send(text),
    () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
    o.stderr ?? (() => ''),
  );
  ws.on('message', (data: Buffer) => receive(data.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return client;
}

/** Waits for a spawned server's "listening on ws://…" line; its URL. */
export function listeningUrl(s: Spawned, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const m = /listening on (ws:\/\/\S+)/.exec(s.stderr());
      if (m) resolve(m[1] as string);
      return m !== null;
    };
    if (check()) return;
    const timer = setTimeout(() => reject(new Error(`no listening line: ${s.stderr()}`)), timeoutMs);
    s.child.stderr.on('data', () => {
      if (check()) clearTimeout(timer);
    });
    void s.exited.then(() => reject(new Error(`exited: ${s.stderr()}`)));
  });
}
