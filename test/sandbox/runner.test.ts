/** The runner with the real bubblewrap: what each policy lets a command write, reach and see. */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyEnvPolicy,
  detectBwrap,
  findBwrap,
  planSpawn,
  runCommand,
  SandboxUnavailableError,
  sandboxPolicyFor,
  shellScriptArgv,
  type ExecResult,
  type SandboxPolicy,
} from '../../src/sandbox/index.js';
import { listen, makeWorkspace, processesGone, type Listener, type Workspace } from './helpers.js';

const env = applyEnvPolicy({}, process.env);

function sh(policy: SandboxPolicy, cwd: string, script: string, extra: Partial<Parameters<typeof runCommand>[0]> = {}): Promise<ExecResult> {
  return runCommand({ policy, cwd, root: cwd, argv: shellScriptArgv(script, { shell: 'sh' }), env, timeoutMs: 10_000, ...extra });
}

/** Tries to create `path`; resolves to whether the file exists afterwards on the host. */
async function canWrite(policy: SandboxPolicy, cwd: string, path: string): Promise<boolean> {
  const marker = `written-${Math.random()}`;
  const r = await sh(policy, cwd, `printf %s "$1" > "$2"`.replace('$1', marker).replace('$2', path));
  const landed = existsSync(resolve(cwd, path)) && readFileSync(resolve(cwd, path), 'utf8') === marker;
  expect(r.exitCode === 0).toBe(landed);
  return landed;
}

const tcpScript = (port: number): string =>
  `node -e "const s=require('net').connect(${port},'127.0.0.1');s.on('connect',()=>{console.log('connected');s.destroy()});s.on('error',e=>{console.log(e.code);process.exit(3)})"`;

let fx: Workspace;
let listener: Listener;

beforeAll(async () => {
  fx = makeWorkspace();
  listener = await listen();
});
afterAll(async () => {
  await listener.close();
});

