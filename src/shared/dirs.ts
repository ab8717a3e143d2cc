/** Where opencodex keeps its files, and creating directories so that the real reason of a failure comes through. */
import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { errnoCode } from './fs-errors.js';

/**
 * `mkdir -p` with mode 0700. Unlike `mkdirSync(…, { recursive: true })`, which reports a read-only file
 * system as ENOENT, each missing level is made on its own, so the error is EROFS, EACCES, ENOTDIR, …
 */
export function makeDirs(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST' && statSync(dir).isDirectory()) return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw err;
    makeDirs(dirname(dir));
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (again) {
      if (errnoCode(again) !== 'EEXIST' || !statSync(dir).isDirectory()) throw again;
    }
  }
}

/** The opencodex home: `$OPENCODEX_HOME`, else `~/.opencodex`. */
export function opencodexHome(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.OPENCODEX_HOME;
  if (explicit && explicit.trim() !== '') return resolve(explicit);
  return join(env.HOME && env.HOME !== '' ? env.HOME : homedir(), '.opencodex');
}
