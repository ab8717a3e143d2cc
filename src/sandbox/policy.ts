/**
 * Sandbox policies as Codex names them, and the filesystem roots each one makes writable.
 * The JSON shape of `SandboxPolicy` matches Codex's (`type` tag, kebab-case values, snake_case fields).
 */
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Config, SandboxMode } from '../config/index.js';
import { resolveWritePath } from './paths.js';

export type SandboxPolicy =
  | { type: 'danger-full-access' }
  | { type: 'read-only' }
  | {
      type: 'workspace-write';
      writable_roots: string[];
      network_access: boolean;
      exclude_tmpdir_env_var: boolean;
      exclude_slash_tmp: boolean;
    };

/**
 * A path no command or patch may write inside, whether or not it exists yet. `kind: 'link'` is a protected
 * name that is itself a symlink: patches may not touch the link, and its target is protected as well.
 */
export interface ProtectedPath {
  path: string;
  exists: boolean;
  kind: 'path' | 'link';
}

/** A directory the sandboxed command may write to, minus the protected paths inside it. */
export interface WritableRoot {
  /** Canonical (symlink-free) absolute path. */
  root: string;
  /** `.git`, `.opencodex` and `.codex` in it (existing or not), what they point to, and a `gitdir:` target. */
  protected: ProtectedPath[];
}

/** Names that stay read-only inside every writable root, whether or not they exist yet. */
export const PROTECTED_NAMES = ['.git', '.opencodex', '.codex'] as const;

export function sandboxPolicyFor(
  mode: SandboxMode,
  settings: Config['sandbox_workspace_write'] = {},
  addDirs: readonly string[] = [],
  cwd: string = process.cwd(),
): SandboxPolicy {
  switch (mode) {
    case 'danger-full-access':
      return { type: 'danger-full-access' };
    case 'read-only':
      return { type: 'read-only' };
    case 'workspace-write':
      return {
        type: 'workspace-write',
        writable_roots: [...(settings.writable_roots ?? []), ...addDirs].map((d) => resolve(cwd, d)),
        network_access: settings.network_access ?? false,
        exclude_tmpdir_env_var: settings.exclude_tmpdir_env_var ?? false,
        exclude_slash_tmp: settings.exclude_slash_tmp ?? false,
      };
  }
}

export interface PolicyFromConfig {
  policy: SandboxPolicy;
  /** One-line notices for stderr (e.g. `--add-dir` ignored outside workspace-write). */
  warnings: string[];
}

/** The policy a loaded config selects; `addDirs` are the `--add-dir` directories. */
export function sandboxPolicyFromConfig(config: Config, cwd: string, addDirs: readonly string[] = []): PolicyFromConfig {
  const mode = config.sandbox_mode ?? 'read-only';
  const warnings: string[] = [];
  if (addDirs.length > 0 && mode !== 'workspace-write') {
    warnings.push(`--add-dir is ignored: the sandbox is ${mode}, and only workspace-write has writable directories`);
  }
  return { policy: sandboxPolicyFor(mode, config.sandbox_workspace_write, addDirs, cwd), warnings };
}

export function hasNetwork(policy: SandboxPolicy): boolean {
  return policy.type === 'danger-full-access' || (policy.type === 'workspace-write' && policy.network_access);
}

/** Whether commands under this policy need an OS sandbox at all. */
export function needsSandbox(policy: SandboxPolicy): boolean {
  return policy.type !== 'danger-full-access';
}

function canonical(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** The `gitdir:` target of a `.git` pointer file (worktrees, submodules), canonical, if it exists. */
function gitdirTarget(dotGit: string, root: string): string | null {
  try {
    if (!lstatSync(dotGit).isFile()) return null;
    const match = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    if (!match?.[1]) return null;
    return canonical(isAbsolute(match[1]) ? match[1] : join(root, match[1]));
  } catch {
    return null;
  }
}

/**
 * The protected paths of a writable root: the one rule for commands and patches alike. Each protected name
 * is protected where it is and, when it is a symlink, where it points; a `.git` pointer file's `gitdir:`
 * target is protected too. A name that does not exist is protected all the same, so that creating it
 * (`git init`, a planted `.git/hooks`) needs approval.
 */
export function protectedPaths(root: string): ProtectedPath[] {
  const out = new Map<string, ProtectedPath>();
  const add = (p: ProtectedPath): void => {
    if (!out.has(p.path)) out.set(p.path, p);
  };
  for (const name of PROTECTED_NAMES) {
    const path = join(root, name);
    let isLink = false;
    try {
      isLink = lstatSync(path).isSymbolicLink();
    } catch {
      add({ path, exists: false, kind: 'path' });
      continue;
    }
    if (isLink) {
      add({ path, exists: true, kind: 'link' });
      let target: string;
      try {
        target = canonical(path) ?? resolveWritePath(path, root);
      } catch {
        continue; // a symlink loop: nothing can be created through it
      }
      add({ path: target, exists: existsSync(target), kind: 'path' });
    } else {
      add({ path, exists: true, kind: 'path' });
    }
    if (name === '.git') {
      const target = gitdirTarget(path, root);
      if (target) add({ path: target, exists: true, kind: 'path' });
    }
  }
  return [...out.values()];
}

/**
 * The writable roots of a policy, canonical and de-duplicated, in the order: the session's working root,
 * /tmp, $TMPDIR, configured roots (`writable_roots`, `--add-dir`). `root` is always the session's working
 * root, never the directory a command asks to run in: a tool argument cannot add a writable root.
 * Directories that do not exist are left out (nothing can be written there anyway).
 * danger-full-access and read-only have none.
 */
export function writableRoots(policy: SandboxPolicy, root: string, env: NodeJS.ProcessEnv = process.env): WritableRoot[] {
  if (policy.type !== 'workspace-write') return [];
  const candidates = [root];
  if (!policy.exclude_slash_tmp) candidates.push('/tmp');
  const tmpdir = env.TMPDIR;
  if (!policy.exclude_tmpdir_env_var && tmpdir) candidates.push(tmpdir);
  candidates.push(...policy.writable_roots);
  const seen = new Set<string>();
  const roots: WritableRoot[] = [];
  for (const c of candidates) {
    const real = canonical(resolve(root, c));
    if (!real || seen.has(real)) continue;
    try {
      if (!statSync(real).isDirectory()) continue;
    } catch {
      continue;
    }
    seen.add(real);
    roots.push({ root: real, protected: protectedPaths(real) });
  }
  return roots;
}

/** A short description for banners and messages: `workspace-write [workdir, /tmp, $TMPDIR]`. */
export function describePolicy(policy: SandboxPolicy): string {
  if (policy.type !== 'workspace-write') return policy.type;
  const parts = ['workdir'];
  if (!policy.exclude_slash_tmp) parts.push('/tmp');
  if (!policy.exclude_tmpdir_env_var) parts.push('$TMPDIR');
  parts.push(...policy.writable_roots);
  const net = policy.network_access ? ', network on' : '';
  return `workspace-write [${parts.join(', ')}]${net}`;
}
