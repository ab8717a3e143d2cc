/**
 * Keystroke-to-render latency of the interactive UI at the end of a long session: the history holds
 * 10,000 printed lines, then one streamed delta of the answer arrives; we time from the event to the
 * frame written to the terminal (a fake TTY). Target: well under one 30 fps frame (33 ms). Then keys
 * typed into the fake terminal's stdin, to the frame written (target: 16 ms).
 * Then resuming a 10,000-entry thread: from reading its rollout to the first frame written, as the UI
 * does it (the last 200 entries shown) and, for comparison, with every entry shown.
 */
import { PassThrough, Writable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { lookupModel, SHIPPED_CATALOG } from '../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../src/config/index.js';
import { openRollout, prepareResume } from '../src/sessions/index.js';
import { uuidv7 } from '../src/shared/index.js';
import { resumeSession } from '../src/ui/commands.js';
import { UiController } from '../src/ui/controller.js';
import { replayEntries } from '../src/ui/replay.js';
import { createStyle } from '../src/ui/style.js';
import { median, table } from './util.js';

// ink writes only the static part when it thinks it runs in CI; a user's terminal is not CI.
for (const k of ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'GITHUB_ACTIONS']) delete process.env[k];
const { App } = await import('../src/ui/components/App.js');
const { render } = await import('ink');

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const LINES = 10_000;

class FakeTty extends Writable {
  isTTY = true;
  columns = 120;
  rows = 40;
  bytes = 0;
  onWrite: (() => void) | null = null;
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.bytes += chunk.length;
    const cb = this.onWrite;
    this.onWrite = null;
    cb?.();
    done();
  }
}

const home = mkdtempSync(join(tmpdir(), 'ocx-bench-ui-'));
writeFileSync(join(home, 'config.toml'), 'model = "gpt-5.4"\n');
const loaded = loadConfig({ home });
const controller = new UiController({
  settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
  style: createStyle(true),
  env: { PATH: process.env.PATH },
  onExit: () => undefined,
});
controller.resize(120, 40);
const entries: string[] = [];
for (let i = 0; i < LINES / 5; i++) entries.push(`line ${i}.1 of an earlier answer\nline ${i}.2 with \u001b[1mbold\u001b[22m text\nline ${i}.3\nline ${i}.4\nline ${i}.5`);
controller.printAll(entries);

const stdout = new FakeTty();
// A terminal's stdin (put in raw mode for the prompt); the typing figures write keys to it.
const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined, ref: () => undefined, unref: () => undefined }) as unknown as NodeJS.ReadStream;
const t0 = performance.now();
const app = render(createElement(App, { controller }), { stdout: stdout as unknown as NodeJS.WriteStream, stdin, exitOnCtrlC: false, patchConsole: false });
await new Promise((r) => setTimeout(r, 200));
const firstPaint = performance.now() - t0;

controller.applyEvent({ type: "turn.started" });
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  // Past ink's 30 fps throttle window, so each delta is drawn on the leading edge as a keystroke would be.
  await new Promise((r) => setTimeout(r, 40));
  const drawn = new Promise<void>((r) => (stdout.onWrite = r));
  const start = performance.now();
  controller.applyEvent({ type: 'agent_message.delta', delta: `word${i} ` });
  controller.flush();
  await drawn;
  times.push(performance.now() - start);
}

// Typing at the end of the same session: a key written to the terminal's stdin, read and parsed
// (input/), handled, and the frame written. Every other key is a Backspace, so the prompt stays short.
const keyTimes: number[] = [];
for (let i = 0; i < RUNS * 2; i++) {
  await new Promise((r) => setTimeout(r, 40));
  const drawn = new Promise<void>((r) => (stdout.onWrite = r));
  const start = performance.now();
  stdin.write(i % 2 === 0 ? 'x' : '\x7f');
  await drawn;
  keyTimes.push(performance.now() - start);
}
app.unmount();

