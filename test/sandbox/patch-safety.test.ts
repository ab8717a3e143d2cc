/** Patch confinement: which file changes stay inside the writable roots, with `..` and symlinks resolved. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPatchPaths, resolveWritePath, sandboxPolicyFor, type FileChange, type SandboxPolicy } from '../../src/sandbox/index.js';
import { makeWorkspace, type Workspace } from './helpers.js';

let fx: Workspace;
let policy: SandboxPolicy;

beforeAll(() => {
  fx = makeWorkspace();
  policy = sandboxPolicyFor('workspace-write', { exclude_slash_tmp: true, exclude_tmpdir_env_var: true }, [fx.extra], fx.ws);
  mkdirSync(join(fx.ws, 'src'));
  writeFileSync(join(fx.ws, 'src', 'a.ts'), '');
  symlinkSync(fx.outside, join(fx.ws, 'out-dir'));
  symlinkSync(join(fx.outside, 'target.txt'), join(fx.ws, 'dangling-out'));
  symlinkSync('src', join(fx.ws, 'src-link'));
  symlinkSync('loop-b', join(fx.ws, 'loop-a'));
  symlinkSync('loop-a', join(fx.ws, 'loop-b'));
});

const allowed = (changes: FileChange[], p: SandboxPolicy = policy): boolean => checkPatchPaths(changes, p, fx.ws, fx.ws, {}).allowed;

describe('resolveWritePath', () => {
  it('resolves .., symlinked directories, dangling symlinks and missing tails', () => {
    expect(resolveWritePath('src/../src/a.ts', fx.ws)).toBe(join(fx.ws, 'src', 'a.ts'));
    expect(resolveWritePath('out-dir/x.txt', fx.ws)).toBe(join(fx.outside, 'x.txt'));
    expect(resolveWritePath('dangling-out', fx.ws)).toBe(join(fx.outside, 'target.txt'));
    expect(resolveWritePath('dangling-out', fx.ws, false)).toBe(join(fx.ws, 'dangling-out'));
    expect(resolveWritePath('src-link/new/deep.ts', fx.ws)).toBe(join(fx.ws, 'src', 'new', 'deep.ts'));
    // `..` after a symlink climbs from the link's target, as the kernel does.
    expect(resolveWritePath('out-dir/../escape.txt', fx.ws)).toBe(join(fx.outside, '..', 'escape.txt'));
    expect(resolveWritePath('missing/../../outside/x', fx.ws)).toBe(join(fx.outside, 'x'));
    expect(() => resolveWritePath('loop-a/x', fx.ws)).toThrow(/symbolic links/);
  });
});

describe('checkPatchPaths under workspace-write', () => {
  it('allows adds, updates, deletes and moves inside the roots', () => {
    expect(allowed([{ kind: 'add', path: 'src/new.ts' }, { kind: 'update', path: 'src/a.ts' }])).toBe(true);
    expect(allowed([{ kind: 'update', path: 'src/a.ts', movePath: 'lib/a.ts' }])).toBe(true);
    expect(allowed([{ kind: 'add', path: join(fx.extra, 'x.txt') }])).toBe(true);
    expect(allowed([{ kind: 'add', path: 'src-link/b.ts' }])).toBe(true);
    // Deleting a symlink removes the link, which lives inside the workspace.
    expect(allowed([{ kind: 'delete', path: 'dangling-out' }])).toBe(true);
  });

  it('refuses paths outside the roots: absolute, .., symlinked dir, dangling symlink, move target', () => {
    expect(allowed([{ kind: 'add', path: join(fx.outside, 'x.txt') }])).toBe(false);
    expect(allowed([{ kind: 'add', path: '../outside/x.txt' }])).toBe(false);
    expect(allowed([{ kind: 'add', path: 'out-dir/x.txt' }])).toBe(false);
    expect(allowed([{ kind: 'update', path: 'dangling-out' }])).toBe(false);
    expect(allowed([{ kind: 'update', path: 'src/a.ts', movePath: '../outside/a.ts' }])).toBe(false);
    expect(allowed([{ kind: 'add', path: '/etc/passwd' }])).toBe(false);
    // One bad path spoils the set, and is named.
    const check = checkPatchPaths([{ kind: 'add', path: 'ok.ts' }, { kind: 'add', path: 'out-dir/bad.ts' }], policy, fx.ws, fx.ws, {});
    expect(check.allowed).toBe(false);
    expect(check.paths.filter((p) => !p.allowed)).toEqual([
      { path: 'out-dir/bad.ts', resolved: join(fx.outside, 'bad.ts'), allowed: false, reason: 'outside-writable-roots' },
    ]);
  });

  it('refuses protected paths, existing or not', () => {
    expect(allowed([{ kind: 'update', path: '.git/config' }])).toBe(false);
    expect(allowed([{ kind: 'add', path: '.codex/config.toml' }])).toBe(false);
    expect(allowed([{ kind: 'add', path: '.opencodex/x' }])).toBe(false);
    expect(allowed([{ kind: 'add', path: 'src/../.git/hooks/pre-commit' }])).toBe(false);
    expect(allowed([{ kind: 'add', path: '.github/workflows/ci.yml' }])).toBe(true);
    const check = checkPatchPaths([{ kind: 'add', path: '.git/x' }], policy, fx.ws, fx.ws, {});
    expect(check.paths[0]?.reason).toBe('protected-path');
  });

  it('honours /tmp and $TMPDIR unless excluded', () => {
    const withTmp = sandboxPolicyFor('workspace-write', {}, [], fx.ws);
    expect(checkPatchPaths([{ kind: 'add', path: join(fx.outside, 'x') }], withTmp, fx.ws, fx.ws, {}).allowed).toBe(true);
    const onlyTmpdir = sandboxPolicyFor('workspace-write', { exclude_slash_tmp: true }, [], fx.ws);
    expect(checkPatchPaths([{ kind: 'add', path: join(fx.outside, 'x') }], onlyTmpdir, fx.ws, fx.ws, { TMPDIR: fx.outside }).allowed).toBe(true);
    expect(checkPatchPaths([{ kind: 'add', path: join(fx.outside, 'x') }], onlyTmpdir, fx.ws, fx.ws, {}).allowed).toBe(false);
  });
});

describe('checkPatchPaths under the other modes', () => {
  it('read-only allows nothing, danger-full-access everything', () => {
    expect(allowed([{ kind: 'add', path: 'src/new.ts' }], sandboxPolicyFor('read-only'))).toBe(false);
    expect(checkPatchPaths([{ kind: 'add', path: 'x' }], sandboxPolicyFor('read-only'), fx.ws, fx.ws, {}).paths[0]?.reason).toBe('read-only-sandbox');
    expect(allowed([{ kind: 'add', path: '/etc/x' }, { kind: 'update', path: '.git/config' }], sandboxPolicyFor('danger-full-access'))).toBe(true);
  });
});
