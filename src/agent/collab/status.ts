/** Subagent statuses in the three forms they travel in: tool outputs, `collab_tool_call` items, rollouts. */
import type { JsonObject, JsonValue } from '../../providers/index.js';
import type { AgentStatus, AgentStatusName } from '../events.js';

/** A status no further work changes by itself: waiting on it returns at once. */
export function isFinal(s: AgentStatus): boolean {
  return s !== 'pending_init' && s !== 'running';
}

export function statusName(s: AgentStatus): AgentStatusName {
  if (typeof s === 'string') return s;
  return 'completed' in s ? 'completed' : 'errored';
}

export function statusMessage(s: AgentStatus): string | null {
  if (typeof s === 'string') return null;
  return 'completed' in s ? s.completed : s.errored;
}

/** As a tool output and a rollout write it (Codex's: `"running"`, `{"completed":"…"}`, `{"errored":"…"}`). */
export function statusJson(s: AgentStatus): JsonValue {
  return typeof s === 'string' ? s : { ...s };
}

/** As a `collab_tool_call` item shows it: `{status, message}`. */
export function itemState(s: AgentStatus): { status: AgentStatusName; message: string | null } {
  return { status: statusName(s), message: statusMessage(s) };
}

/** A status read back from a rollout record (unknown shapes: undefined). */
export function statusFromJson(v: JsonValue | undefined): AgentStatus | undefined {
  if (v === 'pending_init' || v === 'running' || v === 'interrupted' || v === 'shutdown' || v === 'not_found') return v;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as JsonObject;
  if ('completed' in o) return { completed: typeof o.completed === 'string' ? o.completed : null };
  if ('errored' in o) return { errored: typeof o.errored === 'string' ? o.errored : 'failed' };
  return undefined;
}
