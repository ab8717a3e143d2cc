/**
 * Local compaction (codex-compat.md §9.5): one model request without tools asks for a handoff summary
 * of the thread, and the history is rebuilt from the thread's initial context, the user's most recent
 * prompts (up to a token budget) and the summary. Works with every provider and both wire APIs.
 * The session (session.ts) decides when to compact and records the result; this module holds the parts.
 */
import type { ResponseItem, TurnRequest } from '../providers/index.js';
import { isUserPrompt } from '../sessions/index.js';
import type { AgentEvent, Usage } from './events.js';
import { SUMMARY_PREFIX } from './prompt/compact.js';
import { toAgentUsage, type ModelStream } from './turn.js';

/** How much of the user's recent prompts a compacted history keeps, in estimated tokens. */
export const KEPT_PROMPT_TOKENS = 20_000;

/** What started a compaction: `/compact`, the auto limit, or the server rejecting an oversized input. */
export type CompactTrigger = 'manual' | 'auto' | 'overflow';

export type CompactOutcome =
  | { status: 'compacted'; tokensBefore: number; tokensAfter: number }
  | { status: 'failed'; message: string }
  | { status: 'interrupted' };

/** A token estimate: UTF-8 bytes / 4, rounded up. */
export function approxTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

/** Estimated tokens of a history: its text (images and opaque reasoning state left out). */
export function estimateTokens(items: readonly ResponseItem[]): number {
  let bytes = 0;
  const walk = (v: unknown, key: string): void => {
    if (typeof v === 'string') {
      if (key !== 'image_url' && key !== 'encrypted_content') bytes += Buffer.byteLength(v, 'utf8');
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, key);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  for (const item of items) walk(item, '');
  return Math.ceil(bytes / 4);
}

/**
 * The token count at which a thread is compacted automatically: `model_auto_compact_token_limit` when
 * set, never above 90% of the model's context window; none when neither is known.
 */
export function autoCompactLimit(configured: number | undefined, contextWindow: number | null | undefined): number | undefined {
  const window = typeof contextWindow === 'number' && contextWindow > 0 ? Math.floor(contextWindow * 0.9) : undefined;
  if (configured === undefined) return window;
  return window === undefined ? configured : Math.min(configured, window);
}

const textOf = (item: ResponseItem): string =>
  item.type === 'message' ? item.content.map((p) => (p.type === 'input_image' ? '' : p.text)).join('') : '';

/** How Codex's own summary message starts (its `summary_prefix.md`), in threads Codex compacted. */
export const CODEX_SUMMARY_PREFIX = 'Another language model started to solve this problem and produced a summary of its thinking process.';

/** The message a compaction (ours, or Codex's in a thread it recorded) leaves in place of the conversation it summarized. */
export function isCompactionSummary(item: ResponseItem): boolean {
  if (item.type !== 'message' || item.role !== 'user') return false;
  const text = textOf(item);
  return text.startsWith(SUMMARY_PREFIX) || text.startsWith(CODEX_SUMMARY_PREFIX);
}

/** The text of the summary message: our explanation, then the model's summary. */
export function summaryMessageText(summary: string): string {
  const body = summary.trim();
  return `${SUMMARY_PREFIX}\n${body === '' ? '(the model returned no summary)' : body}`;
}

/** Cuts a text to about `maxBytes` UTF-8 bytes, keeping its beginning and its end. */
export function truncateMiddle(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  const half = Math.max(0, Math.floor(maxBytes / 2));
  const head = bytes.subarray(0, half).toString('utf8').replace(/\uFFFD+$/, '');
  const tail = bytes.subarray(bytes.length - half).toString('utf8').replace(/^\uFFFD+/, '');
  const cut = approxTokens(text) - approxTokens(head) - approxTokens(tail);
  return `${head}\n[… about ${cut} tokens of this message left out …]\n${tail}`;
}

/**
 * The user's own prompts worth keeping, oldest first: the most recent ones whose estimated tokens fit
 * `budget`; the one at the boundary is cut to what is left; older ones are dropped. Context messages
 * (environment, AGENTS.md) and earlier summaries are not prompts.
 */
export function keptPrompts(history: readonly ResponseItem[], budget = KEPT_PROMPT_TOKENS): string[] {
  const prompts = history.filter((i) => isUserPrompt(i) && !isCompactionSummary(i)).map(textOf).filter((t) => t.trim() !== '');
  const kept: string[] = [];
  let left = budget;
  for (let i = prompts.length - 1; i >= 0 && left > 0; i--) {
    const text = prompts[i] as string;
    const tokens = approxTokens(text);
    if (tokens <= left) {
      kept.push(text);
      left -= tokens;
    } else {
      kept.push(truncateMiddle(text, left * 4));
      break;
    }
  }
  return kept.reverse();
}

const userMessage = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });

