/**
 * Decodes a Responses API event stream (wire.md §3) into the normalized events. Every event type in
 * §3.1 is handled; hosted web searches (`web_search_call` items) are reported when they start and when
 * they are done; their progress events (`response.web_search_call.*`) and unknown types are ignored.
 * `output_item.done` items are the truth for replay, reconciled with `response.completed`'s `output`
 * (reconcile.ts: items only the final list has are used, none twice); deltas are for display. An untyped
 * `data: {"error": …}` frame fails the stream with that error.
 */
import { ProviderError, streamBroken, streamFailure, errorDetails } from './errors.js';
import type { ProviderEvent } from './events.js';
import type { JsonObject, ResponseItem, Usage, WebSearchCallItem } from './items.js';
import { reconcileOutput } from './reconcile.js';
import { isRecord, num, stopReasonOf, usageOf, type DecoderContext, type StreamDecoder } from './wire.js';

type Raw = Record<string, unknown>;

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const sOpt = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function argsString(v: unknown): string {
  if (typeof v === 'string') return v === '' ? '{}' : v;
  if (v === undefined || v === null) return '{}';
  return JSON.stringify(v);
}

/** A hosted web search item; its action is kept exactly as the server sent it. */
function webSearchCall(raw: Raw, fallbackId: string | undefined): WebSearchCallItem {
  const item: WebSearchCallItem = { type: 'web_search_call' };
  const id = sOpt(raw.id) ?? fallbackId;
  if (id !== undefined) item.id = id;
  const status = sOpt(raw.status);
  if (status !== undefined) item.status = status;
  // Parsed from JSON, so every value in it is a JSON value.
  if (isRecord(raw.action)) item.action = raw.action as JsonObject;
  return item;
}

/** A Responses output item as a replayable ResponseItem; undefined for hosted-tool items we never offer. */
export function itemFromResponses(raw: Raw): ResponseItem | undefined {
  const id = sOpt(raw.id);
  const withId = <T extends object>(o: T): T => (id === undefined ? o : { ...o, id });
  switch (raw.type) {
    case 'message': {
      const content = Array.isArray(raw.content) ? raw.content : [];
      const parts = content.filter(isRecord).map((p) => ({ type: 'output_text' as const, text: p.type === 'refusal' ? s(p.refusal) : s(p.text) }));
      const phase = sOpt(raw.phase);
      const role: 'user' | 'developer' | 'system' | 'assistant' =
        raw.role === 'user' || raw.role === 'developer' || raw.role === 'system' ? raw.role : 'assistant';
      return withId({ type: 'message' as const, role, content: parts, ...(phase ? { phase } : {}) });
    }
    case 'reasoning': {
      const summary = (Array.isArray(raw.summary) ? raw.summary : []).filter(isRecord).map((p) => ({ type: 'summary_text' as const, text: s(p.text) }));
      const contentRaw = Array.isArray(raw.content) ? raw.content.filter(isRecord) : [];
      const item: ResponseItem = { type: 'reasoning', summary };
      if (contentRaw.length > 0) item.content = contentRaw.map((p) => ({ type: 'reasoning_text' as const, text: s(p.text) }));
      const enc = sOpt(raw.encrypted_content);
      if (enc !== undefined) item.encrypted_content = enc;
      return withId(item);
    }
    case 'function_call': {
      const namespace = sOpt(raw.namespace);
      const call = { type: 'function_call' as const, call_id: s(raw.call_id) || s(raw.id), name: s(raw.name), arguments: argsString(raw.arguments) };
      return withId(namespace === undefined ? call : { ...call, namespace });
    }
    case 'custom_tool_call':
      return withId({ type: 'custom_tool_call' as const, call_id: s(raw.call_id) || s(raw.id), name: s(raw.name), input: s(raw.input) });
    case 'web_search_call':
      return webSearchCall(raw, undefined);
    default:
      return undefined;
  }
}

export function usageFromResponses(u: unknown): Usage | null {
  if (!isRecord(u)) return null;
  const inDetails = isRecord(u.input_tokens_details) ? u.input_tokens_details : {};
  const outDetails = isRecord(u.output_tokens_details) ? u.output_tokens_details : {};
  const total = typeof u.total_tokens === 'number' ? u.total_tokens : undefined;
  return usageOf(num(u.input_tokens), num(inDetails.cached_tokens), num(u.output_tokens), num(outDetails.reasoning_tokens), total, num(inDetails.cache_write_tokens));
}

export class ResponsesDecoder implements StreamDecoder {
  finished = false;
  private readonly items = new Map<number, ResponseItem>();
  private doneOrder = 0;
  /** Parts that received deltas, so a `.done` without deltas still shows its text once. */
  private readonly streamed = new Set<string>();
  private responseId: string | null = null;

  constructor(private readonly ctx: DecoderContext) {}

