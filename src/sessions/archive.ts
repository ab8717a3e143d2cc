/**
 * Session housekeeping, as Codex 0.171 does it (`codex archive`, `unarchive`, `delete`):
 *
 * - archiving moves every file of a thread (a thread Codex rolled back has several segments) from
 *   `<home>/sessions/YYYY/MM/DD/` into `<home>/archived_sessions/`, keeping their names; listings, `--last`
 *   and the resume picker no longer see it, and nothing in the files changes;
 * - unarchiving moves them back to the day folder their names carry;
 * - deleting removes the thread's files (in use or archived) and its lines in `session_index.jsonl`, and
 *   nothing else (`history.jsonl` keeps its prompts).
 *
 * A thread some process is writing (lock.ts) is refused by all three.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { escapeLine, makeDirs, UserError } from '../shared/index.js';
import { sessionWriter } from './lock.js';
import { removeFromNameIndex } from './names.js';
import { archivedSessionsDir, rolloutFilesIn, sessionsDir, storeDir, type SessionStore } from './paths.js';

/** Every file (segment) of thread `threadId` in a store, oldest first. */
export function threadFiles(home: string, threadId: string, store: SessionStore): string[] {
  const wanted = threadId.toLowerCase();
  return rolloutFilesIn(storeDir(home, store))
    .filter((f) => f.id === wanted)
    .map((f) => f.path)
    .reverse();
}

/** Throws a UserError naming the process when some process is writing the thread (`verb`: what cannot be done). */
export function refuseRunning(home: string, threadId: string, verb: string): void {
  const w = sessionWriter(home, threadId);
  if (!w) return;
  const who = `${w.writer === 'codex' ? 'Codex' : 'opencodex'}${w.pid === null ? '' : `, process ${w.pid}`}`;
  throw new UserError(`session ${threadId} is running (${who}), so it cannot be ${verb}`, { hint: 'let that session end, or stop it, and try again' });
}

/** Moves `files` into `dir` (made when missing), refusing before anything moves when a name is taken there. */
function moveAll(files: readonly string[], dirOf: (file: string) => string): Array<{ from: string; to: string }> {
  const moves = files.map((from) => ({ from, to: join(dirOf(from), basename(from)) }));
  for (const m of moves) {
    if (existsSync(m.to)) throw new UserError(escapeLine(`cannot move ${m.from}: ${m.to} already exists`), { hint: 'move or remove one of the two files first' });
  }
  for (const m of moves) {
    makeDirs(dirOf(m.from));
    renameSync(m.from, m.to);
  }
  return moves;
}

export interface Housekept {
  id: string;
  /** The files moved (archive, unarchive) or removed (delete). */
  files: string[];
}

/** Archives thread `threadId` (its files move to `<home>/archived_sessions/`). */
export function archiveSession(home: string, threadId: string): Housekept {
  const files = threadFiles(home, threadId, 'active');
  if (files.length === 0) {
    if (threadFiles(home, threadId, 'archived').length > 0) throw new UserError(`session ${threadId} is already archived`, { hint: `bring it back with: opencodex unarchive ${threadId}` });
    throw new UserError(`no session with id ${threadId} in ${sessionsDir(home)}`, { hint: 'list them with `opencodex sessions --all`' });
  }
  refuseRunning(home, threadId, 'archived');
  const moves = moveAll(files, () => archivedSessionsDir(home));
  return { id: threadId, files: moves.map((m) => m.to) };
}

/** `rollout-2026-12-01T17-29-57-…` → `<home>/sessions/2026/12/01` (the archived directory itself for another name). */
function dayDir(home: string, file: string): string {
  const m = /^rollout-(\d{4})-(\d{2})-(\d{2})T/.exec(basename(file));
  return m ? join(sessionsDir(home), m[1] as string, m[2] as string, m[3] as string) : sessionsDir(home);
}

/** Brings an archived thread back into `<home>/sessions/YYYY/MM/DD/`. */
export function unarchiveSession(home: string, threadId: string): Housekept {
  const files = threadFiles(home, threadId, 'archived');
  if (files.length === 0) {
    if (threadFiles(home, threadId, 'active').length > 0) throw new UserError(`session ${threadId} is not archived`);
    throw new UserError(`no archived session with id ${threadId} in ${archivedSessionsDir(home)}`, { hint: 'list them with `opencodex sessions --archived --all`' });
  }
  refuseRunning(home, threadId, 'unarchived');
  const moves = moveAll(files, (f) => dayDir(home, f));
  return { id: threadId, files: moves.map((m) => m.to) };
}

/** Deletes thread `threadId` for good: its files, in use or archived, and its names in the index. */
export function deleteSession(home: string, threadId: string): Housekept & { names: number } {
  const files = [...threadFiles(home, threadId, 'active'), ...threadFiles(home, threadId, 'archived')];
  if (files.length === 0) throw new UserError(`no session with id ${threadId} in ${sessionsDir(home)} or ${archivedSessionsDir(home)}`, { hint: 'list them with `opencodex sessions --all`' });
  refuseRunning(home, threadId, 'deleted');
  for (const f of files) rmSync(f);
  return { id: threadId, files, names: removeFromNameIndex(home, threadId) };
}
