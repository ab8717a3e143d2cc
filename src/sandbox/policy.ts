/**
 * Sandbox policies as Codex names them, and the filesystem roots each one makes writable.
 * The JSON shape of `SandboxPolicy` matches Codex's (`type` tag, kebab-case values, snake_case fields).
 */
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Config, SandboxMode } from '../config/index.js';

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

/** A directory the sandboxed command may write to, minus the subpaths that stay read-only. */
export interface WritableRoot {
  /** Canonical (symlink-free) absolute path. */
  root: string;
  /** Canonical paths inside `root` that exist and must stay read-only (`.git`, its `gitdir:` target, …). */
  readOnly: string[];
}

/** Names that stay read-only inside every writable root. */
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

/** Canonical paths that stay read-only inside `root`: existing protected names and `gitdir:` targets. */
export function protectedPaths(root: string): string[] {
  const out: string[] = [];
  for (const name of PROTECTED_NAMES) {
    const path = join(root, name);
    if (!existsSync(path)) continue;
    const real = canonical(path);
    if (real) out.push(real);
    if (name === '.git') {
      const target = gitdirTarget(path, root);
      if (target) out.push(target);
    }
  }
  return [...new Set(out)];
}

/**
 * The writable roots of a policy, canonical and de-duplicated, in the order cwd, /tmp, $TMPDIR, configured
 * roots. Directories that do not exist are left out (nothing can be written there anyway).
 * danger-full-access and read-only have none.
 */
export function writableRoots(policy: SandboxPolicy, cwd: string, env: NodeJS.ProcessEnv = process.env): WritableRoot[] {
  if (policy.type !== 'workspace-write') return [];
  const candidates = [cwd];
  if (!policy.exclude_slash_tmp) candidates.push('/tmp');
  const tmpdir = env.TMPDIR;
  if (!policy.exclude_tmpdir_env_var && tmpdir) candidates.push(tmpdir);
  candidates.push(...policy.writable_roots);
  const seen = new Set<string>();
  const roots: WritableRoot[] = [];
  for (const c of candidates) {
    const real = canonical(resolve(cwd, c));
    if (!real || seen.has(real)) continue;
    try {
      if (!statSync(real).isDirectory()) continue;
    } catch {
      continue;
    }
    seen.add(real);
    roots.push({ root: real, readOnly: protectedPaths(real) });
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
