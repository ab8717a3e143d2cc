/**
 * Subagents' rollouts: a child's file says who spawned it (Codex's `source.subagent.thread_spawn`), a
 * parent's records its subagent calls (`item_completed` with a `CollabAgentToolCall`), reading tells how a
 * thread's last turn ended, and listing shows children under their parent, never as sessions of their own.
 */
import { describe, expect, it } from 'vitest';
import { findSession, listSessions, loadRollout, openRollout, type CollabRecord, type SessionMeta } from '../../src/sessions/index.js';
import { makeHome } from '../support/cli.js';

const PARENT = '01a2331c-a336-7540-9bf4-52392f6ec755';
const CHILD = '01a2331c-a398-7b91-8afa-c512f1facf63';
const GRANDCHILD = '01a2331c-a400-7b91-8afa-c512f1facf64';
const OTHER = '01a2331c-a500-7b91-8afa-c512f1facf65';

function meta(id: string, cwd: string, at: string, parent?: { id: string; nickname: string; depth: number }): SessionMeta {
  const m: SessionMeta = { id, timestamp: at, cwd, originator: 'opencodex_exec', cli_version: '0', source: 'exec', model_provider: 'openai', base_instructions: { text: 'x' } };
  if (parent) {
    m.source = { subagent: { thread_spawn: { parent_thread_id: parent.id, depth: parent.depth, agent_path: null, agent_nickname: parent.nickname, agent_role: 'explorer' } } };
    m.parent_thread_id = parent.id;
    m.agent_nickname = parent.nickname;
  }
  return m;
}

const spawn: CollabRecord = {
  type: 'CollabAgentToolCall',
  id: 'call_1',
  tool: 'spawn_agent',
  status: 'completed',
  sender_thread_id: PARENT,
  receiver_thread_ids: [CHILD],
  receiver_agents: [{ thread_id: CHILD, agent_nickname: 'Alder' }],
  prompt: 'count the files',
  model: 'gpt-5.4-mini',
  agents_states: { [CHILD]: 'pending_init' },
};

function thread(home: string, m: SessionMeta, prompt: string, end: 'complete' | 'error' | 'abort' | 'none', collab: CollabRecord[] = []): string {
  const rec = openRollout(home, m);
  rec.event({ type: 'task_started', turn_id: 't1', model_context_window: 1000 });
  rec.turnContext({ turn_id: 't1', cwd: m.cwd, approval_policy: 'never', sandbox_policy: { type: 'read-only' }, model: 'gpt-5.4', model_provider: 'openai', summary: 'none' });
  rec.item({ type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] });
  rec.event({ type: 'user_message', message: prompt });
  for (const item of collab) rec.event({ type: 'item_completed', thread_id: m.id, turn_id: 't1', item, started_at_ms: 1, completed_at_ms: 2 });
  // A notification of a finished child is context, not a prompt.
  rec.item({ type: 'message', role: 'user', content: [{ type: 'input_text', text: '<subagent_notification>\n{}\n</subagent_notification>' }] });
  if (end === 'complete') rec.event({ type: 'task_complete', turn_id: 't1', last_agent_message: '3 files' });
  if (end === 'error') rec.event({ type: 'task_complete', turn_id: 't1', last_agent_message: null, error: { message: 'boom' } });
  if (end === 'abort') rec.event({ type: 'turn_aborted', turn_id: 't1', reason: 'interrupted' });
  rec.close();
  return rec.path;
}

describe('subagent rollouts', () => {
  it('reads how the last turn ended and the subagent calls', () => {
    const home = makeHome();
    const parent = thread(home, meta(PARENT, '/w', '2026-12-01T10:00:00.000Z'), 'use a helper', 'complete', [spawn]);
    const loaded = loadRollout(parent);
    expect(loaded.collab).toEqual([spawn]);
    expect(loaded.lastTurn).toEqual({ status: 'completed', message: '3 files' });
    expect(loaded.firstPrompt).toBe('use a helper');
    const cases = [
      ['error', { status: 'failed', message: 'boom' }],
      ['abort', { status: 'interrupted' }],
      ['none', { status: 'unfinished' }],
    ] as const;
    for (const [end, expected] of cases) {
      const path = thread(makeHome(), meta(CHILD, '/w', '2026-12-01T10:00:01.000Z', { id: PARENT, nickname: 'Alder', depth: 1 }), 'task', end);
      expect(loadRollout(path).lastTurn).toEqual(expected);
    }
  });

  it('lists children under their parent (grandchildren under them), and --last never picks a child', () => {
    const home = makeHome();
    thread(home, meta(OTHER, '/w', '2026-12-01T09:00:00.000Z'), 'older', 'complete');
    thread(home, meta(PARENT, '/w', '2026-12-01T10:00:00.000Z'), 'use a helper', 'complete', [spawn]);
    thread(home, meta(CHILD, '/w', '2026-12-01T10:00:01.000Z', { id: PARENT, nickname: 'Alder', depth: 1 }), 'count the files', 'complete');
    // Written last: the most recently updated file of the directory.
    thread(home, meta(GRANDCHILD, '/w', '2026-12-01T10:00:02.000Z', { id: CHILD, nickname: 'Birch', depth: 2 }), 'count again', 'complete');
    const flat = listSessions(home, { cwd: '/w' });
    expect(flat.map((s) => s.id)).toEqual([PARENT, OTHER]);
    const tree = listSessions(home, { cwd: '/w', children: true, limit: 1 });
    expect(tree).toHaveLength(1);
    expect(tree[0]).toMatchObject({ id: PARENT, source: 'exec' });
    expect(tree[0]?.children).toEqual([
      expect.objectContaining({ id: CHILD, source: 'subagent', parent_thread_id: PARENT, agent_nickname: 'Alder', agent_role: 'explorer', first_prompt: 'count the files', children: [expect.objectContaining({ id: GRANDCHILD, agent_nickname: 'Birch' })] }),
    ]);
    expect(findSession(home, { last: true, cwd: '/w' })).toMatch(new RegExp(`${PARENT}\\.jsonl$`));
    // A child's rollout is still a thread of its own, by id.
    expect(findSession(home, { id: CHILD, cwd: '/w' })).toMatch(new RegExp(`${CHILD}\\.jsonl$`));
  });
});
