/**
 * Terminals for commands: util-linux `script` opens a pseudo-terminal and runs the command on it as the
 * session leader with a controlling terminal, relaying our pipes to and from the terminal's master side.
 * It runs *inside* the sandbox, so the terminal comes from the sandbox's own devpts instance (bubblewrap's
 * `--dev /dev` mounts a fresh one): the command sees `/dev/pts/0`, job control and Ctrl-C work as on any
 * terminal (the line discipline turns `\x03` into SIGINT for the foreground process group), and nothing of
 * the host's terminals is reachable. No native module is loaded into opencodex for it.
 */
import { spawnSync } from 'node:child_process';
import { delimiter, isAbsolute, join } from 'node:path';
import { shellWord } from '../shared/index.js';
import type { ChildEnv } from './env.js';
import { isExecutableFile, isInside } from './paths.js';
import { probeKey, recalled, remember } from './probe-cache.js';

/** The terminal size commands get (as Codex's): 24 rows, 80 columns. */
export const PTY_ROWS = 24;
export const PTY_COLS = 80;

export type PtySupport = { ok: true; script: string } | { ok: false; reason: string };

/** The first `script` on PATH that is not inside `cwd` (a workspace must not be able to plant its own). */
function findScript(pathEnv: string | undefined, cwd: string): string | null {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir) || isInside(dir, cwd)) continue;
    const candidate = join(dir, 'script');
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

const cache = new Map<string, PtySupport>();

/**
 * Whether commands can get a terminal here: Linux with util-linux `script` (Debian's essential bsdutils,
 * Fedora's and Arch's util-linux). BSD and BusyBox `script` take other options and do not pass the exit
 * status on, so they do not count. Checked once per path and process (a `script --version`, a few ms); a
 * success is remembered across runs (probe-cache.ts).
 */
export function detectPty(options: { pathEnv?: string | undefined; cwd?: string } = {}): PtySupport {
  if (process.platform !== 'linux') return { ok: false, reason: `terminals for commands need Linux with util-linux script; this is ${process.platform}` };
  const path = findScript(options.pathEnv ?? process.env.PATH, options.cwd ?? process.cwd());
  if (!path) return { ok: false, reason: 'util-linux script was not found on PATH' };
  const cached = cache.get(path);
  if (cached) return cached;
  // What util-linux `script` is does not change while the binary does not (probe-cache.ts).
  const key = probeKey(path);
  if (key !== null && recalled(`script ${path}`, key, (v): v is true => v === true)) {
    const support: PtySupport = { ok: true, script: path };
    cache.set(path, support);
    return support;
  }
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] });
  const support: PtySupport = /util-linux/.test(`${r.stdout ?? ''}${r.stderr ?? ''}`)
    ? { ok: true, script: path }
    : { ok: false, reason: `${path} is not util-linux script` };
  cache.set(path, support);
  if (support.ok && key !== null) remember(`script ${path}`, key, true);
  return support;
}

/**
 * argv and environment that run `argv` on a new terminal through `script`. `script -c` hands its string to
 * `$SHELL -c`, so `script` itself is given `/bin/sh`; the command gets the caller's SHELL back. The terminal
 * is sized first (a pipe-fed `script` leaves it at 0×0, which confuses programs that lay out text).
 */
export function onTerminal(script: string, argv: readonly string[], env: Readonly<ChildEnv>): { argv: string[]; env: ChildEnv } {
  const shell = env.SHELL;
  const restore = shell === undefined ? 'unset SHELL' : `SHELL=${shellWord(shell)}; export SHELL`;
  const inner = `stty rows ${PTY_ROWS} cols ${PTY_COLS} 2>/dev/null; ${restore}; exec ${argv.map(shellWord).join(' ')}`;
  // -q: no start/done banners; -f: flush as it goes; -e: exit with the command's status (128+N for signal N).
  return { argv: [script, '-q', '-f', '-e', '-c', inner, '/dev/null'], env: { ...env, SHELL: '/bin/sh' } };
}
