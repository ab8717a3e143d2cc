/**
 * From a request to a process: resolving the program, choosing between running it directly and wrapping
 * it in bubblewrap, and starting it with what the sandbox needs at that moment (mount points for missing
 * protected names, the seccomp program on a pipe). Used by the command runner and `opencodex sandbox`.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { bwrapArgs, detectBwrap, missingMountPoints, SandboxUnavailableError, type Bwrap } from './bwrap.js';
import { sandboxMarkers, type ChildEnv } from './env.js';
import { acquireMountPoints, isMountPoint } from './mount-points.js';
import { isExecutableFile } from './paths.js';
import { hasNetwork, needsSandbox, writableRoots, type SandboxPolicy, type WritableRoot } from './policy.js';
import { networkFilter, networkFilterSupported } from './seccomp.js';

export interface SpawnRequest {
  policy: SandboxPolicy;
  /** Program and arguments; for a shell script use `shellScriptArgv`. */
  argv: readonly string[];
  /** Where the command runs. It never widens the sandbox: it may be anywhere, read-only outside the roots. */
  cwd: string;
  /**
   * The session's working root: the writable roots and their protected paths come from it (and from the
   * policy), never from `cwd`, which a model chooses.
   */
  root: string;
  /** The child's environment, already filtered by `applyEnvPolicy`; sandbox markers are added to it. */
  env: ChildEnv;
  /** Where to look for bwrap (default: this process's PATH). */
  pathEnv?: string | undefined;
}

/** What to spawn: either the command itself or bwrap wrapping it. */
export interface SpawnPlan {
  file: string;
  args: string[];
  cwd: string;
  env: ChildEnv;
  sandboxed: boolean;
  /** Writable roots of the sandbox (empty without one). */
  roots: WritableRoot[];
  /** Existing protected paths bound read-only. */
  readOnly: string[];
  /** Protected paths that need a mount point made for the run. */
  mountPoints: string[];
  /** The seccomp program, passed to bwrap on descriptor 3. */
  seccomp: Buffer | null;
  /** Everything but the view: rebuilds the bwrap arguments once the mount points are known. */
  build?: (readOnly: readonly string[]) => string[];
  /** The bwrap that wraps the command (sandboxed plans); see `checkRecalledSandbox` when it is `recalled`. */
  bwrap?: Bwrap;
}

/** The program could not be found or run; `exitCode` is what a shell would answer (127 or 126). */
export class ProgramNotFoundError extends Error {
  constructor(
    readonly program: string,
    readonly exitCode: 126 | 127,
  ) {
    super(exitCode === 127 ? `${program}: command not found` : `${program}: permission denied (not an executable file)`);
    this.name = 'ProgramNotFoundError';
  }
}

/** Finds `program` as a shell would (a name with `/` as a path from `cwd`, else on `pathEnv`). */
export function resolveProgram(program: string, pathEnv: string | undefined, cwd: string): string {
  if (program === '') throw new ProgramNotFoundError(program, 127);
  if (program.includes('/')) {
    const path = resolve(cwd, program);
    if (isExecutableFile(path)) return path;
    throw new ProgramNotFoundError(program, existsSync(path) ? 126 : 127);
  }
  let found126 = false;
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    const path = resolve(cwd, dir === '' ? '.' : dir, program);
    if (isExecutableFile(path)) return path;
    if (existsSync(path)) found126 = true;
  }
  throw new ProgramNotFoundError(program, found126 ? 126 : 127);
}

const SECCOMP_FD = 3;

/**
 * Resolves how to spawn a request. Throws `SandboxUnavailableError` when the policy needs a sandbox that
 * cannot be built here (it never falls back to running the command unsandboxed), and
 * `ProgramNotFoundError` when the program does not exist.
 */
export function planSpawn(req: SpawnRequest, bwrap?: Bwrap): SpawnPlan {
  const cwd = resolve(req.root, req.cwd);
  const [program, ...rest] = req.argv;
  if (program === undefined) throw new Error('empty command');
  resolveProgram(program, req.env.PATH, cwd);
  if (!needsSandbox(req.policy)) {
    return { file: program, args: rest, cwd, env: { ...req.env }, sandboxed: false, roots: [], readOnly: [], mountPoints: [], seccomp: null };
  }
  let wrapper = bwrap;
  if (!wrapper) {
    const status = detectBwrap({ pathEnv: req.pathEnv, cwd: req.root });
    if (!status.ok) throw status.error;
    wrapper = status.bwrap;
  }
  let seccomp: Buffer | null = null;
  if (!hasNetwork(req.policy)) {
    if (!networkFilterSupported()) {
      throw new SandboxUnavailableError(
        `the sandbox cannot cut UNIX-socket access on the ${process.arch} architecture, so commands without network cannot run`,
        'enable the network for commands (-c sandbox_workspace_write.network_access=true with workspace-write) or use -s danger-full-access inside a sandbox of your own',
      );
    }
    seccomp = networkFilter();
  }
  // $TMPDIR as a writable root is this process's, as for patch checks (the child's may be filtered out).
  const roots = writableRoots(req.policy, req.root, process.env);
  const existing = roots.flatMap((r) => r.protected.filter((p) => p.exists && p.kind === 'path').map((p) => p.path));
  // A mount point left by a killed process (or held by another one) is joined, so its last user removes it.
  const readOnly = existing.filter((p) => !isMountPoint(p));
  const mountPoints = [...existing.filter((p) => isMountPoint(p)), ...missingMountPoints(roots, existsSync)];
  const w = wrapper;
  const build = (ro: readonly string[]): string[] =>
    bwrapArgs(w, req.policy, { roots, readOnly: ro, ...(seccomp ? { seccompFd: SECCOMP_FD } : {}) }, cwd, req.argv);
  return {
    file: w.path,
    args: build([...readOnly, ...mountPoints]),
    cwd,
    env: { ...req.env, ...sandboxMarkers(req.policy) },
    sandboxed: true,
    roots,
    readOnly,
    mountPoints,
    seccomp,
    build,
    bwrap: w,
  };
}

export interface Started {
  child: ChildProcess;
  /** Gives back what the run held (mount points); call once the process has exited. */
  release(): void;
}

/**
 * Starts a plan: makes the mount points, spawns, and hands bwrap its seccomp program on descriptor 3.
 * `stdio` covers descriptors 0–2; the sandbox adds its own pipe after them.
 */
export function startPlan(plan: SpawnPlan, stdio: [StdioOptions, StdioOptions, StdioOptions] | StdioOptions[], options: { detached?: boolean } = {}): Started {
  const lease = acquireMountPoints(plan.mountPoints);
  let args = plan.args;
  if (plan.build && plan.mountPoints.length > 0) args = plan.build([...plan.readOnly, ...lease.existing, ...lease.held]);
  const fds = [...(stdio as StdioOptions[])];
  if (plan.seccomp) fds[SECCOMP_FD] = 'pipe';
  let child: ChildProcess;
  try {
    child = spawn(plan.file, args, { cwd: plan.cwd, env: plan.env, stdio: fds as StdioOptions, detached: options.detached ?? false });
  } catch (err) {
    lease.release();
    throw err;
  }
  if (plan.seccomp) {
    const pipe = child.stdio[SECCOMP_FD] as NodeJS.WritableStream | null | undefined;
    if (pipe) {
      pipe.on('error', () => undefined); // bwrap failed before reading it; its exit says why
      pipe.end(plan.seccomp);
    }
  }
  return { child, release: lease.release };
}
