/**
 * Archiving a thread, as Codex does: its rollout files move to `<home>/archived_sessions/` (flat), out of
 * listings and `resume`; unarchiving moves them back under `sessions/YYYY/MM/DD/` by their start stamp.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../shared/index.js';
import { rolloutFiles } from './list.js';
import { rolloutFilesIn, sessionsDir } from './paths.js';

export const ARCHIVE_DIR = 'archived_sessions';

export function archivedDir(home: string): string {
  return join(home, ARCHIVE_DIR);
}

/** Moves every file of thread `id` from `from` to the directory `to(file)` names; returns how many moved. */
function move(from: string, id: string, to: (name: string, stamp: string) => string): number {
  let moved = 0;
  for (const f of rolloutFilesIn(from)) {
    if (f.id !== id.toLowerCase()) continue;
    const dir = to(basename(f.path), f.stamp);
    mkdirSync(dir, { recursive: true });
    renameSync(f.path, join(dir, basename(f.path)));
    moved++;
  }
  return moved;
}

/** Archives thread `id` (every segment of it). Throws when it has no rollout in `sessions/`. */
export function archiveSession(home: string, id: string): void {
  if (move(sessionsDir(home), id, () => archivedDir(home)) === 0) {
    throw new UserError(`no session with id ${id} in ${sessionsDir(home)}`, { hint: 'list them with `opencodex sessions --all`' });
  }
}

/** Moves an archived thread back; returns its rollout's new path. Throws when it is not archived. */
export function unarchiveSession(home: string, id: string): string {
  const day = (stamp: string): string => join(sessionsDir(home), stamp.slice(0, 4), stamp.slice(5, 7), stamp.slice(8, 10));
  let last: string | undefined;
  if (
    move(archivedDir(home), id, (name, stamp) => {
      last = join(day(stamp), name);
      return day(stamp);
    }) === 0 ||
    last === undefined
  ) {
    throw new UserError(`no archived session with id ${id} in ${archivedDir(home)}`);
  }
  // The thread's file is its latest segment.
  return rolloutFiles(home).find((f) => f.id === id.toLowerCase())?.path ?? last;
}
