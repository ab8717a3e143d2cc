/**
 * Which threads a process is writing right now, so `opencodex archive` and `delete` leave them alone.
 *
 * A process that records a thread (`openRollout`) keeps `<home>/thread-writer-locks/<thread id>.lock`, the
 * file Codex 0.171 keeps for the same purpose, holding `{"pid","start","writer"}`: its process id and the
 * kernel's start time of that process (so a pid the system later gives to another program does not count).
 * The file is removed when the recorder is closed and, for whatever is still held, when the process exits;
 * a file left by a killed process names a dead pid and is ignored. Node has no `flock`, which is what Codex
 * holds on that file instead of writing into it; on Linux a Codex process writing the thread is still seen,
 * as a lock on the file's inode in `/proc/locks`.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_DIR = 'thread-writer-locks';

export function sessionLockPath(home: string, threadId: string): string {
  return join(home, LOCK_DIR, `${threadId.toLowerCase()}.lock`);
}

/** Who is writing a thread: a process id (when known) and which program. */
export interface SessionWriter {
  pid: number | null;
  writer: 'opencodex' | 'codex';
}

interface Owner {
  pid: number;
  start: string | null;
  writer: 'opencodex';
}

/** When process `pid` started, in clock ticks since boot (field 22 of /proc/<pid>/stat); null where unknown. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): Owner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return undefined;
    return { pid: parsed.pid, start: typeof parsed.start === 'string' ? parsed.start : null, writer: 'opencodex' };
  } catch {
    return undefined;
  }
}

/** The owner names a process that is still the one that wrote it. */
function ownerLives(owner: Owner): boolean {
  if (!alive(owner.pid)) return false;
  if (owner.start === null) return true;
  const now = startTime(owner.pid);
  return now === null || now === owner.start;
}

/** The kernel's device numbers as /proc/locks prints them (`major:minor` in hex). */
function deviceName(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`;
}

/** A process holding a lock (flock or fcntl) on the file at `path`, as /proc/locks lists it (Linux). */
function lockHolder(path: string): number | null | undefined {
  let locks: string;
  let file: string;
  try {
    const st = statSync(path, { bigint: true });
    file = `${deviceName(st.dev)}:${st.ino}`;
    locks = readFileSync('/proc/locks', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of locks.split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 27827 fe:00:2950060 0 EOF" (a "->" marks a waiter).
    const f = line.trim().split(/\s+/).filter((x) => x !== '->');
    if (f[5] !== file) continue;
    const pid = Number(f[4]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }
  return undefined;
}

/** Who is writing thread `threadId` of `home` right now, or null when nobody is. */
export function sessionWriter(home: string, threadId: string): SessionWriter | null {
  const path = sessionLockPath(home, threadId);
  const owner = readOwner(path);
  if (owner && ownerLives(owner)) return { pid: owner.pid, writer: 'opencodex' };
  const holder = lockHolder(path);
  if (holder !== undefined) return { pid: holder, writer: 'codex' };
  return null;
}

/** Lock files this process holds, removed at exit if nothing released them before. */
const held = new Set<string>();
let exitHook = false;

function releaseAll(): void {
  for (const path of held) release(path);
}

function release(path: string): void {
  held.delete(path);
  // Only our own record: another process may have taken the thread since.
  if (readOwner(path)?.pid !== process.pid) return;
  try {
    rmSync(path, { force: true });
  } catch {
    // Left behind, it names a process that no longer runs: ignored.
  }
}

/**
 * Marks thread `threadId` as being written by this process, until the returned function is called (or the
 * process exits). A thread another live process holds is left to it (the returned function does nothing).
 * Never throws: a home where the file cannot be written only means archive and delete cannot tell.
 */
export function holdSessionLock(home: string, threadId: string): () => void {
  const path = sessionLockPath(home, threadId);
  const other = readOwner(path);
  if (other && other.pid !== process.pid && ownerLives(other)) return () => {};
  const owner: Owner = { pid: process.pid, start: startTime(process.pid), writer: 'opencodex' };
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(join(home, LOCK_DIR), { recursive: true, mode: 0o700 });
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(owner)}\n`);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch {
    rmSync(tmp, { force: true });
    return () => {};
  }
  held.add(path);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', releaseAll);
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    release(path);
  };
}
