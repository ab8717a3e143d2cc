/**
 * Writing a rollout: every record is one JSON line written with one `write(2)` on a file descriptor
 * opened with O_APPEND, so records from a process killed mid-turn are all on disk except, at worst, the
 * one being written. The file is created on the first record (a run that fails before its first turn
 * leaves none).
 *
 * The storage may refuse a record: a full disk (ENOSPC), an exceeded quota (EDQUOT), a file too large
 * (EFBIG), an I/O error (EIO) or a file system gone read-only (EROFS). None of these ends the turn: the
 * record stays queued in memory, in order, and the queue is written first on the next record, `sync()` or
 * `close()`, so nothing recorded is lost while the process lives. The user is warned once when writing
 * starts failing (again only after the queue has been written in full). A short write keeps the rest
 * of its line at the head of the queue, so a line is never torn. Any other error is a bug and is thrown.
 */
import { accessSync, closeSync, constants, fdatasyncSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JsonObject, ResponseItem } from '../providers/index.js';
import { errnoCode, fsHint, fsReason, makeDirs, UserError } from '../shared/index.js';
import { holdSessionLock } from './lock.js';
import { rolloutPath, sessionsDir } from './paths.js';
import { secretRedactor, type Redactor } from './redact.js';
import type { RolloutKind, RolloutRecorder, SessionEvent, SessionMeta, TurnContext } from './types.js';

/** The `event_msg` written after a torn last line when a resumed session appends to its file. */
export const TORN_LINE_MARKER = 'torn_line_skipped';

/** Errors of the storage, not of the program: the record is kept and written later. */
const STORAGE_ERRORS: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO', 'EROFS']);

export interface OpenRolloutOptions {
  /** Values that must never reach the file (API keys, header values); replaced by `[REDACTED]`. */
  secrets?: readonly string[];
  /** Append to this existing rollout (a resumed thread) instead of starting a new one. */
  existing?: string;
  now?: () => Date;
  /**
   * Told once, in one line, when records start failing to reach the disk (they are kept and retried).
   * Without it, such a failure is thrown as a UserError (for one-shot writers such as `sessions rename`).
   */
  onWarning?: (message: string) => void;
  /** `write(2)` (tests inject failures); returns the bytes written. */
  write?: (fd: number, data: Uint8Array) => number;
}

class FileRecorder implements RolloutRecorder {
  readonly path: string;
  private fd: number | undefined;
  private readonly redact: Redactor;
  private readonly now: () => Date;
  private readonly writeFn: (fd: number, data: Uint8Array) => number;
  /** Lines not yet on disk, oldest first; the head may be the rest of a line cut short. */
  private readonly pending: Buffer[] = [];
  /** The first record has been queued (after the session_meta of a new file). */
  private started = false;
  /** An existing file still has to be checked for a torn last line (before our first write to it). */
  private checkTorn: boolean;
  /** The error code of the current failure streak (the user has been warned). */
  private failing: string | undefined;

  constructor(
    private readonly meta: SessionMeta | undefined,
    path: string,
    private readonly o: OpenRolloutOptions,
    /** Releases the thread's writer lock (lock.ts) when the recorder is closed. */
    private readonly unlock: () => void = () => {},
  ) {
    this.path = path;
    this.now = o.now ?? (() => new Date());
    this.redact = secretRedactor(o.secrets);
    this.writeFn = o.write ?? ((fd, data) => writeSync(fd, data));
    this.checkTorn = meta === undefined;
  }

  /**
   * The `ordinal` of the next record, in a file whose records are numbered (Codex 0.171 numbers them, and
   * will not resume a file whose last record has none); undefined in files opencodex started.
   */
  private ordinal: number | undefined;

  private line(type: RolloutKind, payload: JsonObject): Buffer {
    const timestamp = this.now().toISOString();
    const rec = this.ordinal === undefined ? { timestamp, type, payload } : { timestamp, ordinal: this.ordinal++, type, payload };
    return Buffer.from(`${this.redact(JSON.stringify(rec))}\n`);
  }

