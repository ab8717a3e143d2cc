/**
 * Reading a rollout back for resuming. The file is streamed line by line; memory keeps only what the
 * next request needs: the response items (compactions and rollbacks applied), the last turn context
 * and the cumulative usage. A torn last line (a process killed mid-write) is skipped with a warning; any
 * other line that is not valid JSON is an error naming its line number.
 */
import type { JsonObject, ResponseItem } from '../providers/index.js';
import { escapeLine, UserError } from '../shared/index.js';
import { forEachLine } from './lines.js';
import { namesThread } from './names.js';
import { TORN_LINE_MARKER } from './recorder.js';
import type { ItemOrigin, LoadedRollout, SessionMeta, TokenUsage, TurnContext } from './types.js';

/** User messages the agent writes itself (context, not a prompt), by their opening text. */
const CONTEXT_PREFIXES = ['<environment_context>', '# AGENTS.md instructions', '<user_instructions>', '<turn_aborted>'];

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
  origin: ItemOrigin;

  constructor(meta: SessionMeta) {
    this.origin = { provider: meta.model_provider, model: '' };
  }

  push(item: ResponseItem): void {
    if (isUserPrompt(item)) this.turnStarts.push(this.history.length);
    this.history.push(item);
    this.origins.push(this.origin);
  }

  replace(items: ResponseItem[]): void {
    this.history = [];
    this.origins = [];
    this.turnStarts = [];
    for (const item of items) this.push(item);
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
  }
}

/** Loads a rollout for resuming. Throws a UserError for a file that is not a rollout or is corrupt. */
export function loadRollout(path: string): LoadedRollout {
  let meta: SessionMeta | undefined;
  let builder: HistoryBuilder | undefined;
  let lastTurnContext: TurnContext | undefined;
  let usage: TokenUsage | undefined;
  let lastUsage: TokenUsage | undefined;
  let firstPrompt: string | undefined;
  let threadName: string | undefined;
  const warnings: string[] = [];
  /** A line that did not parse; it is an error unless it turns out to be the torn last line. */
  let bad: { lineNo: number; message: string } | undefined;

  const corrupt = (lineNo: number, why: string): UserError =>
    // JSON.parse quotes the bad text: escape it, so a corrupt line cannot drive the terminal.
    new UserError(escapeLine(`session file ${path} is corrupt at line ${lineNo}: ${why}`), {
      hint: 'fix or remove that line (every line must be one JSON record), then resume again',
    });

  forEachLine(path, (text, lineNo) => {
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
    if (!meta || !builder) {
      if (rec.type !== 'session_meta' || typeof payload.id !== 'string') {
        throw new UserError(`${path} is not a session file: its first line is not a session_meta record`);
      }
      meta = payload as unknown as SessionMeta;
      builder = new HistoryBuilder(meta);
      return;
    }
    switch (rec.type) {
      case 'response_item':
        builder.push(payload as unknown as ResponseItem);
        if (firstPrompt === undefined && isUserPrompt(payload as unknown as ResponseItem)) firstPrompt = promptText(payload as unknown as ResponseItem);
        break;
      case 'turn_context': {
        lastTurnContext = payload as unknown as TurnContext;
        const provider = typeof payload.model_provider === 'string' ? payload.model_provider : meta.model_provider;
        builder.origin = { provider, model: typeof payload.model === 'string' ? payload.model : '' };
        break;
      }
      case 'compacted':
        if (Array.isArray(payload.replacement_history)) builder.replace(payload.replacement_history as unknown as ResponseItem[]);
        else builder.compactLegacy(typeof payload.message === 'string' ? payload.message : '');
        lastUsage = undefined;
        break;
      case 'event_msg':
        if (payload.type === 'token_count' && isObject(payload.info) && isObject(payload.info.total_token_usage)) {
          usage = payload.info.total_token_usage as unknown as TokenUsage;
          lastUsage = isObject(payload.info.last_token_usage) ? (payload.info.last_token_usage as unknown as TokenUsage) : undefined;
        } else if (payload.type === 'thread_rolled_back' && typeof payload.num_turns === 'number') {
          builder.rollback(payload.num_turns);
        } else if (payload.type === 'thread_name_updated' && namesThread(payload, meta.id)) {
          threadName = typeof payload.thread_name === 'string' && payload.thread_name !== '' ? payload.thread_name : undefined;
        }
        break;
      default:
        break;
    }
  });

  if (!meta || !builder) {
    if (bad) throw corrupt(bad.lineNo, bad.message);
    throw new UserError(`${path} is not a session file: it is empty`, { hint: 'start a new session instead' });
  }
  if (bad) warnings.push(`the last line (${bad.lineNo}) of ${path} is incomplete (the run was stopped while writing it); it was skipped`);
  const { history, origins } = answerOpenCalls(builder.history, builder.origins);
  return { path, meta, history, origins, lastTurnContext, usage, lastUsage, firstPrompt, threadName, warnings };
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
