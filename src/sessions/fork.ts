/**
 * Forking a thread (`opencodex fork`, codex-compat.md §7.3): a new thread — new id, new rollout file —
 * whose `session_meta` names the source in `forked_from_id`, followed by the source's records (response
 * items, turn contexts, compactions, rollbacks, events), so resuming it gives the same history and
 * settings. The source is streamed line by line and never changed; a torn line in it is left out. A source
 * that continues other files (a fork or rolled-back thread Codex 0.171 made, chain.ts) is copied with their
 * records first, so the fork is one whole file.
 */
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { errnoCode, fsHint, fsReason, makeDirs, UserError, uuidv7 } from '../shared/index.js';
import { chainGuard, forEachBaseLine, historyBaseOf, type HistoryBase } from './chain.js';
import { forEachLine } from './lines.js';
import { rolloutPath } from './paths.js';
import { TORN_LINE_MARKER } from './recorder.js';
import { secretRedactor } from './redact.js';
import type { PreparedResume } from './resume.js';
import type { SessionMeta } from './types.js';

export interface ForkOptions {
  /** Values that must never reach the new file (already redacted in the source; replaced again). */
  secrets?: readonly string[];
  /** The new thread's working directory (default: the source's). */
  cwd?: string;
  now?: () => Date;
}

export interface ForkedSession {
  path: string;
  meta: SessionMeta;
}

/** Lines are written in batches of about this many bytes. */
const BATCH = 1 << 20;

export function forkSession(home: string, sourcePath: string, o: ForkOptions = {}): ForkedSession {
  const now = (o.now ?? (() => new Date()))();
  const redact = secretRedactor(o.secrets);
  let meta: SessionMeta | undefined;
  let fd: number | undefined;
  let path = '';
  let batch: string[] = [];
  let size = 0;
  /** The disk or the home refused the copy: no partial fork is left, and the error says why in one line. */
  const refused = (err: unknown): never => {
    if (errnoCode(err) === undefined) throw err;
    if (fd !== undefined) {
      closeSync(fd);
      fd = undefined;
      rmSync(path, { force: true });
    }
    throw new UserError(`cannot write the forked session ${path}: ${fsReason(err, path)}`, {
      hint: `${fsHint(err, path) ?? 'check the disk and the permissions of the home'}, or run exec fork with --ephemeral to keep no session file`,
    });
  };
  const flush = (): void => {
    if (fd === undefined || batch.length === 0) return;
    // A short write (a nearly full disk) leaves the rest to write, not a torn line.
    const data = Buffer.from(batch.join(''));
    try {
      for (let done = 0; done < data.length; ) done += writeSync(fd, data, done);
    } catch (err) {
      refused(err);
    }
    batch = [];
    size = 0;
  };
  const write = (line: string): void => {
    batch.push(`${redact(line)}\n`);
    size += line.length + 1;
    if (size >= BATCH) flush();
  };
  /** A record line of the source's history, copied unless it is one the fork must not repeat. */
  const copy = (text: string): void => {
    if (text.trim() === '') return;
    let rec: { type?: unknown; payload?: { type?: unknown } | null };
    try {
      rec = JSON.parse(text) as typeof rec;
    } catch {
      return; // a torn line (a run stopped mid-write): not part of the history
    }
    if (rec.type === 'session_meta' || (rec.type === 'event_msg' && rec.payload?.type === TORN_LINE_MARKER)) return;
    write(text);
  };
  /** The records of a file the source continues (Codex 0.171, chain.ts), its own bases first. */
  const guard = chainGuard(sourcePath);
  const copyBase = (base: HistoryBase): void => {
    guard(base.path);
    let first = true;
    forEachBaseLine(base, (text) => {
      if (!first) return copy(text);
      first = false;
      let payload: Record<string, unknown> | undefined;
      try {
        payload = (JSON.parse(text) as { payload?: Record<string, unknown> }).payload;
      } catch {
        payload = undefined;
      }
      if (!payload) throw new UserError(`${base.path} is not a session file: its first line is not a session_meta record`);
      const next = historyBaseOf(base.path, payload);
      if (next) copyBase(next);
    });
  };
  try {
    forEachLine(sourcePath, (text) => {
      if (meta) return copy(text);
      if (text.trim() === '') return;
      let rec: { type?: unknown; payload?: { type?: unknown; id?: unknown } | null };
      try {
        rec = JSON.parse(text) as typeof rec;
      } catch {
        return;
      }
      if (rec.type !== 'session_meta' || typeof rec.payload?.id !== 'string') {
        throw new UserError(`${sourcePath} is not a session file: its first line is not a session_meta record`);
      }
      const source = rec.payload as unknown as Record<string, unknown>;
      const base = historyBaseOf(sourcePath, source);
      // The fork is whole: the source's bases are copied in, so nothing points at them any more.
      const { id: sourceId, forked_from_id: _earlier, timestamp: _started, history_base: _base, forked_from_ordinal_exclusive: _ordinal, ...rest } = source;
      meta = {
        id: uuidv7(),
        forked_from_id: sourceId as string,
        timestamp: now.toISOString(),
        ...(rest as unknown as Omit<SessionMeta, 'id' | 'timestamp'>),
        ...(o.cwd ? { cwd: o.cwd } : {}),
      };
      // Codex 0.171 repeats the id as `session_id`.
      if (typeof rest.session_id === 'string') (meta as unknown as Record<string, unknown>).session_id = meta.id;
      path = rolloutPath(home, meta.id, now);
      try {
        makeDirs(dirname(path));
        fd = openSync(path, 'wx', 0o600);
      } catch (err) {
        refused(err);
      }
      write(JSON.stringify({ timestamp: now.toISOString(), type: 'session_meta', payload: meta }));
      if (base) copyBase(base);
    });
    if (!meta || fd === undefined) throw new UserError(`${sourcePath} is not a session file: it is empty`);
    flush();
    try {
      fdatasyncSync(fd);
    } catch {
      // Some file systems cannot sync; the data is still with the kernel.
    }
    return { path, meta };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A thread prepared for resuming from the source, continued in its fork instead. */
export function resumeFork(prepared: PreparedResume, fork: ForkedSession): PreparedResume {
  return { ...prepared, rollout: { ...prepared.rollout, path: fork.path, meta: fork.meta, threadName: undefined } };
}
