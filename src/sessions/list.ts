/**
 * Listing sessions without reading whole rollouts: file names carry the thread id and start
 * time, the first line carries the session_meta, a bounded head holds the first prompt and a bounded
 * tail the latest model. Names come from the sidecar index (names.ts) or, when newer, the head or tail.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readHead, readTail } from './lines.js';
import { hasHistoryBase, historyBaseOf, MAX_CHAIN } from './chain.js';
import { namesThread, newerName, readNameIndex, type ThreadName } from './names.js';
import { laterSegment, rolloutFilesIn, storeDir, type RolloutName, type SessionStore } from './paths.js';
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
  /** For a subagent's thread: the thread that spawned it, its nickname and role. */
  parent_thread_id?: string;
  agent_nickname?: string;
  agent_role?: string;
  /** With `children`: the subagents this thread spawned (theirs nested in turn), oldest first. */
  children?: SessionSummary[];
}

const HEAD_BYTES = 256 * 1024;
const TAIL_BYTES = 64 * 1024;

/**
 * The rollout file of every thread under `<home>/sessions` (or, for the `archived` store,
 * `<home>/archived_sessions`), newest start time first (names only, nothing read), with the local start
 * stamp of its name. A thread Codex rolled back has several segments; its latest one is the thread's file.
 */
