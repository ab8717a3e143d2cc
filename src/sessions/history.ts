/**
 * `<home>/history.jsonl`: every user prompt, one `{"conversation_id","ts","text"}` line each, written with
 * a single O_APPEND write (codex-compat.md §7.4). `[history] persistence = "none"` turns it off;
 * `max_bytes` caps the file by dropping the oldest lines once it grows past the cap.
 */
import { closeSync, fstatSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { readTail } from './lines.js';
import { secretRedactor } from './redact.js';

export interface HistoryEntry {
  conversation_id: string;
  /** Unix seconds. */
  ts: number;
  text: string;
}

export const HISTORY_FILE = 'history.jsonl';
/** After trimming, the file is at most this share of `max_bytes` (Codex's soft cap). */
const SOFT_CAP = 0.8;

export function historyPath(home: string): string {
  return join(home, HISTORY_FILE);
}

export interface AppendHistoryOptions {
  /** Values that must never reach the file (the rollout's secrets); replaced by `[REDACTED]` as in the rollout. */
  secrets?: readonly string[];
}

/** Appends one prompt, unless history is turned off. Never throws: history is a convenience. */
export function appendHistory(
  home: string,
  config: Pick<Config, 'history'>,
  entry: { conversation_id: string; text: string; ts?: number },
  options: AppendHistoryOptions = {},
): void {
  if (config.history?.persistence === 'none') return;
  const redact = secretRedactor(options.secrets);
  const line = `${redact(JSON.stringify({ conversation_id: entry.conversation_id, ts: entry.ts ?? Math.floor(Date.now() / 1000), text: entry.text }))}\n`;
  const path = historyPath(home);
  try {
    const fd = openSync(path, 'a', 0o600);
    let size: number;
    try {
      writeSync(fd, line);
      size = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
    const max = config.history?.max_bytes;
    if (max !== undefined && size > max) trim(path, max);
  } catch {
    // An unwritable home loses the recall list, not the run.
  }
}

/** Keeps the newest lines that fit in the soft cap (at least the newest one). */
function trim(path: string, maxBytes: number): void {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  const cap = Math.floor(maxBytes * SOFT_CAP);
  let total = 0;
  let keepFrom = lines.length;
  while (keepFrom > 0) {
    const len = Buffer.byteLength(lines[keepFrom - 1] as string) + 1;
    if (total + len > cap && keepFrom < lines.length) break;
    total += len;
    keepFrom--;
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, lines.slice(keepFrom).map((l) => `${l}\n`).join(''), { mode: 0o600 });
  renameSync(tmp, path);
}

/** The most recent prompts, oldest first (for up-arrow recall). Reads at most the last `maxBytes`. */
export function readHistory(home: string, options: { limit?: number; maxBytes?: number } = {}): HistoryEntry[] {
  const path = historyPath(home);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return [];
  }
  const out: HistoryEntry[] = [];
  for (const l of readTail(path, size, options.maxBytes ?? 1 << 20)) {
    try {
      const e = JSON.parse(l) as HistoryEntry;
      if (typeof e.text === 'string') out.push(e);
    } catch {
      // A torn or foreign line: skip it.
    }
  }
  return options.limit === undefined ? out : out.slice(-options.limit);
}
