/**
 * The one normalized stream both wire APIs produce. The agent consumes these events and never learns
 * which wire API is underneath. A stream always ends with exactly one `completed` or `failed` event.
 */
import type { ProviderError } from './errors.js';
import type { ResponseItem, Usage, WebSearchCallItem } from './items.js';

export type StopReason = 'stop' | 'tool_calls';

export type ProviderEvent =
  /** The server accepted the request and started answering. */
  | { type: 'started'; responseId: string | null; model: string | null }
  /** Visible answer text for the message item `itemId`. */
  | { type: 'text_delta'; itemId: string; delta: string }
  /** Reasoning summary text (Responses); a new `summaryIndex` starts a new paragraph. */
  | { type: 'reasoning_summary_delta'; itemId: string; summaryIndex: number; delta: string }
  /** Raw reasoning text (open-weight models; Chat `reasoning_content` / `reasoning`). */
  | { type: 'reasoning_delta'; itemId: string; delta: string }
  /**
   * A tool call began. `callId` is the id known so far; the `item_done` event carries the final one
   * (some Chat servers send the id late or never, and one is then made up).
   */
  | { type: 'tool_call_started'; itemId: string; callId: string; name: string; kind: 'function' | 'custom' }
  /**
   * The server began a hosted web search (Responses only). `itemId` is its provider id; the `item_done`
   * event with the same `item.id` carries the finished search. Nothing needs to be sent back for it.
   */
  | { type: 'web_search_started'; itemId: string; item: WebSearchCallItem }
  /** A fragment of a tool call's arguments (function) or input (custom). */
  | { type: 'tool_call_delta'; itemId: string; delta: string }
  /** An output item is final: store it for replay. Tool calls carry their complete arguments here. */
  | { type: 'item_done'; item: ResponseItem }
  /**
   * The attempt failed and the request is being re-sent after `delayMs`. Discard any partial output of
   * the failed attempt: the new attempt streams the whole response again.
   */
  | { type: 'retrying'; attempt: number; maxAttempts: number; delayMs: number; reason: string; message: string; error: ProviderError }
  /**
   * Terminal success: every output item in order, and usage. They are the items of the `item_done` events,
   * except where a gateway streamed less than it finally sent (see reconcile.ts): an empty streamed item
   * replaced by its full final version, an empty message beside a tool call left out.
   */
  | { type: 'completed'; responseId: string | null; items: ResponseItem[]; usage: Usage | null; stopReason: StopReason }
  /** Terminal failure, after any retries the budget allowed. */
  | { type: 'failed'; error: ProviderError };

export type ProviderEventType = ProviderEvent['type'];