export function rolloutFiles(home: string, store: SessionStore = 'active'): Array<{ path: string; id: string; stamp: string }> {
  const live = new Map<string, { path: string } & RolloutName>();
  const order: string[] = [];
  for (const f of rolloutFilesIn(storeDir(home, store))) {
    const seen = live.get(f.id);
    if (!seen) order.push(f.id);
    if (!seen || laterSegment(f, seen)) live.set(f.id, f);
  }
  return order.map((id) => {
    const f = live.get(id) as { path: string } & RolloutName;
    return { path: f.path, id, stamp: f.stamp };
  });
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

/** The prompt text of an `event_msg`: our (and older Codex's) `user_message`, Codex 0.171's completed `UserMessage` item. */
function promptOf(payload: Record<string, unknown> | undefined): string | null {
  if (payload?.type === 'user_message') return typeof payload.message === 'string' ? payload.message : null;
  if (payload?.type !== 'item_completed') return null;
  const item = payload.item as { type?: unknown; content?: unknown } | undefined;
  if (item?.type !== 'UserMessage' || !Array.isArray(item.content)) return null;
  const text = (item.content as Array<{ type?: unknown; text?: unknown }>).map((c) => (c.type === 'text' && typeof c.text === 'string' ? c.text : '')).join('');
  return text === '' ? null : text;
}

/**
 * A summary from the file's head and tail; undefined when it does not start with a session_meta.
 * `names` is the sidecar index (`readNameIndex`, read once per listing); without it only a name recorded
 * in the head or tail is seen.
 */
export function summarize(path: string, names: ReadonlyMap<string, ThreadName> = new Map(), depth = 0): SessionSummary | undefined {
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
    if (!l.includes('"user_message"') && !l.includes('"turn_context"') && !l.includes('"UserMessage"')) continue;
    const rec = parse(l);
    if (rec?.type === 'turn_context' && model === null && typeof rec.payload?.model === 'string') model = rec.payload.model;
    if (rec?.type === 'event_msg' && prompt === null) prompt = promptOf(rec.payload);
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
  // A file continuing another (a fork or rolled-back thread Codex made): the thread's first prompt is there.
  if (depth < MAX_CHAIN && hasHistoryBase(first.payload)) {
    let base: SessionSummary | undefined;
    try {
      const b = historyBaseOf(path, first.payload);
      base = b ? summarize(b.path, names, depth + 1) : undefined;
    } catch {
      base = undefined; // a missing base: listed without what it would have told
    }
    if (base) {
      prompt = base.first_prompt ?? prompt;
      model = model ?? base.model;
    }
  }
  const name = newerName(names.get(meta.id.toLowerCase()), recorded)?.name;
  const summary: SessionSummary = {
    id: meta.id,
    path,
    cwd: meta.cwd,
    created_at: meta.timestamp,
    updated_at: mtime.toISOString(),
    model,
    model_provider: meta.model_provider,
    source: typeof meta.source === 'string' ? meta.source : isObject(meta.source) && 'subagent' in meta.source ? 'subagent' : 'unknown',
    first_prompt: prompt,
    name: name ? name : null,
  };
  const spawn = spawnOf(meta);
  if (spawn) {
    summary.parent_thread_id = spawn.parent;
    if (spawn.nickname) summary.agent_nickname = spawn.nickname;
    if (spawn.role) summary.agent_role = spawn.role;
  }
  return summary;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Who spawned a subagent's thread (Codex's `source.subagent.thread_spawn`, or `parent_thread_id`), or undefined. */
export function spawnOf(meta: SessionMeta): { parent: string; nickname: string | null; role: string | null; depth: number } | undefined {
  const raw = meta as unknown as Record<string, unknown>;
  const source = raw.source;
  const sub = isObject(source) && isObject(source.subagent) && isObject(source.subagent.thread_spawn) ? source.subagent.thread_spawn : undefined;
  const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const parent = str(sub?.parent_thread_id) ?? str(raw.parent_thread_id);
  if (parent === null) return undefined;
  return {
    parent,
    nickname: str(sub?.agent_nickname) ?? str(raw.agent_nickname),
    role: str(sub?.agent_role) ?? str(raw.agent_role),
    depth: typeof sub?.depth === 'number' ? sub.depth : 1,
  };
}

export interface ListOptions {
  /** Only sessions started in this directory (unless `all`). */
  cwd: string;
  all?: boolean;
  limit?: number;
  /** List the archived sessions instead (`opencodex archive`); default: the ones in use. */
  archived?: boolean;
  /** Attach each session's subagent threads (`children`). */
  children?: boolean;
}

/**
 * Recent sessions, most recently updated first. Subagents' threads are not sessions of their own here:
 * with `children`, each is listed under the thread that spawned it (found among the threads started no
 * earlier than the oldest session listed, since a subagent starts after its parent).
 */
export function listSessions(home: string, o: ListOptions): SessionSummary[] {
  const all = rolloutFiles(home, o.archived ? 'archived' : 'active');
  const files = all
    .map((f) => {
      try {
        return { ...f, mtime: statSync(f.path).mtimeMs };
      } catch {
        return undefined;
      }
    })
    .filter((f): f is { path: string; id: string; stamp: string; mtime: number } => f !== undefined)
    .sort((a, b) => b.mtime - a.mtime);
  const cwd = resolve(o.cwd);
  const out: SessionSummary[] = [];
  const limit = o.limit ?? Infinity;
  const names = readNameIndex(home);
  const seen = new Map<string, SessionSummary | undefined>();
  const childrenOf = new Map<string, SessionSummary[]>();
  const note = (s: SessionSummary): void => {
    if (s.parent_thread_id === undefined) return;
    const key = s.parent_thread_id.toLowerCase();
    childrenOf.set(key, [...(childrenOf.get(key) ?? []), s]);
  };
  for (const f of files) {
    if (out.length >= limit) break;
    const s = summarize(f.path, names);
    seen.set(f.path, s);
    if (!s) continue;
    if (s.parent_thread_id !== undefined) {
      note(s);
      continue;
    }
    if (!o.all && resolve(s.cwd) !== cwd) continue;
    out.push(s);
  }
  if (!o.children || out.length === 0) return out;
  const stamps = new Map(all.map((f) => [f.id, f.stamp]));
  const earliest = out.reduce((min, s) => {
    const stamp = stamps.get(s.id.toLowerCase()) ?? '';
    return stamp < min ? stamp : min;
  }, '\uffff');
  for (const f of all) {
    if (f.stamp < earliest || seen.has(f.path)) continue;
    const s = summarize(f.path, names);
    if (s) note(s);
  }
  const attach = (s: SessionSummary, depth: number): SessionSummary => {
    const kids = depth < 8 ? (childrenOf.get(s.id.toLowerCase()) ?? []) : [];
    if (kids.length === 0) return s;
    const sorted = [...kids].sort((a, b) => a.created_at.localeCompare(b.created_at));
    return { ...s, children: sorted.map((k) => attach(k, depth + 1)) };
  };
  return out.map((s) => attach(s, 0));
}
