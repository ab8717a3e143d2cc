/**
 * The sandboxed process runner: one command (argv, or a shell script via `shellScriptArgv`) under a
 * policy, with a timeout, an output cap and an abort signal. Output streams to a callback as it arrives
 * and is also collected (stdout and stderr interleaved in arrival order).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { bwrapArgs, detectBwrap, type Bwrap } from './bwrap.js';
import { sandboxMarkers, type ChildEnv } from './env.js';
import { needsSandbox, writableRoots, type SandboxPolicy } from './policy.js';

/** Codex's default for shell tools without `timeout_ms`. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Codex's `DEFAULT_OUTPUT_BYTES_CAP`. */
export const DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;
/** The exit code reported for a command killed by its timeout (as Codex and coreutils `timeout` do). */
export const TIMEOUT_EXIT_CODE = 124;
/** How long to wait for output pipes after the process exits (background children may hold them). */
const DRAIN_MS = 2000;

export type OutputStream = 'stdout' | 'stderr';
export interface OutputChunk {
  stream: OutputStream;
  text: string;
}

export interface SpawnRequest {
  policy: SandboxPolicy;
  /** Program and arguments; for a shell script use `shellScriptArgv`. */
  argv: readonly string[];
  cwd: string;
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
}

export interface RunRequest extends SpawnRequest {
  /** Milliseconds before the process group is killed; default 10 s. `0` means no limit. */
  timeoutMs?: number;
  /** Bytes of output kept (per collected buffer); default 1 MiB. */
  maxOutputBytes?: number;
  signal?: AbortSignal;
  onOutput?: (chunk: OutputChunk) => void;
}

export interface ExecResult {
  /** The exit status; 128+N for signal N; 124 after a timeout. */
  exitCode: number;
  /** stdout and stderr in arrival order. */
  output: string;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  aborted: boolean;
  /** Output beyond `maxOutputBytes` was dropped. */
  truncated: boolean;
  sandboxed: boolean;
  /** Non-zero exit whose output looks like the sandbox refused something (`isLikelySandboxDenial`). */
  sandboxDenied: boolean;
}

/** argv that runs `script` with a shell (`-lc` for a login shell, as Codex's `login` parameter). */
export function shellScriptArgv(script: string, options: { shell?: string; login?: boolean } = {}): string[] {
  return [options.shell ?? 'bash', options.login ? '-lc' : '-c', script];
}

const DENIAL_MARKERS = [
  'operation not permitted',
  'permission denied',
  'read-only file system',
  'seccomp',
  'sandbox',
  'landlock',
  'failed to write file',
];

/**
 * Whether a failed sandboxed command was probably stopped by the sandbox (Codex's heuristic): non-zero exit,
 * not 2/126/127 (usage errors, not executable, not found), not a timeout, and a telltale phrase in the output.
 */
export function isLikelySandboxDenial(r: { sandboxed: boolean; exitCode: number; timedOut: boolean; output: string }): boolean {
  if (!r.sandboxed || r.timedOut || r.exitCode === 0) return false;
  if (r.exitCode === 2 || r.exitCode === 126 || r.exitCode === 127) return false;
  if (r.exitCode === 128 + constants.signals.SIGSYS) return true;
  const text = r.output.toLowerCase();
  return DENIAL_MARKERS.some((m) => text.includes(m));
}

/**
 * Resolves how to spawn a request. Throws `SandboxUnavailableError` when the policy needs a sandbox that
 * cannot be built here; it never falls back to running the command unsandboxed.
 */
export function planSpawn(req: SpawnRequest, bwrap?: Bwrap): SpawnPlan {
  const cwd = resolve(req.cwd);
  const [program, ...rest] = req.argv;
  if (program === undefined) throw new Error('empty command');
  if (!needsSandbox(req.policy)) return { file: program, args: rest, cwd, env: { ...req.env }, sandboxed: false };
  let wrapper = bwrap;
  if (!wrapper) {
    const status = detectBwrap({ pathEnv: req.pathEnv, cwd });
    if (!status.ok) throw status.error;
    wrapper = status.bwrap;
  }
  // $TMPDIR as a writable root is this process's, as for patch checks (the child's may be filtered out).
  const roots = writableRoots(req.policy, cwd, process.env);
  return {
    file: wrapper.path,
    args: bwrapArgs(wrapper, req.policy, roots, cwd, req.argv),
    cwd,
    env: { ...req.env, ...sandboxMarkers(req.policy) },
    sandboxed: true,
  };
}

class Collector {
  private readonly parts: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly cap: number) {}
  add(chunk: Buffer): void {
    const room = this.cap - this.size;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.truncated = true;
    this.parts.push(kept);
    this.size += kept.length;
  }
  text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs a command under its policy. Rejects only when it cannot start (no sandbox, spawn failure). */
export function runCommand(req: RunRequest): Promise<ExecResult> {
  let plan: SpawnPlan;
  try {
    plan = planSpawn(req);
  } catch (err) {
    return Promise.reject(err);
  }
  const cap = req.maxOutputBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = performance.now();

  return new Promise<ExecResult>((resolvePromise, reject) => {
    if (req.signal?.aborted) {
      reject(new Error('aborted before start'));
      return;
    }
    // A process group of its own, so a timeout or abort can kill the command with all its children.
    const child = spawn(plan.file, plan.args, { cwd: plan.cwd, env: plan.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const all = new Collector(cap);
    const out = new Collector(cap);
    const err = new Collector(cap);
    let timedOut = false;
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    let drainTimer: NodeJS.Timeout | undefined;

    const onData = (stream: OutputStream, collector: Collector, decoder: StringDecoder) => (chunk: Buffer) => {
      all.add(chunk);
      collector.add(chunk);
      if (req.onOutput) {
        const text = decoder.write(chunk);
        if (text) req.onOutput({ stream, text });
      }
    };
    const outDecoder = new StringDecoder('utf8');
    const errDecoder = new StringDecoder('utf8');
    child.stdout.on('data', onData('stdout', out, outDecoder));
    child.stderr.on('data', onData('stderr', err, errDecoder));

    const timer = timeoutMs > 0 ? setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs) : undefined;
    const onAbort = (): void => {
      aborted = true;
      killGroup(child.pid);
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (): void => {
      if (settled || !exit) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      req.signal?.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      if (req.onOutput) {
        const tailOut = outDecoder.end();
        if (tailOut) req.onOutput({ stream: 'stdout', text: tailOut });
        const tailErr = errDecoder.end();
        if (tailErr) req.onOutput({ stream: 'stderr', text: tailErr });
      }
      const { code, signal } = exit;
      const exitCode = timedOut ? TIMEOUT_EXIT_CODE : code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);
      const output = all.text();
      resolvePromise({
        exitCode,
        output,
        stdout: out.text(),
        stderr: err.text(),
        durationMs: performance.now() - started,
        timedOut,
        aborted,
        truncated: all.truncated,
        sandboxed: plan.sandboxed,
        sandboxDenied: isLikelySandboxDenial({ sandboxed: plan.sandboxed, exitCode, timedOut, output }),
      });
    };

    child.on('error', (e) => {
      if (exit) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Children left in the background may keep the pipes open; do not wait for them forever.
      drainTimer = setTimeout(finish, timedOut || aborted ? 200 : DRAIN_MS);
    });
    child.on('close', () => finish());
  });
}
