/** Protected paths (one rule for commands and patches) and the mount points made for missing ones. */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireMountPoints } from '../../src/sandbox/mount-points.js';
import { checkPatchPaths, isMountPoint, protectedPaths, sandboxPolicyFor } from '../../src/sandbox/index.js';

const scratch = (): string => realpathSync(mkdtempSync(join(tmpdir(), 'ocx-mp-')));

describe('protectedPaths', () => {
  it('lists every protected name, existing or not', () => {
    const root = scratch();
    mkdirSync(join(root, '.git'));
    expect(protectedPaths(root)).toEqual([
      { path: join(root, '.git'), exists: true, kind: 'path' },
      { path: join(root, '.opencodex'), exists: false, kind: 'path' },
      { path: join(root, '.codex'), exists: false, kind: 'path' },
    ]);
  });

  it('protects a symlinked name where it points, also when the target does not exist yet', () => {
    const root = scratch();
    mkdirSync(join(root, 'real-codex'));
    symlinkSync('real-codex', join(root, '.codex'));
    symlinkSync('later/git', join(root, '.git'));
    const paths = protectedPaths(root);
    expect(paths).toContainEqual({ path: join(root, '.codex'), exists: true, kind: 'link' });
    expect(paths).toContainEqual({ path: join(root, 'real-codex'), exists: true, kind: 'path' });
    expect(paths).toContainEqual({ path: join(root, 'later', 'git'), exists: false, kind: 'path' });
    // Patches follow the same rule: through the link, to the target, or creating the missing target.
    const policy = sandboxPolicyFor('workspace-write', { exclude_slash_tmp: true, exclude_tmpdir_env_var: true }, [], root);
    const allowed = (path: string): boolean => checkPatchPaths([{ kind: 'add', path }], policy, root, root, {}).allowed;
    expect(allowed('.codex/config.toml')).toBe(false);
    expect(allowed('real-codex/config.toml')).toBe(false);
    expect(allowed('later/git/HEAD')).toBe(false);
    expect(checkPatchPaths([{ kind: 'delete', path: '.codex' }], policy, root, root, {}).allowed).toBe(false);
    expect(allowed('later/other.txt')).toBe(true);
  });

  it('protects the gitdir: target of a .git pointer file', () => {
    const root = scratch();
    const gitdir = join(scratch(), 'worktrees', 'x');
    mkdirSync(gitdir, { recursive: true });
    writeFileSync(join(root, '.git'), `gitdir: ${gitdir}\n`);
    expect(protectedPaths(root)).toContainEqual({ path: gitdir, exists: true, kind: 'path' });
  });
});

describe('mount points for missing protected names', () => {
  it('are made sticky with a hold, and removed when the last lease is given back', () => {
    const root = scratch();
    const point = join(root, '.codex');
    const a = acquireMountPoints([point]);
    const b = acquireMountPoints([point]);
    expect(a.held).toEqual([point]);
    expect(b.held).toEqual([point]);
    expect(lstatSync(point).mode & 0o1000).toBe(0o1000);
    expect(isMountPoint(point)).toBe(true);
    expect(readdirSync(point)).toHaveLength(1);
    a.release();
    a.release(); // twice is harmless
    expect(existsSync(point)).toBe(true);
    b.release();
    expect(existsSync(point)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });

  it('a directory of the user is bound as it is and never removed', () => {
    const root = scratch();
    const point = join(root, '.codex');
    mkdirSync(point);
    const lease = acquireMountPoints([point]);
    expect(lease).toMatchObject({ held: [], existing: [point] });
    lease.release();
    expect(existsSync(point)).toBe(true);
    expect(isMountPoint(point)).toBe(false);
  });

  it('stays while another live process holds it; a dead process’s hold does not keep it', async () => {
    const root = scratch();
    const point = join(root, '.git');
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const lease = acquireMountPoints([point]);
      writeFileSync(join(point, `.opencodex-hold-${other.pid}-0123456789ab`), '');
      writeFileSync(join(point, '.opencodex-hold-999999999-0123456789ab'), '');
      lease.release();
      expect(existsSync(point)).toBe(true);
      expect(readdirSync(point)).toEqual([`.opencodex-hold-${other.pid}-0123456789ab`]);
      // The other process is gone (killed, say): the next user cleans up.
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
      acquireMountPoints([point]).release();
      expect(existsSync(point)).toBe(false);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('a mount point with anything but holds in it is not ours any more and is left alone', () => {
    const root = scratch();
    const point = join(root, '.opencodex');
    const lease = acquireMountPoints([point]);
    writeFileSync(join(point, 'something'), 'x');
    lease.release();
    expect(existsSync(join(point, 'something'))).toBe(true);
    expect(isMountPoint(point)).toBe(false);
  });

  it('is skipped where it cannot be made (the sandbox could not make it either)', () => {
    const root = scratch();
    const lease = acquireMountPoints([join(root, 'missing-parent', '.git')]);
    expect(lease).toMatchObject({ held: [], existing: [] });
  });
});
