/**
 * File-system errors in words: what went wrong with a path (`it is a directory`, `the disk is full`), so
 * a user error says the cause and its fix instead of a bare `EISDIR`.
 */
import { lstatSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The errno code of a Node file-system error (`ENOSPC`, …), if it is one. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

const REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file is too large',
  EIO: 'an input/output error occurred',
  EISDIR: 'it is a directory, not a file',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
};

/** The first existing ancestor of `path` that is not a directory (why a path gets ENOTDIR). */
export function fileInTheWay(path: string): string | undefined {
  let p = dirname(path);
  for (;;) {
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      // missing or unreadable: look further up
    }
    const up = dirname(p);
    if (up === p) return undefined;
    p = up;
  }
}

/** The symbolic link that makes `path` loop (ELOOP): the highest one on the path that does not resolve. */
export function loopingLink(path: string): string | undefined {
  let found: string | undefined;
  for (let p = path; ; p = dirname(p)) {
    try {
      statSync(p);
      return found;
    } catch (err) {
      try {
        if (errnoCode(err) === 'ELOOP' && lstatSync(p).isSymbolicLink()) found = p;
      } catch {
        // gone meanwhile
      }
    }
    if (dirname(p) === p) return found;
  }
}

/**
 * Why an operation on `path` failed, as a phrase ending in the errno code:
 * `it is a directory, not a file (EISDIR)`, `/h is a file, not a directory (ENOTDIR)`.
 */
export function fsReason(err: unknown, path: string): string {
  const code = errnoCode(err);
  if (code === undefined) return err instanceof Error ? err.message : String(err);
  if (code === 'ENOTDIR') {
    const file = fileInTheWay(path);
    return `${file ?? 'a parent of it'} is a file, not a directory (ENOTDIR)`;
  }
  if (code === 'EEXIST') return `${path} already exists and is not a directory (EEXIST)`;
  if (code === 'ELOOP') return `${loopingLink(path) ?? path} is a symbolic link that loops (ELOOP)`;
  const reason = REASONS[code];
  return reason ? `${reason} (${code})` : code;
}

/** A fix that fits the error, when there is a general one. */
export function fsHint(err: unknown, path: string): string | undefined {
  switch (errnoCode(err)) {
    case 'EISDIR':
      return `remove or rename the directory ${path} (a file belongs there)`;
    case 'ENOTDIR': {
      const file = fileInTheWay(path);
      return `move ${file ?? 'that file'} out of the way (a directory belongs there)`;
    }
    case 'EEXIST':
      return `move ${path} out of the way (a directory belongs there)`;
    case 'ELOOP':
      return `point the link ${loopingLink(path) ?? path} somewhere real, or remove it`;
    case 'EACCES':
    case 'EPERM':
      return `check the permissions of ${path}`;
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free up disk space';
    default:
      return undefined;
  }
}
