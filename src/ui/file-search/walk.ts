/**
 * The files under a directory, as paths relative to it: `git ls-files` (tracked and untracked files,
 * ignored ones left out) inside a Git work tree, else a directory walk that honours every `.gitignore`
 * on the way (rules matched by the `ignore` package). Asynchronous throughout, so the UI keeps running.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore from 'ignore';

type Ignore = ignore.Ignore;

/** More files than this are not listed (the index's memory stays bounded). */
export const MAX_FILES = 1_000_000;

function gitFiles(root: string, signal: AbortSignal): Promise<string[] | null> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      { cwd: root, signal, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (err, stdout) => {
        if (err) return resolve(null);
        const files = stdout.split('\0');
        if (files[files.length - 1] === '') files.pop();
        // A file both tracked and deleted is listed once by --cached; duplicates can come from unmerged entries.
        resolve([...new Set(files)].slice(0, MAX_FILES));
      },
    );
  });
}

interface Rules {
  /** Directory (relative to the root, '' for the root) the rules were read in. */
  base: string;
  rules: Ignore;
}

async function readRules(dir: string, rel: string): Promise<Rules | null> {
  try {
    const text = await readFile(join(dir, '.gitignore'), 'utf8');
    return { base: rel, rules: ignore().add(text) };
  } catch {
    return null;
  }
}

const ignoredBy = (stack: readonly Rules[], rel: string, isDir: boolean): boolean =>
  stack.some((r) => {
    const sub = r.base === '' ? rel : rel.slice(r.base.length + 1);
    return r.rules.ignores(isDir ? `${sub}/` : sub);
  });

/** A breadth-first walk: `.git` and ignored entries skipped, symbolic links not followed. */
async function walkFiles(root: string, signal: AbortSignal): Promise<string[]> {
  const files: string[] = [];
  const top = await readRules(root, '');
  let level: Array<{ rel: string; stack: Rules[] }> = [{ rel: '', stack: top ? [top] : [] }];
  while (level.length > 0 && files.length < MAX_FILES && !signal.aborted) {
    const next: typeof level = [];
    for (const { rel, stack } of level) {
      const dir = rel === '' ? root : join(root, rel);
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.name === '.git') continue;
        const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
        if (entry.isDirectory()) {
          if (ignoredBy(stack, path, true)) continue;
          const own = await readRules(join(dir, entry.name), path);
          next.push({ rel: path, stack: own ? [...stack, own] : stack });
        } else if (entry.isFile() || entry.isSymbolicLink()) {
          if (!ignoredBy(stack, path, false)) files.push(path);
        }
      }
    }
    level = next;
  }
  return files.slice(0, MAX_FILES);
}

/** The files under `root`, relative to it. */
export async function listFiles(root: string, signal: AbortSignal): Promise<string[]> {
  return (await gitFiles(root, signal)) ?? (await walkFiles(root, signal));
}
