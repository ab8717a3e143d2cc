/** `exec --json`: one JSON object per line on stdout, nothing else there. Streaming deltas are not printed. */
import type { AgentEvent } from '../agent/index.js';

const UI_ONLY = new Set<AgentEvent['type']>(['agent_message.delta', 'reasoning.delta', 'command_output.delta']);

export class JsonlRenderer {
  constructor(private readonly out: NodeJS.WritableStream) {}

  handle(event: AgentEvent): void {
    if (UI_ONLY.has(event.type)) return;
    this.out.write(`${JSON.stringify(event)}\n`);
  }
}
