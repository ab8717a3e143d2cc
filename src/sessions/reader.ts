/**
 * Reading a rollout back for resuming. The file is streamed line by line; memory keeps only what the
 * next request needs: the response items (compactions and rollbacks applied), the last turn context
 * and the cumulative usage. A torn last line (a process killed mid-write) is skipped with a warning; any
 * other line that is not valid JSON is an error naming its line number.
 */
import type { JsonObject, ResponseItem } from '../providers/index.js';
import { escapeLine, UserError } from '../shared/index.js';
import { chainGuard, forEachBaseLine, historyBaseOf, type HistoryBase } from './chain.js';
import { readHistoryItem, readHistoryItems, SkipCounter } from './history-items.js';
import { forEachLine } from './lines.js';
import { namesThread } from './names.js';
import { TORN_LINE_MARKER } from './recorder.js';
import type { CollabRecord, ItemOrigin, LastTurn, LoadedRollout, SessionMeta, TokenUsage, TurnContext } from './types.js';

/** User messages the agent writes itself (context, not a prompt), by their opening text. */
const CONTEXT_PREFIXES = ['<environment_context>', '# AGENTS.md instructions', '<user_instructions>', '<turn_aborted>', '<user_shell_command>', '<subagent_notification>'];

export function isUserPrompt(item: ResponseItem): boolean {
  if (item.type !== 'message' || item.role !== 'user') return false;
  const first = item.content.find((p) => p.type === 'input_text');
  const text = first && first.type === 'input_text' ? first.text : '';
  return !CONTEXT_PREFIXES.some((p) => text.startsWith(p));
}

function promptText(item: ResponseItem): string {
  if (item.type !== 'message') return '';
  return item.content.map((p) => (p.type === 'input_text' ? p.text : '')).join('');
}

interface Parsed {
  type?: unknown;
  payload?: unknown;
}

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

class HistoryBuilder {
  history: ResponseItem[] = [];
  origins: ItemOrigin[] = [];
  /** Index in `history` where each user turn starts (for rollbacks). */
  private turnStarts: number[] = [];
  /** Everything the thread showed, for display: a compaction adds its summary instead of replacing. */
  shown: ResponseItem[] = [];
  private shownTurnStarts: number[] = [];
  origin: ItemOrigin;

  constructor(meta: SessionMeta) {
    this.origin = { provider: meta.model_provider, model: '' };
  }

  push(item: ResponseItem): void {
    this.add(item);
    if (isUserPrompt(item)) this.shownTurnStarts.push(this.shown.length);
    this.shown.push(item);
  }

  private add(item: ResponseItem): void {
    if (isUserPrompt(item)) this.turnStarts.push(this.history.length);
    this.history.push(item);
    this.origins.push(this.origin);
  }

  /** A compaction: the history becomes `items`; what was shown stays, followed by the summary (the last item). */
  replace(items: ResponseItem[]): void {
    this.history = [];
    this.origins = [];
    this.turnStarts = [];
    for (const item of items) this.add(item);
    const summary = items.at(-1);
    if (summary) this.shown.push(summary);
  }

  /** A compaction without a replacement history (older Codex): initial context, the prompts, the summary. */
  compactLegacy(summary: string): void {
    const firstTurn = this.turnStarts[0] ?? this.history.length;
    const kept = this.history.slice(0, firstTurn);
    const prompts = this.history.filter(isUserPrompt);
    this.replace([...kept, ...prompts, { type: 'message', role: 'user', content: [{ type: 'input_text', text: summary }] }]);
  }

  rollback(turns: number): void {
    if (turns <= 0) return;
    const cut = this.turnStarts[Math.max(0, this.turnStarts.length - turns)];
    if (cut === undefined) return;
    this.history.length = cut;
    this.origins.length = cut;
    this.turnStarts.length = Math.max(0, this.turnStarts.length - turns);
    const shownCut = this.shownTurnStarts[Math.max(0, this.shownTurnStarts.length - turns)];
    if (shownCut !== undefined) this.shown.length = shownCut;
    this.shownTurnStarts.length = Math.max(0, this.shownTurnStarts.length - turns);
  }
}

