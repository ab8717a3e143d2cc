/**
 * Subagents end to end (issue #14), over both wire APIs against the scripted server: the parent model
 * spawns a helper on gpt-5.4-mini, waits on it and answers with what it said; `exec --json` prints the
 * `collab_tool_call` items; a failing helper is `errored` without failing the parent; Ctrl-C interrupts
 * helpers with the parent; resuming the parent restores its helpers' states.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { dynamic, failWith, hang, turn, type RecordedRequest, type Reply } from '../support/scripted-server.js';
import { gitWorkspace, jsonLines, quietHome, rolloutFiles, useScriptedServer, type Json } from '../support/e2e.js';

const server = useScriptedServer();

function homeFor(wire: 'responses' | 'chat', extra = ''): string {
  return makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\n${extra}\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\n` +
      `wire_api = "${wire}"\nrequest_max_retries = 0\nstream_max_retries = 0\n${wire === 'responses' ? 'supports_tool_namespaces = true\n' : ''}`,
  });
}

/** The output the model was given for a call, from one request (either wire). */
function outputOf(callId: string, req: RecordedRequest): string | undefined {
  const body = req.body ?? {};
  for (const i of (body.input ?? []) as Json[]) if (i.type === 'function_call_output' && i.call_id === callId) return String(i.output);
  for (const m of (body.messages ?? []) as Json[]) if (m.role === 'tool' && m.tool_call_id === callId) return String(m.content);
  return undefined;
}

/** The agent id in a request's spawn_agent output. */
function spawnedId(req: RecordedRequest, callId = 'spawn1'): string {
  const out = outputOf(callId, req);
  if (out === undefined) throw new Error(`no spawn output in ${req.rawBody.slice(0, 400)}`);
  return (JSON.parse(out) as { agent_id: string }).agent_id;
}

const call = (name: string, args: Record<string, unknown>, callId: string): Reply =>
  turn({ toolCalls: [{ name, arguments: args, callId, namespace: 'multi_agent_v1' }] });

/** The parent: spawn a helper with `task` on gpt-5.4-mini, wait on it, then answer with its output. */
function scriptParent(task: string, final = 'all done'): void {
  server.reply(
    call('spawn_agent', { message: task, model: 'gpt-5.4-mini' }, 'spawn1'),
    dynamic((req) => call('wait_agent', { targets: [spawnedId(req)], timeout_ms: 15_000 }, 'wait1')),
    turn({ text: final }),
  );
}

const env = { MOCK_KEY: 'k', HOME: quietHome };
const collabItems = (stdout: string, type = 'item.completed'): Json[] =>
  jsonLines(stdout).filter((e) => e.type === type && (e.item as Json).type === 'collab_tool_call').map((e) => e.item as Json);
const userTexts = (req: RecordedRequest): string => JSON.stringify(req.body?.input ?? req.body?.messages ?? []);

