/**
 * A full two-turn `opencodex exec --json` run against the scripted server: the model asks for
 * `echo hello`, then answers. Reports median wall time, peak RSS and the size of the first request.
 * Targets on a 2-core machine: median ≤ 0.35 s, peak RSS ≤ 90 MB, first request well under Codex's ~40 kB.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptedServer, turn } from '../test/support/scripted-server.js';
import { median, table } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const cli = join(process.cwd(), 'dist', 'opencodex.js');
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const server = await startScriptedServer();
const home = mkdtempSync(join(tmpdir(), 'ocx-bench-home-'));
writeFileSync(
  join(home, 'config.toml'),
  `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\n`,
);
const cwd = mkdtempSync(join(tmpdir(), 'ocx-bench-ws-'));
mkdirSync(join(cwd, '.git'));
const rssFile = join(home, 'rss.txt');

/** Runs once; returns wall ms and peak RSS in MB (GNU time, else polling /proc VmHWM). */
function once(): Promise<{ ms: number; rssMb: number }> {
  server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo hello' } }] }), turn({ text: 'done' }));
  const args = ['exec', '--json', 'say hi'];
  const [file, argv] = gnuTime ? [gnuTime, ['-f', '%M', '-o', rssFile, process.execPath, cli, ...args]] : [process.execPath, [cli, ...args]];
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd, env: { ...process.env, OPENCODEX_HOME: home, HOME: home, MOCK_KEY: 'k' }, stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0 || !out.includes('"turn.completed"')) return reject(new Error(`exec failed (${code}): ${out}`));
      const kb = gnuTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : hwm;
      resolve({ ms, rssMb: kb / 1024 });
    });
  });
}

const walls: number[] = [];
const rss: number[] = [];
await once(); // warm the file cache
for (let i = 0; i < RUNS; i++) {
  const r = await once();
  walls.push(r.ms);
  rss.push(r.rssMb);
}
const firstRequest = server.requests.find((r) => r.wire === 'responses');
await server.close();

process.stdout.write(`${RUNS} runs of a two-turn \`exec --json\` (shell echo hello, then a final message)${gnuTime ? '' : ' (RSS by polling /proc)'}\n\n`);
process.stdout.write(
  table(
    ['figure', 'value', 'target'],
    [
      ['median wall time', `${(median(walls) / 1000).toFixed(3)} s`, '≤ 0.35 s (Codex: 1.2 s)'],
      ['min / max wall time', `${(Math.min(...walls) / 1000).toFixed(3)} / ${(Math.max(...walls) / 1000).toFixed(3)} s`, ''],
      ['peak RSS (median)', `${median(rss).toFixed(1)} MB`, '≤ 90 MB (Codex: 150 MB)'],
      ['first request body', `${firstRequest ? Buffer.byteLength(firstRequest.rawBody) : 0} bytes`, '< Codex ~40 kB'],
    ],
  ),
);
