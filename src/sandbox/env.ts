/**
 * `[shell_environment_policy]`: which environment variables a child process gets. Steps, in order:
 * inherit (all | core | none) → default excludes `*KEY*`, `*SECRET*`, `*TOKEN*` (only when
 * `ignore_default_excludes = false`) → `exclude` → `set` → `include_only`. Patterns are case-insensitive
 * globs with `*` and `?`.
 */
import type { ShellEnvironmentPolicy } from '../config/index.js';
import { hasNetwork, needsSandbox, type SandboxPolicy } from './policy.js';

export type ChildEnv = Record<string, string>;

/** The variables `inherit = "core"` keeps (the locale too, or tools fall back to ASCII and mangle UTF-8). */
export const CORE_ENV_VARS = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'USER', 'USERNAME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'LC_CTYPE'] as const;

export const DEFAULT_ENV_EXCLUDES = ['*KEY*', '*SECRET*', '*TOKEN*'] as const;

/** A case-insensitive glob (`*` any run, `?` one character) as a matcher. */
export function globMatcher(pattern: string): (name: string) => boolean {
  const body = [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${body}$`, 'is');
  return (name) => re.test(name);
}

function anyOf(patterns: readonly string[]): (name: string) => boolean {
  const matchers = patterns.map(globMatcher);
  return (name) => matchers.some((m) => m(name));
}

export function applyEnvPolicy(policy: ShellEnvironmentPolicy = {}, source: NodeJS.ProcessEnv = process.env): ChildEnv {
  const inherit = policy.inherit ?? 'all';
  const env: ChildEnv = {};
  const core = new Set<string>(CORE_ENV_VARS);
  if (inherit !== 'none') {
    for (const [k, v] of Object.entries(source)) {
      if (v === undefined) continue;
      if (inherit === 'all' || core.has(k)) env[k] = v;
    }
  }
  const drop = (patterns: readonly string[]): void => {
    const match = anyOf(patterns);
    for (const k of Object.keys(env)) if (match(k)) delete env[k];
  };
  if (policy.ignore_default_excludes === false) drop(DEFAULT_ENV_EXCLUDES);
  if (policy.exclude) drop(policy.exclude);
  if (policy.set) Object.assign(env, policy.set);
  if (policy.include_only && policy.include_only.length > 0) {
    const keep = anyOf(policy.include_only);
    for (const k of Object.keys(env)) if (!keep(k)) delete env[k];
  }
  return env;
}

/**
 * The markers a sandboxed child sees: `OPENCODEX_SANDBOX=bwrap` (and `CODEX_SANDBOX`) when it runs under
 * bubblewrap, `OPENCODEX_SANDBOX_NETWORK_DISABLED=1` (and the `CODEX_` twin) when its network is cut.
 */
export function sandboxMarkers(policy: SandboxPolicy): ChildEnv {
  const out: ChildEnv = {};
  if (!needsSandbox(policy)) return out;
  out.OPENCODEX_SANDBOX = 'bwrap';
  out.CODEX_SANDBOX = 'bwrap';
  if (!hasNetwork(policy)) {
    out.OPENCODEX_SANDBOX_NETWORK_DISABLED = '1';
    out.CODEX_SANDBOX_NETWORK_DISABLED = '1';
  }
  return out;
}
