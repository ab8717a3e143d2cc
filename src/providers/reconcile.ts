/**
 * The items of a Responses stream, reconciled with the `output` list of its `response.completed` event.
 *
 * `output_item.done` items are the truth (wire.md §3.2), but gateways do not always stream everything:
 * LiteLLM's Responses→Chat bridge streams an empty message and puts the model's tool call only in the
 * final `output`. So the final list is read too, and each of its items is matched with a streamed one:
 *
 * 1. same type and the same item `id` (both present);
 * 2. else the same content: tool calls of one type with the same `call_id`; messages of one role with the
 *    same text; reasoning with the same summary and text (or the same `encrypted_content`); web searches
 *    with the same action (gateways may mint new ids for the final list, so ids that differ do not
 *    prevent this);
 * 3. else, in order, an empty item (a message or reasoning without text) and the first unmatched item of
 *    the same type (and role) on the other side: an empty placeholder stands for the full item. A final
 *    web search without an id is the first unmatched streamed one.
 *
 * A matched pair is one item: the streamed one, unless it is empty (no text, `{}` arguments, no input)
 * and the final one is not. A final item matching nothing is added where the final list has it; a
 * streamed item matching nothing stays where it was. Last, an assistant message without any text is
 * dropped when the response has a tool call (it carries nothing to show or replay; Chat does the same).
 */
import { messageText, type ResponseItem } from './items.js';

function reasoningKey(item: Extract<ResponseItem, { type: 'reasoning' }>): string {
  return JSON.stringify([item.summary.map((p) => p.text), (item.content ?? []).map((p) => p.text)]);
}

/** Whether an item carries nothing: the placeholder a gateway streams for something it sends later. */
function isEmpty(item: ResponseItem): boolean {
  switch (item.type) {
    case 'message':
      return messageText(item).trim() === '';
    case 'reasoning':
      return (
        item.summary.every((p) => p.text === '') &&
        (item.content ?? []).every((p) => p.text === '') &&
        (item.encrypted_content ?? '') === ''
      );
    case 'function_call':
      return item.arguments.trim() === '' || item.arguments.trim() === '{}';
    case 'custom_tool_call':
      return item.input === '';
    case 'web_search_call':
      return item.action === undefined;
    default:
      return false;
  }
}

function sameKind(a: ResponseItem, b: ResponseItem): boolean {
  if (a.type !== b.type) return false;
  return a.type !== 'message' || b.type !== 'message' || a.role === b.role;
}

const idOf = (item: ResponseItem): string | undefined => ('id' in item && typeof item.id === 'string' && item.id !== '' ? item.id : undefined);

function sameId(a: ResponseItem, b: ResponseItem): boolean {
  const id = idOf(a);
  return id !== undefined && id === idOf(b) && sameKind(a, b);
}

function sameContent(a: ResponseItem, b: ResponseItem): boolean {
  if (!sameKind(a, b)) return false;
  if ((a.type === 'function_call' || a.type === 'custom_tool_call') && (b.type === 'function_call' || b.type === 'custom_tool_call')) {
    return a.call_id !== '' && a.call_id === b.call_id;
  }
  if (a.type === 'message' && b.type === 'message') return !isEmpty(a) && messageText(a) === messageText(b);
  if (a.type === 'reasoning' && b.type === 'reasoning') {
    if (a.encrypted_content !== undefined && a.encrypted_content !== '' && a.encrypted_content === b.encrypted_content) return true;
    return !isEmpty(a) && reasoningKey(a) === reasoningKey(b);
  }
  if (a.type === 'web_search_call' && b.type === 'web_search_call') {
    return a.action !== undefined && JSON.stringify(a.action) === JSON.stringify(b.action);
  }
  return false;
}

function placeholderFor(s: ResponseItem, f: ResponseItem): boolean {
  if (!sameKind(s, f)) return false;
  // A final web search without an id can only be told from others by its place.
  if (f.type === 'web_search_call') return idOf(f) === undefined;
  return (s.type === 'message' || s.type === 'reasoning') && (isEmpty(s) || isEmpty(f));
}

export interface Reconciled {
  /** The response's items, in order. */
  items: ResponseItem[];
  /** Items of `items` that only the final list had in full (added, or replacing an empty streamed one). */
  fromFinal: ResponseItem[];
}

/** Merges the streamed items with the final `output` items by the rules above. */
export function reconcileOutput(streamed: readonly ResponseItem[], final: readonly ResponseItem[]): Reconciled {
  // match[f] = index in `streamed` of the item final[f] is, or -1.
  const match = final.map(() => -1);
  const taken = new Set<number>();
  const pass = (fits: (s: ResponseItem, f: ResponseItem) => boolean): void => {
    final.forEach((f, fi) => {
      if (match[fi] !== -1) return;
      const si = streamed.findIndex((s, i) => !taken.has(i) && fits(s, f));
      if (si === -1) return;
      match[fi] = si;
      taken.add(si);
    });
  };
  pass(sameId);
  pass(sameContent);
  pass(placeholderFor);

  const items: ResponseItem[] = [];
  const fromFinal: ResponseItem[] = [];
  const placed = new Set<number>();
  // Streamed items that match nothing keep their place: each goes out before the next matched one after it.
  const flushUnmatchedBefore = (limit: number): void => {
    for (let i = 0; i < limit; i++) {
      if (taken.has(i) || placed.has(i)) continue;
      placed.add(i);
      items.push(streamed[i] as ResponseItem);
    }
  };
  final.forEach((f, fi) => {
    const si = match[fi] as number;
    if (si === -1) {
      items.push(f);
      fromFinal.push(f);
      return;
    }
    flushUnmatchedBefore(si);
    placed.add(si);
    const s = streamed[si] as ResponseItem;
    if (isEmpty(s) && !isEmpty(f)) {
      items.push(f);
      fromFinal.push(f);
    } else items.push(s);
  });
  flushUnmatchedBefore(streamed.length);
  const kept = dropEmptyMessages(items);
  return { items: kept, fromFinal: fromFinal.filter((i) => kept.includes(i)) };
}

/** Without the assistant messages that have no text, when the response has a tool call. */
export function dropEmptyMessages(items: ResponseItem[]): ResponseItem[] {
  const calls = items.some((i) => i.type === 'function_call' || i.type === 'custom_tool_call');
  if (!calls) return items;
  return items.filter((i) => !(i.type === 'message' && i.role === 'assistant' && isEmpty(i)));
}