/** Top-level record types opencodex reads. */
const READ_RECORDS: ReadonlySet<string> = new Set(['session_meta', 'response_item', 'turn_context', 'event_msg', 'compacted']);
/** Record types Codex 0.171 writes that carry nothing a resumed thread needs (its own state snapshots and usage log). */
const IGNORED_RECORDS: ReadonlySet<string> = new Set(['world_state', 'token_usage_record']);

/** What reading builds up, across a file and the files it continues. */
class RolloutState {
  lastTurnContext: TurnContext | undefined;
  usage: TokenUsage | undefined;
  lastUsage: TokenUsage | undefined;
  firstPrompt: string | undefined;
  threadName: string | undefined;
  lastTurn: LastTurn | undefined;
  readonly collab: CollabRecord[] = [];
  /** Records of types opencodex does not know (a newer Codex), by type. */
  readonly unknownRecords = new SkipCounter();
  /** History items (and parts of them) that could not be replayed, by type. */
  readonly skippedItems = new SkipCounter();

  constructor(
    readonly meta: SessionMeta,
    readonly builder: HistoryBuilder,
  ) {}

  apply(type: string, payload: JsonObject): void {
    const { builder, meta } = this;
    switch (type) {
      case 'response_item': {
        const read = readHistoryItem(payload, this.skippedItems);
        if (!('item' in read)) {
          if (!read.quiet) this.skippedItems.add(read.skipped);
          return;
        }
        builder.push(read.item);
        if (this.firstPrompt === undefined && isUserPrompt(read.item)) this.firstPrompt = promptText(read.item);
        return;
      }
      case 'turn_context': {
        this.lastTurnContext = payload as unknown as TurnContext;
        const provider = typeof payload.model_provider === 'string' ? payload.model_provider : meta.model_provider;
        builder.origin = { provider, model: typeof payload.model === 'string' ? payload.model : '' };
        return;
      }
      case 'compacted':
        if (Array.isArray(payload.replacement_history)) builder.replace(readHistoryItems(payload.replacement_history, this.skippedItems));
        else builder.compactLegacy(typeof payload.message === 'string' ? payload.message : '');
        this.lastUsage = undefined;
        return;
      case 'event_msg':
        if (payload.type === 'token_count' && isObject(payload.info) && isObject(payload.info.total_token_usage)) {
          this.usage = payload.info.total_token_usage as unknown as TokenUsage;
          this.lastUsage = isObject(payload.info.last_token_usage) ? (payload.info.last_token_usage as unknown as TokenUsage) : undefined;
        } else if (payload.type === 'thread_rolled_back' && typeof payload.num_turns === 'number') {
          builder.rollback(payload.num_turns);
        } else if (payload.type === 'thread_name_updated' && namesThread(payload, meta.id)) {
          this.threadName = typeof payload.thread_name === 'string' && payload.thread_name !== '' ? payload.thread_name : undefined;
        } else {
          this.turnEvent(payload);
        }
        return;
      default:
        if (!READ_RECORDS.has(type) && !IGNORED_RECORDS.has(type)) this.unknownRecords.add(type);
    }
  }

  /** How turns end, and the subagent calls (Codex's `item_completed` with a `CollabAgentToolCall`). */
  private turnEvent(payload: JsonObject): void {
    switch (payload.type) {
      case 'task_started':
        this.lastTurn = { status: 'unfinished' };
        return;
      case 'task_complete': {
        const error = isObject(payload.error) && typeof payload.error.message === 'string' ? payload.error.message : undefined;
        const message = typeof payload.last_agent_message === 'string' ? payload.last_agent_message : null;
        this.lastTurn = error !== undefined ? { status: 'failed', message: error } : { status: 'completed', message };
        return;
      }
      case 'turn_aborted':
        this.lastTurn = { status: 'interrupted' };
        return;
      case 'item_completed': {
        const item = payload.item;
        if (isObject(item) && item.type === 'CollabAgentToolCall' && Array.isArray(item.receiver_thread_ids) && isObject(item.agents_states)) {
          this.collab.push(item as unknown as CollabRecord);
        }
        return;
      }
      default:
        return;
    }
  }

