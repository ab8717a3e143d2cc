/**
 * Sandbox overhead: median wall time of running `true` directly against running it under bubblewrap
 * (read-only, with the seccomp filter and mount points for the missing protected names; workspace-write),
 * spawned the same way and interleaved so machine noise hits all alike; then the same through
 * `runCommand`, the path the agent takes (policy, env, pipes, process group).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEnvPolicy, planSpawn, runCommand, sandboxPolicyFor, startPlan, type SandboxPolicy, type SpawnPlan } from '../src/sandbox/index.js';
import { median, table } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const cwd = mkdtempSync(join(tmpdir(), 'ocx-bench-sbx-'));
const env = applyEnvPolicy({}, process.env);

const policies: Array<[string, SandboxPolicy]> = [
  ['direct', sandboxPolicyFor('danger-full-access')],
  ['bwrap read-only', sandboxPolicyFor('read-only')],
  ['bwrap workspace-write', sandboxPolicyFor('workspace-write', {}, [], cwd)],
];
const plans = policies.map(([name, policy]) => [name, planSpawn({ policy, argv: ['true'], cwd, root: cwd, env })] as const);

function spawnOnce(plan: SpawnPlan): Promise<number | null> {
  const started = startPlan(plan, ['ignore', 'ignore', 'ignore']);
  return new Promise((resolve) => {
    started.child.on('exit', (code) => {
      started.release();
      resolve(code);
    });
  });
}

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

const spawnTimes = new Map<string, number[]>(plans.map(([name]) => [name, []]));
for (let i = 0; i < RUNS + 3; i++) {
  for (const [name, plan] of plans) {
    const t0 = process.hrtime.bigint();
    const status = await spawnOnce(plan);
    const t = ms(t0);
    if (status !== 0) throw new Error(`${name}: exit ${String(status)}`);
    if (i >= 3) spawnTimes.get(name)?.push(t); // the first rounds warm caches
  }
}

const runTimes = new Map<string, number[]>(policies.map(([name]) => [name, []]));
for (let i = 0; i < RUNS + 3; i++) {
  for (const [name, policy] of policies) {
    const t0 = process.hrtime.bigint();
    const r = await runCommand({ policy, argv: ['true'], cwd, root: cwd, env });
    const t = ms(t0);
    if (r.exitCode !== 0) throw new Error(`${name} via runCommand: exit ${r.exitCode}: ${r.output}`);
    if (i >= 3) runTimes.get(name)?.push(t);
  }
}

function rows(times: Map<string, number[]>): string[][] {
  const base = median(times.get('direct') ?? []);
  return [...times].map(([name, values]) => {
    const m = median(values);
    return [name, m.toFixed(2), name === 'direct' ? '—' : `+${(m - base).toFixed(2)}`];
  });
}

process.stdout.write(`\`true\`, ${RUNS} runs each, median wall time\n\n`);
process.stdout.write('spawn (startPlan):\n\n');
process.stdout.write(table(['how', 'median ms', 'added ms'], rows(spawnTimes)));
process.stdout.write('\nrunCommand (the agent path):\n\n');
process.stdout.write(table(['how', 'median ms', 'added ms'], rows(runTimes)));
