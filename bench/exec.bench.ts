/**
 * A full two-turn `exec --json` run against the scripted server, opencodex side by side with the real Codex
 * CLI 0.171 (npm `@openai/codex@0.171.0`, installed into `.bench/codex-0.171/` on first use; its native
 * binary is run directly, as a user's `codex` ends up doing after the npm launcher).
 *
 * Both get the same work: model `gpt-5.5` (a unified-exec model in both catalogs), whose first reply calls
 * `exec_command {"cmd":"echo hello"}`; each CLI runs it under its own sandbox (read-only: opencodex through
 * bubblewrap, Codex through codex-linux-sandbox, which is bubblewrap plus seccomp) and sends the output back;
 * the second reply is the final message "done". The scripted server refuses a request that does not offer
 * `exec_command`, so the two cannot drift apart unnoticed. Each CLI has its own persistent home under
 * `.bench/` (not /tmp, where Codex refuses to make its sandbox helper), warmed by two unmeasured runs.
 *
 * Runs are interleaved (the order alternates each round), so machine noise hits both alike. Reported: median,
 * min and max wall time from spawn to exit, CPU time (user + system, children included: less sensitive to a
 * busy machine than wall time), the time from spawn until the first request reaches the server,
 * peak RSS (GNU time's maximum resident set size, else polling /proc VmHWM), the first request's size, and the
 * ratios. If Codex cannot be installed (offline), opencodex is reported alone and the bench says why.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamic, startScriptedServer, turn, type RecordedRequest, type Reply } from '../test/support/scripted-server.js';
import { median, table } from './util.js';

const RUNS = Math.max(7, Number(process.env.BENCH_RUNS ?? 11));
const CODEX_VERSION = '0.171.0';
const MODEL = 'gpt-5.5';
const root = process.cwd();
const cli = join(root, 'dist', 'opencodex.js');
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const benchDir = join(root, '.bench');

/** The Codex native binary, installing the npm package first when needed; or why there is none. */
function findCodex(): { bin: string } | { missing: string } {
  const prefix = process.env.BENCH_CODEX_DIR ?? join(benchDir, `codex-${CODEX_VERSION.replace(/\.0$/, '')}`);
  const pkg = join(prefix, 'node_modules/@openai/codex/package.json');
  const installed = (): boolean => existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version === CODEX_VERSION;
  if (!installed()) {
    try {
      mkdirSync(prefix, { recursive: true });
      execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `@openai/codex@${CODEX_VERSION}`], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
    } catch (err) {
      const lines = String((err as { stderr?: Buffer }).stderr ?? '').split('\n').filter((l) => /^npm (error|ERR!)/.test(l) && !/log of this run/.test(l));
      const why = lines.slice(0, 2).map((l) => l.replace(/^npm (error|ERR!)\s*/, '')).join('; ');
      return { missing: `npm install @openai/codex@${CODEX_VERSION} failed (${why || (err as Error).message})` };
    }
    if (!installed()) return { missing: `npm install @openai/codex@${CODEX_VERSION} left no package in ${prefix}` };
  }
  const scope = join(prefix, 'node_modules/@openai');
  for (const dir of readdirSync(scope).filter((d) => d.startsWith('codex-'))) {
    const vendor = join(scope, dir, 'vendor');
    if (!existsSync(vendor)) continue;
    for (const triple of readdirSync(vendor)) {
      const bin = join(vendor, triple, 'bin', 'codex');
      if (existsSync(bin)) return { bin };
    }
  }
  return { missing: `no native Codex binary for ${process.platform}-${process.arch} in ${scope}` };
}

const codex = findCodex();
const server = await startScriptedServer();
const providerToml = (key: string) =>
  `model_provider = "bench"\nmodel = "${MODEL}"\n[model_providers.bench]\nname = "Bench"\nbase_url = "${server.url}"\nenv_key = "${key}"\nwire_api = "responses"\n`;

// Homes: fresh for each bench run, persistent across its runs (like a user's), outside /tmp.
const homes = join(benchDir, 'exec-homes');
rmSync(homes, { recursive: true, force: true });
const ocxHome = join(homes, 'opencodex');
const codexHome = join(homes, 'codex');
const userHome = join(homes, 'user');
for (const d of [ocxHome, codexHome, userHome]) mkdirSync(d, { recursive: true });
writeFileSync(join(ocxHome, 'config.toml'), providerToml('BENCH_KEY'));
writeFileSync(join(codexHome, 'config.toml'), providerToml('BENCH_KEY'));

