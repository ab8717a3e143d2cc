/**
 * Reading a rollout's `response_item` payloads (and compaction replacement histories) into the items the
 * agent replays. Rollouts written by Codex carry more than a request needs and in other shapes: Codex 0.171
 * writes reasoning with `"content": null`, item `status`es, `internal_chat_message_metadata_passthrough`,
 * its code-mode tool declarations as an `additional_tools` item, and item types opencodex does not send.
 * Every payload is rebuilt from the fields the wire takes; unknown fields are left behind. An item that
 * cannot be rebuilt is skipped and counted by its type, never an error.
 */
import type { ContentPart, InputImage, InputText, JsonObject, JsonValue, ResponseItem, ToolOutput } from '../providers/index.js';

export type ReadItem =
  | { item: ResponseItem }
  /** Left out; `quiet` ones are Codex bookkeeping that Codex does not send to the model either (or redeclares every turn). */
  | { skipped: string; quiet: boolean };

/**
 * Item types Codex writes that opencodex leaves out without a note: Codex's code-mode tool declarations
 * (opencodex offers its own tools in `tools`), and undo snapshots (never sent to a model).
 */
const QUIET_SKIPS: ReadonlySet<string> = new Set(['additional_tools', 'ghost_snapshot']);

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const ROLES: ReadonlySet<string> = new Set(['user', 'assistant', 'developer', 'system']);

/** Counts what was left out, by kind (`world_state`, `local_shell_call`, `message part input_file`, …). */
export class SkipCounter {
  readonly counts = new Map<string, number>();

  add(kind: string, n = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }

  get size(): number {
    return this.counts.size;
  }

  /** `a ×2, b ×1`, most frequent first. */
  describe(): string {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([kind, n]) => `${kind} ×${n}`)
      .join(', ');
  }
}

function textPart(type: 'input_text' | 'output_text', text: string): ContentPart {
  return type === 'input_text' ? { type: 'input_text', text } : { type: 'output_text', text };
}

function imagePart(p: JsonObject): InputImage | undefined {
  const url = str(p.image_url);
  if (url === undefined) return undefined;
  const image: InputImage = { type: 'input_image', image_url: url };
  if (p.detail === 'low' || p.detail === 'high' || p.detail === 'auto') image.detail = p.detail;
  return image;
}

/** A content part the wire takes back, or undefined (counted by the caller). */
function contentPart(p: JsonObject): ContentPart | undefined {
  const text = str(p.text);
  if ((p.type === 'input_text' || p.type === 'output_text') && text !== undefined) return textPart(p.type, text);
  return p.type === 'input_image' ? imagePart(p) : undefined;
}

function messageContent(content: JsonValue | undefined, role: string, skips: SkipCounter): ContentPart[] {
  if (typeof content === 'string') return [textPart(role === 'assistant' ? 'output_text' : 'input_text', content)];
  if (!Array.isArray(content)) return [];
  const parts: ContentPart[] = [];
  for (const p of content) {
    if (!isObject(p)) continue;
    const part = contentPart(p);
    if (part) parts.push(part);
    else skips.add(`message part ${String(p.type)}`);
  }
  return parts;
}

function toolOutput(output: JsonValue | undefined, skips: SkipCounter): ToolOutput | undefined {
  if (typeof output === 'string') return output;
  // Older Codex: `{"content": …, "success": …}`.
  if (isObject(output)) return toolOutput(output.content, skips);
  if (!Array.isArray(output)) return undefined;
  const parts: Array<InputText | InputImage> = [];
  for (const p of output) {
    if (!isObject(p)) continue;
    const part = contentPart(p);
    // Tool outputs carry input parts: output text goes back as input text.
    if (part) parts.push(part.type === 'output_text' ? { type: 'input_text', text: part.text } : part);
    else skips.add(`tool output part ${String(p.type)}`);
  }
  return parts;
}

/** One `response_item` payload as a history item, or why it was left out. */
export function readHistoryItem(p: JsonObject, skips: SkipCounter): ReadItem {
  const type = str(p.type) ?? 'untyped item';
  const id = str(p.id);
  const withId = <T extends ResponseItem>(item: T): T => (id !== undefined ? { ...item, id } : item);
  switch (type) {
    case 'message': {
      const role = str(p.role);
      if (role === undefined || !ROLES.has(role)) return { skipped: `message with role ${String(role)}`, quiet: false };
      const item: ResponseItem = withId({ type: 'message', role: role as 'user', content: messageContent(p.content, role, skips) });
      const phase = str(p.phase);
      return { item: phase !== undefined ? { ...item, phase } : item };
    }
    case 'reasoning': {
      const summary = Array.isArray(p.summary)
        ? p.summary.flatMap((s) => (isObject(s) && typeof s.text === 'string' ? [{ type: 'summary_text' as const, text: s.text }] : []))
        : [];
      const item: ResponseItem = withId({ type: 'reasoning', summary });
      // Codex writes `"content": null` when there is no raw reasoning text.
      if (Array.isArray(p.content)) {
        const content = p.content.flatMap((c) => (isObject(c) && typeof c.text === 'string' ? [{ type: 'reasoning_text' as const, text: c.text }] : []));
        if (content.length > 0) item.content = content;
      }
      const encrypted = str(p.encrypted_content);
      if (encrypted !== undefined) item.encrypted_content = encrypted;
      return { item };
    }
    case 'function_call': {
      const callId = str(p.call_id);
      const name = str(p.name);
      if (callId === undefined || name === undefined) return { skipped: 'function_call without call_id or name', quiet: false };
      const args = typeof p.arguments === 'string' ? p.arguments : p.arguments === undefined || p.arguments === null ? '{}' : JSON.stringify(p.arguments);
      const namespace = str(p.namespace);
      const call: ResponseItem = { type: 'function_call', call_id: callId, name, arguments: args, ...(namespace !== undefined ? { namespace } : {}) };
      return { item: withId(call) };
    }
    case 'custom_tool_call': {
      const callId = str(p.call_id);
      const name = str(p.name);
      if (callId === undefined || name === undefined) return { skipped: 'custom_tool_call without call_id or name', quiet: false };
      return { item: withId({ type: 'custom_tool_call', call_id: callId, name, input: str(p.input) ?? '' }) };
    }
    case 'function_call_output':
    case 'custom_tool_call_output': {
      const callId = str(p.call_id);
      const output = toolOutput(p.output, skips);
      if (callId === undefined || output === undefined) return { skipped: `${type} without call_id or output`, quiet: false };
      return { item: { type, call_id: callId, output } };
    }
    case 'web_search_call': {
      const item: ResponseItem = withId({ type: 'web_search_call' });
      const status = str(p.status);
      if (status !== undefined) item.status = status;
      if (isObject(p.action)) item.action = p.action;
      return { item };
    }
    default:
      return { skipped: type, quiet: QUIET_SKIPS.has(type) };
  }
}

/** Reads a list of payloads (a compaction's replacement history), counting what is left out. */
export function readHistoryItems(payloads: readonly JsonValue[], skips: SkipCounter): ResponseItem[] {
  const items: ResponseItem[] = [];
  for (const p of payloads) {
    if (!isObject(p)) continue;
    const read = readHistoryItem(p, skips);
    if ('item' in read) items.push(read.item);
    else if (!read.quiet) skips.add(read.skipped);
  }
  return items;
}
