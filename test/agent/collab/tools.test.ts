/**
 * The subagent tools as the turn loop calls them: Codex's outputs, `collab_tool_call` items (started,
 * then completed or failed), the record each call leaves in the caller's rollout, `items` as well as
 * `message`, and wait_agent's bounded timeout.
 */
import { describe, expect, it } from 'vitest';
import { collabTools, DEFAULT_WAIT_MS, MAX_WAIT_MS, waitTimeout, type CollabCaller } from '../../../src/agent/collab/index.js';
import type { AgentEvent, ToolHandler } from '../../../src/agent/index.js';
import { loadRollout, rolloutFiles, type CollabRecord } from '../../../src/sessions/index.js';
import { useScriptedServer } from '../../support/e2e.js';
import { turn } from '../../support/scripted-server.js';
import { setupAgent } from './helpers.js';

const server = useScriptedServer();

function tools() {
  const { manager, owner } = setupAgent(server);
  const records: CollabRecord[] = [];
  const caller: CollabCaller = { ...owner, record: (r) => records.push(r) };
  const byName = new Map(collabTools(manager, caller).map((t) => [t.name, t]));
  const events: AgentEvent[] = [];
  let n = 0;
  const run = async (name: string, args: unknown) => {
    const tool = byName.get(name) as ToolHandler;
    return tool.run(
      { callId: `call_${n}`, name, kind: 'function', input: JSON.stringify(args) },
      { signal: new AbortController().signal, emit: (e) => events.push(e), nextItemId: () => `item_${n++}`, turnId: 'turn-1' },
    );
  };
  return { run, events, records, owner, names: [...byName.keys()] };
}

