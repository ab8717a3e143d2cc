/** A sandbox's placeholder `.git` (made while a command runs) is not a repository, a project root or a trust anchor. */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRootForTrust } from '../../src/config/index.js';
import { insideGitRepo } from '../../src/exec/index.js';
import { findProjectRoot, hasEntry, isSandboxMountPoint } from '../../src/shared/index.js';

/** A directory holding a placeholder `.git` as a running sandbox leaves it, with a subdirectory to start from. */
function withPlaceholder(): { parent: string; child: string } {
  const parent = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-mark-')));
  mkdirSync(join(parent, '.git'), { mode: 0o1700 });
  writeFileSync(join(parent, '.git', `.opencodex-hold-${process.pid}-abcdef012345`), '');
  const child = join(parent, 'project');
  mkdirSync(child);
  return { parent, child };
}

describe('sandbox mount points are not the real thing', () => {
  it('a placeholder .git is recognised; a real one, or one with content, is not', () => {
    const { parent } = withPlaceholder();
    expect(isSandboxMountPoint(join(parent, '.git'))).toBe(true);
    expect(hasEntry(parent, '.git')).toBe(false);
    const real = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-mark-real-')));
    mkdirSync(join(real, '.git'));
    expect(hasEntry(real, '.git')).toBe(true);
    mkdirSync(join(parent, '.git', 'hooks'), { recursive: true });
    expect(isSandboxMountPoint(join(parent, '.git'))).toBe(false);
  });

  it('no repository, no project root, no trust anchor above a placeholder', () => {
    const { child } = withPlaceholder();
    expect(insideGitRepo(child)).toBe(false);
    expect(findProjectRoot(child, ['.git'])).toBeNull();
    expect(gitRootForTrust(child)).toBeNull();
  });
});