  onEvent(event: string | undefined, data: string, out: ProviderEvent[]): void {
    if (this.finished) return;
    if (data === '[DONE]') return;
    let ev: Raw;
    try {
      const parsed: unknown = JSON.parse(data);
      if (!isRecord(parsed)) return;
      ev = parsed;
    } catch {
      throw streamBroken(`the server sent data that is not JSON: ${data.slice(0, 80)}`);
    }
    const itemId = (): string => sOpt(ev.item_id) ?? `out_${num(ev.output_index)}`;
    // A frame that is no Responses event is an error when it says so: a gateway's `data: {"error": …}`
    // (LiteLLM), vLLM's `{"object":"error","type":"BadRequestError"}`, or data under `event: error`.
    const typed = sOpt(ev.type);
    const known = typed !== undefined && (typed.startsWith('response.') || typed === 'error');
    const errorFrame = event === 'error' || (ev.error !== undefined && ev.error !== null) || ev.object === 'error';
    const type = !known && errorFrame ? 'error' : typed;
    switch (type) {
      case 'response.output_text.delta':
      case 'response.refusal.delta': {
        const delta = s(ev.delta);
        if (delta === '') return;
        const id = itemId();
        this.streamed.add(`${id}:${num(ev.content_index)}`);
        out.push({ type: 'text_delta', itemId: id, delta });
        return;
      }
      case 'response.output_text.done':
      case 'response.refusal.done': {
        const id = itemId();
        const text = s(ev.type === 'response.refusal.done' ? ev.refusal : ev.text);
        if (text !== '' && !this.streamed.has(`${id}:${num(ev.content_index)}`)) out.push({ type: 'text_delta', itemId: id, delta: text });
        return;
      }
      case 'response.reasoning_summary_text.delta': {
        const delta = s(ev.delta);
        if (delta === '') return;
        const id = itemId();
        this.streamed.add(`${id}:s${num(ev.summary_index)}`);
        out.push({ type: 'reasoning_summary_delta', itemId: id, summaryIndex: num(ev.summary_index), delta });
        return;
      }
      case 'response.reasoning_summary_text.done': {
        const id = itemId();
        const text = s(ev.text);
        if (text !== '' && !this.streamed.has(`${id}:s${num(ev.summary_index)}`)) {
          out.push({ type: 'reasoning_summary_delta', itemId: id, summaryIndex: num(ev.summary_index), delta: text });
        }
        return;
      }
      case 'response.reasoning_text.delta': {
        const delta = s(ev.delta);
        if (delta === '') return;
        const id = itemId();
        this.streamed.add(`${id}:r${num(ev.content_index)}`);
        out.push({ type: 'reasoning_delta', itemId: id, delta });
        return;
      }
      case 'response.reasoning_text.done': {
        const id = itemId();
        const text = s(ev.text);
        if (text !== '' && !this.streamed.has(`${id}:r${num(ev.content_index)}`)) out.push({ type: 'reasoning_delta', itemId: id, delta: text });
        return;
      }
      case 'response.function_call_arguments.delta':
      case 'response.custom_tool_call_input.delta': {
        const delta = s(ev.delta);
        if (delta !== '') out.push({ type: 'tool_call_delta', itemId: itemId(), delta });
        return;
      }
      case 'response.output_item.added': {
        const item = isRecord(ev.item) ? ev.item : undefined;
        if (item && (item.type === 'function_call' || item.type === 'custom_tool_call')) {
          out.push({
            type: 'tool_call_started',
            itemId: sOpt(item.id) ?? `out_${num(ev.output_index)}`,
            callId: s(item.call_id) || s(item.id),
            name: s(item.name),
            kind: item.type === 'function_call' ? 'function' : 'custom',
          });
        } else if (item && item.type === 'web_search_call') {
          const search = webSearchCall(item, `out_${num(ev.output_index)}`);
          out.push({ type: 'web_search_started', itemId: search.id ?? '', item: search });
        }
        return;
      }
      case 'response.output_item.done': {
        const raw = isRecord(ev.item) ? ev.item : undefined;
        // A web search without an id is known by its output index, as when it started.
        const item = raw?.type === 'web_search_call' ? webSearchCall(raw, `out_${num(ev.output_index)}`) : raw ? itemFromResponses(raw) : undefined;
        if (!item) return;
        const index = typeof ev.output_index === 'number' ? ev.output_index : 1_000_000 + this.doneOrder;
        this.doneOrder++;
        this.items.set(index, item);
        out.push({ type: 'item_done', item });
        return;
      }
      case 'response.created': {
        const resp = isRecord(ev.response) ? ev.response : {};
        this.responseId = sOpt(resp.id) ?? null;
        out.push({ type: 'started', responseId: this.responseId, model: sOpt(resp.model) ?? null });
        return;
      }
      case 'response.completed': {
        const resp = isRecord(ev.response) ? ev.response : {};
        const streamed = [...this.items.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
        const final = Array.isArray(resp.output) ? resp.output.filter(isRecord).map(itemFromResponses).filter((i): i is ResponseItem => i !== undefined) : [];
        const { items, fromFinal } = reconcileOutput(streamed, final);
        for (const item of fromFinal) out.push({ type: 'item_done', item });
        this.finished = true;
        out.push({
          type: 'completed',
          responseId: sOpt(resp.id) ?? this.responseId,
          items,
          usage: usageFromResponses(resp.usage),
          stopReason: stopReasonOf(items),
        });
        return;
      }
      case 'response.incomplete': {
        const resp = isRecord(ev.response) ? ev.response : {};
        const details = isRecord(resp.incomplete_details) ? resp.incomplete_details : {};
        const reason = sOpt(details.reason) ?? 'unknown';
        this.finished = true;
        throw new ProviderError(`Incomplete response returned, reason: ${reason}`, {
          kind: 'incomplete',
          code: reason,
          ...(reason === 'max_output_tokens' ? { hint: 'the answer hit the output token limit; ask for a shorter answer' } : {}),
        });
      }
      case 'response.failed': {
        const resp = isRecord(ev.response) ? ev.response : {};
        this.finished = true;
        throw streamFailure(errorDetails({ error: resp.error ?? { message: 'the response failed without a reason' } }), this.ctx);
      }
      case 'error': {
        this.finished = true;
        throw streamFailure(errorDetails(ev), this.ctx);
      }
      default:
        return;
    }
  }

  onEnd(_out: ProviderEvent[]): void {
    if (!this.finished) throw streamBroken('stream closed before response.completed');
  }
}