describe('bwrap on this machine', () => {
  it('is found and can create namespaces', () => {
    const status = detectBwrap();
    expect(status.ok).toBe(true);
  });

  it('is never taken from inside the workspace or from a relative PATH entry', () => {
    const bin = join(fx.ws, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'bwrap'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
    expect(findBwrap(`${bin}:bin:/usr/bin`, fx.ws)).toBe('/usr/bin/bwrap');
    expect(findBwrap(bin, fx.ws)).toBeNull();
  });

  it('refuses sandboxed commands when bwrap is missing, and does not run them', async () => {
    const marker = join(fx.ws, 'no-bwrap-marker');
    const req = { policy: sandboxPolicyFor('workspace-write', {}, [], fx.ws), cwd: fx.ws, root: fx.ws, argv: ['touch', marker], env, pathEnv: '/nonexistent' };
    expect(() => planSpawn(req)).toThrow(SandboxUnavailableError);
    await expect(runCommand(req)).rejects.toThrow(/bubblewrap \(bwrap\) was not found/);
    expect(existsSync(marker)).toBe(false);
    // danger-full-access needs no bwrap.
    expect(planSpawn({ ...req, policy: sandboxPolicyFor('danger-full-access') }).sandboxed).toBe(false);
  });
});

describe('read-only', () => {
  const policy = sandboxPolicyFor('read-only');

  it('reads anywhere but writes nowhere (cwd, /tmp, /etc)', async () => {
    const read = await sh(policy, fx.ws, 'cat readme.txt');
    expect(read.exitCode).toBe(0);
    expect(read.output).toBe('hello\n');
    expect(await canWrite(policy, fx.ws, 'new.txt')).toBe(false);
    expect(await canWrite(policy, fx.ws, join(fx.outside, 'ro.txt'))).toBe(false);
    const etc = await sh(policy, fx.ws, 'touch /etc/opencodex-ro-test');
    expect(etc.exitCode).not.toBe(0);
    expect(etc.sandboxDenied).toBe(true);
    expect(existsSync('/etc/opencodex-ro-test')).toBe(false);
  });

  it('has no network', async () => {
    const before = listener.accepted();
    const r = await sh(policy, fx.ws, tcpScript(listener.port));
    expect(r.output).not.toContain('connected');
    expect(r.exitCode).toBe(3);
    expect(listener.accepted()).toBe(before);
  });

  it('tells the child it is sandboxed without network', async () => {
    const r = await sh(policy, fx.ws, 'echo "$OPENCODEX_SANDBOX $OPENCODEX_SANDBOX_NETWORK_DISABLED $CODEX_SANDBOX $CODEX_SANDBOX_NETWORK_DISABLED"');
    expect(r.output).toBe('bwrap 1 bwrap 1\n');
  });
});

describe('workspace-write', () => {
  // /tmp and $TMPDIR excluded so that `outside` (also under /tmp) is really outside every root.
  const strict = (extra: { writable_roots?: string[]; network_access?: boolean } = {}): SandboxPolicy =>
    sandboxPolicyFor('workspace-write', { exclude_slash_tmp: true, exclude_tmpdir_env_var: true, ...extra }, [], fx.ws);

  it('writes inside cwd and the extra roots', async () => {
    const policy = sandboxPolicyFor('workspace-write', { exclude_slash_tmp: true, exclude_tmpdir_env_var: true }, [fx.extra], fx.ws);
    expect(await canWrite(policy, fx.ws, 'inside.txt')).toBe(true);
    mkdirSync(join(fx.ws, 'sub'));
    expect(await canWrite(policy, fx.ws, 'sub/../inside2.txt')).toBe(true);
    expect(await canWrite(policy, fx.ws, join(fx.extra, 'added.txt'))).toBe(true);
  });

  it('cannot write outside the roots, directly, via .., or through a symlink', async () => {
    const policy = strict();
    symlinkSync(fx.outside, join(fx.ws, 'link-out'));
    expect(await canWrite(policy, fx.ws, join(fx.outside, 'direct.txt'))).toBe(false);
    expect(await canWrite(policy, fx.ws, '../outside/dotdot.txt')).toBe(false);
    expect(await canWrite(policy, fx.ws, 'link-out/via-link.txt')).toBe(false);
    expect(existsSync(join(fx.outside, 'via-link.txt'))).toBe(false);
    const etc = await sh(policy, fx.ws, 'touch /etc/opencodex-ww-test');
    expect(etc.sandboxDenied).toBe(true);
    expect(existsSync('/etc/opencodex-ww-test')).toBe(false);
  });

  it('keeps .git, .codex, .opencodex and a gitdir: target read-only', async () => {
    const ws = makeWorkspace().ws;
    mkdirSync(join(ws, '.codex'));
    mkdirSync(join(ws, '.opencodex'));
    const policy = sandboxPolicyFor('workspace-write', { exclude_slash_tmp: true, exclude_tmpdir_env_var: true }, [], ws);
    const r = await sh(policy, ws, 'echo x >> .git/config; touch .git/hooks-new; touch .codex/a .opencodex/a; touch ok.txt');
    expect(r.output).toMatch(/read-only file system/i);
    expect(readFileSync(join(ws, '.git', 'config'), 'utf8')).toBe('[core]\n');
    for (const p of ['.git/hooks-new', '.codex/a', '.opencodex/a']) expect(existsSync(join(ws, p))).toBe(false);
    expect(existsSync(join(ws, 'ok.txt'))).toBe(true);

    // A worktree: .git is a pointer file to a gitdir elsewhere in the workspace.
    const wt = join(ws, 'worktree');
    mkdirSync(join(ws, 'gitdirs', 'wt'), { recursive: true });
    mkdirSync(wt);
    writeFileSync(join(wt, '.git'), 'gitdir: ../gitdirs/wt\n');
    const inWt = sandboxPolicyFor('workspace-write', { exclude_slash_tmp: true, exclude_tmpdir_env_var: true, writable_roots: [ws] }, [], wt);
    expect(await canWrite(inWt, wt, '../gitdirs/wt/HEAD')).toBe(false);
    expect(await canWrite(inWt, wt, 'file.txt')).toBe(true);
  });

  it('writes to /tmp by default', async () => {
    const policy = sandboxPolicyFor('workspace-write', {}, [], fx.ws);
    expect(await canWrite(policy, fx.ws, join(fx.outside, 'tmp-ok.txt'))).toBe(true);
  });

  it('has no network unless network_access = true', async () => {
    const before = listener.accepted();
    const off = await sh(strict(), fx.ws, tcpScript(listener.port));
    expect(off.exitCode).toBe(3);
    expect(listener.accepted()).toBe(before);
    const on = await sh(strict({ network_access: true }), fx.ws, tcpScript(listener.port));
    expect(on.output).toBe('connected\n');
    expect(listener.accepted()).toBe(before + 1);
    const markers = await sh(strict({ network_access: true }), fx.ws, 'echo "$OPENCODEX_SANDBOX|$OPENCODEX_SANDBOX_NETWORK_DISABLED|"');
    expect(markers.output).toBe('bwrap||\n');
  });
});

describe('danger-full-access', () => {
  const policy = sandboxPolicyFor('danger-full-access');

  it('writes anywhere, has network, and runs without bwrap', async () => {
    expect(await canWrite(policy, fx.ws, join(fx.outside, 'full.txt'))).toBe(true);
    const r = await sh(policy, fx.ws, tcpScript(listener.port));
    expect(r.output).toBe('connected\n');
    expect(r.sandboxed).toBe(false);
    const markers = await sh(policy, fx.ws, 'echo "[$OPENCODEX_SANDBOX]"');
    expect(markers.output).toBe('[]\n');
  });

  it('does not call a failure a sandbox denial', async () => {
    const r = await sh(policy, fx.ws, 'echo "Permission denied" >&2; exit 1');
    expect(r.exitCode).toBe(1);
    expect(r.sandboxDenied).toBe(false);
  });
});

describe('environment policy in the child', () => {
  it('drops secrets by the default excludes and by exclude, and sets values', async () => {
    const source = { ...process.env, MY_API_KEY: 'k1', GITHUB_TOKEN: 't1', DB_SECRET: 's1', KEEP_ME: 'yes', DROP_ME: 'x' };
    const childEnv = applyEnvPolicy({ ignore_default_excludes: false, exclude: ['drop_*'], set: { ADDED: 'a' } }, source);
    for (const policy of [sandboxPolicyFor('read-only'), sandboxPolicyFor('danger-full-access')]) {
      const r = await runCommand({ policy, cwd: fx.ws, root: fx.ws, argv: ['env'], env: childEnv });
      expect(r.output).toContain('KEEP_ME=yes');
      expect(r.output).toContain('ADDED=a');
      for (const gone of ['MY_API_KEY', 'GITHUB_TOKEN', 'DB_SECRET', 'DROP_ME']) expect(r.output).not.toContain(`${gone}=`);
    }
  });
});

describe('timeouts, aborts, output', () => {
  for (const mode of ['workspace-write', 'danger-full-access'] as const) {
    it(`kills a command and its children at the timeout (${mode})`, async () => {
      const marker = `31.${Math.floor(Math.random() * 1e6)}`;
      const started = Date.now();
      const r = await sh(sandboxPolicyFor(mode, {}, [], fx.ws), fx.ws, `echo start; sleep ${marker} & sleep ${marker}; echo never`, { timeoutMs: 400 });
      expect(r.timedOut).toBe(true);
      expect(r.exitCode).toBe(124);
      expect(r.output).toBe('start\n');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await processesGone(marker)).toEqual([]);
    });
  }

  it('kills on abort', async () => {
    // Aborted once the command is running (its first output), not after a guessed delay.
    const controller = new AbortController();
    const r = await sh(sandboxPolicyFor('read-only'), fx.ws, 'echo running; sleep 20', { signal: controller.signal, onOutput: () => controller.abort() });
    expect(r.aborted).toBe(true);
    expect(r.output).toBe('running\n');
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(137);
  });

  it('streams output as it arrives and keeps stdout and stderr in order', async () => {
    // Each line waits until the test has seen the one before (the test drops a file in the workspace for
    // every chunk it gets): the chunks cannot arrive together, however slow the machine.
    const chunks: string[] = [];
    const tag = Math.random().toString(36).slice(2);
    const seen = (n: number) => `while [ ! -e seen-${tag}-${n} ]; do sleep 0.01; done`;
    const r = await sh(sandboxPolicyFor('read-only'), fx.ws, `echo a; ${seen(1)}; echo b >&2; ${seen(2)}; echo c; exit 5`, {
      onOutput: (c) => {
        chunks.push(`${c.stream}:${c.text}`);
        writeFileSync(join(fx.ws, `seen-${tag}-${chunks.length}`), '');
      },
    });
    expect(r.exitCode).toBe(5);
    expect(r.output).toBe('a\nb\nc\n');
    expect(r.stdout).toBe('a\nc\n');
    expect(r.stderr).toBe('b\n');
    expect(chunks).toEqual(['stdout:a\n', 'stderr:b\n', 'stdout:c\n']);
    expect(r.sandboxDenied).toBe(false);
  });

  it('caps the collected output', async () => {
    const r = await sh(sandboxPolicyFor('read-only'), fx.ws, "head -c 5000 /dev/zero | tr '\\0' a", { maxOutputBytes: 1000 });
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe('a'.repeat(1000));
    expect(r.truncated).toBe(true);
  });
});

