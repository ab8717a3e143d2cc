/** What the end-to-end tests share: a scripted server per test file, git workspaces, a quiet HOME, JSONL. */
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, onTestFinished } from 'vitest';
import { startScriptedServer, type ScriptedServer } from './scripted-server.js';

/**
 * Starts a scripted server for the calling test file (stopped after it, reset before each test) and
 * returns a handle to it, usable once the file's tests run.
 */
export function useScriptedServer(): ScriptedServer {
  let server: ScriptedServer | undefined;
  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => server?.reset());
  return new Proxy({} as ScriptedServer, {
    get(_target, key) {
      if (!server) throw new Error('the scripted server starts in beforeAll; use it inside tests');
      const value: unknown = Reflect.get(server, key);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(server) : value;
    },
  });
}

/** A fresh git workspace (a `.git` directory is enough for the git check), optionally with files. */
export function gitWorkspace(files: Record<string, string> = {}, prefix = 'ocx-ws-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, '.git'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/**
 * Where dirOutsideGit makes its directories: /var/tmp when it can (writable, not /tmp or $TMPDIR or under
 * them, no `.git` above it), else the temporary directory.
 */
const outsideGitBase = ((): string => {
  const tmp = realpathSync(tmpdir());
  const related = (a: string, b: string): boolean => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  const gitAbove = (dir: string): boolean => dir.split('/').some((_, i, parts) => existsSync(join('/', ...parts.slice(0, i + 1), '.git')));
  try {
    accessSync('/var/tmp', constants.W_OK);
    const base = realpathSync('/var/tmp');
    if (!related(base, tmp) && !related(base, '/tmp') && !gitAbove(base)) return base;
  } catch {
    // no usable /var/tmp
  }
  return tmp;
})();

/**
 * A fresh directory with no `.git` above it, for what happens outside a repository; removed when the test
 * ends. Not under /tmp: while the suite runs, the sandboxed commands of the test files running beside
 * this one make /tmp/.git (a read-only mount point for the protected name, src/sandbox/mount-points.ts)
 * for as long as each command runs, and every directory under /tmp is then inside a "repository".
 */
export function dirOutsideGit(prefix = 'ocx-nogit-'): string {
  const dir = realpathSync(mkdtempSync(join(outsideGitBase, prefix)));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A HOME without the machine's shell profile, so `bash -lc` prints nothing of its own. */
export const quietHome = mkdtempSync(join(tmpdir(), 'ocx-userhome-'));

export type Json = Record<string, unknown>;

/** The JSONL events on an `exec --json` stdout. */
export const jsonLines = (stdout: string): Json[] => stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Json);

/** Every rollout file under a home's sessions/. */
export function rolloutFiles(home: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  walk(join(home, 'sessions'));
  return out.sort();
}
