/**
 * Path arithmetic the sandbox shares between its rules: containment, and where a write to a path would
 * really land. Paths are resolved the way the kernel resolves them when writing: `..` after a symlink
 * climbs from the symlink's target, and a symlink (even a dangling one) is followed to its target.
 */
import { accessSync, constants, lstatSync, readlinkSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative } from 'node:path';

const MAX_SYMLINK_HOPS = 40;

/** Whether `child` is `parent` or lies below it (both absolute and normalized). */
export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Resolves `path` (relative to `cwd`) through symlinks and `..` without requiring it to exist. With
 * `followLast = false` a final symlink is not followed (deleting a symlink removes the link itself).
 */
export function resolveWritePath(path: string, cwd: string, followLast = true): string {
  let hops = 0;
  const walk = (base: string, parts: string[]): string => {
    let cur = base;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        cur = dirname(cur);
        continue;
      }
      const next = join(cur, part);
      const last = i === parts.length - 1;
      let isLink = false;
      try {
        isLink = lstatSync(next).isSymbolicLink();
      } catch {
        // Missing: nothing below it exists either, so the rest resolves lexically.
        return normalize(join(next, ...parts.slice(i + 1)));
      }
      if (isLink && (followLast || !last)) {
        if (++hops > MAX_SYMLINK_HOPS) throw new Error(`too many levels of symbolic links: ${path}`);
        const target = readlinkSync(next);
        cur = walk(isAbsolute(target) ? '/' : cur, target.split('/'));
      } else {
        cur = next;
      }
    }
    return cur;
  };
  const absolute = isAbsolute(path) ? path : `${cwd}/${path}`;
  return walk('/', absolute.split('/'));
}

/** Whether `path` is a regular file this process may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
