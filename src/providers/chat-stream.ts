/**
 * Decodes a Chat Completions chunk stream (wire.md §4.2–4.6, §5.4) into the normalized events.
 * Tool-call fragments are accumulated by index, tolerating the dialects seen in the wild: whole
 * arguments in one fragment, missing `id`/`type`/`index`, indices starting at 1, every call at index 0
 * with distinct ids, object arguments; reasoning from `reasoning_content` or `reasoning`. A chunk's whole
 * `message` (a gateway's final chunk, a server that does not stream) completes what the deltas lacked.
 */
import { randomUUID } from '../shared/index.js';
import { CUSTOM_TOOL_PARAM } from './chat-request.js';
import { ProviderError, streamBroken, streamFailure, errorDetails } from './errors.js';
import type { ProviderEvent } from './events.js';
import type { ResponseItem, ToolCallItem, Usage } from './items.js';
import { isRecord, num, stopReasonOf, usageOf, type DecoderContext, type StreamDecoder } from './wire.js';

interface Slot {
  itemId: string;
  id: string | undefined;
  name: string;
  args: string;
  started: boolean;
}

export function usageFromChat(u: unknown): Usage | null {
  if (!isRecord(u)) return null;
  const inDetails = isRecord(u.prompt_tokens_details) ? u.prompt_tokens_details : {};
  const outDetails = isRecord(u.completion_tokens_details) ? u.completion_tokens_details : {};
  const total = typeof u.total_tokens === 'number' ? u.total_tokens : undefined;
  return usageOf(num(u.prompt_tokens), num(inDetails.cached_tokens), num(u.completion_tokens), num(outDetails.reasoning_tokens), total, num(inDetails.cache_write_tokens));
}

function reasoningOf(delta: Record<string, unknown>): string {
  const v = delta.reasoning_content ?? delta.reasoning;
  if (typeof v === 'string') return v;
  if (isRecord(v)) {
    const t = v.text ?? v.content;
    if (typeof t === 'string') return t;
  }
  return '';
}

export class ChatDecoder implements StreamDecoder {
  finished = false;
  private responseId: string | null = null;
  private started = false;
  private text = '';
  /** Some chunk carried a `delta` (the normal stream); without any, `message` chunks are the stream. */
  private sawDelta = false;
  private reasoning = '';
  private readonly slots: Slot[] = [];
  /** Open slot per fragment key (the `index`, or the position in the delta when there is none). */
  private readonly open = new Map<number, Slot>();
  private finishReason: string | undefined;
  private usage: Usage | null = null;
  private messageId = 'msg_0';
  private reasoningId = 'rs_0';

  constructor(
    private readonly ctx: DecoderContext,
    /** Names of freeform tools offered as functions: their calls come back as custom tool calls. */
    private readonly customTools: ReadonlySet<string> = new Set(),
  ) {}

