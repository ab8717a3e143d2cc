/** `opencodex sandbox linux` and `opencodex sandbox -- CMD` end to end: the built CLI, the real bwrap, a temporary OPENCODEX_HOME. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome, makeWorkspace, processesGone, processesRunning, until, type Workspace } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist', 'opencodex.js');

let fx: Workspace;
let home: string;

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  fx = makeWorkspace();
  home = makeHome();
});

function cli(args: string[], env: Record<string, string | undefined> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: fx.ws,
    env: { ...process.env, OPENCODEX_HOME: home, OPENCODEX_DEBUG: undefined, ...env } as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('opencodex sandbox linux', () => {
  it('is read-only by default and exits with the command’s status', () => {
    const r = cli(['sandbox', 'linux', '--', 'sh', '-c', 'cat readme.txt; touch made-ro.txt']);
    expect(r.stdout).toBe('hello\n');
    expect(r.stderr).toMatch(/Read-only file system/);
    expect(r.status).toBe(1);
    expect(existsSync(join(fx.ws, 'made-ro.txt'))).toBe(false);
  });

  it('--full-auto allows writes in the workspace but not outside it or in .git', () => {
    const r = cli([
      'sandbox', 'linux', '--full-auto', '-c', 'sandbox_workspace_write.exclude_slash_tmp=true', '-c', 'sandbox_workspace_write.exclude_tmpdir_env_var=true',
      '--', 'sh', '-c', `touch made-ww.txt && echo "$OPENCODEX_SANDBOX"; touch .git/x ${join(fx.outside, 'x')}; exit 7`,
    ]);
    expect(r.stdout).toBe('bwrap\n');
    expect(r.status).toBe(7);
    expect(existsSync(join(fx.ws, 'made-ww.txt'))).toBe(true);
    expect(existsSync(join(fx.ws, '.git', 'x'))).toBe(false);
    expect(existsSync(join(fx.outside, 'x'))).toBe(false);
  });

  it('-s workspace-write with --add-dir makes that directory writable', () => {
    const r = cli(['sandbox', 'linux', '-s', 'workspace-write', '--add-dir', fx.extra, '--', 'touch', join(fx.extra, 'added.txt')]);
    expect(r.status).toBe(0);
    expect(existsSync(join(fx.extra, 'added.txt'))).toBe(true);
  });

  it('-s danger-full-access runs without the sandbox', () => {
    const r = cli(['sandbox', 'linux', '-s', 'danger-full-access', '--', 'sh', '-c', 'echo "[$OPENCODEX_SANDBOX]"']);
    expect(r.stdout).toBe('[]\n');
    expect(r.status).toBe(0);
  });

  it('applies [shell_environment_policy] from config.toml', () => {
    const h = makeHome({ 'config.toml': '[shell_environment_policy]\nignore_default_excludes = false\n' });
    const r = spawnSync(process.execPath, [CLI, 'sandbox', 'linux', '--', 'env'], {
      cwd: fx.ws,
      env: { ...process.env, OPENCODEX_HOME: h, SERVICE_API_KEY: 'secret-value', VISIBLE_VAR: 'seen' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('VISIBLE_VAR=seen');
    expect(r.stdout).not.toContain('secret-value');
  });

  it('refuses to run when bwrap cannot be found, with the install hint, and never runs the command unsandboxed', () => {
    const marker = join(fx.ws, 'should-not-exist.txt');
    const r = cli(['sandbox', 'linux', '--full-auto', '--', '/usr/bin/touch', marker], { PATH: '/nonexistent' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: bubblewrap \(bwrap\) was not found on PATH.*apt-get install bubblewrap/);
    expect(existsSync(marker)).toBe(false);
  });

  it('needs a command', () => {
    const r = cli(['sandbox', 'linux']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing required argument/);
  });
});

describe('opencodex sandbox -- CMD (Codex 0.171: no `linux` word)', () => {
  it('is the same command: read-only by default, --full-auto writes in the workspace', () => {
    const ro = cli(['sandbox', '--', 'sh', '-c', 'cat readme.txt; touch made-bare-ro.txt']);
    expect(ro.stdout).toBe('hello\n');
    expect(ro.stderr).toMatch(/Read-only file system/);
    expect(ro.status).toBe(1);
    expect(existsSync(join(fx.ws, 'made-bare-ro.txt'))).toBe(false);
    const ww = cli(['sandbox', '--full-auto', '--', 'touch', 'made-bare-ww.txt']);
    expect(ww.status, ww.stderr).toBe(0);
    expect(existsSync(join(fx.ws, 'made-bare-ww.txt'))).toBe(true);
  });

  it('in a trusted project the sandbox nobody chose is workspace-write', () => {
    const trusted = makeHome({ 'config.toml': `[projects.${JSON.stringify(fx.ws)}]\ntrust_level = "trusted"\n` });
    const r = cli(['sandbox', '--', 'touch', 'made-trusted.txt'], { OPENCODEX_HOME: trusted });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(fx.ws, 'made-trusted.txt'))).toBe(true);
  });

  it('without a command: one line, exit 2', () => {
    const r = cli(['sandbox']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: sandbox needs a command to run — for example `opencodex sandbox -- ls`\n');
  });
});

describe('a bwrap that cannot create namespaces', () => {
  it('is reported as unusable instead of being bypassed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocx-fake-bwrap-'));
    const fake = join(dir, 'bwrap');
    writeFileSync(fake, '#!/bin/sh\necho "bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const marker = join(fx.ws, 'fake-bwrap-marker.txt');
    const r = cli(['sandbox', 'linux', '--', '/usr/bin/touch', marker], { PATH: `${dir}:/usr/bin:/bin` });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot create a sandbox here \(bwrap: No permissions to create new namespace/);
    expect(r.stderr).toMatch(/user namespaces/);
    expect(existsSync(marker)).toBe(false);
  });
});

/**
 * The escapes through `opencodex sandbox linux`, as root (this process, when the tests run as root: CI,
 * Docker) and as an unprivileged user the test creates. The built bundle is copied where that user can
 * read it.
 */
