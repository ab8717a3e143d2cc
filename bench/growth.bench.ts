/**
 * How the per-turn overhead grows with the history: for histories of 100, 1,000 and 10,000 items (a mix of
 * user prompts, shell calls with ~400-byte outputs, reasoning and answers, ~330 bytes an item on the wire):
 *
 * - request build: the Responses body from the history (`buildResponsesBody`), as the client builds it;
 * - request send: `client.stream()` from the call until the server has the whole body (build, serialization
 *   and HTTP included), against a server that takes the body without parsing it and answers with the scripted
 *   server's SSE for a one-word answer; and until the client has the `completed` event (the round trip);
 * - rollout append: recording one turn (turn context, prompt, call, output, answer, events, fsync) into a
 *   rollout that already holds the history;
 * - UI frame: one streamed delta at the end of a session whose transcript shows the history, to the frame
 *   written to a fake terminal (as ui.bench.ts).
 *
 * Each figure is a median (runs interleaved across sizes); the last columns give the cost per 1,000 items
 * between sizes (the constant of the linear part), and the growth from 1,000 to 10,000 items: flat (at most
 * ×1.5), linear (at most ×12.5 for ×10 the items) or superlinear (more: something is quadratic).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { createElement } from 'react';
import { lookupModel, SHIPPED_CATALOG } from '../src/catalog/index.js';
import { loadConfig, resolveProvider, type ProviderInfo } from '../src/config/index.js';
import { buildResponsesBody, createModelClient, type ResponseItem, type TurnRequest } from '../src/providers/index.js';
import { openRollout } from '../src/sessions/index.js';
import { uuidv7 } from '../src/shared/index.js';
import { UiController } from '../src/ui/controller.js';
import { createStyle } from '../src/ui/style.js';
import { responsesEvents } from '../test/support/scripted-server.js';
import { median, table } from './util.js';

for (const k of ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'GITHUB_ACTIONS']) delete process.env[k];
const { App } = await import('../src/ui/components/App.js');
const { render } = await import('ink');

const SIZES = [100, 1_000, 10_000];
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

/** A history of `n` items, four to a turn: prompt, shell call, its output, answer (every other turn a reasoning item too). */
function history(n: number): ResponseItem[] {
  const items: ResponseItem[] = [];
  for (let t = 0; items.length < n; t++) {
    items.push({ type: 'message', role: 'user', content: [{ type: 'input_text', text: `step ${t}: look at src/module${t}.ts and fix the failing test` }] });
    if (t % 2 === 0) items.push({ type: 'reasoning', summary: [{ type: 'summary_text', text: `Reading module ${t} first.` }], encrypted_content: 'gAAAA'.repeat(20) });
    items.push({ type: 'function_call', call_id: `call_${t}`, name: 'shell_command', arguments: JSON.stringify({ command: `sed -n 1,40p src/module${t}.ts` }) });
    items.push({ type: 'function_call_output', call_id: `call_${t}`, output: `Exit code: 0\nWall time: 0.01 seconds\nOutput:\n${`export const value${t} = ${t};\n`.repeat(14)}` });
    items.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `Module ${t} exports value${t}; the test expected value${t + 1}. Fixed.` }] });
  }
  return items.slice(0, n);
}

// --- the server: takes the body without parsing it, answers "ok" ---
let received: { at: number; bytes: number } | undefined;
const sse = responsesEvents({ text: 'ok' }).join('');
const server = createServer((req, res) => {
  let bytes = 0;
  req.on('data', (c: Buffer) => (bytes += c.length));
  req.on('end', () => {
    received = { at: performance.now(), bytes };
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(sse);
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const home = mkdtempSync(join(tmpdir(), 'ocx-bench-growth-'));
writeFileSync(join(home, 'config.toml'), 'model = "gpt-5.4"\n');
const loaded = loadConfig({ home });
const model = lookupModel(SHIPPED_CATALOG, 'gpt-5.4');
const provider: ProviderInfo = {
  ...resolveProvider(loaded),
  id: 'bench',
  name: 'Bench',
  base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
  wire_api: 'responses',
  builtin: false,
  local: true,
  env_key: 'BENCH_KEY',
};
const client = createModelClient(provider, { env: { BENCH_KEY: 'k' }, home });
const tools = [{ type: 'function' as const, name: 'shell_command', description: 'Runs a shell command.', strict: false, parameters: { type: 'object', properties: { command: { type: 'string' } } } }];

/** One request with the history: [build ms, ms until the server has the body, ms until `completed`, body bytes]. */
async function requestOnce(input: ResponseItem[]): Promise<[number, number, number, number]> {
  const req: TurnRequest = { model, instructions: 'be brief', input, tools, threadId: 'bench-thread' };
  const b0 = performance.now();
  buildResponsesBody(req);
  const build = performance.now() - b0;
  received = undefined;
  const t0 = performance.now();
  for await (const ev of client.stream(req)) {
    if (ev.type === 'failed') throw ev.error;
    if (ev.type === 'completed') break;
  }
  const done = performance.now() - t0;
  if (!received) throw new Error('the server got no request');
  const got = received as { at: number; bytes: number };
  return [build, got.at - t0, done, got.bytes];
}

/** Records one turn into a rollout already holding `input`; ms. */
function rolloutTurn(input: ResponseItem[]): number {
  const id = uuidv7();
  const rec = openRollout(home, { id, timestamp: new Date().toISOString(), cwd: home, originator: 'opencodex_exec', cli_version: 'bench', source: 'exec', model_provider: 'bench', base_instructions: { text: 'be brief' } });
  for (const item of input) rec.item(item);
  rec.sync();
  const turn = history(5);
  const t0 = performance.now();
  rec.turnContext({ turn_id: 't', cwd: home, approval_policy: 'never', sandbox_policy: { type: 'read-only' }, model: 'gpt-5.4', model_provider: 'bench', summary: 'auto' });
  rec.event({ type: 'task_started', turn_id: 't', model_context_window: 272_000 });
  rec.event({ type: 'user_message', message: 'next step' });
  for (const item of turn) rec.item(item);
  rec.event({ type: 'agent_message', message: 'done' });
  rec.event({ type: 'task_complete', turn_id: 't', last_agent_message: 'done' });
  rec.sync();
  const ms = performance.now() - t0;
  rec.close();
  return ms;
}

class FakeTty extends Writable {
  isTTY = true;
  columns = 120;
  rows = 40;
  onWrite: (() => void) | null = null;
  override _write(_chunk: Buffer, _enc: string, done: () => void): void {
    const cb = this.onWrite;
    this.onWrite = null;
    cb?.();
    done();
  }
}
const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined, ref: () => undefined, unref: () => undefined }) as unknown as NodeJS.ReadStream;

/** A UI whose transcript shows `n` history entries; returns a function timing one delta → frame. */
async function uiWith(n: number): Promise<{ frame: () => Promise<number>; close: () => void }> {
  const controller = new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model, provider, cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style: createStyle(true),
    env: { PATH: process.env.PATH },
    onExit: () => undefined,
  });
  controller.resize(120, 40);
  controller.printAll(Array.from({ length: n }, (_, i) => `entry ${i}: ran \u001b[1msed -n 1,40p src/module${i}.ts\u001b[22m\n  └ exit 0, 14 lines`));
  const tty = new FakeTty();
  const app = render(createElement(App, { controller }), { stdout: tty as unknown as NodeJS.WriteStream, stdin, exitOnCtrlC: false, patchConsole: false });
  await new Promise((r) => setTimeout(r, 100));
  controller.applyEvent({ type: 'turn.started' });
  let i = 0;
  return {
    frame: async () => {
      // Past ink's 30 fps throttle window, so each delta is drawn on the leading edge.
      await new Promise((r) => setTimeout(r, 40));
      const drawn = new Promise<void>((r) => (tty.onWrite = r));
      const start = performance.now();
      controller.applyEvent({ type: 'agent_message.delta', delta: `word${i++} ` });
      controller.flush();
      await drawn;
      return performance.now() - start;
    },
    close: () => app.unmount(),
  };
}

