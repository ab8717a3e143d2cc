/** Long-lived processes and their terminals (util-linux script inside the real bubblewrap). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyEnvPolicy,
  detectPty,
  ProgramNotFoundError,
  sandboxPolicyFor,
  startLiveProcess,
  type LiveProcess,
  type SandboxPolicy,
} from '../../src/sandbox/index.js';
import { makeWorkspace, processesGone, processesRunning, type Workspace } from './helpers.js';

const env = applyEnvPolicy({}, process.env);
let fx: Workspace;
let script: string;

beforeAll(() => {
  fx = makeWorkspace();
  const pty = detectPty();
  if (!pty.ok) throw new Error(`these tests need util-linux script: ${pty.reason}`);
  script = pty.script;
});

const readOnly = (): SandboxPolicy => sandboxPolicyFor('read-only');

function start(cmd: string, options: { tty?: boolean; policy?: SandboxPolicy; env?: Record<string, string> } = {}) {
  const proc = startLiveProcess({
    policy: options.policy ?? readOnly(),
    argv: ['sh', '-c', cmd],
    cwd: fx.ws,
    root: fx.ws,
    env: { ...env, ...options.env },
    terminal: options.tty === false ? undefined : script,
  });
  let out = '';
  const waiters: Array<() => void> = [];
  proc.onOutput((c) => {
    out += c.toString('utf8');
    for (const w of waiters) w();
  });
  /** Resolves once the output matches (the test's timeout bounds the wait). */
  const until = (re: RegExp): Promise<string> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (re.test(out)) resolve(out);
      };
      waiters.push(check);
      check();
    });
  return { proc, output: () => out, until };
}

async function finished(p: { proc: LiveProcess; output: () => string }): Promise<{ exitCode: number; output: string }> {
  const exit = await p.proc.done;
  return { exitCode: exit.exitCode, output: p.output() };
}

describe('terminals for commands (util-linux script)', () => {
  it('is found on PATH, never in the workspace or a relative entry, and must be util-linux', () => {
    const bin = join(fx.ws, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'script'), '#!/bin/sh\necho "script from util-linux 9.9"\n', { mode: 0o755 });
    const found = detectPty({ pathEnv: `${bin}:bin:/usr/bin:/bin`, cwd: fx.ws });
    expect(found).toMatchObject({ ok: true });
    expect(found.ok && found.script).not.toContain(fx.ws);
    expect(detectPty({ pathEnv: bin, cwd: fx.ws })).toMatchObject({ ok: false, reason: expect.stringMatching(/not found/) });
    const other = join(fx.outside, 'fake-bin');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'script'), '#!/bin/sh\necho "script (BSD)"\n', { mode: 0o755 });
    expect(detectPty({ pathEnv: other, cwd: fx.ws })).toMatchObject({ ok: false, reason: expect.stringMatching(/not util-linux script/) });
  });

  it('inside the sandbox the command has a terminal of the sandbox’s own, 24×80, as controlling terminal', async () => {
    const r = await finished(start('tty; ls -1 /dev/pts; stty size; echo ctty > /dev/tty; [ -t 0 ] && [ -t 1 ] && echo both-terminal'));
    expect(r.exitCode).toBe(0);
    expect(r.output.replace(/\r\n/g, '\n')).toBe('/dev/pts/0\n0\nptmx\n24 80\nctty\nboth-terminal\n');
  });

  it('passes the exit status on, also after a signal', async () => {
    expect((await finished(start('echo bye; exit 7'))).exitCode).toBe(7);
    expect((await finished(start('kill -TERM $$'))).exitCode).toBe(128 + 15);
  });

  it('takes input, and Ctrl-C is SIGINT for the foreground process', async () => {
    const p = start(`trap 'echo interrupted; exit 5' INT; read name; echo "got $name"; while :; do sleep 0.1; done`);
    expect(p.proc.write('bob\n')).toBe(true);
    await p.until(/got bob/);
    p.proc.write('\u0003');
    const r = await finished(p);
    expect(r.exitCode).toBe(5);
    expect(r.output).toContain('interrupted');
  });

  it('gives the command the caller’s SHELL back (script itself runs /bin/sh)', async () => {
    const r = await finished(start('echo "shell=$SHELL"', { env: { SHELL: '/nonexistent/fancy-shell' } }));
    expect(r.output).toContain('shell=/nonexistent/fancy-shell');
  });

  it('works without the sandbox too (danger-full-access)', async () => {
    const r = await finished(start('[ -t 0 ] && echo terminal', { policy: sandboxPolicyFor('danger-full-access') }));
    expect(r).toMatchObject({ exitCode: 0, output: 'terminal\r\n' });
  });

  it('a program that does not exist is refused before anything starts (127)', () => {
    let err: unknown;
    try {
      startLiveProcess({ policy: readOnly(), argv: ['no-such-program-ocx'], cwd: fx.ws, root: fx.ws, env, terminal: script });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProgramNotFoundError);
    expect((err as ProgramNotFoundError).exitCode).toBe(127);
  });
});

describe('live processes', () => {
  it('without a terminal: pipes, stdin at end of file, nothing can be typed', async () => {
    const p = start('cat; [ -t 1 ] || echo pipes', { tty: false });
    expect(p.proc.write('x\n')).toBe(false);
    expect(await finished(p)).toEqual({ exitCode: 0, output: 'pipes\n' });
  });

  it('kill() ends the process and everything it started', async () => {
    for (const tty of [true, false]) {
      for (const policy of [readOnly(), sandboxPolicyFor('danger-full-access')]) {
        const marker = `42.${Math.floor(Math.random() * 1e6)}`;
        const p = start(`sleep ${marker} & sleep ${marker}; echo never`, { tty, policy });
        // Both sleeps run (not only the sandbox or shell around them, whose command lines name the marker too).
        await waitFor(() => processesRunning(['sleep', marker]).length === 2);
        p.proc.kill();
        const r = await finished(p);
        expect(r.output).not.toContain('never');
        expect(await processesGone(marker)).toEqual([]);
      }
    }
  });
});

/** Polls `condition` until it holds (bounded by the test's timeout). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

describe('a kill while the sandbox is being built', () => {
  it('leaves nothing running: many kills at random moments of the set-up', async () => {
    // bubblewrap's init starts a session of its own and ties its life to bwrap's only once it runs: a kill
    // in between used to leave it (and script, and the command) running, orphaned (1 round in 6 under load).
    for (let round = 0; round < 4; round++) {
      const marker = `34.${round}${Math.floor(Math.random() * 1e5)}`;
      const procs: LiveProcess[] = [];
      for (let i = 0; i < 12; i++) {
        const p = startLiveProcess({ policy: readOnly(), argv: ['sleep', marker], cwd: fx.ws, root: fx.ws, env, terminal: i % 2 ? script : undefined });
        setTimeout(() => p.kill(), Math.random() * 40);
        procs.push(p);
      }
      await Promise.all(procs.map((p) => p.done));
      expect(await processesGone(marker)).toEqual([]);
    }
  });
});
