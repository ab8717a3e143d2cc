/** Shared fixtures for the sandbox tests: a scratch workspace and a loopback TCP listener. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Workspace {
  /** The workspace (cwd of the commands), with `.git/config` and a file `readme.txt`. */
  ws: string;
  /** A directory beside it that no policy makes writable (unless /tmp is writable). */
  outside: string;
  /** An extra directory for writable_roots / --add-dir. */
  extra: string;
}

export function makeWorkspace(): Workspace {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-sbx-')));
  const ws = join(base, 'ws');
  const outside = join(base, 'outside');
  const extra = join(base, 'extra');
  for (const d of [ws, outside, extra, join(ws, '.git')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(ws, '.git', 'config'), '[core]\n');
  writeFileSync(join(ws, 'readme.txt'), 'hello\n');
  return { ws, outside, extra };
}

/** A fresh opencodex home with the given files (name → content). */
export function makeHome(files: Record<string, string> = {}): string {
  const home = mkdtempSync(join(tmpdir(), 'ocx-sbx-home-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(home, name), text);
  return home;
}

export interface Listener {
  port: number;
  /** How many connections were accepted. */
  accepted: () => number;
  close: () => Promise<void>;
}

export async function listen(): Promise<Listener> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.on('error', () => undefined);
    socket.end('hi\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    port: address.port,
    accepted: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Host processes whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** Host processes running exactly `argv` (e.g. the sandboxed command, not the CLI that was given it). */
export function processesRunning(argv: readonly string[]): number[] {
  const want = `${argv.join('\0')}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8') === want) found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/**
 * Waits (up to `ms`) until no host process has `marker` in its command line, and returns the ones left:
 * a killed process can take a moment to disappear on a loaded machine, so the check polls instead of
 * looking once.
 */
export async function processesGone(marker: string, ms = 5000): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = processesWith(marker);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Polls `condition` until it holds; fails after `ms`, naming `what`. */
export async function until(condition: () => boolean, what = 'the condition', ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
