/**
 * Writing a rollout: every record is one `write(2)` of one JSON line on a file descriptor opened with
 * O_APPEND, so records from a process killed mid-turn are all on disk except, at worst, the one being
 * written. The file is created on the first record (a run that fails before its first turn leaves none).
 */
import { closeSync, fdatasyncSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JsonObject, ResponseItem } from '../providers/index.js';
import { rolloutPath } from './paths.js';
import { secretRedactor, type Redactor } from './redact.js';
import type { RolloutKind, RolloutRecorder, SessionEvent, SessionMeta, TurnContext } from './types.js';

/** The `event_msg` written after a torn last line when a resumed session appends to its file. */
export const TORN_LINE_MARKER = 'torn_line_skipped';

export interface OpenRolloutOptions {
  /** Values that must never reach the file (API keys, header values); replaced by `[REDACTED]`. */
  secrets?: readonly string[];
  /** Append to this existing rollout (a resumed thread) instead of starting a new one. */
  existing?: string;
  now?: () => Date;
}

class FileRecorder implements RolloutRecorder {
  readonly path: string;
  private fd: number | undefined;
  private readonly redact: Redactor;
  private readonly now: () => Date;

  constructor(
    private readonly meta: SessionMeta | undefined,
    path: string,
    o: OpenRolloutOptions,
  ) {
    this.path = path;
    this.now = o.now ?? (() => new Date());
    this.redact = secretRedactor(o.secrets);
  }

  private open(): number {
    if (this.fd !== undefined) return this.fd;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const fd = openSync(this.path, 'a+', 0o600);
    this.fd = fd;
    if (this.meta) {
      this.write(fd, 'session_meta', this.meta as unknown as JsonObject);
    } else if (endsTorn(fd)) {
      // A killed writer left half a line: end it, and say so, so readers skip exactly that line.
      writeSync(fd, '\n');
      this.write(fd, 'event_msg', { type: TORN_LINE_MARKER });
    }
    return fd;
  }

  private write(fd: number, type: RolloutKind, payload: JsonObject): void {
    const line = this.redact(JSON.stringify({ timestamp: this.now().toISOString(), type, payload }));
    writeSync(fd, `${line}\n`);
  }

  private record(type: RolloutKind, payload: JsonObject): void {
    this.write(this.open(), type, payload);
  }

  turnContext(context: TurnContext): void {
    this.record('turn_context', context as unknown as JsonObject);
  }

  item(item: ResponseItem): void {
    this.record('response_item', item as unknown as JsonObject);
  }

  event(event: SessionEvent): void {
    this.record('event_msg', event as unknown as JsonObject);
  }

  compacted(message: string, replacementHistory: readonly ResponseItem[]): void {
    this.record('compacted', { message, replacement_history: replacementHistory as unknown as JsonObject[] });
  }

  sync(): void {
    if (this.fd === undefined) return;
    try {
      fdatasyncSync(this.fd);
    } catch {
      // Some file systems cannot sync; the data is still with the kernel.
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    this.sync();
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The file's last byte is not a newline (a record was cut off). */
function endsTorn(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, size - 1);
  return b[0] !== 0x0a;
}

/**
 * A recorder for a thread: a new rollout under `<home>/sessions/…` (starting with `meta`), or, with
 * `existing`, the resumed thread's own file.
 */
export function openRollout(home: string, meta: SessionMeta, options: OpenRolloutOptions = {}): RolloutRecorder {
  if (options.existing) return appendToRollout(options.existing, options);
  return new FileRecorder(meta, rolloutPath(home, meta.id, new Date(meta.timestamp)), options);
}

/** A recorder that appends to an existing rollout (a torn last line is ended first, and marked). */
export function appendToRollout(path: string, options: Omit<OpenRolloutOptions, 'existing'> = {}): RolloutRecorder {
  return new FileRecorder(undefined, path, options);
}
