/**
 * Thread names (`/rename`, `opencodex sessions rename`, `resume NAME`). The name is recorded in the
 * thread's own rollout as an `event_msg` `thread_name_updated` (the latest one wins), and also appended
 * to a tiny sidecar, `<home>/session_index.jsonl` (`{"id","thread_name","updated_at"}` a line, the latest
 * line for an id wins). Listing reads only a bounded head and tail of each rollout, so a name recorded
 * in the middle of a long rollout would be missed; the sidecar is what listing and resolving by name rely
 * on, and a name found in a rollout's head or tail (a rollout named elsewhere) is used when it is newer.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../shared/index.js';
import { forEachLine, readFirstLine } from './lines.js';
import { UUID_RE } from './paths.js';
import { appendToRollout } from './recorder.js';
import type { SessionEvent } from './types.js';

export const NAME_INDEX_FILE = 'session_index.jsonl';

/** Longest name accepted (they are shown on one line in listings). */
export const MAX_NAME_LENGTH = 120;

export interface ThreadName {
  name: string;
  /** When it was set (ISO-8601). */
  at: string;
}

export function nameIndexPath(home: string): string {
  return join(home, NAME_INDEX_FILE);
}

/** A `thread_name_updated` payload is about `threadId` (forks copy their source's records, with its id). */
export function namesThread(payload: { thread_id?: unknown }, threadId: string): boolean {
  return payload.thread_id === undefined || payload.thread_id === threadId;
}

/** The name as given, trimmed; a UserError when it cannot be a name. */
export function checkName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw new UserError('a thread name cannot be empty', { hint: 'give the name after the command, e.g. `/rename fix-login`' });
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new UserError('a thread name must be one line of text', { hint: 'leave out newlines and control characters' });
  if (name.length > MAX_NAME_LENGTH) throw new UserError(`a thread name can have at most ${MAX_NAME_LENGTH} characters (this one has ${name.length})`, { hint: 'choose a shorter name' });
  if (UUID_RE.test(name)) throw new UserError(`${name} looks like a session id, so it could not be resumed by name`, { hint: 'choose a name that is not a UUID' });
  return name;
}

/** The latest name of every thread in the sidecar (an unreadable or torn line is skipped). */
export function readNameIndex(home: string): Map<string, ThreadName> {
  const names = new Map<string, ThreadName>();
  try {
    forEachLine(nameIndexPath(home), (text) => {
      if (text.trim() === '') return;
      let rec: { id?: unknown; thread_name?: unknown; updated_at?: unknown };
      try {
        rec = JSON.parse(text) as typeof rec;
      } catch {
        return;
      }
      if (typeof rec.id !== 'string') return;
      const id = rec.id.toLowerCase();
      if (typeof rec.thread_name === 'string' && rec.thread_name !== '') names.set(id, { name: rec.thread_name, at: typeof rec.updated_at === 'string' ? rec.updated_at : '' });
      else names.delete(id);
    });
  } catch {
    // No sidecar yet.
  }
  return names;
}

/** Appends a name to the sidecar: one O_APPEND write of one line. */
export function appendNameIndex(home: string, threadId: string, name: string, at: Date = new Date()): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const fd = openSync(nameIndexPath(home), 'a', 0o600);
  try {
    writeSync(fd, `${JSON.stringify({ id: threadId, thread_name: name, updated_at: at.toISOString() })}\n`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes every line of thread `threadId` from the sidecar (`opencodex delete`), keeping the others as
 * they are; returns how many went. The file is rewritten beside itself and renamed over it.
 */
export function removeFromNameIndex(home: string, threadId: string): number {
  const path = nameIndexPath(home);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 0;
  }
  const wanted = threadId.toLowerCase();
  let removed = 0;
  const kept = text.split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      const rec = JSON.parse(line) as { id?: unknown };
      if (typeof rec.id === 'string' && rec.id.toLowerCase() === wanted) {
        removed++;
        return false;
      }
    } catch {
      // a torn or foreign line stays as it is
    }
    return true;
  });
  if (removed === 0) return 0;
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, kept.map((l) => `${l}\n`).join(''), { mode: 0o600 });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return removed;
}

/** The `event_msg` payload that names a thread. */
export function nameEvent(threadId: string, name: string): SessionEvent {
  return { type: 'thread_name_updated', thread_id: threadId, thread_name: name };
}

/** The later of two names (by when they were set); either may be missing. */
export function newerName(a: ThreadName | undefined, b: ThreadName | undefined): ThreadName | undefined {
  if (!a || !b) return a ?? b;
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (Number.isNaN(ta)) return b;
  if (Number.isNaN(tb)) return a;
  return tb > ta ? b : a;
}

/**
 * `opencodex sessions rename`: names the thread whose rollout is at `path`, appending the record to that
 * file through the rollout recorder (which ends a torn last line first) and to the sidecar. Returns the
 * thread id.
 */
export function renameSession(home: string, path: string, rawName: string, now: () => Date = () => new Date()): { id: string; name: string } {
  const name = checkName(rawName);
  let first: { type?: unknown; payload?: { id?: unknown } } | undefined;
  try {
    const line = readFirstLine(path);
    first = line === undefined ? undefined : (JSON.parse(line) as typeof first);
  } catch {
    first = undefined;
  }
  if (first?.type !== 'session_meta' || typeof first.payload?.id !== 'string') {
    throw new UserError(`${path} is not a session file: its first line is not a session_meta record`, { hint: 'pass a session id; list them with `opencodex sessions --all`' });
  }
  const id = first.payload.id;
  const at = now();
  const rec = appendToRollout(path, { now: () => at });
  try {
    rec.event(nameEvent(id, name));
  } finally {
    rec.close();
  }
  appendNameIndex(home, id, name, at);
  return { id, name };
}
