/**
 * Resuming a large session: a synthetic 100 MB rollout (many turns of shell calls with multi-kilobyte
 * outputs, reasoning, messages and the events Codex records), then `opencodex exec --json resume <id>`
 * against a local Responses server. Reports the time from spawning the process until the next request reaches
 * the server, and the process's peak RSS. Two shapes: with compactions (what a long session looks like,
 * the history sent stays small) and without (the whole file's items are replayed).
 * Targets on a 2-core machine: ≤ 1.5 s and ≤ 400 MB (pi needs ~10 s for 128 MB).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rolloutPath } from '../src/sessions/index.js';
import { uuidv7 } from '../src/shared/index.js';
import { responsesEvents } from '../test/support/scripted-server.js';
import { median, table } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_BYTES = Number(process.env.BENCH_ROLLOUT_MB ?? 100) * 1024 * 1024;
const cli = join(process.cwd(), 'dist', 'opencodex.js');

/**
 * A minimal Responses server that notes when a request starts arriving (its headers) and when its body
 * is complete, without parsing the body (the scripted server's JSON.parse of a large body would be timed too).
 */
let arrival: { start: number; end: number; bytes: number } | undefined;
const server = createServer((req, res) => {
  const start = performance.now();
  let bytes = 0;
  req.on('data', (c: Buffer) => (bytes += c.length));
  req.on('end', () => {
    arrival = { start, end: performance.now(), bytes };
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const e of responsesEvents({ text: 'done' })) res.write(e);
    res.end();
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
const home = mkdtempSync(join(tmpdir(), 'ocx-bench-sessions-'));
writeFileSync(
  join(home, 'config.toml'),
  `model_provider = "mock"\nmodel = "gpt-5.4"\n[history]\npersistence = "none"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${url}"\nenv_key = "MOCK_KEY"\n`,
);
const cwd = mkdtempSync(join(tmpdir(), 'ocx-bench-ws-'));
mkdirSync(join(cwd, '.git'));

/** Pseudo-random printable text (deterministic), like command output. */
function output(n: number, seed: number): string {
  const words = ['src/', 'index.ts', 'export', 'function', 'const', 'return', 'import', '{', '}', 'test', 'ok', 'passed', '\n'];
  let s = '';
  let x = seed;
  while (s.length < n) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += `${words[x % words.length]} `;
  }
  return s;
}

/** Writes a rollout of about TARGET_BYTES; `compactEvery` turns a `compacted` record replaces the history. */
function synthesize(compactEvery: number | null): { id: string; path: string; bytes: number; turns: number } {
  const id = uuidv7();
  const path = rolloutPath(home, id);
  mkdirSync(join(path, '..'), { recursive: true });
  const fd = openSync(path, 'w');
  const ts = new Date().toISOString();
  const rec = (type: string, payload: unknown): string => `${JSON.stringify({ timestamp: ts, type, payload })}\n`;
  let bytes = 0;
  const put = (s: string): void => {
    writeSync(fd, s);
    bytes += Buffer.byteLength(s);
  };
  put(rec('session_meta', { id, timestamp: ts, cwd, originator: 'opencodex_exec', cli_version: 'bench', source: 'exec', model_provider: 'mock', base_instructions: { text: output(12_000, 1) } }));
  const initial = [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: output(2000, 2) }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: `<environment_context>\n  <cwd>${cwd}</cwd>\n</environment_context>` }] },
  ];
  for (const item of initial) put(rec('response_item', item));
  let turns = 0;
  let sinceCompact: unknown[] = [];
  let total = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };
  while (bytes < TARGET_BYTES) {
    const t = turns++;
    const turnId = `turn-${t}`;
    put(rec('event_msg', { type: 'task_started', turn_id: turnId, model_context_window: 272000 }));
    put(rec('turn_context', { turn_id: turnId, cwd, approval_policy: 'never', sandbox_policy: { type: 'read-only' }, model: 'gpt-5.4', model_provider: 'mock', summary: 'auto' }));
    const user = { type: 'message', role: 'user', content: [{ type: 'input_text', text: `step ${t}: ${output(300, t)}` }] };
    put(rec('response_item', user));
    put(rec('event_msg', { type: 'user_message', message: user.content[0]?.text }));
    const items: unknown[] = [user];
    for (let c = 0; c < 4; c++) {
      const reasoning = { type: 'reasoning', summary: [{ type: 'summary_text', text: output(200, t * 7 + c) }], encrypted_content: Buffer.from(output(1500, t + c)).toString('base64') };
      const call = { type: 'function_call', call_id: `call_${t}_${c}`, name: 'shell_command', arguments: JSON.stringify({ command: `rg -n pattern src/${t}/${c}` }) };
      const out = { type: 'function_call_output', call_id: `call_${t}_${c}`, output: `Exit code: 0\nWall time: 0.1 seconds\nOutput:\n${output(6000, t * 13 + c)}` };
      for (const item of [reasoning, call, out]) put(rec('response_item', item));
      put(rec('event_msg', { type: 'agent_reasoning', text: reasoning.summary[0]?.text }));
      const last = { input_tokens: 30000, cached_input_tokens: 25000, output_tokens: 300, reasoning_output_tokens: 100, total_tokens: 30300 };
      total = { input_tokens: total.input_tokens + 30000, cached_input_tokens: total.cached_input_tokens + 25000, output_tokens: total.output_tokens + 300, reasoning_output_tokens: total.reasoning_output_tokens + 100, total_tokens: total.total_tokens + 30300 };
      put(rec('event_msg', { type: 'token_count', info: { total_token_usage: total, last_token_usage: last, model_context_window: 272000 }, rate_limits: null }));
      items.push(reasoning, call, out);
    }
    const answer = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: output(800, t) }] };
    put(rec('response_item', answer));
    put(rec('event_msg', { type: 'agent_message', message: answer.content[0]?.text }));
    put(rec('event_msg', { type: 'task_complete', turn_id: turnId, last_agent_message: answer.content[0]?.text }));
    items.push(answer);
    sinceCompact.push(...items);
    if (compactEvery !== null && turns % compactEvery === 0) {
      const summary = { type: 'message', role: 'user', content: [{ type: 'input_text', text: `summary of turns so far: ${output(4000, t)}` }] };
      put(rec('compacted', { message: '', replacement_history: [...initial, summary] }));
      sinceCompact = [];
    }
  }
  closeSync(fd);
  return { id, path, bytes: statSync(path).size, turns };
}

