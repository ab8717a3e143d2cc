/**
 * Mount points for protected names that do not exist yet. bubblewrap can only make a path read-only by
 * mounting over it, and a mount needs something to mount on; so before a sandboxed command starts, each
 * missing `.git`, `.opencodex` or `.codex` of a writable root is created as an empty directory, mounted
 * read-only over itself inside the sandbox (the command can neither create it nor write into it), and
 * removed again when the last command that needs it has ended.
 *
 * Several commands, and several opencodex processes, may share a mount point (two sessions both write to
 * /tmp). Removing it while another sandbox still relies on it would lift that sandbox's protection (the
 * kernel detaches mounts on a directory removed in another mount namespace), so:
 *   - a mount point is born with the sticky bit (`mkdir` sets it atomically), which marks it as ours;
 *     a directory without it belongs to the user and is never removed;
 *   - each process using it keeps a hold file `.opencodex-hold-<pid>-<token>` inside it, and counts its
 *     own commands in memory;
 *   - whoever releases the last hold removes the directory with `rmdir`, which fails while any other hold
 *     (or anything else) is inside; a hold whose process is gone is deleted first.
 * A mount point of a process that was killed outright (SIGKILL) is left behind with a stale hold, and is
 * cleaned up by the next sandboxed command in that root.
 */
import { isSandboxMountPoint, MOUNT_POINT_HOLD_PREFIX, randomBytes } from '../shared/index.js';
import { closeSync, mkdirSync, openSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

const MOUNT_POINT_MODE = 0o1700;
const HOLD_PREFIX = MOUNT_POINT_HOLD_PREFIX;

let holdName: string | undefined;
const held = new Map<string, number>();
let exitHookInstalled = false;

function myHold(): string {
  holdName ??= `${HOLD_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`;
  return holdName;
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** An opencodex mount point: a directory of ours, marked sticky, holding nothing but hold files. */
export const isMountPoint = isSandboxMountPoint;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errno(err) === 'EPERM';
  }
}

/** Deletes the holds of processes that no longer exist. */
function dropStaleHolds(path: string): void {
  let names: string[];
  try {
    names = readdirSync(path);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^\.opencodex-hold-(\d+)-[0-9a-f]+$/.exec(name);
    if (!m || name === holdName || alive(Number(m[1]))) continue;
    try {
      unlinkSync(join(path, name));
    } catch {
      // someone else removed it
    }
  }
}

type Join = 'held' | 'exists' | 'skip';

/** Creates or joins the mount point at `path`: 'held' (we hold it), 'exists' (not ours; bind it as is), 'skip'. */
function join1(path: string): Join {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      mkdirSync(path, MOUNT_POINT_MODE);
    } catch (err) {
      const code = errno(err);
      if (code !== 'EEXIST') return 'skip'; // EACCES, EROFS, ENOENT…: the sandbox cannot create it either
      if (!isMountPoint(path)) return 'exists';
    }
    try {
      closeSync(openSync(join(path, myHold()), 'wx', 0o400));
      return 'held';
    } catch (err) {
      const code = errno(err);
      if (code === 'EEXIST') return 'held';
      if (code !== 'ENOENT') return 'exists';
      // Removed by its last holder between our mkdir and our hold: make it again.
    }
  }
  return 'exists';
}

function releaseOne(path: string): void {
  const n = (held.get(path) ?? 1) - 1;
  if (n > 0) {
    held.set(path, n);
    return;
  }
  held.delete(path);
  try {
    unlinkSync(join(path, myHold()));
  } catch {
    // already gone
  }
  dropStaleHolds(path);
  try {
    rmdirSync(path);
  } catch {
    // ENOTEMPTY: another process holds it (or something was put there); ENOENT: already removed
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const path of [...held.keys()]) {
      held.set(path, 1);
      releaseOne(path);
    }
  });
}

export interface MountPointLease {
  /** Mount points held for this command (bind each read-only over itself). */
  held: string[];
  /** Paths that turned out to exist and are not ours (bind them read-only as they are). */
  existing: string[];
  /** Gives the mount points back; the last user removes each. Safe to call more than once. */
  release(): void;
}

/** Creates (or joins) the mount points at `paths` for one command. */
export function acquireMountPoints(paths: readonly string[]): MountPointLease {
  const lease: MountPointLease = { held: [], existing: [], release: () => undefined };
  for (const path of paths) {
    const count = held.get(path);
    if (count !== undefined && isMountPoint(path)) {
      held.set(path, count + 1);
      lease.held.push(path);
      continue;
    }
    const r = join1(path);
    if (r === 'held') {
      held.set(path, (held.get(path) ?? 0) + 1);
      lease.held.push(path);
    } else if (r === 'exists') {
      lease.existing.push(path);
    }
  }
  if (lease.held.length > 0) installExitHook();
  let released = false;
  lease.release = () => {
    if (released) return;
    released = true;
    for (const path of lease.held) releaseOne(path);
  };
  return lease;
}
