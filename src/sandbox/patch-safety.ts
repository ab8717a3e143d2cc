/**
 * Whether file changes made in-process (apply_patch does not run under bwrap) stay inside the writable
 * roots of a policy and out of their protected paths. Paths are resolved the way the kernel would resolve
 * them when writing (see `resolveWritePath`).
 */
import { isInside, resolveWritePath } from './paths.js';
import { writableRoots, type SandboxPolicy } from './policy.js';

export { resolveWritePath } from './paths.js';

export type FileChange = (
  | { kind: 'add'; path: string }
  | { kind: 'update'; path: string; movePath?: string | undefined }
  | { kind: 'delete'; path: string }
) & {
  /** What the change does, for whoever is asked to approve it (not used by the checks). */
  preview?: ChangePreview | undefined;
};

/** A change as an approver sees it: a unified diff, and the file's text before and after (null: no file). */
export interface ChangePreview {
  diff: string;
  oldText: string | null;
  newText: string | null;
}

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
 * workspace-write allows paths inside a writable root but outside its protected paths (`protectedPaths`:
 * `.git`, `.opencodex`, `.codex` whether or not they exist yet, what they point to, a `gitdir:` target).
 * The writable roots come from the session's working `root`; relative paths resolve against `cwd` (the
 * directory the patch was given for, which never adds a root).
 */
export function checkPatchPaths(
  changes: readonly FileChange[],
  policy: SandboxPolicy,
  root: string,
  cwd: string = root,
  env: NodeJS.ProcessEnv = process.env,
): PatchCheck {
  const roots = writableRoots(policy, root, env);
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
  if (!roots.some((r) => isInside(resolved, r.root))) return { allowed: false, reason: 'outside-writable-roots' };
  const blocked = roots.some((r) => r.protected.some((p) => isInside(resolved, p.path)));
  return blocked ? { allowed: false, reason: 'protected-path' } : { allowed: true };
}
