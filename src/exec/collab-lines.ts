/**
 * Human `exec`'s lines about subagents: who was spawned (on which model), what was sent to whom, what a
 * wait returned (each finished agent's answer or error), closes, and at the end what the helpers used.
 * Text only; the renderer styles and escapes it.
 */
import type { CollabToolCallItem, SubagentInfo, Usage } from '../agent/index.js';

export interface CollabLine {
  head: string;
  body?: string;
  failed?: boolean;
}

const oneLine = (text: string, max = 120): string => {
  const first = text.trim().split('\n')[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
};

export class CollabLines {
  private readonly agents = new Map<string, SubagentInfo>();

  update(agent: SubagentInfo): void {
    this.agents.set(agent.id, agent);
  }

  private name(id: string): string {
    const a = this.agents.get(id);
    return a ? a.nickname : id;
  }

  started(item: CollabToolCallItem): CollabLine | null {
    if (item.tool !== 'wait' || item.receiver_thread_ids.length === 0) return null;
    return { head: `waiting for ${item.receiver_thread_ids.map((id) => this.name(id)).join(', ')}` };
  }

  completed(item: CollabToolCallItem): CollabLine[] {
    if (item.status === 'failed') return [{ head: `${item.tool === 'wait' ? 'wait_agent' : item.tool} failed: ${item.error ?? 'unknown error'}`, failed: true }];
    const ids = item.receiver_thread_ids;
    switch (item.tool) {
      case 'spawn_agent':
        return ids.map((id) => {
          const a = this.agents.get(id);
          const where = a ? ` on ${a.model}${a.effort ? ` (${a.effort})` : ''}${a.role ? `, ${a.role}` : ''}` : '';
          return { head: `spawned agent ${this.name(id)}${where}`, ...(item.prompt ? { body: oneLine(item.prompt) } : {}) };
        });
      case 'send_input':
        return ids.map((id) => ({ head: `sent to ${this.name(id)}`, ...(item.prompt ? { body: oneLine(item.prompt) } : {}) }));
      case 'close_agent':
        return ids.map((id) => ({ head: `closed agent ${this.name(id)}` }));
      case 'resume_agent':
        return ids.map((id) => ({ head: `reopened agent ${this.name(id)}` }));
      case 'wait': {
        const lines: CollabLine[] = [];
        for (const id of ids) {
          const s = item.agents_states[id];
          if (!s) continue;
          if (s.status === 'completed') lines.push({ head: `${this.name(id)} completed`, ...(s.message ? { body: s.message } : {}) });
          else if (s.status === 'errored') lines.push({ head: `${this.name(id)} errored: ${s.message ?? ''}`.trimEnd(), failed: true });
          else lines.push({ head: `${this.name(id)} ${s.status.replace('_', ' ')}` });
        }
        return lines;
      }
    }
  }

  /** What every subagent used, e.g. `subagents: 2 agents, 1,234 tokens (~$0.0042)`; null when none ran. */
  summary(): string | null {
    if (this.agents.size === 0) return null;
    let tokens = 0;
    let cost: number | null = 0;
    for (const a of this.agents.values()) {
      tokens += usedTokens(a.usage);
      cost = cost === null || a.cost_usd === null ? null : cost + a.cost_usd;
    }
    const n = this.agents.size;
    const price = cost === null ? '' : ` (~$${cost.toFixed(4)})`;
    return `${n} agent${n === 1 ? '' : 's'}, ${tokens.toLocaleString('en-US')} tokens${price}`;
  }
}

function usedTokens(u: Usage): number {
  return u.input_tokens - u.cached_input_tokens + u.output_tokens;
}