/** Spawns `exec resume`; returns ms until the request reached the server, and peak RSS (MB, VmHWM). */
function resumeOnce(id: string): Promise<{ ms: number; sentMs: number; rssMb: number; requestBytes: number }> {
  arrival = undefined;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'exec', '--json', '--ephemeral', 'resume', id, 'next step'], {
      cwd,
      env: { ...process.env, OPENCODEX_HOME: home, HOME: home, MOCK_KEY: 'k' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let hwm = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch {
        // exited
      }
    }, 5);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const req = arrival;
      if (code !== 0 || !req) return reject(new Error(`resume failed (${code}): ${err}${out.slice(0, 500)}`));
      resolve({ ms: req.start - t0, sentMs: req.end - t0, rssMb: hwm / 1024, requestBytes: req.bytes });
    });
  });
}

// Reading from disk is not what is measured: warm the page cache once per file.
const rows: string[][] = [];
for (const [label, every] of [
  ['with compactions (every 20 turns)', 20],
  ['no compaction (every item replayed)', null],
] as const) {
  const s = synthesize(every);
  readFileSync(s.path);
  const times: number[] = [];
  const sent: number[] = [];
  const rss: number[] = [];
  let requestBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await resumeOnce(s.id);
    times.push(r.ms);
    sent.push(r.sentMs);
    rss.push(r.rssMb);
    requestBytes = r.requestBytes;
  }
  rows.push([
    label,
    `${(s.bytes / 1024 / 1024).toFixed(0)} MB, ${s.turns} turns`,
    `${(requestBytes / 1024 / 1024).toFixed(1)} MB`,
    `${(median(times) / 1000).toFixed(2)} s`,
    `${(median(sent) / 1000).toFixed(2)} s`,
    `${Math.max(...rss).toFixed(0)} MB`,
  ]);
}
await new Promise((r) => server.close(r));
if (!existsSync(cli)) throw new Error('build first');

process.stdout.write(
  `Resume a synthetic rollout with \`exec --json resume\` until the next request reaches the server (median of ${RUNS}; wall time from spawn; peak RSS of the whole run by polling /proc VmHWM)\n\n`,
);
process.stdout.write(table(['rollout', 'size', 'request body', 'request starts arriving', 'request fully received', 'peak RSS'], rows));
process.stdout.write('\nTargets: ≤ 1.5 s and ≤ 400 MB for 100 MB (pi: ~10 s for 128 MB).\n');
