/** `opencodex sandbox linux` end to end: the built CLI, the real bwrap, a temporary OPENCODEX_HOME. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeHome, makeWorkspace, type Workspace } from './helpers.js';

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
