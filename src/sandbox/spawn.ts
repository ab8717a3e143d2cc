/**
 * From a request to a process: resolving the program, choosing between running it directly and wrapping
 * it in bubblewrap, and starting it with what the sandbox needs at that moment (mount points for missing
 * protected names, the seccomp program on a pipe). Used by the command runner and `opencodex sandbox`.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
  /**
   * Kills the process with everything it started: its process group, its descendants (a sandbox's init,
   * which has a session of its own) and, once it has exited, an orphaned sandbox init left by it.
   */
  kill(): void;
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
  const commandLine = `${[plan.file, ...args].join('\0')}\0`;
  let killed = false;
  if (options.detached && child.pid !== undefined) holdGroup(child.pid);
  child.once('exit', () => {
    if (child.pid !== undefined) liveGroups.delete(child.pid);
    if (killed && plan.sandboxed) killOrphans(commandLine);
  });
  return {
    child,
    release: lease.release,
    kill: () => {
      killed = true;
      // Killed now: opencodex ending later need not look for it again.
      if (child.pid !== undefined) liveGroups.delete(child.pid);
      killTree(child.pid);
    },
  };
}

/**
 * The process groups of the commands running now (started detached: a session of their own, so a terminal
 * closing does not reach them). When opencodex ends — normally, or by SIGHUP (the terminal closed), SIGTERM
 * or SIGQUIT — they are killed with everything below them, as Codex's children die with it: a command started
 * without a sandbox (danger-full-access) would otherwise outlive the session. (A sandboxed command also dies
 * with its bwrap, --die-with-parent.)
 */
const liveGroups = new Set<number>();
const ENDING_SIGNALS = ['SIGHUP', 'SIGTERM', 'SIGQUIT'] as const;
let hooksInstalled = false;

function killLiveGroups(): void {
  for (const pid of [...liveGroups]) killTree(pid);
  liveGroups.clear();
}

function holdGroup(pid: number): void {
  liveGroups.add(pid);
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killLiveGroups);
  for (const sig of ENDING_SIGNALS) {
    const onSignal = (): void => {
      killLiveGroups();
      // Alone, this listener took the signal's default away: give it back and take the signal again, so the
      // process ends as it would have (and its parent sees the signal). Other listeners decide themselves.
      if (process.listenerCount(sig) === 1) {
        process.off(sig, onSignal);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, onSignal);
  }
}

/** Parent pid of every process, from /proc (a snapshot). */
function parentLinks(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return children;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(e));
    children.set(ppid, list);
  }
  return children;
}

/** Host pids of everything below `pid`, from one /proc snapshot. */
function descendantsOf(pid: number): number[] {
  const links = parentLinks();
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const c of links.get(queue.shift() as number) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/**
 * Kills `pid`'s process group and every descendant. bubblewrap's init inside the sandbox starts a session
 * of its own, so the group alone can miss it; killing that init ends the sandbox's whole PID namespace.
 */
export function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  const below = descendantsOf(pid);
  killProcessGroup(pid);
  for (const d of below) {
    try {
      process.kill(d, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Kills orphans with exactly this command line: a sandbox's init (PID 1 of a namespace of its own) whose
 * bwrap was killed before the init could tie its life to bwrap's (bubblewrap's --die-with-parent is set
 * up in the child and can come too late). A live sandbox of another run still has its bwrap, with the
 * same command line, as parent, so it is left alone.
 */
function killOrphans(commandLine: string): void {
  const links = parentLinks();
  const cmdline = (pid: number): string | null => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return null;
    }
  };
  const parentOf = new Map<number, number>();
  for (const [parent, kids] of links) for (const k of kids) parentOf.set(k, parent);
  for (const [pid, parent] of parentOf) {
    if (cmdline(pid) !== commandLine || cmdline(parent) === commandLine) continue;
    try {
      const nspid = /^NSpid:\s+(.+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]?.trim().split(/\s+/) ?? [];
      if (nspid.length > 1 && nspid[nspid.length - 1] === '1') process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/**
 * SIGKILLs a child started with `detached: true` and everything in its process group. Right after spawn
 * the child may not have made its own group yet (it does so between fork and exec), so the group does not
 * exist: then the child itself is killed, before it can run anything.
 */
export function killProcessGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