  private openFile(): number {
    if (this.fd !== undefined) return this.fd;
    makeDirs(dirname(this.path));
    const fd = openSync(this.path, 'a+', 0o600);
    try {
      if (this.checkTorn) {
        const last = lastOrdinal(fd);
        if (last !== undefined) this.ordinal = last + 1;
        // A killed writer left half a line: end it, and say so, so readers skip exactly that line.
        const marker = endsTorn(fd) ? [Buffer.from('\n'), this.line('event_msg', { type: TORN_LINE_MARKER })] : [];
        // Lines queued before the file was opened are numbered now.
        if (this.ordinal !== undefined) for (let i = 0; i < this.pending.length; i++) this.pending[i] = numbered(this.pending[i] as Buffer, this.ordinal++);
        this.pending.unshift(...marker);
      }
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.checkTorn = false;
    this.fd = fd;
    return fd;
  }

  /** Writes the queue, oldest first; a storage error leaves the rest queued. */
  private flush(): void {
    if (this.pending.length === 0) return;
    try {
      const fd = this.openFile();
      for (let head = this.pending[0]; head !== undefined; head = this.pending[0]) {
        const n = this.writeFn(fd, head);
        if (n >= head.length) this.pending.shift();
        else if (n > 0) this.pending[0] = head.subarray(n);
        else return; // nothing taken and no error: try again with the next record
      }
      this.failing = undefined;
    } catch (err) {
      const code = errnoCode(err);
      if (code === undefined || !STORAGE_ERRORS.has(code)) throw err;
      if (this.failing !== undefined) return;
      this.failing = code;
      const message = `cannot write the session file ${this.path}: ${fsReason(err, this.path)}`;
      if (!this.o.onWarning) throw new UserError(message, { hint: code === 'ENOSPC' || code === 'EDQUOT' ? 'free up disk space and try again' : 'check the disk and try again' });
      this.o.onWarning(`${message}; the turn goes on and its records are kept and written once the disk takes them${code === 'ENOSPC' || code === 'EDQUOT' ? ' — free up disk space' : ''}`);
    }
  }

  private record(type: RolloutKind, payload: JsonObject): void {
    if (!this.started) {
      this.started = true;
      if (this.meta) this.pending.push(this.line('session_meta', this.meta as unknown as JsonObject));
    }
    this.pending.push(this.line(type, payload));
    this.flush();
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

  /** Records still waiting for the disk (whole or partly written lines). */
  get unwritten(): number {
    return this.pending.length;
  }

  sync(): void {
    this.flush();
    if (this.fd === undefined) return;
    try {
      fdatasyncSync(this.fd);
    } catch {
      // Some file systems cannot sync; the data is still with the kernel.
    }
  }

  /**
   * Closes the file and gives up the thread's writer lock; records the disk did not take stay queued (a
   * later record reopens the file).
   */
  close(): void {
    this.unlock();
    this.sync();
    if (this.fd === undefined) return;
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

/** Codex writes `{"timestamp":"…","ordinal":N,…`. */
const LEADING_ORDINAL = /^\{"timestamp":"[^"]*","ordinal":(\d+)[,}]/;
/** How far back from the end of a file numbered records are looked for. */
const ORDINAL_SEARCH_BYTES = 8 << 20;

/**
 * The `ordinal` of the last numbered record of a file (read backwards from its end, line start by line
 * start), or undefined when its records are not numbered.
 */
function lastOrdinal(fd: number): number | undefined {
  const size = fstatSync(fd).size;
  const CHUNK = 64 * 1024;
  const head = Buffer.alloc(128);
  const ordinalAt = (start: number): number | undefined => {
    const n = readSync(fd, head, 0, head.length, start);
    const m = LEADING_ORDINAL.exec(head.toString('utf8', 0, n));
    return m ? Number(m[1]) : undefined;
  };
  // Line starts, from the last one backwards (a torn last line counts: its number was used).
  const buf = Buffer.alloc(CHUNK);
  for (let end = size; end > 0 && size - end < ORDINAL_SEARCH_BYTES; ) {
    const len = Math.min(CHUNK, end);
    const from = end - len;
    readSync(fd, buf, 0, len, from);
    for (let i = len - 1; i >= 0; i--) {
      if (buf[i] !== 0x0a || from + i + 1 >= size) continue;
      const ordinal = ordinalAt(from + i + 1);
      if (ordinal !== undefined) return ordinal;
    }
    end = from;
  }
  return size > 0 ? ordinalAt(0) : undefined;
}

/** A queued line given an ordinal (it was made before the file's numbering was known); one that has one is kept. */
function numbered(line: Buffer, ordinal: number): Buffer {
  const text = line.toString('utf8');
  const m = /^\{"timestamp":"[^"]*",(?!"ordinal")/.exec(text);
  return m ? Buffer.from(`${m[0]}"ordinal":${ordinal},${text.slice(m[0].length)}`) : line;
}

/** Errors that mean the sessions directory or file can never be written here (not a passing state). */
const UNWRITABLE: ReadonlySet<string> = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ELOOP']);

/**
 * Checks, before the thread starts, that its rollout can be written: the sessions directory can be
 * created (a new thread), or the file can be appended to (a resumed one). A read-only home is a
 * UserError suggesting `--ephemeral`; a full disk is not (the recorder copes with it).
 */
function checkWritable(what: string, path: string, attempt: () => void): void {
  try {
    attempt();
  } catch (err) {
    const code = errnoCode(err);
    if (code === undefined || !UNWRITABLE.has(code)) return;
    throw new UserError(`cannot write ${what} ${path}: ${fsReason(err, path)}`, {
      hint: `${fsHint(err, path) ?? 'make it writable'}, point OPENCODEX_HOME at a writable directory, or run exec with --ephemeral to keep no session file`,
    });
  }
}

/**
 * A recorder for a thread: a new rollout under `<home>/sessions/…` (starting with `meta`), or, with
 * `existing`, the resumed thread's own file. Throws a UserError when the home cannot take session files.
 * Until it is closed (or the process exits) the thread counts as running (lock.ts).
 */
export function openRollout(home: string, meta: SessionMeta, options: OpenRolloutOptions = {}): RolloutRecorder {
  if (options.existing) {
    const path = options.existing;
    checkWritable('the session file', path, () => accessSync(path, constants.W_OK));
    return new FileRecorder(undefined, path, options, holdSessionLock(home, meta.id));
  }
  const dir = sessionsDir(home);
  checkWritable('the sessions directory', dir, () => {
    makeDirs(dir);
    accessSync(dir, constants.W_OK);
  });
  return new FileRecorder(meta, rolloutPath(home, meta.id, new Date(meta.timestamp)), options, holdSessionLock(home, meta.id));
}

/** A recorder that appends to an existing rollout (a torn last line is ended first, and marked). */
export function appendToRollout(path: string, options: Omit<OpenRolloutOptions, 'existing'> = {}): RolloutRecorder {
  return new FileRecorder(undefined, path, options);
}