/** The history after a compaction: initial context, the kept prompts, then the summary message. */
export function compactedHistory(o: {
  initialContext: readonly ResponseItem[];
  history: readonly ResponseItem[];
  summary: string;
  budget?: number;
}): ResponseItem[] {
  return [...o.initialContext, ...keptPrompts(o.history, o.budget).map(userMessage), userMessage(summaryMessageText(o.summary))];
}

/**
 * Drops the oldest item after the first `keep` (the initial context), with the output of a call it
 * removes, so the rest still pairs every call with its output. False when nothing is left to drop.
 */
function dropOldest(items: ResponseItem[], keep: number): boolean {
  if (items.length <= keep) return false;
  const [gone] = items.splice(keep, 1);
  if (gone && (gone.type === 'function_call' || gone.type === 'custom_tool_call')) {
    const at = items.findIndex((i) => (i.type === 'function_call_output' || i.type === 'custom_tool_call_output') && i.call_id === gone.call_id);
    if (at !== -1) items.splice(at, 1);
  }
  while (items.length > keep) {
    const first = items[keep] as ResponseItem;
    if (first.type !== 'function_call_output' && first.type !== 'custom_tool_call_output') break;
    items.splice(keep, 1);
  }
  return true;
}

export type SummaryResult =
  | { status: 'ok'; summary: string; usage: Usage | null }
  | { status: 'failed'; message: string }
  | { status: 'interrupted' };

export interface SummaryRequest {
  model: ModelStream;
  /** The session's request fields (model, instructions, reasoning); no tools and no output schema are sent. */
  request: Omit<TurnRequest, 'input' | 'tools' | 'signal' | 'outputSchema'>;
  history: readonly ResponseItem[];
  /** The instruction appended as the last user message. */
  prompt: string;
  /** Leading items never dropped when the history does not fit (the initial context). */
  keep: number;
  signal: AbortSignal;
  emit: (event: AgentEvent) => void;
}

/**
 * Asks the model for the summary. When even this request does not fit the context window, the oldest
 * items are dropped one by one until it does (or nothing is left to drop).
 */
export async function requestSummary(o: SummaryRequest): Promise<SummaryResult> {
  const input = [...o.history];
  for (;;) {
    if (o.signal.aborted) return { status: 'interrupted' };
    let overflow: string | null = null;
    for await (const ev of o.model({ ...o.request, input: [...input, userMessage(o.prompt)], tools: [], signal: o.signal })) {
      if (ev.type === 'retrying') {
        o.emit({ type: 'error', message: `Reconnecting... ${ev.attempt}/${ev.maxAttempts} (${ev.reason})` });
      } else if (ev.type === 'failed') {
        if (o.signal.aborted) return { status: 'interrupted' };
        if (ev.error.kind !== 'context_length') return { status: 'failed', message: ev.error.message };
        overflow = ev.error.message;
      } else if (ev.type === 'completed') {
        let summary = '';
        for (const item of ev.items) {
          if (item.type === 'message' && item.role === 'assistant' && textOf(item).trim() !== '') summary = textOf(item);
        }
        return { status: 'ok', summary, usage: ev.usage ? toAgentUsage(ev.usage) : null };
      }
    }
    if (o.signal.aborted) return { status: 'interrupted' };
    if (overflow === null) return { status: 'failed', message: 'stream ended without a response' };
    if (!dropOldest(input, o.keep)) return { status: 'failed', message: overflow };
  }
}