describe('subagent tools', () => {
  it('spawn (with Codex’s `items` form) and wait: outputs, items and records', async () => {
    const t = tools();
    expect(t.names).toEqual(['spawn_agent', 'send_input', 'wait_agent', 'close_agent', 'resume_agent']);
    server.route('sum the column', turn({ text: 'the sum is 12' }));
    const spawned = await t.run('spawn_agent', { items: [{ type: 'text', text: 'sum the column' }], agent_type: 'worker', reasoning_effort: 'low' });
    expect(spawned.success).toBe(true);
    const { agent_id: id, nickname } = JSON.parse(String(spawned.output)) as { agent_id: string; nickname: string };
    const waited = await t.run('wait_agent', { targets: [id], timeout_ms: 10_000 });
    expect(JSON.parse(String(waited.output))).toEqual({ status: { [id]: { completed: 'the sum is 12' } }, timed_out: false });

    const items = t.events.flatMap((e) => (e.type === 'item.started' || e.type === 'item.completed' ? [{ event: e.type, ...e.item }] : []));
    expect(items).toEqual([
      { event: 'item.started', type: 'collab_tool_call', id: 'item_0', tool: 'spawn_agent', sender_thread_id: t.owner.threadId, receiver_thread_ids: [], prompt: 'sum the column', agents_states: {}, status: 'in_progress' },
      expect.objectContaining({ event: 'item.completed', id: 'item_0', tool: 'spawn_agent', receiver_thread_ids: [id], status: 'completed' }),
      expect.objectContaining({ event: 'item.started', id: 'item_1', tool: 'wait', receiver_thread_ids: [id], prompt: null, status: 'in_progress' }),
      expect.objectContaining({ event: 'item.completed', id: 'item_1', tool: 'wait', agents_states: { [id]: { status: 'completed', message: 'the sum is 12' } }, status: 'completed' }),
    ]);
    expect(t.records[0]).toMatchObject({
      type: 'CollabAgentToolCall',
      tool: 'spawn_agent',
      status: 'completed',
      receiver_thread_ids: [id],
      receiver_agents: [{ thread_id: id, agent_nickname: nickname }],
      prompt: 'sum the column',
      model: 'gpt-5.4-mini',
      reasoning_effort: 'low',
      agent_role: 'worker',
    });
    expect(t.records[1]).toMatchObject({ tool: 'wait', agents_states: { [id]: { completed: 'the sum is 12' } } });
  });

  it('failures are tool errors with a failed item and a failed record', async () => {
    const t = tools();
    const image = await t.run('spawn_agent', { items: [{ type: 'image', image_url: 'x' }] });
    expect(image).toEqual({ success: false, output: 'spawn_agent: only text items are supported (got image); send the task as `message`' });
    expect(await t.run('spawn_agent', {})).toEqual({ success: false, output: 'spawn_agent needs `message`: the task for the new agent' });
    expect(await t.run('wait_agent', { targets: [] })).toEqual({ success: false, output: 'wait_agent needs at least one agent id in `targets`' });
    expect((await t.run('close_agent', { target: 'ghost' })).output).toMatch(/^no agent with id ghost/);
    const failed = t.events.filter((e) => e.type === 'item.completed').map((e) => (e.type === 'item.completed' && e.item.type === 'collab_tool_call' ? e.item.status : ''));
    expect(failed).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(t.records.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
  });

  it('wait_agent’s timeout: 30 s by default, clamped to 5 min', () => {
    expect(waitTimeout(undefined)).toBe(DEFAULT_WAIT_MS);
    expect(DEFAULT_WAIT_MS).toBe(30_000);
    expect(waitTimeout(1e12)).toBe(MAX_WAIT_MS);
    expect(MAX_WAIT_MS).toBe(300_000);
    expect(waitTimeout(-5)).toBe(1);
    expect(waitTimeout(Number.NaN)).toBe(DEFAULT_WAIT_MS);
  });
});

describe('finished helpers the parent did not wait on', () => {
  const notes = (body: Record<string, unknown> | undefined): string[] =>
    ((body?.input ?? []) as Array<{ role?: string; content?: Array<{ text?: string }> }>)
      .filter((i) => i.role === 'user')
      .map((i) => i.content?.[0]?.text ?? '')
      .filter((t) => t.startsWith('<subagent_notification>'));

  it('are told to the parent’s model once, at its next request, as a <subagent_notification>', async () => {
    const { agent, manager } = setupAgent(server);
    const session = agent.session;
    const run = (text: string) => session.runTurn({ text }, { signal: new AbortController().signal, emit: () => undefined });
    server.route('background task', turn({ text: 'background done' }));
    server.reply(turn({ toolCalls: [{ name: 'spawn_agent', arguments: { message: 'background task' }, callId: 's1' }] }), turn({ text: 'started it' }));
    expect(await run('start a helper and carry on')).toMatchObject({ status: 'completed' });
    const [helper] = manager.list();
    await expect.poll(() => manager.get(helper?.id ?? '')?.status, { timeout: 10_000, interval: 10 }).toEqual({ completed: 'background done' });

    server.reply(turn({ text: 'noted' }), turn({ text: 'ok' }));
    await run('anything new?');
    const next = server.requests.at(-1)?.body;
    expect(notes(next)).toEqual([
      `<subagent_notification>\n${JSON.stringify({ agent_id: helper?.id, nickname: helper?.nickname, status: { completed: 'background done' } })}\n</subagent_notification>`,
    ]);
    await run('and now?');
    // Told once: the later request replays it in the history, adds no new one.
    expect(notes(server.requests.at(-1)?.body)).toHaveLength(1);
  });
});

describe('fork_context', () => {
  it('the helper starts from the parent’s conversation (without the unanswered spawn call), then its task; its rollout holds it all', async () => {
    const { agent, manager, home } = setupAgent(server, { rollout: true });
    const session = agent.session;
    const run = (text: string) => session.runTurn({ text }, { signal: new AbortController().signal, emit: () => undefined });
    const task = 'FORKED-TASK: what was the secret word?';
    server.route(task, turn({ text: 'plum' }));
    server.reply(
      turn({ text: 'noted the word' }),
      turn({ toolCalls: [{ name: 'spawn_agent', arguments: { message: task, fork_context: true, agent_type: 'explorer' }, callId: 'fork1' }] }),
      turn({ text: 'asked' }),
    );
    await run('the secret word is plum');
    await run('ask a forked helper');
    const [helper] = manager.list();
    await expect.poll(() => manager.get(helper?.id ?? '')?.status, { timeout: 10_000, interval: 10 }).toEqual({ completed: 'plum' });
    const childReq = server.requests.find((q) => q.rawBody.includes('FORKED-TASK') && q.body?.model === 'gpt-5.4-mini');
    const input = (childReq?.body?.input ?? []) as Array<Record<string, unknown>>;
    const texts = input.map((i) => JSON.stringify(i));
    expect(texts.findIndex((t) => t.includes('the secret word is plum'))).toBeGreaterThan(-1);
    expect(texts.findIndex((t) => t.includes('noted the word'))).toBeGreaterThan(-1);
    expect(input.some((i) => i.type === 'function_call')).toBe(false);
    // The explorer's instructions and its read-only sandbox come after the parent's context, then the task.
    const last = texts.slice(-3).join('\n');
    expect(last).toContain('You are an explorer');
    expect(last).toContain('Sandbox: `read-only`');
    expect(texts.at(-1)).toContain(task);
    await manager.shutdown();
    const childFile = rolloutFiles(home).find((f) => f.id === helper?.id);
    const child = loadRollout(childFile?.path ?? '');
    expect(child.history.map((i) => JSON.stringify(i)).join('\n')).toContain('the secret word is plum');
    expect(child.lastTurn).toEqual({ status: 'completed', message: 'plum' });
  });
});