interface Runner {
  who: string;
  /** Runs the CLI in `cwd` with a home of that user's; returns its status and output. */
  run(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string };
  /** A scratch directory the user owns. */
  scratch(): string;
}

const isRoot = process.getuid?.() === 0;
const users: Runner[] = [];
let userSkipped: string | undefined = isRoot ? undefined : 'the tests do not run as root, so they cannot create a user';
let unixSocket: { path: string; connections: () => number; close: () => void } | undefined;

function rootRunner(): Runner {
  const h = makeHome();
  return {
    who: 'root',
    run: (args, cwd) => {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, OPENCODEX_HOME: h, OPENCODEX_DEBUG: undefined } as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 15_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    scratch: () => realpathSync(mkdtempSync(join(tmpdir(), 'ocx-root-'))),
  };
}

function userRunner(): Runner | undefined {
  const name = `ocxsbx${process.pid % 100000}`;
  const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/bin/sh', name], { encoding: 'utf8' });
  if (made.status !== 0 && !/already exists/.test(made.stderr)) return undefined;
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-user-')));
  chmodSync(base, 0o755);
  cpSync(join(ROOT, 'dist'), join(base, 'dist'), { recursive: true });
  const own = (dir: string): string => {
    chownSync(dir, uid, gid);
    return dir;
  };
  const h = own(mkdtempSync(join(base, 'home-')));
  afterAll(() => {
    spawnSync('userdel', [name]);
  });
  // Without unprivileged user namespaces no sandbox can exist for this user at all (opencodex refuses).
  const probe = spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', 'bwrap', '--unshare-user', '--ro-bind', '/', '/', 'true']);
  if (probe.status !== 0) {
    userSkipped = 'this kernel does not allow unprivileged user namespaces';
    return undefined;
  }
  return {
    who: `unprivileged user ${name}`,
    run: (args, cwd) => {
      const r = spawnSync(
        'setpriv',
        [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', process.execPath, join(base, 'dist', 'opencodex.js'), ...args],
        { cwd, env: { PATH: process.env.PATH, HOME: h, OPENCODEX_HOME: h, LANG: 'C.UTF-8' } as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 15_000 },
      );
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    scratch: () => own(mkdtempSync(join(base, 'ws-'))),
  };
}

users.push(rootRunner());
if (isRoot) {
  const u = userRunner();
  if (u) users.push(u);
}

beforeAll(async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-sock-')));
  chmodSync(dir, 0o755);
  const path = join(dir, 'host.sock');
  let count = 0;
  const server = createServer((s) => {
    count++;
    s.end('host secret\n');
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  chmodSync(path, 0o777);
  unixSocket = { path, connections: () => count, close: () => server.close() };
});
afterAll(() => unixSocket?.close());

describe.each(users.map((u) => [u.who, u] as const))('sandbox linux as %s', (_who, u) => {
  const confined = ['-c', 'sandbox_workspace_write.exclude_slash_tmp=true', '-c', 'sandbox_workspace_write.exclude_tmpdir_env_var=true'];

  it('no capabilities; / cannot be remounted, protections cannot be unmounted', () => {
    const ws = u.scratch();
    mkdirSync(join(ws, '.git'));
    for (const mode of ['read-only', 'workspace-write']) {
      const r = u.run(['sandbox', 'linux', '-s', mode, ...confined, '--', 'sh', '-c', 'grep CapEff /proc/self/status; mount -o remount,rw / && echo REMOUNTED; umount .git && echo UNMOUNTED; true'], ws);
      expect(r.stdout).toBe('CapEff:\t0000000000000000\n');
    }
  });

  it('missing .git, .codex and .opencodex cannot be created, and nothing is left afterwards', () => {
    const ws = u.scratch();
    const r = u.run(['sandbox', 'linux', '--full-auto', ...confined, '--', 'sh', '-c', 'git init -q . ; mkdir .codex/a; touch .opencodex/b; echo ok > made.txt'], ws);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/Read-only file system/);
    expect(readdirSync(ws)).toEqual(['made.txt']);
  });

  it('network off: a host UNIX socket answers EPERM', () => {
    const ws = u.scratch();
    const before = unixSocket?.connections();
    const r = u.run(['sandbox', 'linux', '--', process.execPath, '-e', `require('net').connect(${JSON.stringify(unixSocket?.path)}).on('error',e=>console.log(e.code)).on('data',d=>console.log(String(d)))`], ws);
    expect(r.stdout).toBe('EPERM\n');
    expect(unixSocket?.connections()).toBe(before);
  });

  it('a command that does not exist exits 127 with one line', () => {
    const r = u.run(['sandbox', 'linux', '--', 'no-such-command-ocx', 'arg'], u.scratch());
    expect(r.status).toBe(127);
    expect(r.stderr).toBe('error: no-such-command-ocx: command not found\n');
  });
});

it.skipIf(userSkipped !== undefined)('the tests above ran as an unprivileged user too', () => {
  expect(users.map((u) => u.who)).toEqual(['root', expect.stringMatching(/^unprivileged user/)]);
});

it('sandbox linux passes SIGTERM on to the command and still removes the mount points it made', async () => {
  const ws = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-term-')));
  const h = makeHome();
  const marker = `30.${Math.floor(Math.random() * 1e6)}`;
  const child = spawn(process.execPath, [CLI, 'sandbox', 'linux', '--full-auto', '--', 'sleep', marker], {
    cwd: ws,
    env: { ...process.env, OPENCODEX_HOME: h } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Terminated once the command runs inside the sandbox (its mount point made, the signal handlers in
  // place), not at the first sight of the mount point, which comes before the handlers.
  await until(() => processesRunning(['sleep', marker]).length > 0 || child.exitCode !== null, 'the sandboxed command to start');
  expect(child.exitCode, stderr).toBeNull();
  expect(existsSync(join(ws, '.git'))).toBe(true);
  child.kill('SIGTERM');
  expect(await status, stderr).toBe(143);
  expect(readdirSync(ws)).toEqual([]);
  expect(await processesGone(marker)).toEqual([]);
});
