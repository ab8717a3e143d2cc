/**
 * Start-up: median wall time of `opencodex --version` and `opencodex models --json` against bare
 * `node -e 0`, measured in the same run, interleaved so machine noise hits all three alike.
 * Target: `--version` within 1.5× of bare Node.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, table } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const cli = join(process.cwd(), 'dist', 'opencodex.js');
const env = { ...process.env, OPENCODEX_HOME: mkdtempSync(join(tmpdir(), 'ocx-bench-')) };
const cases: Array<[string, string[]]> = [
  ['node -e 0', ['-e', '0']],
  ['opencodex --version', [cli, '--version']],
  ['opencodex models --json', [cli, 'models', '--json']],
];

const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
for (let i = 0; i < RUNS + 2; i++) {
  for (const [name, args] of cases) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
    if (i >= 2) times.get(name)?.push(ms); // the first two rounds warm the file cache
  }
}
const base = median(times.get('node -e 0') ?? []);
const rows = cases.map(([name]) => {
  const m = median(times.get(name) ?? []);
  return [name, m.toFixed(1), (m / base).toFixed(2) + '×'];
});
process.stdout.write(`${RUNS} runs each, median wall time\n\n`);
process.stdout.write(table(['command', 'median ms', 'vs node -e 0'], rows));
