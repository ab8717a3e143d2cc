/**
 * How a sandbox mount point looks on disk, for every layer that must not take it for the real thing. While a
 * sandboxed command runs, each missing `.git`, `.codex` or `.opencodex` of a writable root is an empty
 * directory with the sticky bit, holding only `.opencodex-hold-*` files (see sandbox/mount-points.ts).
 * Such a directory is not a repository or a project's config: git itself skips it (it is not a valid git
 * directory), and so must opencodex (a `.git` check, the project root, trust).
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const MOUNT_POINT_HOLD_PREFIX = '.opencodex-hold-';
const S_ISVTX = 0o1000;

/** A sandbox mount point of this user: a sticky directory holding nothing but hold files. */
export function isSandboxMountPoint(path: string): boolean {
  try {
    const st = lstatSync(path);
    if (!st.isDirectory() || (st.mode & S_ISVTX) === 0) return false;
    if (process.getuid && st.uid !== process.getuid()) return false;
    return readdirSync(path).every((name) => name.startsWith(MOUNT_POINT_HOLD_PREFIX));
  } catch {
    return false;
  }
}

/** `dir/name` exists and is not a sandbox mount point (what a `.git` or project-marker check should ask). */
export function hasEntry(dir: string, name: string): boolean {
  const path = join(dir, name);
  return existsSync(path) && !isSandboxMountPoint(path);
}