// --- resuming a 10,000-entry thread (3 entries a turn: the prompt, a command, the answer) ---
const TURNS = Math.ceil(LINES / 3);
const rec = openRollout(home, {
  id: uuidv7(),
  timestamp: new Date().toISOString(),
  cwd: home,
  originator: 'opencodex_cli',
  cli_version: 'bench',
  source: 'cli',
  model_provider: 'openai',
  base_instructions: { text: 'be brief' },
});
for (let i = 0; i < TURNS; i++) {
  rec.item({ type: 'message', role: 'user', content: [{ type: 'input_text', text: `question ${i}: what does the function on line ${i} do?` }] });
  rec.item({ type: 'function_call', name: 'shell', call_id: `c${i}`, arguments: JSON.stringify({ command: ['bash', '-lc', `sed -n ${i},${i + 20}p src/main.ts`] }) });
  rec.item({ type: 'function_call_output', call_id: `c${i}`, output: `Exit code: 0\nOutput:\nline ${i}\n` });
  rec.item({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `It **parses** the \`argv\` of call ${i}:\n\n- one\n- two\n` }] });
}
rec.close();

/** Resumes the thread in a fresh controller and screen; ms until the first frame is written. */
async function resumePaint(all: boolean): Promise<number> {
  const c = new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style: createStyle(true),
    env: { PATH: process.env.PATH },
    onExit: () => undefined,
  });
  c.resize(120, 40);
  const tty = new FakeTty();
  const drawn = new Promise<void>((r) => (tty.onWrite = r));
  const start = performance.now();
  if (all) {
    const s = c.settings;
    const prepared = prepareResume({ path: rec.path, loaded: s.loaded, catalog: s.catalog, model: s.model, provider: s.provider });
    c.resumeFrom(prepared, replayEntries(prepared.history, c.style));
  } else {
    resumeSession(c, rec.path);
  }
  const screen = render(createElement(App, { controller: c }), { stdout: tty as unknown as NodeJS.WriteStream, stdin, exitOnCtrlC: false, patchConsole: false });
  await drawn;
  const ms = performance.now() - start;
  screen.unmount();
  await new Promise((r) => setTimeout(r, 50));
  return ms;
}
const RESUME_RUNS = 5;
const resumeShown: number[] = [];
const resumeAll: number[] = [];
for (let i = 0; i < RESUME_RUNS; i++) {
  resumeShown.push(await resumePaint(false));
  resumeAll.push(await resumePaint(true));
}

const sorted = [...times].sort((a, b) => a - b);
const keysSorted = [...keyTimes].sort((a, b) => a - b);
process.stdout.write(`one streamed delta at the end of a ${LINES.toLocaleString('en-US')}-line session (${RUNS} runs, fake 120×40 TTY)\n\n`);
process.stdout.write(
  table(
    ['figure', 'value', 'target'],
    [
      ['delta → frame written (median)', `${median(times).toFixed(2)} ms`, '< 33 ms (one 30 fps frame)'],
      ['delta → frame written (p95)', `${(sorted[Math.floor(sorted.length * 0.95)] ?? 0).toFixed(2)} ms`, ''],
      ['key typed (stdin) → frame written (median)', `${median(keyTimes).toFixed(2)} ms`, '< 16 ms'],
      ['key typed (stdin) → frame written (p95)', `${(keysSorted[Math.floor(keysSorted.length * 0.95)] ?? 0).toFixed(2)} ms`, '< 16 ms'],
      ['first paint of the 10,000 lines', `${firstPaint.toFixed(0)} ms`, ''],
      [`resume a ${(TURNS * 3).toLocaleString('en-US')}-entry thread → first paint (last 200 shown, median of ${RESUME_RUNS})`, `${median(resumeShown).toFixed(0)} ms`, ''],
      [`resume the same thread → first paint, every entry shown (for comparison)`, `${median(resumeAll).toFixed(0)} ms`, ''],
    ],
  ),
);
process.exit(0);