describe('the end of a run, huge timeouts, missing programs, long output', () => {
  it.each(['danger-full-access', 'workspace-write'] as const)('%s: what the command left in the background is killed when it ends', async (mode) => {
    const marker = `32.${Math.floor(Math.random() * 1e6)}`;
    const r = await sh(sandboxPolicyFor(mode, {}, [], fx.ws), fx.ws, `(sleep ${marker}; touch never) & echo started`);
    expect(r.output).toBe('started\n');
    expect(r.durationMs).toBeLessThan(10_000); // the background child (a 32 s sleep) does not hold the run open
    expect(await processesGone(marker)).toEqual([]);
  });

  it('a timeout_ms past what a timer can hold (2^31 ms and more) is clamped, not fired at once', async () => {
    for (const timeoutMs of [2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER, Infinity]) {
      // A timer overflowing 2^31 fires after 1 ms: a 50 ms command shows it.
      const r = await sh(sandboxPolicyFor('danger-full-access'), fx.ws, 'sleep 0.05; echo ok', { timeoutMs });
      expect(r).toMatchObject({ exitCode: 0, output: 'ok\n', timedOut: false });
    }
  });

  it('a program that does not exist ends with 127 as in a shell (126 when not executable), sandboxed or not', async () => {
    writeFileSync(join(fx.ws, 'not-exec.sh'), 'echo hi\n');
    for (const policy of [sandboxPolicyFor('read-only'), sandboxPolicyFor('danger-full-access')]) {
      const missing = await runCommand({ policy, cwd: fx.ws, root: fx.ws, argv: ['no-such-program-ocx', '-x'], env });
      expect(missing).toMatchObject({ exitCode: 127, output: 'no-such-program-ocx: command not found\n' });
      const plain = await runCommand({ policy, cwd: fx.ws, root: fx.ws, argv: ['./not-exec.sh'], env });
      expect(plain.exitCode).toBe(126);
    }
  });

  it('a long output keeps its start and its end, and counts all of it', async () => {
    const r = await sh(sandboxPolicyFor('read-only'), fx.ws, 'seq 1 300000; echo the-error-at-the-end >&2; exit 2', { maxOutputBytes: 64 * 1024 });
    expect(r.truncated).toBe(true);
    expect(r.output.startsWith('1\n2\n3\n')).toBe(true);
    expect(r.output.endsWith('299999\n300000\nthe-error-at-the-end\n')).toBe(true);
    expect(r.outputTotals.lines).toBe(300_002);
    expect(r.outputTotals.bytes).toBe(Buffer.byteLength(Array.from({ length: 300000 }, (_, i) => `${i + 1}\n`).join('')) + 21);
    expect(r.outputGap).toBeGreaterThan(0);
  });
});

describe('killing a command that left its process group', () => {
  it('a timeout also kills descendants that started a session of their own (setsid)', async () => {
    const marker = `36.${Math.floor(Math.random() * 1e6)}`;
    const r = await sh(sandboxPolicyFor('danger-full-access'), fx.ws, `setsid sleep ${marker} & echo started; sleep 30`, { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(await processesGone(marker)).toEqual([]);
  });
});
