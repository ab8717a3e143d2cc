#!/usr/bin/env node
// Regenerates test/fixtures/codex-0.171/: a Codex home written by the real Codex CLI 0.171.0 (see SOURCE.md there).
//
//   node scripts/codex-fixtures.mjs [--codex DIR] [--out DIR]
//
// It installs npm `@openai/codex@0.171.0` into DIR (default $TMPDIR/opencodex-codex-0.171; skipped when it is
// already there), starts a local server speaking the Responses API (the SSE of test/support/scripted-server.ts),
// and runs the real `codex exec`, `codex exec resume` and `codex app-server` against it with CODEX_HOME set to a
// fresh home under /tmp/codex-0.171-fixture, through the scripted scenarios A–G below. It then copies what
// opencodex reads from that home (config, profile, rollouts, session index) and every request Codex sent (headers,
// and bodies with long texts digested: `requests.json`) into the output directory. The key is fake
// (`sk-fake-fixture-key`); nothing else is scrubbed. Needs the network only for the npm install; Linux x86_64
// only (it uses the linux-x64 binary for Codex's sandbox helper).
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';

const VERSION = '0.171.0';
const root = new URL('..', import.meta.url).pathname;
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
};
const prefix = arg('--codex', join(tmpdir(), `opencodex-codex-${VERSION.replace(/\.0$/, '')}`));
const out = arg('--out', join(root, 'test/fixtures/codex-0.171'));
/** A fixed place, so the paths inside the fixtures are the same every time they are generated. */
const base = '/tmp/codex-0.171-fixture';
const home = join(base, 'home');
const ws = join(base, 'ws');
const FAKE_KEY = 'sk-fake-fixture-key';
/** The prompt of the resume runs in step G (the e2e tests send the same one). */
const REPLAY_PROMPT = 'Continue from here.';
/** Texts longer than this are stored in requests.json as their length and SHA-256 (the base instructions, tool specs). */
const LONG = 600;

// 1. The real Codex.
const launcher = join(prefix, 'node_modules/@openai/codex/bin/codex.js');
if (!existsSync(launcher)) {
  mkdirSync(prefix, { recursive: true });
  execFileSync('npm', ['install', '--no-save', '--prefix', prefix, `@openai/codex@${VERSION}`], { stdio: 'inherit' });
}
const version = execFileSync(process.execPath, [launcher, '--version'], { encoding: 'utf8' }).trim();
if (version !== `codex-cli ${VERSION}`) throw new Error(`expected codex-cli ${VERSION}, got ${version}`);
const nativeDir = readdirSync(join(prefix, 'node_modules/@openai/codex-linux-x64/vendor'))[0];
const native = join(prefix, 'node_modules/@openai/codex-linux-x64/vendor', nativeDir, 'bin/codex');

// 2. The SSE renderer of the project's scripted server, bundled for plain Node.
const bundle = join(tmpdir(), `ocx-scripted-server-${process.pid}.mjs`);
await build({ entryPoints: [join(root, 'test/support/scripted-server.ts')], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'warning' });
const { responsesEvents } = await import(bundle);
rmSync(bundle);

// 3. A server that answers each POST /v1/responses with the next scripted turn and records every request.
const queue = [];
const requests = [];
let label = '';
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    requests.push({ label, method: req.method, path: req.url, headers: req.headers, body });
    if (req.method !== 'POST' || !req.url.endsWith('/responses')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'not_found_error' } }));
      return;
    }
    const next = queue.shift();
    if (next === undefined) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'fixture server: no reply queued', type: 'invalid_request_error' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const e of responsesEvents(next)) res.write(e);
    res.end();
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/v1`;

// 4. A fresh home and workspace.
rmSync(base, { recursive: true, force: true });
mkdirSync(home, { recursive: true });
mkdirSync(join(base, 'userhome'));
mkdirSync(ws);
const git = (...a) => execFileSync('git', a, { cwd: ws, env: { ...process.env, GIT_AUTHOR_NAME: 'fixture', GIT_AUTHOR_EMAIL: 'fixture@example.com', GIT_COMMITTER_NAME: 'fixture', GIT_COMMITTER_EMAIL: 'fixture@example.com' } });
git('init', '-q', '-b', 'main');
writeFileSync(join(ws, 'README.md'), '# fixture workspace\n');
git('add', '.');
git('commit', '-q', '-m', 'initial');
// With bubblewrap installed, Codex's sandbox runs `codex-linux-sandbox` from PATH, an alias Codex refuses to make
// under /tmp (codex-observed.md, caveat 4): provide it.
const shim = join(base, 'bin');
mkdirSync(shim);
symlinkSync(native, join(shim, 'codex-linux-sandbox'));

writeFileSync(
  join(home, 'config.toml'),
  `# Written by scripts/codex-fixtures.mjs; every Codex ${VERSION} run below used it.
