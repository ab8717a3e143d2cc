/**
 * Threads Codex 0.171 stores across files. Its rollout lines carry an `ordinal` (0, 1, 2, … per thread),
 * and two kinds of files begin with another file's records instead of copying them:
 *
 * - a fork Codex made holds only what happened after the fork; its `session_meta` names the source thread
 *   (`forked_from_id`) and how much of it comes first (`forked_from_ordinal_exclusive`: the source's records
 *   whose ordinal is below it);
 * - a thread Codex rolled back continues in a new segment file, `rollout-<stamp>-<thread>_<segment>.jsonl`,
 *   whose `session_meta.history_base` names the records kept (`thread_id`, `end_ordinal_exclusive`,
 *   `end_byte_offset`) of the thread's previous file.
 *
 * Reading such a file means reading its base first (which may have a base of its own). Files opencodex
 * writes are always whole.
 */
import { escapeLine, UserError } from '../shared/index.js';
import { forEachLine, readFirstLine } from './lines.js';
import { laterSegment, parseRolloutName, rolloutFilesIn, sessionsRootOf, siblingStore } from './paths.js';

export interface HistoryBase {
  /** The file whose records come first. */
  path: string;
  /** Only its records whose `ordinal` is below this. */
  endOrdinal?: number;
  /** Only its lines that start before this byte offset. */
  endByte?: number;
}

/** How many files one thread may chain through (a guard against a loop of references). */
export const MAX_CHAIN = 64;

type Meta = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Whether a `session_meta` payload says its file begins with another file's records. */
export function hasHistoryBase(meta: Meta): boolean {
  return (isObject(meta.history_base) && typeof meta.history_base.thread_id === 'string') || (typeof meta.forked_from_id === 'string' && num(meta.forked_from_ordinal_exclusive) !== undefined);
}

/** The `session_meta` fields that point at a base (left out of a fork opencodex makes, which copies the records). */
export const BASE_FIELDS = ['history_base', 'forked_from_ordinal_exclusive'] as const;

function metaTimestamp(path: string): string | undefined {
  try {
    const line = readFirstLine(path);
    const rec = line === undefined ? undefined : (JSON.parse(line) as { payload?: { timestamp?: unknown } });
    return typeof rec?.payload?.timestamp === 'string' ? rec.payload.timestamp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The base of the file at `path` (whose `session_meta` payload is `meta`), or undefined when the file is
 * whole. The base is the referenced thread's file that was current when this one was started: of its files
 * (segments) started no later than this one, the latest. Throws a UserError when the thread has no file.
 */
export function historyBaseOf(path: string, meta: Meta): HistoryBase | undefined {
  let threadId: string;
  const limit: Omit<HistoryBase, 'path'> = {};
  if (isObject(meta.history_base) && typeof meta.history_base.thread_id === 'string') {
    threadId = meta.history_base.thread_id;
    const endOrdinal = num(meta.history_base.end_ordinal_exclusive);
    const endByte = num(meta.history_base.end_byte_offset);
    if (endOrdinal !== undefined) limit.endOrdinal = endOrdinal;
    if (endByte !== undefined) limit.endByte = endByte;
  } else if (typeof meta.forked_from_id === 'string' && num(meta.forked_from_ordinal_exclusive) !== undefined) {
    threadId = meta.forked_from_id;
    limit.endOrdinal = num(meta.forked_from_ordinal_exclusive) as number;
  } else {
    return undefined;
  }
  const root = sessionsRootOf(path);
  const wanted = threadId.toLowerCase();
  const self = parseRolloutName(path.slice(path.lastIndexOf('/') + 1));
  // An archived thread's files (or an archived fork's base) live in the other store of the home.
  const sibling = siblingStore(root);
  const files = [...rolloutFilesIn(root), ...(sibling === undefined ? [] : rolloutFilesIn(sibling))];
  let candidates = files.filter((f) => f.id === wanted && f.path !== path);
  // A segment of this same thread comes after its base: only earlier files qualify.
  if (self && self.id === wanted) candidates = candidates.filter((f) => laterSegment(self, f));
  if (candidates.length > 1) {
    const started = typeof meta.timestamp === 'string' ? meta.timestamp : undefined;
    const dated = candidates.map((f) => ({ f, at: metaTimestamp(f.path) ?? '' }));
    const before = started === undefined ? dated : dated.filter((d) => d.at !== '' && d.at <= started);
    const pool = before.length > 0 ? before : dated;
    pool.sort((a, b) => (a.at === b.at ? (laterSegment(a.f, b.f) ? -1 : 1) : a.at < b.at ? 1 : -1));
    candidates = [(pool[0] as { f: (typeof candidates)[number] }).f];
  }
  const file = candidates[0];
  if (!file) {
    throw new UserError(escapeLine(`${path} continues thread ${threadId}, whose session file is not in ${root}`), {
      hint: `copy that thread's rollout file there too (Codex keeps the earlier history of a fork or of a rolled-back thread in it)`,
    });
  }
  return { path: file.path, ...limit };
}

/**
 * The lines of a base file within its limits: stops at the first record whose `ordinal` is `endOrdinal` or
 * more, or, for a line without an ordinal, at the first one that starts at or after `endByte`.
 */
export function forEachBaseLine(base: HistoryBase, onLine: (text: string, lineNo: number, last: boolean) => void): void {
  forEachLine(base.path, (text, lineNo, last, offset) => {
    // Ordinals first: unlike byte offsets, they still hold in a file that was edited (a path or secret replaced).
    const ordinal = base.endOrdinal === undefined ? undefined : ordinalOf(text);
    if (ordinal !== undefined) {
      if (ordinal >= (base.endOrdinal as number)) return false;
    } else if (base.endByte !== undefined && offset >= base.endByte) {
      return false;
    }
    onLine(text, lineNo, last);
    return true;
  });
}

/** Codex writes `{"timestamp":"…","ordinal":N,…`: read that without parsing the line when it is there. */
const LEADING_ORDINAL = /^\{"timestamp":"[^"]*","ordinal":(\d+)[,}]/;

function ordinalOf(text: string): number | undefined {
  const m = LEADING_ORDINAL.exec(text);
  if (m) return Number(m[1]);
  if (!text.includes('"ordinal"')) return undefined;
  try {
    const rec = JSON.parse(text) as { ordinal?: unknown };
    return num(rec.ordinal);
  } catch {
    return undefined;
  }
}

/** Follows bases from `path` outwards, refusing a loop or a chain longer than MAX_CHAIN. */
export function chainGuard(path: string): (next: string) => void {
  const seen = new Set([path]);
  return (next) => {
    if (seen.has(next) || seen.size >= MAX_CHAIN) {
      throw new UserError(escapeLine(`the session files before ${path} refer to each other in a loop, or more than ${MAX_CHAIN} deep (at ${next})`), {
        hint: 'remove the history_base or forked_from_ordinal_exclusive field from the session_meta line of one of them',
      });
    }
    seen.add(next);
  };
}
