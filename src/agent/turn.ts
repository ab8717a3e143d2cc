/**
 * The turn loop: send the history, dispatch every tool call the model makes (in parallel where the
 * tools and the model allow, outputs kept in call order), append the outputs, and go again until a
 * response has no tool calls. It emits events and never prints.
 */
import type { ProviderError, ProviderEvent, ResponseItem, ToolOutput, ToolSpec, TurnRequest, Usage as ProviderUsage } from '../providers/index.js';
import { addUsage, type AgentEvent, type Usage } from './events.js';
import type { ClientFiles, ToolCall, ToolHandler, ToolResult } from './tool-types.js';
import { WebSearchTracker } from './web-search.js';

export type ModelStream = (request: TurnRequest) => AsyncIterable<ProviderEvent>;

export interface TurnSetup {
  /** Everything of the request except the history and tools, which the loop fills in. */
  request: Omit<TurnRequest, 'input' | 'tools' | 'signal'>;
  model: ModelStream;
  tools: readonly ToolHandler[];
  /** Tools the server runs itself (web_search): offered after the handlers' specs, never dispatched. */
  hostedTools?: readonly ToolSpec[];
  /** The model supports parallel tool calls. */
  parallelToolCalls: boolean;
  signal: AbortSignal;
  emit: (event: AgentEvent) => void;
  nextItemId: () => string;
  /** The turn's id (given to tools, which record it). */
  turnId?: string;
  /** Context that arrived since the last request (finished subagents), appended before each request. */
  pendingInput?: () => ResponseItem[];
  /** The front end's file access, handed to the tools (see ToolContext.files). */
  files?: ClientFiles | undefined;
  /** Runs just before `turn.completed` (e.g. to complete the plan item). */
  beforeComplete?: () => void;
  /** Called as each item is appended to the history (the session records it there). */
  onItem?: (item: ResponseItem) => void;
  /** Called with each response's usage and the new thread total. */
  onUsage?: (last: Usage, total: Usage) => void;
  /**
   * Runs before each follow-up request (after tool outputs were appended): compacts the history when it
   * has grown past the auto-compact limit. `interrupted` ends the turn.
   */
  compactIfNeeded?: () => Promise<CompactStep>;
  /** The server said the input does not fit the context window: compact, so the request can be sent once more. */
  compactForOverflow?: () => Promise<CompactStep>;
  /**
   * Input the user added while the turn runs (a front end's "steer"): taken before each follow-up request,
   * appended to the history, and sent with it; a response without tool calls does not end the turn while
   * there is some.
   */
  takeSteered?: () => ResponseItem[];
}

/** What a compaction requested by the loop came to; the history is changed in place only when `compacted`. */
export type CompactStep = 'compacted' | 'skipped' | 'failed' | 'interrupted';

export interface TurnState {
  history: ResponseItem[];
  /** Cumulative usage of the thread. */
  usage: Usage;
}

export type TurnOutcome =
  | { status: 'completed'; lastMessage: string | null }
  | { status: 'failed'; message: string }
  | { status: 'interrupted' };

export const toAgentUsage = (u: ProviderUsage): Usage => ({
  input_tokens: u.inputTokens,
  cached_input_tokens: u.cachedInputTokens,
  cache_write_input_tokens: u.cacheWriteInputTokens,
  output_tokens: u.outputTokens,
  reasoning_output_tokens: u.reasoningTokens,
});

function reasoningText(item: Extract<ResponseItem, { type: 'reasoning' }>): string {
  return item.summary.map((s) => s.text).filter((t) => t.trim() !== '').join('\n');
}

function messageText(item: Extract<ResponseItem, { type: 'message' }>): string {
  return item.content.map((p) => (p.type === 'input_image' ? '' : p.text)).join('');
}

function outputItem(call: ToolCall, output: ToolOutput): ResponseItem {
  return call.kind === 'custom'
    ? { type: 'custom_tool_call_output', call_id: call.callId, output }
    : { type: 'function_call_output', call_id: call.callId, output };
}

async function runOne(call: ToolCall, setup: TurnSetup, byName: Map<string, ToolHandler>): Promise<ToolResult> {
  const handler = byName.get(call.name);
  if (!handler) {
    const output = call.kind === 'custom' ? `unsupported custom tool call: ${call.name}` : `unsupported call: ${call.name}`;
    return { output, success: false };
  }
  try {
    return await handler.run(call, {
      signal: setup.signal,
      emit: setup.emit,
      nextItemId: setup.nextItemId,
      ...(setup.turnId ? { turnId: setup.turnId } : {}),
      ...(setup.files ? { files: setup.files } : {}),
    });
  } catch (err) {
    if (setup.signal.aborted) return { output: 'aborted by user', success: false };
    return { output: `execution error: ${err instanceof Error ? err.message : String(err)}`, success: false };
  }
}

/** Runs the calls of one response: runs of parallel-safe calls together, the others one at a time. */
async function dispatch(calls: ToolCall[], setup: TurnSetup, byName: Map<string, ToolHandler>): Promise<ToolResult[]> {
  const results: ToolResult[] = [];
  let i = 0;
  while (i < calls.length) {
    if (setup.signal.aborted) {
      results.push({ output: 'aborted by user', success: false });
      i++;
      continue;
    }
    const first = calls[i] as ToolCall;
    const parallel = setup.parallelToolCalls && byName.get(first.name)?.parallelSafe === true;
    if (!parallel) {
      results.push(await runOne(first, setup, byName));
      i++;
      continue;
    }
    let j = i;
    while (j < calls.length && byName.get((calls[j] as ToolCall).name)?.parallelSafe === true) j++;
    results.push(...(await Promise.all(calls.slice(i, j).map((c) => runOne(c, setup, byName)))));
    i = j;
  }
  return results;
}