// A git workspace with one commit (Codex reads the repository's state; opencodex only checks that it is one).
const cwd = mkdtempSync(join(tmpdir(), 'ocx-bench-ws-'));
try {
  const git = (...a: string[]) => execFileSync('git', a, { cwd, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' } });
  git('init', '-q');
  writeFileSync(join(cwd, 'README.md'), '# bench\n');
  git('add', '.');
  git('commit', '-q', '-m', 'initial');
} catch {
  mkdirSync(join(cwd, '.git'), { recursive: true });
}

/** The two scripted replies: `exec_command echo hello` (only if the request offers it), then the answer. */
function script(): Reply[] {
  return [
    dynamic((req: RecordedRequest) => {
      const tools = ((req.body?.tools ?? []) as Array<{ name?: unknown }>).map((t) => t.name);
      if (!tools.includes('exec_command')) throw new Error(`the request offers no exec_command (tools: ${tools.join(', ')})`);
      return turn({ toolCalls: [{ name: 'exec_command', arguments: { cmd: 'echo hello' } }] });
    }),
    turn({ text: 'done' }),
  ];
}

interface Run {
  ms: number;
  /** User + system CPU time of the process and its children (GNU time), ms; NaN without it. */
  cpuMs: number;
  firstRequestMs: number;
  rssMb: number;
  firstRequestBytes: number;
}

type Cli = 'opencodex' | 'codex';

function once(which: Cli): Promise<Run> {
  server.reply(...script());
  const before = server.requests.length;
  const rssFile = join(homes, `rss-${which}.txt`);
  const [bin, args, env] =
    which === 'opencodex'
      ? [process.execPath, [cli, 'exec', '--json', 'say hi'], { OPENCODEX_HOME: ocxHome }]
      : [(codex as { bin: string }).bin, ['exec', '--json', 'say hi'], { CODEX_HOME: codexHome }];
  const [file, argv] = gnuTime ? [gnuTime, ['-f', '%M %U %S', '-o', rssFile, bin, ...args]] : [bin, args];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, {
      cwd,
      env: { PATH: process.env.PATH, HOME: userHome, LANG: 'C.UTF-8', BENCH_KEY: 'sk-bench', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let hwm = 0;
    const poll = gnuTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {
            // the process has exited
          }
        }, 2);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const ms = performance.now() - t0;
      const first = server.requests[before];
      const ok = code === 0 && out.includes('"turn.completed"') && out.includes('hello') && server.requests.length === before + 2;
      if (!ok || !first) return reject(new Error(`${which} exec failed (${code}): ${out}\n${err}`));
      const [kb, user, sys] = gnuTime ? (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number) : [hwm, NaN, NaN];
      resolve({ ms, cpuMs: ((user ?? NaN) + (sys ?? NaN)) * 1000, firstRequestMs: first.at - t0, rssMb: (kb ?? 0) / 1024, firstRequestBytes: Buffer.byteLength(first.rawBody) });
    });
  });
}

const clis: Cli[] = 'bin' in codex ? ['opencodex', 'codex'] : ['opencodex'];
const results = new Map<Cli, Run[]>(clis.map((c) => [c, []]));
const load0 = loadavg()[0] ?? 0;
// Warm the file cache and each home (opencodex writes its code cache at the end of its second run in a home).
for (let i = 0; i < 2; i++) for (const c of clis) await once(c);
for (let i = 0; i < RUNS; i++) {
  for (const c of i % 2 === 0 ? clis : [...clis].reverse()) results.get(c)?.push(await once(c));
}
const load1 = loadavg()[0] ?? 0;
await server.close();
rmSync(cwd, { recursive: true, force: true });

const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const figures = (c: Cli) => {
  const r = results.get(c) ?? [];
  const walls = r.map((x) => x.ms);
  return {
    wall: median(walls),
    min: Math.min(...walls),
    max: Math.max(...walls),
    first: median(r.map((x) => x.firstRequestMs)),
    cpu: median(r.map((x) => x.cpuMs)),
    rss: median(r.map((x) => x.rssMb)),
    rssMax: Math.max(...r.map((x) => x.rssMb)),
    bytes: r[0]?.firstRequestBytes ?? 0,
  };
};
const o = figures('opencodex');
const c = 'bin' in codex ? figures('codex') : null;
const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : '');
process.stdout.write(
  `${RUNS} interleaved runs each of a two-turn \`exec --json\` (model ${MODEL}: exec_command \`echo hello\` in a read-only sandbox, then the answer); ` +
    `1-minute load average ${load0.toFixed(2)} before, ${load1.toFixed(2)} after, ${cpus().length} CPUs` +
    `${gnuTime ? '' : ' (RSS by polling /proc)'}\n\n`,
);
if (!c) process.stdout.write(`Codex ${CODEX_VERSION} is not measured: ${(codex as { missing: string }).missing}\n\n`);
process.stdout.write(
  table(
    ['figure', 'opencodex', ...(c ? [`Codex ${CODEX_VERSION}`, 'opencodex / Codex'] : []), 'target'],
    [
      ['median wall time', s(o.wall), ...(c ? [s(c.wall), ratio(o.wall, c.wall)] : []), '≤ 0.3× Codex'],
      ['min / max wall time', `${s(o.min)} / ${s(o.max)}`, ...(c ? [`${s(c.min)} / ${s(c.max)}`, ''] : []), ''],
      ...(gnuTime ? [['CPU time, user + system (median)', s(o.cpu), ...(c ? [s(c.cpu), ratio(o.cpu, c.cpu)] : []), '']] : []),
      ['spawn → first request reaches the server (median)', s(o.first), ...(c ? [s(c.first), ratio(o.first, c.first)] : []), ''],
      ['peak RSS (median / max)', `${o.rss.toFixed(1)} / ${o.rssMax.toFixed(1)} MB`, ...(c ? [`${c.rss.toFixed(1)} / ${c.rssMax.toFixed(1)} MB`, ratio(o.rss, c.rss)] : []), '≤ 90 MB'],
      ['first request body', `${o.bytes} bytes`, ...(c ? [`${c.bytes} bytes`, ratio(o.bytes, c.bytes)] : []), 'smaller than Codex'],
    ],
  ),
);
