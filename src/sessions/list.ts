/**
 * Listing sessions without reading whole rollouts: file names carry the thread id and start
 * time, the first line carries the session_meta, a bounded head holds the first prompt and a bounded
 * tail the latest model. Names come from the sidecar index (names.ts) or, when newer, the head or tail.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readHead, readTail } from './lines.js';
import { namesThread, newerName, readNameIndex, type ThreadName } from './names.js';
import { parseRolloutName, sessionsDir } from './paths.js';
import type { SessionMeta } from './types.js';

export interface SessionSummary {
  id: string;
  path: string;
  cwd: string;
  /** When the thread started (ISO-8601). */
  created_at: string;
  /** When its rollout was last written (ISO-8601). */
  updated_at: string;
  model: string | null;
  model_provider: string;
  source: string;
  first_prompt: string | null;
  /** The thread's name (`/rename`, `opencodex sessions rename`), or null. */
  name: string | null;
}

const HEAD_BYTES = 256 * 1024;
const TAIL_BYTES = 64 * 1024;

function dirsDesc(dir: string): string[] {
  try {
    return readdirSync(dir).sort().reverse();
  } catch {
    return [];
  }
}

/** Every rollout file under `<home>/sessions`, newest start time first (names only, nothing read). */
export function rolloutFiles(home: string): Array<{ path: string; id: string }> {
  const out: Array<{ path: string; id: string }> = [];
  const root = sessionsDir(home);
  for (const y of dirsDesc(root)) {
    for (const m of dirsDesc(join(root, y))) {
      for (const d of dirsDesc(join(root, y, m))) {
        const dir = join(root, y, m, d);
        for (const f of dirsDesc(dir)) {
          const parsed = parseRolloutName(f);
          if (parsed) out.push({ path: join(dir, f), id: parsed.id });
        }
      }
    }
  }
  return out;
}

function parse(line: string): { type?: unknown; payload?: Record<string, unknown> } | undefined {
  try {
    return JSON.parse(line) as { type?: unknown; payload?: Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/** The latest `thread_name_updated` for `threadId` among `lines` (undefined when there is none). */
function nameIn(lines: readonly string[], threadId: string): ThreadName | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i] as string;
    if (!l.includes('"thread_name_updated"')) continue;
    const rec = parse(l) as { type?: unknown; timestamp?: unknown; payload?: Record<string, unknown> } | undefined;
    if (rec?.type !== 'event_msg' || rec.payload?.type !== 'thread_name_updated' || !namesThread(rec.payload, threadId)) continue;
    const name = rec.payload.thread_name;
    return { name: typeof name === 'string' ? name : '', at: typeof rec.timestamp === 'string' ? rec.timestamp : '' };
  }
  return undefined;
}

/**
 * A summary from the file's head and tail; undefined when it does not start with a session_meta.
 * `names` is the sidecar index (`readNameIndex`, read once per listing); without it only a name recorded
 * in the head or tail is seen.
 */
export function summarize(path: string, names: ReadonlyMap<string, ThreadName> = new Map()): SessionSummary | undefined {
  let size: number;
  let mtime: Date;
  try {
    const st = statSync(path);
    size = st.size;
    mtime = st.mtime;
  } catch {
    return undefined;
  }
  const { lines } = readHead(path, Math.min(HEAD_BYTES, Math.max(size, 1)));
  const first = lines[0] === undefined ? undefined : parse(lines[0]);
  if (!first || first.type !== 'session_meta' || !first.payload) return undefined;
  const meta = first.payload as unknown as SessionMeta;
  let model: string | null = null;
  let prompt: string | null = null;
  let recorded = nameIn(lines, meta.id);
  for (const l of lines.slice(1)) {
    if (prompt !== null && model !== null) break;
    if (!l.includes('"user_message"') && !l.includes('"turn_context"')) continue;
    const rec = parse(l);
    if (rec?.type === 'turn_context' && model === null && typeof rec.payload?.model === 'string') model = rec.payload.model;
    if (rec?.type === 'event_msg' && rec.payload?.type === 'user_message' && prompt === null && typeof rec.payload.message === 'string') prompt = rec.payload.message;
  }
  if (size > HEAD_BYTES) {
    const tail = readTail(path, size, TAIL_BYTES);
    recorded = nameIn(tail, meta.id) ?? recorded;
    for (let i = tail.length - 1; i >= 0; i--) {
      const l = tail[i] as string;
      if (!l.includes('"turn_context"')) continue;
      const rec = parse(l);
      if (rec?.type === 'turn_context' && typeof rec.payload?.model === 'string') {
        model = rec.payload.model;
        break;
      }
    }
  }
  const name = newerName(names.get(meta.id.toLowerCase()), recorded)?.name;
  return {
    id: meta.id,
    path,
    cwd: meta.cwd,
    created_at: meta.timestamp,
    updated_at: mtime.toISOString(),
    model,
    model_provider: meta.model_provider,
    source: typeof meta.source === 'string' ? meta.source : 'unknown',
    first_prompt: prompt,
    name: name ? name : null,
  };
}

export interface ListOptions {
  /** Only sessions started in this directory (unless `all`). */
  cwd: string;
  all?: boolean;
  limit?: number;
}

/** Recent sessions, most recently updated first. */
export function listSessions(home: string, o: ListOptions): SessionSummary[] {
  const files = rolloutFiles(home)
    .map((f) => {
      try {
        return { ...f, mtime: statSync(f.path).mtimeMs };
      } catch {
        return undefined;
      }
    })
    .filter((f): f is { path: string; id: string; mtime: number } => f !== undefined)
    .sort((a, b) => b.mtime - a.mtime);
  const cwd = resolve(o.cwd);
  const out: SessionSummary[] = [];
  const limit = o.limit ?? Infinity;
  const names = readNameIndex(home);
  for (const f of files) {
    if (out.length >= limit) break;
    const s = summarize(f.path, names);
    if (!s) continue;
    if (!o.all && resolve(s.cwd) !== cwd) continue;
    out.push(s);
  }
  return out;
}
