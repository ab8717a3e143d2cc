/**
 * The probe cache: a bwrap (or `script`) found working by one run is taken by the next without spawning the
 * probe, for the same binary, kernel, user and namespace settings only; failures are never remembered; and a
 * remembered sandbox that no longer builds fails as an unavailable sandbox (the command never runs), then is
 * forgotten. Each "run" is a fresh copy of the sandbox modules (vi.resetModules), as a new process would be.
 *
 * bwrap here is a wrapper script around the real one that logs its arguments, and fails the way bwrap fails
 * without namespaces while a flag file exists (the flag is not part of the wrapper, so its identity holds).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeWorkspace } from './helpers.js';

type Sandbox = typeof import('../../src/sandbox/index.js');

const realBwrap = '/usr/bin/bwrap';
let dir: string;
let bin: string;
let log: string;
let broken: string;
let cacheFile: string;
const ws = makeWorkspace().ws;

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-probe-cache-')));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  log = join(dir, 'calls.log');
  broken = join(dir, 'broken');
  cacheFile = join(dir, 'home', 'cache', 'probes.json');
  writeFileSync(
    join(bin, 'bwrap'),
    `#!/bin/sh\necho "$*" >> '${log}'\nif [ -e '${broken}' ]; then echo 'bwrap: setting up uid map: Permission denied' >&2; exit 1; fi\nexec ${realBwrap} "$@"\n`,
    { mode: 0o755 },
  );
});

/** A fresh copy of the sandbox layer (a new process), remembering probes in `cacheFile`. */
async function run(): Promise<Sandbox> {
  vi.resetModules();
  const sandbox = await import('../../src/sandbox/index.js');
  sandbox.setProbeCacheFile(cacheFile);
  return sandbox;
}

const calls = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);
const probes = (): number => calls().filter((c) => c.endsWith('-- true')).length;
const pathEnv = (): string => `${bin}:${process.env.PATH ?? ''}`;

function echo(s: Sandbox, text: string) {
  const env = { ...s.applyEnvPolicy({}, process.env), PATH: process.env.PATH ?? '' };
  return s.runCommand({ policy: s.sandboxPolicyFor('read-only'), argv: ['sh', '-c', `echo ${text}`], cwd: ws, root: ws, env, pathEnv: pathEnv() });
}