/**
 * Runs one turn whose user input is already at the end of `state.history`. Emits item events,
 * `turn.completed` or `turn.failed`; an interrupted turn emits neither and leaves the history valid
 * (every recorded tool call has an output).
 */
export async function runTurn(state: TurnState, setup: TurnSetup): Promise<TurnOutcome> {
  const byName = new Map(setup.tools.map((t) => [t.name, t]));
  const specs = [...setup.tools.map((t) => t.spec), ...(setup.hostedTools ?? [])];
  let lastMessage: string | null = null;
  /** The current request was already re-sent after compacting for a context overflow. */
  let overflowRetried = false;
  /** Appends the steered input, if any; true when there was some. */
  const takeSteered = (): boolean => {
    const items = setup.takeSteered?.() ?? [];
    for (const item of items) {
      state.history.push(item);
      setup.onItem?.(item);
    }
    return items.length > 0;
  };
  setup.emit({ type: 'turn.started' });

  for (;;) {
    if (setup.signal.aborted) return { status: 'interrupted' };
    for (const item of setup.pendingInput?.() ?? []) {
      state.history.push(item);
      setup.onItem?.(item);
    }
    let completed: Extract<ProviderEvent, { type: 'completed' }> | null = null;
    let overflow: ProviderError | null = null;
    const searches = new WebSearchTracker(setup.emit, setup.nextItemId);
    try {
      stream: for await (const ev of setup.model({ ...setup.request, input: state.history, tools: specs, signal: setup.signal })) {
        switch (ev.type) {
          case 'text_delta':
            setup.emit({ type: 'agent_message.delta', delta: ev.delta });
            break;
          case 'reasoning_summary_delta':
          case 'reasoning_delta':
            setup.emit({ type: 'reasoning.delta', delta: ev.delta });
            break;
          case 'web_search_started':
            searches.started(ev.itemId, ev.item);
            break;
          case 'item_done':
            if (ev.item.type === 'web_search_call') searches.completed(ev.item);
            break;
          case 'retrying':
            setup.emit({ type: 'error', message: `Reconnecting... ${ev.attempt}/${ev.maxAttempts} (${ev.reason})` });
            break;
          case 'completed':
            completed = ev;
            break;
          case 'failed':
            if (setup.signal.aborted) return { status: 'interrupted' };
            if (ev.error.kind === 'context_length' && !overflowRetried && setup.compactForOverflow) {
              overflow = ev.error;
              break stream;
            }
            {
              // One line for the user: what went wrong, then what to do about it.
              const message = ev.error.hint ? `${ev.error.message} — ${ev.error.hint}` : ev.error.message;
              setup.emit({ type: 'turn.failed', error: { message } });
              return { status: 'failed', message };
            }
          default:
            break;
        }
      }
    } catch (err) {
      if (setup.signal.aborted) return { status: 'interrupted' };
      const message = err instanceof Error ? err.message : String(err);
      setup.emit({ type: 'turn.failed', error: { message } });
      return { status: 'failed', message };
    }
    if (setup.signal.aborted) return { status: 'interrupted' };
    if (overflow && setup.compactForOverflow) {
      overflowRetried = true;
      const step = await setup.compactForOverflow();
      if (step === 'interrupted' || setup.signal.aborted) return { status: 'interrupted' };
      if (step === 'compacted') continue;
      setup.emit({ type: 'turn.failed', error: { message: overflow.message } });
      return { status: 'failed', message: overflow.message };
    }
    if (!completed) {
      const message = 'stream ended without a response';
      setup.emit({ type: 'turn.failed', error: { message } });
      return { status: 'failed', message };
    }
    overflowRetried = false;
    if (completed.usage) {
      const last = toAgentUsage(completed.usage);
      state.usage = addUsage(state.usage, last);
      setup.onUsage?.(last, state.usage);
      setup.emit({ type: 'usage.updated', last, total: state.usage });
    }

    const calls: ToolCall[] = [];
    for (const item of completed.items) {
      state.history.push(item);
      setup.onItem?.(item);
      if (item.type === 'reasoning') {
        const text = reasoningText(item);
        if (text !== '') setup.emit({ type: 'item.completed', item: { id: setup.nextItemId(), type: 'reasoning', text } });
      } else if (item.type === 'message' && item.role === 'assistant') {
        const text = messageText(item);
        if (text !== '') {
          lastMessage = text;
          setup.emit({ type: 'item.completed', item: { id: setup.nextItemId(), type: 'agent_message', text } });
        }
      } else if (item.type === 'function_call') {
        calls.push({ callId: item.call_id, name: item.name, kind: 'function', input: item.arguments });
      } else if (item.type === 'custom_tool_call') {
        calls.push({ callId: item.call_id, name: item.name, kind: 'custom', input: item.input });
      } else if (item.type === 'web_search_call') {
        // Run by the server: no output to send back. Completed here if the stream never said it was done.
        searches.completed(item);
      }
    }
    if (calls.length === 0) {
      if (takeSteered()) continue;
      setup.beforeComplete?.();
      setup.emit({ type: 'turn.completed', usage: state.usage });
      return { status: 'completed', lastMessage };
    }
    const results = await dispatch(calls, setup, byName);
    calls.forEach((call, k) => {
      const out = outputItem(call, (results[k] as ToolResult).output);
      state.history.push(out);
      setup.onItem?.(out);
    });
    if (setup.signal.aborted) return { status: 'interrupted' };
    takeSteered();
    if (setup.compactIfNeeded && (await setup.compactIfNeeded()) === 'interrupted') return { status: 'interrupted' };
  }
}