interface Figures {
  build: number[];
  sent: number[];
  done: number[];
  bytes: number;
  rollout: number[];
  frame: number[];
}
const histories = new Map(SIZES.map((n) => [n, history(n)]));
const figures = new Map<number, Figures>(SIZES.map((n) => [n, { build: [], sent: [], done: [], bytes: 0, rollout: [], frame: [] }]));
for (const n of SIZES) await requestOnce(histories.get(n) as ResponseItem[]); // warm up each size once
for (let r = 0; r < RUNS; r++) {
  for (const n of SIZES) {
    const f = figures.get(n) as Figures;
    const [build, sent, done, bytes] = await requestOnce(histories.get(n) as ResponseItem[]);
    f.build.push(build);
    f.sent.push(sent);
    f.done.push(done);
    f.bytes = bytes;
    f.rollout.push(rolloutTurn(histories.get(n) as ResponseItem[]));
  }
}
for (const n of SIZES) {
  const ui = await uiWith(n);
  for (let r = 0; r < RUNS; r++) (figures.get(n) as Figures).frame.push(await ui.frame());
  ui.close();
  await new Promise((r) => setTimeout(r, 50));
}
server.close();

const m = (n: number, k: keyof Omit<Figures, 'bytes'>): number => median((figures.get(n) as Figures)[k]);
const ms = (v: number): string => (v < 1 ? v.toFixed(3) : v < 10 ? v.toFixed(2) : v.toFixed(1));
const columns: Array<[string, keyof Omit<Figures, 'bytes'>]> = [
  ['request build', 'build'],
  ['request sent (server has the body)', 'sent'],
  ['request round trip (completed)', 'done'],
  ['rollout append (one turn + fsync)', 'rollout'],
  ['UI delta → frame', 'frame'],
];
const [a, b, c] = SIZES as [number, number, number];
const perK = (k: keyof Omit<Figures, 'bytes'>, lo: number, hi: number): number => ((m(hi, k) - m(lo, k)) / (hi - lo)) * 1000;
/** From 1,000 to 10,000 items (10× the history): at most ~10× the time is linear (or better); far more is not. */
const verdict = (k: keyof Omit<Figures, 'bytes'>): string => {
  const factor = m(c, k) / Math.max(m(b, k), 1e-6);
  const size = c / b;
  if (factor <= 1.5) return `flat (×${factor.toFixed(1)} for ×${size} items)`;
  return factor <= size * 1.25 ? `linear (×${factor.toFixed(1)} for ×${size} items)` : `superlinear (×${factor.toFixed(1)} for ×${size} items)`;
};
process.stdout.write(
  `Per-turn overhead against history size (median of ${RUNS} runs each, sizes interleaved; request bodies ${SIZES.map((n) => `${(((figures.get(n) as Figures).bytes) / 1024).toFixed(0)} kB`).join(' / ')}; ` +
    `1-minute load average ${(loadavg()[0] ?? 0).toFixed(2)})\n\n`,
);
process.stdout.write(
  table(
    ['figure (ms)', ...SIZES.map((n) => `${n.toLocaleString('en-US')} items`), `per 1,000 items (${a}→${b})`, `per 1,000 items (${b}→${c})`, 'growth'],
    columns.map(([label, k]) => [label, ...SIZES.map((n) => ms(m(n, k))), ms(perK(k, a, b)), ms(perK(k, b, c)), verdict(k)]),
  ),
);
process.exit(0);