describe.skipIf(!existsSync(realBwrap))('bwrap probe cache', () => {
  it('the next run takes a remembered success without probing, and still runs the command under bwrap', async () => {
    let s = await run();
    const first = s.detectBwrap({ pathEnv: pathEnv(), cwd: ws });
    expect(first.ok).toBe(true);
    expect(probes()).toBe(1);
    expect(existsSync(cacheFile)).toBe(true);

    s = await run();
    const second = s.detectBwrap({ pathEnv: pathEnv(), cwd: ws });
    expect(second).toEqual({ ok: true, bwrap: { path: join(bin, 'bwrap'), isolation: first.ok ? first.bwrap.isolation : [], recalled: true } });
    expect(probes()).toBe(1);
    const r = await echo(s, 'sandboxed');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('sandboxed\n');
    expect(r.sandboxed).toBe(true);
    expect(calls().length).toBe(2); // the probe of the first run, then the command
    // The command confirmed it: no longer `recalled` in this run.
    expect(s.detectBwrap({ pathEnv: pathEnv(), cwd: ws })).toEqual({ ok: true, bwrap: { path: join(bin, 'bwrap'), isolation: first.ok ? first.bwrap.isolation : [] } });
  });

  it('probes again when the binary changes (its modification time here)', async () => {
    (await run()).detectBwrap({ pathEnv: pathEnv(), cwd: ws });
    expect(probes()).toBe(1);
    utimesSync(join(bin, 'bwrap'), new Date(), new Date(Date.now() - 60_000));
    expect((await run()).detectBwrap({ pathEnv: pathEnv(), cwd: ws }).ok).toBe(true);
    expect(probes()).toBe(2);
    expect((await run()).detectBwrap({ pathEnv: pathEnv(), cwd: ws }).ok).toBe(true);
    expect(probes()).toBe(2);
  });

  it('never remembers a failure: fixing the machine takes effect on the next run', async () => {
    writeFileSync(broken, '');
    const status = (await run()).detectBwrap({ pathEnv: pathEnv(), cwd: ws });
    expect(status.ok).toBe(false);
    expect(existsSync(cacheFile) ? readFileSync(cacheFile, 'utf8') : '').not.toContain('bwrap');
    rmSync(broken);
    expect((await run()).detectBwrap({ pathEnv: pathEnv(), cwd: ws }).ok).toBe(true);
  });

  it('a remembered sandbox that no longer builds fails as unavailable (runCommand), and is forgotten', async () => {
    expect((await run()).detectBwrap({ pathEnv: pathEnv(), cwd: ws }).ok).toBe(true);
    writeFileSync(broken, '');
    const s = await run();
    const err = await echo(s, 'never').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(s.SandboxUnavailableError);
    expect((err as Error).message).toMatch(/cannot create a sandbox here \(bwrap: setting up uid map: Permission denied\), so sandboxed commands cannot run/);
    expect(readFileSync(cacheFile, 'utf8')).not.toContain('bwrap');
    // The next run probes (and refuses) as a run without the cache does.
    const next = await run();
    expect(next.detectBwrap({ pathEnv: pathEnv(), cwd: ws }).ok).toBe(false);
    await expect(echo(next, 'never')).rejects.toThrow(/cannot create a sandbox here/);
  });

  it('a remembered sandbox that no longer builds ends a live process with sandboxError set', async () => {
    expect((await run()).detectBwrap({ pathEnv: pathEnv(), cwd: ws }).ok).toBe(true);
    writeFileSync(broken, '');
    const s = await run();
    const env = { ...s.applyEnvPolicy({}, process.env), PATH: process.env.PATH ?? '' };
    const proc = s.startLiveProcess({ policy: s.sandboxPolicyFor('read-only'), argv: ['sh', '-c', 'echo never'], cwd: ws, root: ws, env, pathEnv: pathEnv() });
    const exit = await proc.done;
    expect(exit.exitCode).toBe(1);
    expect(proc.sandboxError).toBeInstanceOf(s.SandboxUnavailableError);
    expect(readFileSync(cacheFile, 'utf8')).not.toContain('bwrap');
  });

  it('a command that fails on its own under a remembered sandbox is reported as usual, without probing again', async () => {
    (await run()).detectBwrap({ pathEnv: pathEnv(), cwd: ws });
    const s = await run();
    const env = { ...s.applyEnvPolicy({}, process.env), PATH: process.env.PATH ?? '' };
    const r = await s.runCommand({ policy: s.sandboxPolicyFor('read-only'), argv: ['sh', '-c', 'echo oops >&2; exit 3'], cwd: ws, root: ws, env, pathEnv: pathEnv() });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toBe('oops\n');
    expect(probes()).toBe(1);
    expect(readFileSync(cacheFile, 'utf8')).toContain('bwrap');
  });

  it('without a cache file nothing is remembered', async () => {
    vi.resetModules();
    const s = await import('../../src/sandbox/index.js');
    s.detectBwrap({ pathEnv: pathEnv(), cwd: ws });
    vi.resetModules();
    const t = await import('../../src/sandbox/index.js');
    t.detectBwrap({ pathEnv: pathEnv(), cwd: ws });
    expect(probes()).toBe(2);
  });
});

describe('probe cache keys', () => {
  it('change with the binary and are null for a missing one', async () => {
    const { probeKey } = await import('../../src/sandbox/probe-cache.js');
    const file = join(dir, 'tool');
    writeFileSync(file, 'a');
    const k1 = probeKey(file);
    expect(k1).not.toBeNull();
    expect(probeKey(file)).toBe(k1);
    writeFileSync(file, 'ab');
    expect(probeKey(file)).not.toBe(k1);
    expect(probeKey(join(dir, 'missing'))).toBeNull();
  });

  it('a corrupt cache file only means probing again', async () => {
    mkdirSync(join(dir, 'home', 'cache'), { recursive: true });
    writeFileSync(cacheFile, '{not json');
    const s = await run();
    if (!existsSync(realBwrap)) return;
    expect(s.detectBwrap({ pathEnv: pathEnv(), cwd: ws }).ok).toBe(true);
    expect(probes()).toBe(1);
    expect(JSON.parse(readFileSync(cacheFile, 'utf8')).version).toBe(1);
  });
});
