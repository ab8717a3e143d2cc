/**
 * The sandboxed process runner: one command (argv, or a shell script via `shellScriptArgv`) under a
 * policy, with a timeout, an output cap and an abort signal. Output streams to a callback as it arrives
 * and is also captured (stdout and stderr interleaved in arrival order). When the command ends, whatever
 * it left running in its process group is killed.
 */
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { checkRecalledSandbox } from './bwrap.js';
import { Capture, type OutputTotals } from './capture.js';
import { killProcessGroup, planSpawn, ProgramNotFoundError, startPlan, type SpawnPlan, type SpawnRequest } from './spawn.js';

export type { SpawnPlan, SpawnRequest } from './spawn.js';

/** Codex's default for shell tools without `timeout_ms`. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** The longest timeout a command can have: Node's timers hold at most 2^31−1 ms (about 24.8 days). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** Codex's `DEFAULT_OUTPUT_BYTES_CAP`. */
export const DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;
/** The exit code reported for a command killed by its timeout (as Codex and coreutils `timeout` do). */
export const TIMEOUT_EXIT_CODE = 124;
/** How long to wait for output pipes after the process exits (background children may hold them). */
const DRAIN_MS = 2000;

/** A requested timeout as the runner applies it: a positive whole number of ms, at most `MAX_TIMEOUT_MS`. */
export function clampTimeout(ms: number): number {
  if (!Number.isFinite(ms)) return ms > 0 ? MAX_TIMEOUT_MS : DEFAULT_TIMEOUT_MS;
  return Math.min(Math.max(Math.round(ms), 1), MAX_TIMEOUT_MS);
}

export type OutputStream = 'stdout' | 'stderr';
export interface OutputChunk {
  stream: OutputStream;
  text: string;
}

export interface RunRequest extends SpawnRequest {
  /** Milliseconds before the process group is killed; default 10 s, at most `MAX_TIMEOUT_MS`. `0` means no limit. */
  timeoutMs?: number;
  /** Bytes of output kept (per captured stream; the first and last halves); default 1 MiB. */
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
  /** Output beyond `maxOutputBytes` was dropped (from the middle: the start and the end are kept). */
  truncated: boolean;
  /** What the command printed in all (stdout and stderr), also what was dropped. */
  outputTotals: OutputTotals;
  /** When output was dropped: the index in `output` where it was. */
  outputGap?: number;
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


function notFound(err: ProgramNotFoundError, plan: { sandboxed: boolean }): ExecResult {
  const output = `${err.message}\n`;
  return {
    exitCode: err.exitCode,
    output,
    stdout: '',
    stderr: output,
    durationMs: 0,
    timedOut: false,
    aborted: false,
    truncated: false,
    outputTotals: { bytes: Buffer.byteLength(output), chars: output.length, lines: 2 },
    sandboxed: plan.sandboxed,
    sandboxDenied: false,
  };
}

/**
 * Runs a command under its policy. A program that does not exist ends as a shell would (127, or 126 when
 * it is not executable). Rejects only when it cannot start (no sandbox, spawn failure).
 */
export function runCommand(req: RunRequest): Promise<ExecResult> {
  let plan: SpawnPlan;
  try {
    plan = planSpawn(req);
  } catch (err) {
    if (err instanceof ProgramNotFoundError) return Promise.resolve(notFound(err, { sandboxed: req.policy.type !== 'danger-full-access' }));
    return Promise.reject(err);
  }
  const cap = req.maxOutputBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  const timeoutMs = req.timeoutMs === 0 ? 0 : clampTimeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const began = performance.now();

  return new Promise<ExecResult>((resolvePromise, reject) => {
    if (req.signal?.aborted) {
      reject(new Error('aborted before start'));
      return;
    }
    // A process group of its own, so a timeout, an abort or the end of the run kills it with its children.
    let started: ReturnType<typeof startPlan>;
    try {
      started = startPlan(plan, ['ignore', 'pipe', 'pipe'], { detached: true });
    } catch (e) {
      reject(e);
      return;
    }
    const { child } = started;
    const stdout = child.stdout;
    const stderr = child.stderr;
    if (!stdout || !stderr) {
      started.release();
      reject(new Error('the command has no output pipes'));
      return;
    }
    const all = new Capture(cap);
    const out = new Capture(cap);
    const err = new Capture(cap);
    let timedOut = false;
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    let drainTimer: NodeJS.Timeout | undefined;

    const onData = (stream: OutputStream, capture: Capture, decoder: StringDecoder) => (chunk: Buffer) => {
      all.add(chunk);
      capture.add(chunk);
      if (req.onOutput) {
        const text = decoder.write(chunk);
        if (text) req.onOutput({ stream, text });
      }
    };
    const outDecoder = new StringDecoder('utf8');
    const errDecoder = new StringDecoder('utf8');
    stdout.on('data', onData('stdout', out, outDecoder));
    stderr.on('data', onData('stderr', err, errDecoder));

    const timer = timeoutMs > 0 ? setTimeout(() => {
      timedOut = true;
      started.kill();
    }, timeoutMs) : undefined;
    const onAbort = (): void => {
      aborted = true;
      started.kill();
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (): void => {
      if (settled || !exit) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      req.signal?.removeEventListener('abort', onAbort);
      stdout.destroy();
      stderr.destroy();
      started.release();
      if (req.onOutput) {
        const tailOut = outDecoder.end();
        if (tailOut) req.onOutput({ stream: 'stdout', text: tailOut });
        const tailErr = errDecoder.end();
        if (tailErr) req.onOutput({ stream: 'stderr', text: tailErr });
      }
      const { code, signal } = exit;
      const exitCode = timedOut ? TIMEOUT_EXIT_CODE : code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);
      const captured = all.result();
      const output = captured.text;
      // A sandbox an earlier run found working that fails to build now: reported as when this run finds it so.
      const broken = plan.bwrap ? checkRecalledSandbox(plan.bwrap, exitCode, err.result().text) : null;
      if (broken) {
        reject(broken);
        return;
      }
      resolvePromise({
        exitCode,
        output,
        stdout: out.result().text,
        stderr: err.result().text,
        durationMs: performance.now() - began,
        timedOut,
        aborted,
        truncated: all.truncated,
        outputTotals: captured.totals,
        ...(captured.gap !== undefined ? { outputGap: captured.gap } : {}),
        sandboxed: plan.sandboxed,
        sandboxDenied: isLikelySandboxDenial({ sandboxed: plan.sandboxed, exitCode, timedOut, output }),
      });
    };

    child.on('error', (e) => {
      if (exit) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      started.release();
      reject(e);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // What the command left running in its group (`cmd &`) ends with it.
      killProcessGroup(child.pid);
      // Children that left the group may keep the pipes open; do not wait for them forever.
      drainTimer = setTimeout(finish, timedOut || aborted ? 200 : DRAIN_MS);
    });
    child.on('close', () => finish());
  });
}
