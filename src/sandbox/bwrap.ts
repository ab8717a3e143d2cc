/**
 * Linux enforcement with bubblewrap: finding `bwrap`, checking that it can create namespaces here, and
 * turning a policy into its arguments. Every sandbox gets new user, PID and IPC namespaces (and a network
 * namespace when the network is off), no capabilities at all (also when opencodex runs as root), and this
 * filesystem view, built in order (later mounts win): `/` read-only, fresh `/dev` and `/proc`, writable
 * binds for the roots, then read-only re-binds of the protected paths inside them.
 */
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { UserError } from '../shared/index.js';
import { isExecutableFile, isInside } from './paths.js';
import { hasNetwork, type SandboxPolicy, type WritableRoot } from './policy.js';
import { forget, probeKey, recalled, remember } from './probe-cache.js';

export const BWRAP_INSTALL_HINT =
  'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap; Arch: pacman -S bubblewrap), ' +
  'or run with -s danger-full-access only inside a sandbox of your own';

/** Sandboxed commands cannot run here; they are refused, never run unsandboxed instead. */
export class SandboxUnavailableError extends UserError {
  constructor(message: string, hint: string = BWRAP_INSTALL_HINT) {
    super(message, { exitCode: 1, hint });
    this.name = 'SandboxUnavailableError';
  }
}

export interface Bwrap {
  path: string;
  /**
   * How this bwrap isolates users: a new user namespace where the kernel allows one (as root without one,
   * only the dropped capabilities). Capabilities are always dropped: bwrap run by root would otherwise keep
   * them all inside, enough to remount `/` read-write.
   */
  isolation: readonly string[];
  /**
   * Found working by an earlier run (the probe cache) and not yet by this one: a command it fails to start
   * makes `checkRecalledSandbox` probe again.
   */
  recalled?: boolean;
}

export type BwrapStatus = { ok: true; bwrap: Bwrap } | { ok: false; error: SandboxUnavailableError };

/** The first `bwrap` on PATH that is not inside `cwd` (a workspace must not be able to plant its own). */
export function findBwrap(pathEnv: string | undefined, cwd: string): string | null {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir) || isInside(dir, cwd)) continue;
    const candidate = join(dir, 'bwrap');
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

const PROBE_TIMEOUT_MS = 10_000;

function probe(path: string, isolation: readonly string[]): { ok: boolean; detail: string } {
  const args = [...isolation, ...baseArgs(), '--unshare-net', '--', 'true'];
  const r = spawnSync(path, args, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.error) return { ok: false, detail: r.error.message };
  const detail = (r.stderr ?? '').trim().split('\n')[0] ?? '';
  return { ok: r.status === 0, detail: detail || `exit status ${String(r.status ?? r.signal)}` };
}

const cache = new Map<string, BwrapStatus>();

const probeName = (path: string): string => `bwrap ${path}`;
const isIsolation = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === 'string');

/**
 * Finds bwrap and checks (once per path and process) that it can build a sandbox here. The result says
 * why not when it cannot: missing binary, not Linux, or no permission to create namespaces. A success an
 * earlier run remembered for this very bwrap, kernel, user and namespace settings (probe-cache.ts) is
 * taken without spawning the probe, marked `recalled`.
 */
export function detectBwrap(options: { pathEnv?: string | undefined; cwd?: string } = {}): BwrapStatus {
  if (process.platform !== 'linux') {
    return {
      ok: false,
      error: new SandboxUnavailableError(
        `the sandbox needs Linux with bubblewrap; it is not available on ${process.platform}`,
        'run with -s danger-full-access only inside a sandbox of your own',
      ),
    };
  }
  const path = findBwrap(options.pathEnv ?? process.env.PATH, options.cwd ?? process.cwd());
  if (!path) {
    return { ok: false, error: new SandboxUnavailableError('bubblewrap (bwrap) was not found on PATH, so sandboxed commands cannot run') };
  }
  const cached = cache.get(path);
  if (cached) return cached;
  const key = probeKey(path);
  const known = key === null ? undefined : recalled(probeName(path), key, isIsolation);
  const status: BwrapStatus = known ? { ok: true, bwrap: { path, isolation: known, recalled: true } } : probeNow(path, key);
  cache.set(path, status);
  return status;
}