describe.each(['responses', 'chat'] as const)('subagents over %s', (wire) => {
  it('spawns a helper on gpt-5.4-mini, waits on it, and its answer reaches the parent; collab_tool_call items are printed', async () => {
    const home = homeFor(wire);
    const task = 'CHILD-TASK: count the widgets';
    server.route(task, turn({ text: 'there are 7 widgets' }));
    scriptParent(task);
    const r = await runCliAsync(['exec', '--json', 'use a subagent to count the widgets'], { home, cwd: gitWorkspace(), env });
    expect(r.status).toBe(0);

    const child = server.requests.find((q) => userTexts(q).includes(task) && !userTexts(q).includes('use a subagent'));
    expect(child?.body?.model).toBe('gpt-5.4-mini');
    // At the default depth limit (1), a helper gets no subagent tools of its own.
    expect(JSON.stringify(child?.body?.tools)).not.toContain('spawn_agent');
    const parent = server.requests.filter((q) => userTexts(q).includes('use a subagent'));
    expect(parent.map((q) => q.body?.model)).toEqual(['gpt-5.4', 'gpt-5.4', 'gpt-5.4']);
    // The helper's answer is in the wait output the parent's last request carries.
    const waited = JSON.parse(outputOf('wait1', parent[2] as RecordedRequest) ?? '{}') as Json;
    const id = spawnedId(parent[1] as RecordedRequest);
    expect(waited).toEqual({ status: { [id]: { completed: 'there are 7 widgets' } }, timed_out: false });

    // The tools were offered: in the multi_agent_v1 namespace on Responses, as plain functions on Chat.
    const tools = (parent[0]?.body?.tools ?? []) as Json[];
    if (wire === 'responses') {
      const ns = tools.find((t) => t.type === 'namespace');
      expect(ns?.name).toBe('multi_agent_v1');
      expect(((ns?.tools ?? []) as Json[]).map((t) => t.name)).toEqual(['close_agent', 'resume_agent', 'send_input', 'spawn_agent', 'wait_agent']);
    } else {
      expect(tools.map((t) => (t.function as Json).name)).toEqual(expect.arrayContaining(['spawn_agent', 'send_input', 'wait_agent', 'close_agent', 'resume_agent']));
    }

    const [thread] = jsonLines(r.stdout);
    const items = collabItems(r.stdout);
    expect(items.map((i) => i.tool)).toEqual(['spawn_agent', 'wait']);
    expect(items[0]).toEqual({
      id: expect.stringMatching(/^item_\d+$/),
      type: 'collab_tool_call',
      tool: 'spawn_agent',
      sender_thread_id: thread?.thread_id,
      receiver_thread_ids: [id],
      prompt: task,
      agents_states: { [id]: { status: expect.stringMatching(/^(pending_init|running)$/), message: null } },
      status: 'completed',
    });
    expect(items[1]).toMatchObject({ tool: 'wait', receiver_thread_ids: [id], prompt: null, agents_states: { [id]: { status: 'completed', message: 'there are 7 widgets' } }, status: 'completed' });
    expect(collabItems(r.stdout, 'item.started').map((i) => i.status)).toEqual(['in_progress', 'in_progress']);
    // The child's own events are not printed: one agent message, the parent's.
    expect(jsonLines(r.stdout).filter((e) => (e.item as Json | undefined)?.type === 'agent_message').map((e) => (e.item as Json).text)).toEqual(['all done']);

    // The child's rollout is its own, linked to the parent's thread.
    const files = rolloutFiles(home);
    expect(files).toHaveLength(2);
    const metas = files.map((f) => JSON.parse(readFileSync(f, 'utf8').split('\n')[0] as string) as { payload: Json });
    const childMeta = metas.find((m) => m.payload.id === id);
    expect(childMeta?.payload.source).toEqual({
      subagent: { thread_spawn: { parent_thread_id: thread?.thread_id, depth: 1, agent_path: null, agent_nickname: expect.any(String), agent_role: 'default' } },
    });
    // `opencodex sessions` lists the helper under its parent, with its nickname and type.
    const listed = await runCliAsync(['sessions', '--all'], { home, env });
    const lines = listed.stdout.split('\n');
    const parentLine = lines.findIndex((l) => l.startsWith(String(thread?.thread_id)));
    expect(lines[parentLine + 1]).toMatch(new RegExp(`^└ ${id}\\s.*gpt-5\\.4-mini\\s+\\S+ \\(default\\)\\s.*CHILD-TASK: count the widgets$`));
    // The user's prompt history holds the user's prompt, not the task the parent gave its helper.
    const history = readFileSync(join(home, 'history.jsonl'), 'utf8');
    expect(history).toContain('use a subagent to count the widgets');
    expect(history).not.toContain(task);
  });

  it('human exec shows the spawn, the wait and the helper’s answer, and what the helpers used', async () => {
    const task = 'CHILD-TASK: name the colour';
    server.route(task, turn({ text: 'the colour is teal', usage: { input: 100, output: 20 } }));
    scriptParent(task, 'teal it is');
    const r = await runCliAsync(['exec', 'ask a helper for the colour'], { home: homeFor(wire), cwd: gitWorkspace(), env });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('teal it is\n');
    expect(r.stderr).toMatch(/agents: spawned agent \S+ on gpt-5\.4-mini\n.*CHILD-TASK: name the colour\n/);
    expect(r.stderr).toMatch(/agents: waiting for \S+\n/);
    expect(r.stderr).toMatch(/agents: \S+ completed\nthe colour is teal\n/);
    expect(r.stderr).toMatch(/subagents\n1 agent, 120 tokens/);
  });

  it('a helper whose provider fails is errored with the reason; the parent goes on and completes', async () => {
    const task = 'CHILD-TASK: this one breaks';
    server.route(task, failWith(400, { error: { message: 'model exploded', type: 'invalid_request_error', param: null, code: null } }));
    scriptParent(task, 'the helper failed, so I did it myself');
    const r = await runCliAsync(['exec', '--json', 'delegate something'], { home: homeFor(wire), cwd: gitWorkspace(), env });
    expect(r.status).toBe(0);
    const wait = collabItems(r.stdout).find((i) => i.tool === 'wait');
    const [state] = Object.values(wait?.agents_states as Record<string, Json>);
    expect(state?.status).toBe('errored');
    expect(String(state?.message)).toMatch(/model exploded/);
    const last = server.requests.at(-1) as RecordedRequest;
    expect(outputOf('wait1', last)).toMatch(/"errored":".*model exploded/);
    expect(jsonLines(r.stdout).at(-1)?.type).toBe('turn.completed');
  });

  it('an unknown model is a tool error listing the choices; the parent reads it and goes on', async () => {
    server.reply(call('spawn_agent', { message: 'x', model: 'gpt-nonexistent' }, 'spawn1'), turn({ text: 'ok' }));
    const r = await runCliAsync(['exec', '--json', 'delegate'], { home: homeFor(wire), cwd: gitWorkspace(), env });
    expect(r.status).toBe(0);
    const out = outputOf('spawn1', server.requests[1] as RecordedRequest);
    expect(out).toMatch(/^Unknown model `gpt-nonexistent` for spawn_agent\. Available models: .*gpt-5\.4-mini/);
    expect(collabItems(r.stdout)[0]).toMatchObject({ tool: 'spawn_agent', status: 'failed', receiver_thread_ids: [] });
    expect(collabItems(r.stdout)[0]).not.toHaveProperty('error');
  });

  it('Ctrl-C interrupts the helpers with the parent, and resuming reports them interrupted', async () => {
    const home = homeFor(wire);
    const task = 'CHILD-TASK: take forever';
    server.route(task, hang());
    scriptParent(task);
    const r = await runCliAsync(['exec', '--json', 'start a slow helper'], {
      home,
      cwd: gitWorkspace(),
      env,
      interruptWhen: () => server.requests.some((q) => userTexts(q).includes(task)) && server.requests.length >= 3,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/turn interrupted/);
    const files = rolloutFiles(home);
    expect(files).toHaveLength(2);
    const thread = String(jsonLines(r.stdout)[0]?.thread_id);
    const childFile = files.find((f) => !f.includes(thread)) as string;
    // The child's turn was cut short with its parent's.
    expect(readFileSync(childFile, 'utf8')).toMatch(/"type":"turn_aborted"/);

    // Resumed, the parent waits on the helper again: it reports interrupted at once.
    const childId = /([0-9a-f-]{36})\.jsonl$/.exec(childFile)?.[1] as string;
    // The first run's last scripted answer was never asked for.
    server.reset();
    server.reply(call('wait_agent', { targets: [childId], timeout_ms: 10_000 }, 'wait2'), turn({ text: 'it was interrupted' }));
    const resumed = await runCliAsync(['exec', '--json', 'resume', thread, 'how is the helper?'], { home, cwd: gitWorkspace(), env });
    expect(resumed.stdout).toMatch(/it was interrupted/);
    expect(resumed.status).toBe(0);
    const out = outputOf('wait2', server.requests.at(-1) as RecordedRequest);
    expect(JSON.parse(out ?? '{}')).toEqual({ status: { [childId]: 'interrupted' }, timed_out: false });
  });
});

describe('resume restores finished helpers with their answers', () => {
  it('a completed helper keeps its answer; sending it more work continues its own thread', async () => {
    const home = homeFor('responses');
    const task = 'CHILD-TASK: remember the number 31';
    server.route(task, turn({ text: 'remembered 31' }), turn({ text: 'it was 31' }));
    scriptParent(task);
    const first = await runCliAsync(['exec', '--json', 'spawn a helper'], { home, cwd: gitWorkspace(), env });
    expect(first.status).toBe(0);
    const thread = String(jsonLines(first.stdout)[0]?.thread_id);
    const id = spawnedId(server.requests.find((q) => outputOf('spawn1', q) !== undefined) as RecordedRequest);

    server.reply(
      call('wait_agent', { targets: [id] }, 'wait2'),
      call('send_input', { target: id, message: 'which number was it?' }, 'send1'),
      call('wait_agent', { targets: [id] }, 'wait3'),
      turn({ text: 'done again' }),
    );
    const before = server.requests.length;
    const r = await runCliAsync(['exec', '--json', 'resume', thread, 'ask it again'], { home, cwd: gitWorkspace(), env });
    expect(r.status).toBe(0);
    const parent = server.requests.slice(before).filter((q) => userTexts(q).includes('ask it again'));
    expect(JSON.parse(outputOf('wait2', parent[1] as RecordedRequest) ?? '{}')).toEqual({ status: { [id]: { completed: 'remembered 31' } }, timed_out: false });
    expect(JSON.parse(outputOf('wait3', parent[3] as RecordedRequest) ?? '{}')).toEqual({ status: { [id]: { completed: 'it was 31' } }, timed_out: false });
    // The helper's second request continues its own history (its first task and answer are there).
    const childAgain = server.requests.slice(before).find((q) => userTexts(q).includes('which number was it?'));
    expect(userTexts(childAgain as RecordedRequest)).toContain('remembered 31');
    expect(childAgain?.body?.model).toBe('gpt-5.4-mini');
    expect(rolloutFiles(home)).toHaveLength(2);
  });
});

describe('a helper on another provider', () => {
  it('agents.default_subagent_model/provider: the helper’s requests go to that provider (here Chat Completions), the parent’s stay on Responses', async () => {
    const home = homeFor(
      'responses',
      '[agents]\ndefault_subagent_model = "local-coder"\ndefault_subagent_provider = "local"\n' +
        `[model_providers.local]\nname = "Local"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "chat"\nrequest_max_retries = 0\n`,
    );
    const task = 'CHILD-TASK: done locally';
    server.route(task, turn({ text: 'local answer' }));
    server.reply(
      call('spawn_agent', { message: task }, 'spawn1'),
      dynamic((req) => call('wait_agent', { targets: [spawnedId(req)] }, 'wait1')),
      turn({ text: 'thanks' }),
    );
    const r = await runCliAsync(['exec', '--json', 'get a local helper'], { home, cwd: gitWorkspace(), env });
    expect(r.status).toBe(0);
    const child = server.requests.find((q) => userTexts(q).includes(task) && !userTexts(q).includes('get a local helper'));
    expect(child?.path).toBe('/v1/chat/completions');
    expect(child?.body?.model).toBe('local-coder');
    expect(server.requests.filter((q) => userTexts(q).includes('get a local helper')).map((q) => q.path)).toEqual(['/v1/responses', '/v1/responses', '/v1/responses']);
    const id = spawnedId(server.requests.find((q) => outputOf('spawn1', q) !== undefined) as RecordedRequest);
    expect(collabItems(r.stdout).at(-1)?.agents_states).toEqual({ [id]: { status: 'completed', message: 'local answer' } });
  });
});
