/**
 * `exec --json`: one JSON object per line on stdout, nothing else there. Only the event types of
 * `codex exec --json` are printed (codex-compat.md §6.1), a `warning` as an `error`; streaming deltas,
 * patch diffs and any other front-end-only event are left out.
 */
import type { AgentEvent } from '../agent/index.js';

const JSON_EVENTS = new Set<AgentEvent['type']>([
  'thread.started',
  'turn.started',
  'item.started',
  'item.updated',
  'item.completed',
  'turn.completed',
  'turn.failed',
  'error',
]);

export class JsonlRenderer {
  constructor(private readonly out: NodeJS.WritableStream) {}

  handle(event: AgentEvent): void {
    // Codex's JSONL has no warning event: a warning is a non-fatal `error`.
    if (event.type === 'warning') {
      this.out.write(`${JSON.stringify({ type: 'error', message: event.message })}\n`);
      return;
    }
    if (!JSON_EVENTS.has(event.type)) return;
    this.out.write(`${jsonLine(event)}\n`);
  }
}

/**
 * One event as JSON. A `web_search` item is written as Codex writes it: `{"id":"item_N","type":"web_search",
 * "id":"<provider id>","query":…,"action":…}`. The duplicate key comes from Codex flattening the item
 * into its envelope (codex-compat.md §6.2); JSON parsers keep the last one, the provider's id.
 */
function jsonLine(event: AgentEvent): string {
  if ((event.type === 'item.started' || event.type === 'item.completed') && event.item.type === 'collab_tool_call' && event.item.error !== undefined) {
    // Codex's item has no error field; the reason reaches the model in the tool output.
    const { error: _error, ...item } = event.item;
    return JSON.stringify({ ...event, item });
  }
  if ((event.type === 'item.started' || event.type === 'item.updated' || event.type === 'item.completed') && event.item.type === 'web_search') {
    const { id, type, provider_id: providerId, ...rest } = event.item;
    const envelope = JSON.stringify({ id, type }).slice(0, -1);
    const details = JSON.stringify({ id: providerId, ...rest }).slice(1);
    return `{"type":${JSON.stringify(event.type)},"item":${envelope},${details}}`;
  }
  return JSON.stringify(event);
}