/** Probes `path` (each isolation it may use, best first), remembering a success for `key`. */
function probeNow(path: string, key: string | null): BwrapStatus {
  const variants: string[][] = [['--unshare-user', '--cap-drop', 'ALL']];
  if (process.getuid?.() === 0) variants.push(['--cap-drop', 'ALL']);
  let first = '';
  for (const isolation of variants) {
    const r = probe(path, isolation);
    if (r.ok) {
      if (key !== null) remember(probeName(path), key, isolation);
      return { ok: true, bwrap: { path, isolation } };
    }
    first ||= r.detail;
  }
  return {
    ok: false,
    error: new SandboxUnavailableError(
      `${path} cannot create a sandbox here (${first}), so sandboxed commands cannot run`,
      'allow unprivileged user namespaces (e.g. sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu kernel.apparmor_restrict_unprivileged_userns=0), ' +
        'or run with -s danger-full-access only inside a sandbox of your own',
    ),
  };
}

/**
 * After a command ran under a `recalled` bwrap: when it ended the way bwrap ends when it cannot build the
 * sandbox (non-zero, its output starting with `bwrap: `), the remembered success is forgotten and bwrap is
 * probed again; the probe's error is returned when the sandbox is indeed unavailable (the command never
 * ran). Any other ending confirms the sandbox for the rest of this process. Null: nothing to report.
 */
export function checkRecalledSandbox(bwrap: Bwrap, exitCode: number, output: string): SandboxUnavailableError | null {
  if (!bwrap.recalled) return null;
  const current = cache.get(bwrap.path);
  if (exitCode === 0 || !output.startsWith('bwrap: ')) {
    if (current?.ok && current.bwrap.recalled) cache.set(bwrap.path, { ok: true, bwrap: { path: bwrap.path, isolation: current.bwrap.isolation } });
    return null;
  }
  forget(probeName(bwrap.path));
  const status = probeNow(bwrap.path, probeKey(bwrap.path));
  cache.set(bwrap.path, status);
  return status.ok ? null : status.error;
}

function baseArgs(): string[] {
  return ['--new-session', '--die-with-parent', '--unshare-pid', '--unshare-ipc', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
}

/** What a command's filesystem view needs beyond the writable roots. */
export interface BwrapView {
  roots: readonly WritableRoot[];
  /** Existing paths re-bound read-only over themselves (protected paths, and mount points made for missing ones). */
  readOnly: readonly string[];
  /** The descriptor (in the bwrap process) holding the seccomp program, when there is one. */
  seccompFd?: number;
}

/** The bwrap arguments (without the bwrap path) that run `argv` in `cwd` under `policy`. */
export function bwrapArgs(bwrap: Bwrap, policy: SandboxPolicy, view: BwrapView, cwd: string, argv: readonly string[]): string[] {
  const args = [...bwrap.isolation, ...baseArgs()];
  for (const { root } of view.roots) args.push('--bind', root, root);
  for (const p of view.readOnly) args.push('--ro-bind', p, p);
  if (!hasNetwork(policy)) args.push('--unshare-net');
  if (view.seccompFd !== undefined) args.push('--seccomp', String(view.seccompFd));
  args.push('--chdir', cwd, '--', ...argv);
  return args;
}

/**
 * Where mount points are needed: for each protected path that does not exist, the first missing component
 * on its way (usually the name itself), when that lies in a writable root and outside every existing
 * protected path (there nothing can be created anyway).
 */
export function missingMountPoints(roots: readonly WritableRoot[], exists: (path: string) => boolean): string[] {
  const existing = roots.flatMap((r) => r.protected.filter((p) => p.exists && p.kind === 'path').map((p) => p.path));
  const out = new Set<string>();
  for (const r of roots) {
    for (const p of r.protected) {
      if (p.exists || p.kind !== 'path') continue;
      let point = p.path;
      for (let parent = dirname(point); parent !== point && !exists(parent); parent = dirname(parent)) point = parent;
      if (!roots.some((w) => isInside(point, w.root) && point !== w.root)) continue;
      if (existing.some((e) => isInside(point, e))) continue;
      out.add(point);
    }
  }
  return [...out];
}
