/** Where rollouts live: `<home>/sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<thread id>.jsonl` (local time). */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function sessionsDir(home: string): string {
  return join(home, 'sessions');
}

/**
 * Where archived threads are kept: `<home>/archived_sessions/`, their rollout files directly in it (no
 * date folders), as Codex 0.171 keeps them.
 */
export function archivedSessionsDir(home: string): string {
  return join(home, 'archived_sessions');
}

/** The two stores of a home: threads in use, and archived ones (left out of listings and of `--last`). */
export type SessionStore = 'active' | 'archived';

export function storeDir(home: string, store: SessionStore): string {
  return store === 'active' ? sessionsDir(home) : archivedSessionsDir(home);
}

/**
 * The sessions root beside `root` in the same home: `archived_sessions` for `sessions` and back; undefined
 * for a root of another name (files a test or a user keeps elsewhere).
 */
export function siblingStore(root: string): string | undefined {
  const name = basename(root);
  if (name === 'sessions') return join(dirname(root), 'archived_sessions');
  if (name === 'archived_sessions') return join(dirname(root), 'sessions');
  return undefined;
}

/** The rollout path for a thread started at `when`. */
export function rolloutPath(home: string, threadId: string, when: Date = new Date()): string {
  const y = pad(when.getFullYear(), 4);
  const m = pad(when.getMonth() + 1);
  const d = pad(when.getDate());
  const stamp = `${y}-${m}-${d}T${pad(when.getHours())}-${pad(when.getMinutes())}-${pad(when.getSeconds())}`;
  return join(sessionsDir(home), y, m, d, `rollout-${stamp}-${threadId}.jsonl`);
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/**
 * `rollout-<stamp>-<thread id>.jsonl`, or a later segment of the same thread,
 * `rollout-<stamp>-<thread id>_<segment id>.jsonl` (Codex 0.171 starts one when a thread is rolled back).
 */
const FILE_RE = new RegExp(`^rollout-(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2})-(${UUID})(?:_(${UUID}))?\\.jsonl$`, 'i');

export interface RolloutName {
  id: string;
  stamp: string;
  /** The segment id of a later segment of the thread (lower case), absent for its first file. */
  segment?: string;
}

/** The thread id and local start stamp in a rollout file name, or undefined for other files. */
export function parseRolloutName(name: string): RolloutName | undefined {
  const m = FILE_RE.exec(name);
  if (!m) return undefined;
  const parsed: RolloutName = { stamp: m[1] as string, id: (m[2] as string).toLowerCase() };
  if (m[3] !== undefined) parsed.segment = m[3].toLowerCase();
  return parsed;
}

/** Whether `a` was started after `b` (same thread): a later stamp, or the same one and a later segment. */
export function laterSegment(a: RolloutName, b: RolloutName): boolean {
  if (a.stamp !== b.stamp) return a.stamp > b.stamp;
  return (a.segment ?? '') > (b.segment ?? '');
}

function dirsDesc(dir: string): string[] {
  try {
    return readdirSync(dir).sort().reverse();
  } catch {
    return [];
  }
}

/**
 * Every rollout file (every segment) under a sessions root laid out as `YYYY/MM/DD/`, and any directly in
 * it, newest start time first (names only, nothing read).
 */
export function rolloutFilesIn(root: string): Array<{ path: string } & RolloutName> {
  const out: Array<{ path: string } & RolloutName> = [];
  for (const y of dirsDesc(root)) {
    const parsed = parseRolloutName(y);
    if (parsed) {
      out.push({ path: join(root, y), ...parsed });
      continue;
    }
    if (!/^\d{4}$/.test(y)) continue;
    for (const m of dirsDesc(join(root, y))) {
      for (const d of dirsDesc(join(root, y, m))) {
        const dir = join(root, y, m, d);
        for (const f of dirsDesc(dir)) {
          const name = parseRolloutName(f);
          if (name) out.push({ path: join(dir, f), ...name });
        }
      }
    }
  }
  return out;
}

/** The sessions root a rollout file lives under (`…/sessions` for `…/sessions/YYYY/MM/DD/rollout-….jsonl`). */
export function sessionsRootOf(path: string): string {
  const day = dirname(path);
  const month = dirname(day);
  const year = dirname(month);
  return /^\d{2}$/.test(basename(day)) && /^\d{2}$/.test(basename(month)) && /^\d{4}$/.test(basename(year)) ? dirname(year) : day;
}

export const UUID_RE = new RegExp(`^${UUID}$`, 'i');