  onEvent(_event: string | undefined, data: string, out: ProviderEvent[]): void {
    if (this.finished) return;
    if (data === '[DONE]') {
      this.finish(out);
      return;
    }
    let chunk: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(data);
      if (!isRecord(parsed)) return;
      chunk = parsed;
    } catch {
      throw streamBroken(`the server sent data that is not JSON: ${data.slice(0, 80)}`);
    }
    if (chunk.error !== undefined && chunk.error !== null) throw streamFailure(errorDetails(chunk), this.ctx);
    if (chunk.object === 'error') throw streamFailure(errorDetails(chunk), this.ctx);
    if (!this.started) {
      this.started = true;
      this.responseId = typeof chunk.id === 'string' && chunk.id !== '' ? chunk.id : null;
      const base = this.responseId ?? 'chat';
      this.messageId = `${base}:message`;
      this.reasoningId = `${base}:reasoning`;
      out.push({ type: 'started', responseId: this.responseId, model: typeof chunk.model === 'string' ? chunk.model : null });
    }
    if (isRecord(chunk.usage)) this.usage = usageFromChat(chunk.usage);
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    for (const choice of choices) {
      if (!isRecord(choice) || (typeof choice.index === 'number' && choice.index !== 0)) continue;
      if (isRecord(choice.delta)) {
        this.sawDelta = true;
        this.onDelta(choice.delta, out);
      }
      if (isRecord(choice.message)) this.onWholeMessage(choice.message, out);
      if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
        if (choice.finish_reason === 'error') throw streamFailure(errorDetails(chunk.error ?? { message: 'the model stream failed' }), this.ctx);
        this.finishReason = choice.finish_reason;
      }
    }
  }

  private onDelta(delta: Record<string, unknown>, out: ProviderEvent[]): void {
    const reasoning = reasoningOf(delta);
    if (reasoning !== '') {
      this.reasoning += reasoning;
      out.push({ type: 'reasoning_delta', itemId: this.reasoningId, delta: reasoning });
    }
    if (typeof delta.content === 'string' && delta.content !== '') {
      this.text += delta.content;
      out.push({ type: 'text_delta', itemId: this.messageId, delta: delta.content });
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      this.text += delta.refusal;
      out.push({ type: 'text_delta', itemId: this.messageId, delta: delta.refusal });
    }
    if (Array.isArray(delta.tool_calls)) {
      delta.tool_calls.forEach((tc, position) => {
        if (isRecord(tc)) this.onToolFragment(tc, position, out);
      });
    }
  }

  private onToolFragment(tc: Record<string, unknown>, position: number, out: ProviderEvent[]): void {
    const key = typeof tc.index === 'number' && Number.isSafeInteger(tc.index) && tc.index >= 0 ? tc.index : position;
    const id = typeof tc.id === 'string' && tc.id !== '' ? tc.id : undefined;
    let slot = this.open.get(key);
    if (!slot || (id !== undefined && slot.id !== undefined && slot.id !== id)) {
      slot = this.newSlot();
      this.open.set(key, slot);
    }
    if (id !== undefined && slot.id === undefined) slot.id = id;
    const fn = isRecord(tc.function) ? tc.function : isRecord(tc.custom) ? tc.custom : {};
    if (typeof fn.name === 'string' && fn.name !== '' && slot.name === '') slot.name = fn.name;
    let fragment = '';
    const args = fn.arguments ?? fn.input;
    if (typeof args === 'string') fragment = args;
    else if (args !== undefined && args !== null) fragment = JSON.stringify(args);
    slot.args += fragment;
    if (!slot.started) this.start(slot, out);
    else if (fragment !== '' && !this.customTools.has(slot.name)) out.push({ type: 'tool_call_delta', itemId: slot.itemId, delta: fragment });
  }

  /** Announces a slot's call once its name is known, with the arguments it already has. */
  private start(slot: Slot, out: ProviderEvent[]): void {
    if (slot.started || slot.name === '') return;
    slot.started = true;
    const custom = this.customTools.has(slot.name);
    out.push({ type: 'tool_call_started', itemId: slot.itemId, callId: slot.id ?? slot.itemId, name: slot.name, kind: custom ? 'custom' : 'function' });
    if (slot.args !== '' && !custom) out.push({ type: 'tool_call_delta', itemId: slot.itemId, delta: slot.args });
  }

  private newSlot(): Slot {
    const slot: Slot = { itemId: `${this.responseId ?? 'chat'}:call:${this.slots.length}`, id: undefined, name: '', args: '', started: false };
    this.slots.push(slot);
    return slot;
  }

  /**
   * A whole `message` (not a `delta`) in a chunk: the complete answer, as some gateways send in their last
   * chunk, or a server that does not stream. It fills in only what the deltas did not bring, so nothing is
   * counted twice: its text and reasoning when none was streamed; each of its tool calls is the streamed
   * call with the same id (else the one at the same position), whose missing name or empty arguments it
   * completes, or a call of its own when there is none.
   */
  private onWholeMessage(message: Record<string, unknown>, out: ProviderEvent[]): void {
    const reasoning = reasoningOf(message);
    if (reasoning !== '' && this.reasoning === '') {
      this.reasoning = reasoning;
      out.push({ type: 'reasoning_delta', itemId: this.reasoningId, delta: reasoning });
    }
    const text = typeof message.content === 'string' && message.content !== '' ? message.content : typeof message.refusal === 'string' ? message.refusal : '';
    if (text !== '' && this.text === '') {
      this.text = text;
      out.push({ type: 'text_delta', itemId: this.messageId, delta: text });
    } else if (text !== '' && !this.sawDelta) {
      // A server streaming `message` chunks instead of deltas: each either repeats the text so far and
      // adds to it, or is the next piece; take only what is new either way.
      const next = text.startsWith(this.text) ? text.slice(this.text.length) : text;
      if (next !== '') {
        this.text += next;
        out.push({ type: 'text_delta', itemId: this.messageId, delta: next });
      }
    }
    if (!Array.isArray(message.tool_calls)) return;
    const matched = new Set<Slot>();
    message.tool_calls.forEach((tc, position) => {
      if (!isRecord(tc)) return;
      const id = typeof tc.id === 'string' && tc.id !== '' ? tc.id : undefined;
      // The streamed call with this id, else the one at this position unless its id is another.
      let slot = id === undefined ? undefined : this.slots.find((s) => s.id === id && !matched.has(s));
      const at = this.slots[position];
      if (slot === undefined && at !== undefined && !matched.has(at) && (id === undefined || at.id === undefined)) slot = at;
      slot ??= this.newSlot();
      matched.add(slot);
      if (id !== undefined && slot.id === undefined) slot.id = id;
      const fn = isRecord(tc.function) ? tc.function : isRecord(tc.custom) ? tc.custom : {};
      if (typeof fn.name === 'string' && fn.name !== '' && slot.name === '') slot.name = fn.name;
      const args = fn.arguments ?? fn.input;
      const whole = typeof args === 'string' ? args : args !== undefined && args !== null ? JSON.stringify(args) : '';
      if (slot.args.trim() === '' && whole !== '') {
        if (slot.started && !this.customTools.has(slot.name)) out.push({ type: 'tool_call_delta', itemId: slot.itemId, delta: whole });
        slot.args = whole;
      }
      this.start(slot, out);
    });
  }

  private toolItem(slot: Slot): ToolCallItem {
    const callId = slot.id ?? `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    const args = slot.args.trim() === '' ? '{}' : slot.args;
    if (this.customTools.has(slot.name)) {
      let input = args;
      try {
        const parsed: unknown = JSON.parse(args);
        if (isRecord(parsed) && typeof parsed[CUSTOM_TOOL_PARAM] === 'string') input = parsed[CUSTOM_TOOL_PARAM];
      } catch {
        // Not JSON: the model wrote the freeform input directly; pass it through.
      }
      return { type: 'custom_tool_call', call_id: callId, name: slot.name, input };
    }
    return { type: 'function_call', call_id: callId, name: slot.name, arguments: args };
  }

  private finish(out: ProviderEvent[]): void {
    this.finished = true;
    if (this.finishReason === 'length' || this.finishReason === 'content_filter') {
      const reason = this.finishReason === 'length' ? 'max_output_tokens' : 'content_filter';
      throw new ProviderError(`Incomplete response returned, reason: ${reason}`, {
        kind: 'incomplete',
        code: reason,
        ...(reason === 'max_output_tokens' ? { hint: 'the model hit its output or context limit' } : {}),
      });
    }
    const items: ResponseItem[] = [];
    if (this.reasoning !== '') items.push({ type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: this.reasoning }] });
    const calls = this.slots.filter((s) => s.name !== '').map((s) => this.toolItem(s));
    if (this.text !== '' && !(calls.length > 0 && this.text.trim() === '')) {
      items.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: this.text }] });
    }
    items.push(...calls);
    for (const item of items) out.push({ type: 'item_done', item });
    out.push({ type: 'completed', responseId: this.responseId, items, usage: this.usage, stopReason: stopReasonOf(items) });
  }

  onEnd(out: ProviderEvent[]): void {
    if (this.finished) return;
    // Some servers end without `[DONE]`; a finish_reason already seen means the answer is whole.
    if (this.finishReason !== undefined) this.finish(out);
    else throw streamBroken('stream closed before the final chunk');
  }
}
