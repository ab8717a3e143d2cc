/**
 * Whether file changes made in-process (apply_patch does not run under bwrap) stay inside the writable
 * roots of a policy. Paths are resolved the way the kernel would resolve them when writing: `..` after a
 * symlink climbs from the symlink's target, and a symlink (even a dangling one) is followed to where the
 * write would land.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative } from 'node:path';
import { PROTECTED_NAMES, writableRoots, type SandboxPolicy } from './policy.js';

export type FileChange =
  | { kind: 'add'; path: string }
  | { kind: 'update'; path: string; movePath?: string | undefined }
  | { kind: 'delete'; path: string };

export interface PathVerdict {
  /** The path as given. */
  path: string;
  /** Where the change would land on disk. */
  resolved: string;
  allowed: boolean;
  /** Why not, for a message: outside every writable root, or inside a protected path. */
  reason?: 'outside-writable-roots' | 'protected-path' | 'read-only-sandbox';
}

export interface PatchCheck {
  /** True when every path may be written under the policy. */
  allowed: boolean;
  paths: PathVerdict[];
}

const MAX_SYMLINK_HOPS = 40;

/**
 * Resolves `path` (relative to `cwd`) through symlinks and `..` without requiring it to exist. With
 * `followLast = false` a final symlink is not followed (deleting a symlink removes the link itself).
 */
export function resolveWritePath(path: string, cwd: string, followLast = true): string {
  let hops = 0;
  const walk = (base: string, parts: string[]): string => {
    let cur = base;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        cur = dirname(cur);
        continue;
      }
      const next = join(cur, part);
      const last = i === parts.length - 1;
      let isLink = false;
      try {
        isLink = lstatSync(next).isSymbolicLink();
      } catch {
        // Missing: nothing below it exists either, so the rest resolves lexically.
        return normalize(join(next, ...parts.slice(i + 1)));
      }
      if (isLink && (followLast || !last)) {
        if (++hops > MAX_SYMLINK_HOPS) throw new Error(`too many levels of symbolic links: ${path}`);
        const target = readlinkSync(next);
        cur = walk(isAbsolute(target) ? '/' : cur, target.split('/'));
      } else {
        cur = next;
      }
    }
    return cur;
  };
  const absolute = isAbsolute(path) ? path : `${cwd}/${path}`;
  return walk('/', absolute.split('/'));
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The paths a change writes to (a move writes its destination and removes its source). */
function touched(change: FileChange): Array<{ path: string; followLast: boolean }> {
  switch (change.kind) {
    case 'add':
      return [{ path: change.path, followLast: true }];
    case 'delete':
      return [{ path: change.path, followLast: false }];
    case 'update':
      return change.movePath === undefined
        ? [{ path: change.path, followLast: true }]
        : [
            { path: change.path, followLast: false },
            { path: change.movePath, followLast: true },
          ];
  }
}

/**
 * Checks every path a set of changes touches. danger-full-access allows all; read-only allows none;
 * workspace-write allows paths inside a writable root but outside its `.git`, `.opencodex` and `.codex`
 * (protected whether or not they exist yet, so creating them needs approval) and any `gitdir:` target.
 */
export function checkPatchPaths(
  changes: readonly FileChange[],
  policy: SandboxPolicy,
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): PatchCheck {
  const roots = writableRoots(policy, cwd, env);
  const paths: PathVerdict[] = [];
  for (const change of changes) {
    for (const { path, followLast } of touched(change)) {
      const resolved = resolveWritePath(path, cwd, followLast);
      paths.push({ path, resolved, ...verdict(resolved, policy, roots) });
    }
  }
  return { allowed: paths.every((p) => p.allowed), paths };
}

function verdict(
  resolved: string,
  policy: SandboxPolicy,
  roots: ReturnType<typeof writableRoots>,
): Pick<PathVerdict, 'allowed' | 'reason'> {
  if (policy.type === 'danger-full-access') return { allowed: true };
  if (policy.type === 'read-only') return { allowed: false, reason: 'read-only-sandbox' };
  const holders = roots.filter((r) => isInside(resolved, r.root));
  if (holders.length === 0) return { allowed: false, reason: 'outside-writable-roots' };
  const blocked = holders.some(
    (r) =>
      PROTECTED_NAMES.some((name) => isInside(resolved, join(r.root, name))) ||
      r.readOnly.some((p) => isInside(resolved, p)),
  );
  return blocked ? { allowed: false, reason: 'protected-path' } : { allowed: true };
}