  /** One line for what was left out, if anything was. */
  skippedNote(path: string): string | undefined {
    const parts: string[] = [];
    if (this.skippedItems.size > 0) parts.push(`history items it cannot send (${this.skippedItems.describe()}) were left out`);
    if (this.unknownRecords.size > 0) parts.push(`records of types it does not know (${this.unknownRecords.describe()}) were skipped`);
    if (parts.length === 0) return undefined;
    return escapeLine(`note: reading ${path}, ${parts.join('; ')}`);
  }
}

/** A `session_meta` payload with the fields a resume relies on (Codex may leave some out). */
function sessionMeta(payload: JsonObject): SessionMeta {
  const meta = { ...payload } as unknown as SessionMeta;
  if (!isObject(payload.base_instructions) || typeof payload.base_instructions.text !== 'string') meta.base_instructions = { text: '' };
  if (typeof payload.model_provider !== 'string') meta.model_provider = 'openai';
  if (typeof payload.cwd !== 'string') meta.cwd = '';
  return meta;
}

type Sink = (type: string, payload: JsonObject, lineNo: number) => void;

/**
 * Streams the records of one file to `sink`. A torn last line (or one followed by our marker) is skipped
 * with a warning; any other line that is not a JSON record is an error naming its line number.
 */
function readFile(path: string, lines: (onLine: (text: string, lineNo: number) => void) => void, sink: Sink, warnings: string[]): void {
  /** A line that did not parse; it is an error unless it turns out to be the torn last line. */
  let bad: { lineNo: number; message: string } | undefined;
  let records = 0;
  const corrupt = (lineNo: number, why: string): UserError =>
    // JSON.parse quotes the bad text: escape it, so a corrupt line cannot drive the terminal.
    new UserError(escapeLine(`session file ${path} is corrupt at line ${lineNo}: ${why}`), {
      hint: 'fix or remove that line (every line must be one JSON record), then resume again',
    });
  lines((text, lineNo) => {
    if (text.trim() === '') return;
    let rec: Parsed;
    try {
      rec = JSON.parse(text) as Parsed;
    } catch (err) {
      if (bad) throw corrupt(bad.lineNo, bad.message);
      bad = { lineNo, message: (err as Error).message };
      return;
    }
    const payload = rec.payload;
    if (bad) {
      if (rec.type === 'event_msg' && isObject(payload) && payload.type === TORN_LINE_MARKER) {
        warnings.push(`line ${bad.lineNo} of ${path} was cut off when an earlier run stopped; it was skipped`);
        bad = undefined;
        return;
      }
      throw corrupt(bad.lineNo, bad.message);
    }
    if (!isObject(payload) || typeof rec.type !== 'string') throw corrupt(lineNo, 'not a {"timestamp","type","payload"} record');
    records++;
    sink(rec.type, payload, lineNo);
  });
  if (!bad) return;
  // A file with nothing else is not a torn session but not one at all.
  if (records === 0) throw corrupt(bad.lineNo, bad.message);
  warnings.push(`the last line (${bad.lineNo}) of ${path} is incomplete (the run was stopped while writing it); it was skipped`);
}

/**
 * Loads a rollout for resuming: the file's records, after those of the files it continues (a fork or a
 * rolled-back thread Codex 0.171 made, see chain.ts). Throws a UserError for a file that is not a rollout,
 * is corrupt, or continues a thread whose file is missing.
 */
