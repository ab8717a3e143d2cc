/** opencodex's items in Codex 0.171's shapes: subagent tool calls as `collabAgentToolCall`, checked against the schema. */
import { describe, expect, it } from 'vitest';
import type { CollabToolCallItem, SubagentInfo } from '../../src/agent/index.js';
import { collabItem } from '../../src/app-server/wire.js';
import { schemaProblems } from './client.js';

const completed = (item: unknown) => ({ method: 'item/completed', params: { item, threadId: 't', turnId: 'u', completedAtMs: 1, contentTokenCount: null } });

const base: CollabToolCallItem = {
  id: 'item_1',
  type: 'collab_tool_call',
  tool: 'spawn_agent',
  sender_thread_id: 'parent',
  receiver_thread_ids: ['child'],
  prompt: 'count the widgets',
  agents_states: { child: { status: 'pending_init', message: null } },
  status: 'completed',
};

const info = { id: 'child', nickname: 'Ada', role: null, model: 'gpt-5.4-mini', effort: 'low' } as SubagentInfo;

describe('collabAgentToolCall', () => {
  it("a spawn carries the helper's model and effort; every tool and status has Codex's name", () => {
    const spawn = collabItem(base, (id) => (id === 'child' ? info : undefined));
    expect(spawn).toEqual({
      type: 'collabAgentToolCall',
      id: 'item_1',
      tool: 'spawnAgent',
      status: 'completed',
      senderThreadId: 'parent',
      receiverThreadIds: ['child'],
      prompt: 'count the widgets',
      model: 'gpt-5.4-mini',
      reasoningEffort: 'low',
      agentsStates: { child: { status: 'pendingInit', message: null } },
    });
    expect(schemaProblems(completed(spawn))).toEqual([]);

    const states = { a: 'not_found', b: 'errored', c: 'shutdown', d: 'interrupted', e: 'completed', f: 'running' } as const;
    const wait = collabItem({
      ...base,
      tool: 'wait',
      prompt: null,
      receiver_thread_ids: Object.keys(states),
      agents_states: Object.fromEntries(Object.entries(states).map(([id, status]) => [id, { status, message: status === 'errored' ? 'boom' : null }])),
    });
    expect(wait.tool).toBe('wait');
    expect(wait.model).toBeNull();
    expect(Object.values(wait.agentsStates).map((s) => s.status)).toEqual(['notFound', 'errored', 'shutdown', 'interrupted', 'completed', 'running']);
    expect(schemaProblems(completed(wait))).toEqual([]);

    for (const tool of ['send_input', 'close_agent', 'resume_agent'] as const) {
      const item = collabItem({ ...base, tool, status: 'failed', agents_states: {} });
      expect(item.status).toBe('failed');
      expect(schemaProblems(completed(item))).toEqual([]);
    }
    expect(collabItem({ ...base, status: 'in_progress', receiver_thread_ids: [] })).toMatchObject({ status: 'inProgress', model: null });
  });
});