model_provider = "local"
model = "gpt-6.2-sol"

[model_providers.local]
name = "Local scripted server"
base_url = "${url}"
env_key = "FAKE_KEY"
wire_api = "responses"

[projects."${ws}"]
trust_level = "trusted"
`,
);
// A 0.171 profile is a file of its own, chosen with -p (codex-observed.md, "Profiles and precedence").
writeFileSync(join(home, 'fast.config.toml'), 'model = "gpt-5.5"\nmodel_reasoning_effort = "high"\n');

const env = {
  PATH: `${shim}:${process.env.PATH}`,
  HOME: join(base, 'userhome'),
  CODEX_HOME: home,
  FAKE_KEY,
  LANG: 'C.UTF-8',
  TZ: 'UTC',
};

function codex(args, { input, extraEnv = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [launcher, ...args], { cwd: ws, env: { ...env, ...extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      if (status !== 0) reject(new Error(`codex ${args.join(' ')} exited ${status}\n${stderr}\n${stdout}`));
      else resolve({ stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

const threadOf = (stdout) => JSON.parse(stdout.split('\n').find((l) => l.includes('"thread.started"'))).thread_id;

async function run(name, replies, args, options) {
  label = name;
  queue.push(...replies);
  const r = await codex(args, options);
  if (queue.length > 0) throw new Error(`${name}: ${queue.length} scripted replies left unused\n${r.stderr}`);
  process.stderr.write(`${name}: ok\n`);
  return r;
}

const usage = (input, output = 20, reasoning = 8, cached = 0) => ({ input, output, reasoning, cached });

// SCENARIOS (each checks that Codex asked for exactly the scripted answers)
// A. The default model (gpt-6.2-sol, code mode: tools reach the model as an `additional_tools` item and it
//    calls them from JavaScript through the freeform `exec` tool), reasoning with encrypted content, a
//    command run from code mode, then `exec resume`.
const a = await run(
  'code-mode',
  [
    {
      reasoningSummary: ['Listing the workspace first.'],
      encryptedReasoning: 'gAAAAenc-code-mode-1',
      toolCalls: [{ kind: 'custom', name: 'exec', callId: 'call_exec_1', input: 'const r = await tools.exec_command({ cmd: "ls" });\ntext(r);' }],
      usage: usage(9000, 40, 16),
      responseId: 'resp_a1',
    },
    { reasoningSummary: ['The listing shows one file.'], encryptedReasoning: 'gAAAAenc-code-mode-2', text: 'The workspace holds README.md.', usage: usage(9400, 12, 4, 8960), responseId: 'resp_a2' },
  ],
  ['exec', '--json', 'What files are in this workspace?'],
);
const threadA = threadOf(a.stdout);
await run(
  'code-mode-resume',
  [{ encryptedReasoning: 'gAAAAenc-code-mode-3', text: 'It is a one-line Markdown title.', usage: usage(9700, 10, 0, 9300), responseId: 'resp_a3' }],
  ['exec', '--json', 'resume', threadA, 'What does README.md say?'],
);

// B. A profile (-p fast: gpt-5.5 with high effort, tools sent as `tools`): unified exec `exec_command`, a freeform
//    apply_patch, a hosted web search, then a second turn by `exec resume --last`.
const b = await run(
  'classic',
  [
    {
      reasoningSummary: ['Reading the README before editing.'],
      encryptedReasoning: 'gAAAAenc-classic-1',
      toolCalls: [{ name: 'exec_command', callId: 'call_cmd_1', arguments: { cmd: 'cat README.md', yield_time_ms: 1000 } }],
      usage: usage(12000, 30, 20),
      responseId: 'resp_b1',
    },
    {
      encryptedReasoning: 'gAAAAenc-classic-2',
      toolCalls: [{ kind: 'custom', name: 'apply_patch', callId: 'call_patch_1', input: '*** Begin Patch\n*** Add File: hello.txt\n+hello from codex\n*** End Patch\n' }],
      usage: usage(12300, 40, 10, 11900),
      responseId: 'resp_b2',
    },
    {
      webSearches: [{ id: 'ws_b3', action: { type: 'search', query: 'codex rollout format' } }],
      text: 'Added hello.txt.',
      usage: usage(12600, 15, 0, 12200),
      responseId: 'resp_b3',
    },
  ],
  ['exec', '--json', '-p', 'fast', 'Add hello.txt saying hello'],
);
const threadB = threadOf(b.stdout);
await run(
  'classic-resume',
  [
    { toolCalls: [{ name: 'exec_command', callId: 'call_cmd_2', arguments: { cmd: 'cat hello.txt' } }], encryptedReasoning: 'gAAAAenc-classic-3', usage: usage(12900, 20, 6, 12500), responseId: 'resp_b4' },
    { text: 'hello.txt says "hello from codex".', usage: usage(13100, 12, 0, 12800), responseId: 'resp_b5' },
  ],
  ['exec', '--json', '-p', 'fast', 'resume', '--last', 'Show me hello.txt'],
);

// C. Compaction: a low `model_auto_compact_token_limit` and a first turn that reports more tokens than that, so
//    the resumed turn compacts the history before it starts.
const c = await run(
  'compaction',
  [{ encryptedReasoning: 'gAAAAenc-compact-1', text: 'Noted: the build uses esbuild.', usage: usage(30000, 20, 10), responseId: 'resp_c1' }],
  ['exec', '--json', '-c', 'model_auto_compact_token_limit=20000', 'Remember that the build uses esbuild.'],
);
const threadC = threadOf(c.stdout);
await run(
  'compaction-resume',
  [
    { text: 'SUMMARY: the user told us the build uses esbuild.', usage: usage(30100, 30, 0), responseId: 'resp_c2' },
    { text: 'It uses esbuild.', usage: usage(600, 8, 0), responseId: 'resp_c3' },
  ],
  ['exec', '--json', '-c', 'model_auto_compact_token_limit=20000', 'resume', threadC, 'What does the build use?'],
);

// D. The app server (what the IDE extension and the terminal UI drive): name thread B, fork thread A (Codex
//    writes a fork that refers to its source's records), continue the fork and name it.
async function appServer(steps) {
  const child = spawn(process.execPath, [launcher, 'app-server'], { cwd: ws, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const waiting = new Map();
  const notes = [];
  let noteWaiter;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const msg = JSON.parse(line);
    if (msg.id !== undefined && waiting.has(msg.id)) {
      waiting.get(msg.id)(msg);
      waiting.delete(msg.id);
    } else if (msg.id !== undefined && msg.method) {
      child.stdin.write(JSON.stringify({ id: msg.id, error: { code: -32601, message: 'not supported by the fixture client' } }) + '\n');
    } else {
      notes.push(msg);
      noteWaiter?.();
    }
  });
  let nextId = 1;
  const call = (method, params) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (msg) => (msg.error ? reject(new Error(`${method}: ${JSON.stringify(msg.error)}\n${stderr}`)) : resolve(msg.result)));
      child.stdin.write(JSON.stringify({ id, method, params }) + '\n');
    });
  const notify = (method, params) => child.stdin.write(JSON.stringify(params ? { method, params } : { method }) + '\n');
  const until = (method) =>
    new Promise((resolve) => {
      const check = () => {
        const i = notes.findIndex((n) => n.method === method);
        if (i === -1) return;
        noteWaiter = undefined;
        resolve(notes.splice(0, i + 1).at(-1));
      };
      noteWaiter = check;
      check();
    });
  await call('initialize', { clientInfo: { name: 'opencodex_fixtures', version: '1' } });
  notify('initialized');
  try {
    return await steps({ call, until, notes });
  } finally {
    child.stdin.end();
    child.kill();
  }
}

label = 'app-server';
const forked = await appServer(async ({ call, until }) => {
  await call('thread/name/set', { threadId: threadB, name: 'hello-file' });
  const fork = await call('thread/fork', { threadId: threadA });
  const id = fork.thread.id;
  queue.push({ encryptedReasoning: 'gAAAAenc-fork-1', text: 'Forked: README.md is the only file.', usage: usage(9900, 10, 0, 9500), responseId: 'resp_d1' });
  await call('turn/start', { threadId: id, input: [{ type: 'text', text: 'Summarize what you found.', text_elements: [] }] });
  await until('turn/completed');
  await call('thread/name/set', { threadId: id, name: 'forked-listing' });
  return id;
});
if (queue.length > 0) throw new Error('app-server: the fork did not ask for its turn');
process.stderr.write('app-server: ok\n');

// E. A rollback: a thread started by the app server, two turns, then `thread/revert` to before the second (Codex
//    continues the thread in a new segment file whose history_base keeps the first turn).
label = 'rollback';
const threadE = await appServer(async ({ call, until }) => {
  const started = await call('thread/start', { cwd: ws, model: 'gpt-5.5' });
  const id = started.thread.id;
  queue.push({ encryptedReasoning: 'gAAAAenc-rollback-1', text: 'Plan: add a CHANGELOG.', usage: usage(11000, 10, 4), responseId: 'resp_e1' });
  await call('turn/start', { threadId: id, input: [{ type: 'text', text: 'Propose a plan.', text_elements: [] }] });
  await until('turn/completed');
  queue.push({ text: 'Plan B: rewrite everything.', usage: usage(11200, 10, 0, 10900), responseId: 'resp_e2' });
  const second = await call('turn/start', { threadId: id, input: [{ type: 'text', text: 'A bolder plan, please.', text_elements: [] }] });
  await until('turn/completed');
  await call('thread/revert', { threadId: id, beforeTurnId: second.turn.id });
  return id;
});
if (queue.length > 0) throw new Error('rollback: a turn did not ask for its answer');
process.stderr.write('rollback: ok\n');

// F. As the Codex SDK runs it: `exec --experimental-json`, the prompt on stdin, the SDK's originator override.
const f = await run('sdk', [{ text: 'Hi from the SDK path.', usage: usage(9000, 6, 0), responseId: 'resp_f1' }], ['exec', '--experimental-json', '--skip-git-repo-check'], {
  input: 'Say hi.',
  extraEnv: { CODEX_INTERNAL_ORIGINATOR_OVERRIDE: 'codex_sdk_ts', CODEX_API_KEY: FAKE_KEY },
});
const threadF = threadOf(f.stdout);

// G. What Codex itself sends when it resumes each of these threads, each from a copy of the home made at the
//    same path (so nothing in the context changes and the fixtures keep their state), one scripted answer each,
//    with the model the thread last used (Codex resumes with the configured model otherwise, and says so).
const threads = [
  [threadA, []],
  [threadB, ['-p', 'fast']],
  [threadC, []],
  [forked, []],
  [threadE, ['-m', 'gpt-5.5']],
  [threadF, []],
];
const kept = join(base, 'home.kept');
renameSync(home, kept);
for (const [id, options] of threads) {
  rmSync(home, { recursive: true, force: true });
  cpSync(kept, home, { recursive: true });
  label = `resume:${id}`;
  queue.push({ text: 'Replayed.', usage: usage(100, 2, 0), responseId: 'resp_replay' });
  await codex(['exec', '--json', ...options, 'resume', id, REPLAY_PROMPT]);
}
rmSync(home, { recursive: true, force: true });
renameSync(kept, home);
server.close();

// 5. The fixtures: what opencodex reads from a Codex home, and the requests.
// SOURCE.md beside them is written by hand: only what this script writes is replaced.
for (const name of ['home', 'requests.json', 'threads.json']) rmSync(join(out, name), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const fixtureHome = join(out, 'home');
for (const name of ['config.toml', 'fast.config.toml', 'session_index.jsonl', 'history.jsonl', 'sessions']) {
  if (existsSync(join(home, name))) cpSync(join(home, name), join(fixtureHome, name), { recursive: true });
}
writeFileSync(join(out, 'requests.json'), `${JSON.stringify(requests.map(sanitize), null, 1)}\n`);
writeFileSync(
  join(out, 'threads.json'),
  `${JSON.stringify({ codexVersion: VERSION, generated: new Date().toISOString(), workspace: ws, replayPrompt: REPLAY_PROMPT, threads: { codeMode: threadA, classic: threadB, compaction: threadC, fork: forked, rollback: threadE, sdk: threadF } }, null, 1)}\n`,
);
process.stderr.write(`wrote ${relative(process.cwd(), out)}\n`);

/** A recorded request as stored: the headers Codex sent (the host's port left out) and the body with long texts digested. */
function sanitize(r) {
  const { host: _host, 'content-length': _length, ...headers } = r.headers;
  return { label: r.label, method: r.method, path: r.path, headers, body: digestLong(r.body) };
}

function digestLong(value) {
  if (typeof value === 'string') return value.length > LONG ? digest(value) : value;
  if (Array.isArray(value)) return value.map(digestLong);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, digestLong(v)]));
  return value;
}

/** How a long text is stored (test/sessions/codex-fixtures.test.ts digests what opencodex sends the same way). */
function digest(text) {
  return `[${text.length} chars, sha256 ${createHash('sha256').update(text).digest('hex').slice(0, 16)}]`;
}
