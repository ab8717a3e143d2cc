/** Where rollouts live: `<home>/sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<thread id>.jsonl` (local time). */
import { join } from 'node:path';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function sessionsDir(home: string): string {
  return join(home, 'sessions');
}

/** The rollout path for a thread started at `when`. */
export function rolloutPath(home: string, threadId: string, when: Date = new Date()): string {
  const y = pad(when.getFullYear(), 4);
  const m = pad(when.getMonth() + 1);
  const d = pad(when.getDate());
  const stamp = `${y}-${m}-${d}T${pad(when.getHours())}-${pad(when.getMinutes())}-${pad(when.getSeconds())}`;
  return join(sessionsDir(home), y, m, d, `rollout-${stamp}-${threadId}.jsonl`);
}

const FILE_RE = /^rollout-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

/** The thread id and local start stamp in a rollout file name, or undefined for other files. */
export function parseRolloutName(name: string): { id: string; stamp: string } | undefined {
  const m = FILE_RE.exec(name);
  return m ? { stamp: m[1] as string, id: (m[2] as string).toLowerCase() } : undefined;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
