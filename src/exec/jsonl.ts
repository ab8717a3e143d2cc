/**
 * `exec --json`: one JSON object per line on stdout, nothing else there. Only the event types of
 * `codex exec --json` are printed (codex-compat.md §6.1); streaming deltas, patch diffs and any other
 * front-end-only event are left out.
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
    if (!JSON_EVENTS.has(event.type)) return;
    this.out.write(`${JSON.stringify(event)}\n`);
  }
}
