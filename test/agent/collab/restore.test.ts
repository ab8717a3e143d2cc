/**
 * A resumed session's subagents, rebuilt from the calls its rollout recorded: spawned helpers with their
 * model, last known status and closed state; a helper whose own rollout shows how its last turn ended
 * takes that status; one still running when the process stopped is interrupted.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../../src/agent/index.js';
import { restoreSubagents, type SubagentManager } from '../../../src/agent/collab/index.js';
import { lookupModel, SHIPPED_CATALOG } from '../../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../../src/config/index.js';
import { openRollout, type CollabRecord } from '../../../src/sessions/index.js';
import { makeHome } from '../../support/cli.js';
import { gitWorkspace } from '../../support/e2e.js';

const env = { PATH: process.env.PATH, MOCK_KEY: 'k' };
const PARENT = '01a20000-0000-7000-8000-000000000000';
const A = '01a20000-0000-7000-8000-00000000000a';
const B = '01a20000-0000-7000-8000-00000000000b';
const C = '01a20000-0000-7000-8000-00000000000c';

function manager(home: string): SubagentManager {
  const loaded = loadConfig({ home, env });
  const agent = createAgent({
    loaded,
    catalog: SHIPPED_CATALOG,
    model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'),
    provider: resolveProvider(loaded, env),
    cwd: gitWorkspace(),
    addDirs: [],
    approvalPolicy: 'never',
    approver: { ask: async () => ({ answer: 'deny' }) },
    exec: true,
    env,
  });
  return agent.subagents as SubagentManager;
}

const rec = (tool: CollabRecord['tool'], ids: string[], states: CollabRecord['agents_states'], extra: Partial<CollabRecord> = {}): CollabRecord => ({
  type: 'CollabAgentToolCall',
  id: `call_${Math.random()}`,
  tool,
  status: 'completed',
  sender_thread_id: PARENT,
  receiver_thread_ids: ids,
  receiver_agents: ids.map((id) => ({ thread_id: id, agent_nickname: `nick-${id.slice(-1)}` })),
  prompt: null,
  agents_states: states,
  ...extra,
});

describe('restoring subagents', () => {
  it('keeps answers, closed helpers and models; a helper still running is interrupted; its own rollout has the last word', () => {
    const home = makeHome({ 'config.toml': 'model = "gpt-5.4"\n' });
    // C's own rollout: its last turn completed after the parent last looked at it.
    const r = openRollout(
      home,
      { id: C, timestamp: new Date().toISOString(), cwd: home, originator: 't', cli_version: '0', source: 'exec', model_provider: 'openai', base_instructions: { text: '' } },
      {},
    );
    r.event({ type: 'task_started', turn_id: 't1', model_context_window: 1000 });
    r.event({ type: 'task_complete', turn_id: 't1', last_agent_message: 'C finished late' });
    r.close();
    const records = [
      rec('spawn_agent', [A], { [A]: 'pending_init' }, { model: 'gpt-5.4-mini', reasoning_effort: 'low', agent_role: 'worker', prompt: 'task a' }),
      rec('spawn_agent', [B], { [B]: 'pending_init' }, { model: 'gpt-5.4-mini' }),
      rec('spawn_agent', [C], { [C]: 'pending_init' }, { model: 'gpt-5.5' }),
      rec('wait', [A, B], { [A]: { completed: 'A answer' }, [B]: 'running' }),
      rec('close_agent', [A], { [A]: 'shutdown' }),
      rec('resume_agent', [A], { [A]: { completed: 'A answer' } }),
      rec('close_agent', [B], { [B]: 'shutdown' }),
      rec('spawn_agent', [], {}, { status: 'failed' }),
    ];
    const m = manager(home);
    expect(restoreSubagents(m, records, { home, parentModel: 'gpt-5.4', parentProvider: 'openai', env })).toEqual([]);
    expect(m.list().map((a) => [a.nickname, a.status, a.model, a.effort, a.role, a.depth])).toEqual([
      ['nick-a', { completed: 'A answer' }, 'gpt-5.4-mini', 'low', 'worker', 1],
      ['nick-b', 'shutdown', 'gpt-5.4-mini', null, null, 1],
      ['nick-c', { completed: 'C finished late' }, 'gpt-5.5', null, null, 1],
    ]);
    // B is closed: it must be reopened before it takes input; A was reopened and takes it.
    expect(() => m.send(B, 'more', false)).toThrow(/is closed/);
    expect(m.resume(B)).toBe('interrupted');
  });

  it('a helper last seen running, with no rollout of its own, is interrupted', () => {
    const home = makeHome({ 'config.toml': 'model = "gpt-5.4"\n' });
    const m = manager(home);
    restoreSubagents(m, [rec('spawn_agent', [A], { [A]: 'running' }, { model: 'gpt-5.4-mini' })], { home, parentModel: 'gpt-5.4', parentProvider: 'openai', env });
    expect(m.get(A)?.status).toBe('interrupted');
  });

  it('a helper whose session cannot be rebuilt (its rollout is gone) errors when given work; nothing throws into the parent', async () => {
    const home = makeHome({ 'config.toml': 'model = "gpt-5.4"\n' });
    const r = openRollout(
      home,
      { id: A, timestamp: new Date().toISOString(), cwd: home, originator: 't', cli_version: '0', source: 'exec', model_provider: 'openai', base_instructions: { text: '' } },
      {},
    );
    r.event({ type: 'task_started', turn_id: 't1', model_context_window: 1000 });
    r.event({ type: 'task_complete', turn_id: 't1', last_agent_message: 'done once' });
    r.close();
    const m = manager(home);
    restoreSubagents(m, [rec('spawn_agent', [A], { [A]: 'running' }, { model: 'gpt-5.4-mini' })], { home, parentModel: 'gpt-5.4', parentProvider: 'openai', env });
    expect(m.get(A)?.status).toEqual({ completed: 'done once' });
    rmSync(r.path);
    m.send(A, 'again', false);
    const waited = await m.wait([A], 10_000, new AbortController().signal);
    expect(waited.status[A]).toMatchObject({ errored: expect.stringContaining(r.path) });
  });
});
