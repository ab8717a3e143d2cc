/** Subagent tool calls as ACP tool calls: their titles, and recorded calls replayed (session/load). */
import type { SessionUpdate, ToolCallContent } from '@agentclientprotocol/sdk';
import type { CollabTool } from '../agent/index.js';
import type { HistoryItem } from '../host/index.js';

const text = (t: string): ToolCallContent => ({ type: 'content', content: { type: 'text', text: t } });

/** The first line of a text, at most 80 characters. */
export function oneLine(t: string): string {
  const line = t.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** A subagent call's title: the action, the helpers it concerns (names), the task, the spawned helper's model. */
export function collabTitle(tool: CollabTool, o: { names: string[]; prompt: string | null; done: boolean; model?: string | undefined }): string {
  const names = o.names.join(', ');
  const task = o.prompt === null ? '' : `: ${oneLine(o.prompt)}`;
  switch (tool) {
    case 'spawn_agent':
      return names === '' ? `Spawning a helper${task}` : `${o.done ? 'Spawned' : 'Spawning'} helper ${names}${o.model ? ` on ${o.model}` : ''}${task}`;
    case 'send_input':
      return `${o.done ? 'Sent' : 'Sending'} input to ${names || 'a helper'}${task}`;
    case 'wait':
      return `${o.done ? 'Waited' : 'Waiting'} for ${names || 'helpers'}`;
    case 'close_agent':
      return `${o.done ? 'Closed' : 'Closing'} ${names || 'a helper'}`;
    case 'resume_agent':
      return `${o.done ? 'Resumed' : 'Resuming'} ${names || 'a helper'}`;
  }
}

/** One helper's state as a tool call shows it: `NAME: STATUS`, then its answer or error. */
export const stateText = (name: string, status: string, message: string | null): ToolCallContent =>
  text(`${name}: ${status.replace('_', ' ')}${message ? `\n\n${message}` : ''}`);

const TOOLS: Record<string, CollabTool> = { spawn_agent: 'spawn_agent', send_input: 'send_input', wait_agent: 'wait', close_agent: 'close_agent', resume_agent: 'resume_agent' };

const object = (t: string | null): Record<string, unknown> | null => {
  if (t === null) return null;
  try {
    const v: unknown = JSON.parse(t);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** A recorded status (`"running"`, `{"completed":"…"}`, `{"errored":"…"}`) as a name and a message. */
function recorded(v: unknown): { status: string; message: string | null } | null {
  if (typeof v === 'string') return { status: v, message: null };
  if (v === null || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if ('completed' in o) return { status: 'completed', message: typeof o.completed === 'string' ? o.completed : null };
  if ('errored' in o) return { status: 'errored', message: typeof o.errored === 'string' ? o.errored : null };
  return null;
}

/**
 * A recorded subagent call as the tool call that shows it again (null: another tool). `names` maps helper
 * ids to nicknames; spawns seen add to it.
 */
export function collabHistoryUpdate(item: Extract<HistoryItem, { kind: 'tool' }>, names: Map<string, string>): SessionUpdate | null {
  const tool = TOOLS[item.name];
  if (!tool) return null;
  const args = object(item.input) ?? {};
  const out = object(item.output);
  const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
  if (tool === 'spawn_agent' && typeof out?.agent_id === 'string' && typeof out.nickname === 'string') names.set(out.agent_id, out.nickname);
  const receivers = tool === 'spawn_agent' ? ids(out?.agent_id) : tool === 'wait' ? ids(args.targets ?? args.ids) : ids(args.target ?? args.id);
  const name = (id: string): string => names.get(id) ?? id;
  const content: ToolCallContent[] = [];
  if (out === null) content.push(text(item.output ?? 'the call did not finish'));
  else if (tool === 'wait' && out.status && typeof out.status === 'object') {
    for (const [id, v] of Object.entries(out.status as Record<string, unknown>)) {
      const st = recorded(v);
      if (st) content.push(stateText(name(id), st.status, st.message));
    }
  }
  return {
    sessionUpdate: 'tool_call',
    toolCallId: item.id,
    title: collabTitle(tool, { names: receivers.map(name), prompt: typeof args.message === 'string' ? args.message : null, done: true }),
    kind: tool === 'wait' ? 'think' : 'other',
    status: out === null ? 'failed' : 'completed',
    content,
  };
}
