/** Running the built CLI (dist/opencodex.js) as a user would, with its own home directory. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const CLI = resolve(import.meta.dirname, '../../dist/opencodex.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  home?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
}

/** A fresh opencodex home, optionally with files (relative path → content). */
export function makeHome(files: Record<string, string> = {}): string {
  const home = mkdtempSync(join(tmpdir(), 'ocx-home-'));
  for (const [rel, text] of Object.entries(files)) {
    const path = join(home, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return home;
}

export function runCli(args: readonly string[], options: CliOptions = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, OPENCODEX_DEBUG: undefined, NO_COLOR: '1', ...options.env };
  if (options.home) env.OPENCODEX_HOME = options.home;
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: env as NodeJS.ProcessEnv,
    input: options.input ?? '',
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface AsyncCliOptions extends CliOptions {
  /**
   * Sends SIGINT once this holds (polled every 10 ms, and on every output chunk): e.g. once the scripted
   * server has the request, so the interrupt lands mid-turn however slow the machine is.
   */
  interruptWhen?: (output: { stdout: string; stderr: string }) => boolean;
  /** SIGKILL after this long (default 20 s): a hang shows up as status null, not as a stuck test run. */
  timeoutMs?: number;
  /** The child's stdin is this open file descriptor (a file, /dev/null) instead of a pipe fed with `input`. */
  stdinFd?: number;
}

/** Like runCli, but without blocking the event loop (needed when the test also serves HTTP). */
export function runCliAsync(args: readonly string[], options: AsyncCliOptions = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, OPENCODEX_DEBUG: undefined, NO_COLOR: '1', ...options.env };
  if (options.home) env.OPENCODEX_HOME = options.home;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: env as NodeJS.ProcessEnv, cwd: options.cwd, stdio: [options.stdinFd ?? 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    const check = (): void => {
      if (interrupted || !options.interruptWhen?.({ stdout, stderr })) return;
      interrupted = true;
      child.kill('SIGINT');
    };
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      check();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      check();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    const poll = options.interruptWhen ? setInterval(check, 10) : undefined;
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolvePromise({ status, stdout, stderr });
    });
    if (options.stdinFd !== undefined) return;
    if (options.input === undefined) child.stdin?.end();
    else child.stdin?.end(options.input);
  });
}

/**
 * Runs the CLI's `run(argv)` (src/cli/run.ts: commander, the commands, one-line errors, exit codes) in this
 * process, with the environment, working directory, stdout and stderr a spawned CLI would have: for the
 * many variants of parsing, config and error reporting, where a process start-up per case proves
 * nothing more. What only the built binary shows (the entry point, the exit status reaching the shell, the
 * version baked in by the build) stays with runCli.
 */
export async function runCliInProcess(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const { run } = await import('../../src/cli/run.js');
  const env: Record<string, string | undefined> = { ...process.env, OPENCODEX_DEBUG: undefined, NO_COLOR: '1', ...options.env };
  if (options.home) env.OPENCODEX_HOME = options.home;
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  if (options.input !== undefined && options.input !== '') throw new Error('runCliInProcess has no stdin; use runCli');
  const saved = { env: process.env, cwd: process.cwd(), exitCode: process.exitCode, out: process.stdout.write, err: process.stderr.write };
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (text: string) => void) =>
    (chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      if (typeof done === 'function') (done as () => void)();
      return true;
    };
  process.env = env as NodeJS.ProcessEnv;
  process.exitCode = undefined;
  if (options.cwd) process.chdir(options.cwd);
  process.stdout.write = capture((t) => (stdout += t)) as typeof process.stdout.write;
  process.stderr.write = capture((t) => (stderr += t)) as typeof process.stderr.write;
  try {
    const status = await run([...args]);
    return { status, stdout, stderr };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.chdir(saved.cwd);
    process.exitCode = saved.exitCode;
    process.env = saved.env;
  }
}
