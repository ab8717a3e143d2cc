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

/** Like runCli, but without blocking the event loop (needed when the test also serves HTTP). */
export function runCliAsync(args: readonly string[], options: CliOptions & { signalAfterMs?: number; timeoutMs?: number } = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, OPENCODEX_DEBUG: undefined, NO_COLOR: '1', ...options.env };
  if (options.home) env.OPENCODEX_HOME = options.home;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: env as NodeJS.ProcessEnv, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    const interrupt = options.signalAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGINT'), options.signalAfterMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      if (interrupt) clearTimeout(interrupt);
      resolvePromise({ status, stdout, stderr });
    });
    if (options.input === undefined) child.stdin.end();
    else child.stdin.end(options.input);
  });
}