export function loadRollout(path: string): LoadedRollout {
  let state: RolloutState | undefined;
  const warnings: string[] = [];
  const guard = chainGuard(path);

  /** The records of a base file (and of its own bases first), within its limits, without its session_meta. */
  const readBase = (base: HistoryBase, into: RolloutState): void => {
    guard(base.path);
    let first = true;
    readFile(
      base.path,
      (onLine) => forEachBaseLine(base, onLine),
      (type, payload) => {
        if (first) {
          first = false;
          if (type !== 'session_meta') throw new UserError(`${base.path} is not a session file: its first line is not a session_meta record`);
          const next = historyBaseOf(base.path, payload);
          if (next) readBase(next, into);
          return;
        }
        into.apply(type, payload);
      },
      warnings,
    );
    if (first) throw new UserError(`${base.path} is not a session file: it is empty`);
  };

  readFile(
    path,
    (onLine) => forEachLine(path, (text, lineNo) => onLine(text, lineNo)),
    (type, payload) => {
      if (state) {
        state.apply(type, payload);
        return;
      }
      if (type !== 'session_meta' || typeof payload.id !== 'string') {
        throw new UserError(`${path} is not a session file: its first line is not a session_meta record`);
      }
      const meta = sessionMeta(payload);
      state = new RolloutState(meta, new HistoryBuilder(meta));
      const base = historyBaseOf(path, payload);
      if (base) readBase(base, state);
    },
    warnings,
  );

  if (!state) throw new UserError(`${path} is not a session file: it is empty`, { hint: 'start a new session instead' });
  const { history, origins } = answerOpenCalls(...dropOrphanOutputs(state.builder.history, state.builder.origins, state.skippedItems));
  const note = state.skippedNote(path);
  if (note) warnings.push(note);
  const { meta, lastTurnContext, usage, lastUsage, firstPrompt, threadName, lastTurn, collab } = state;
  const shown = state.builder.shown;
  return { path, meta, history, origins, shown, lastTurnContext, usage, lastUsage, firstPrompt, threadName, warnings, lastTurn, collab };
}

/**
 * A tool output whose call is not in the history (its call was of a type that was left out) cannot be
 * sent: every API rejects an output without its call. Such outputs are left out too, and counted.
 */
function dropOrphanOutputs(history: ResponseItem[], origins: ItemOrigin[], skips: SkipCounter): [ResponseItem[], ItemOrigin[]] {
  const calls = new Set<string>();
  for (const item of history) if (item.type === 'function_call' || item.type === 'custom_tool_call') calls.add(item.call_id);
  const orphan = (item: ResponseItem): boolean => (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') && !calls.has(item.call_id);
  if (!history.some(orphan)) return [history, origins];
  const h: ResponseItem[] = [];
  const o: ItemOrigin[] = [];
  history.forEach((item, i) => {
    if (orphan(item)) {
      skips.add(`${item.type} without its call`);
      return;
    }
    h.push(item);
    o.push(origins[i] as ItemOrigin);
  });
  return [h, o];
}

/** What a tool call that never got its output (the run was stopped) is answered with. */
export const ABORTED_OUTPUT = 'aborted';

/**
 * Every tool call needs an output before the history can be sent again: a call whose run was stopped
 * before its output was recorded gets `aborted`, right after it.
 */
function answerOpenCalls(history: ResponseItem[], origins: ItemOrigin[]): { history: ResponseItem[]; origins: ItemOrigin[] } {
  const answered = new Set<string>();
  for (const item of history) if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') answered.add(item.call_id);
  if (!history.some((item) => (item.type === 'function_call' || item.type === 'custom_tool_call') && !answered.has(item.call_id))) return { history, origins };
  const h: ResponseItem[] = [];
  const o: ItemOrigin[] = [];
  history.forEach((item, i) => {
    const origin = origins[i] as ItemOrigin;
    h.push(item);
    o.push(origin);
    if ((item.type === 'function_call' || item.type === 'custom_tool_call') && !answered.has(item.call_id)) {
      h.push({ type: item.type === 'function_call' ? 'function_call_output' : 'custom_tool_call_output', call_id: item.call_id, output: ABORTED_OUTPUT });
      o.push(origin);
    }
  });
  return { history: h, origins: o };
}
