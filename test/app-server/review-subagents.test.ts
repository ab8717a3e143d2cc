/**
 * `review/start` and subagents over `opencodex app-server` end to end: the built CLI over stdio against the
 * scripted server, every message checked against Codex 0.171's JSON Schema. A review runs as a read-only
 * turn of the thread (enteredReviewMode, the reviewer's commands, exitedReviewMode with the findings), and
 * the thread's next turn knows the review; helpers the model spawns show as `collabAgentToolCall` items,
 * and a helper's approval question reaches the client as an ordinary approval request.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHome } from '../support/cli.js';
import { dynamic, stallAfter, turn, type RecordedRequest, type Reply } from '../support/scripted-server.js';
import { gitWorkspace, useScriptedServer, type Json } from '../support/e2e.js';
import { BUG, gitEnv, reviewAnswer, reviewRepo } from '../support/review.js';
import { spawnServer, stdioClient, type Client, type Spawned } from './client.js';

const server = useScriptedServer();
const spawned: Spawned[] = [];
afterEach(async () => {
  for (const s of spawned.splice(0)) {
    s.child.kill('SIGTERM');
    await s.exited;
  }
});

function start(args: string[], cwd: string, extra = ''): Spawned {
  const home = makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\n${extra}\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\n` +
      'wire_api = "responses"\nsupports_tool_namespaces = true\nrequest_max_retries = 0\nstream_max_retries = 0\n',
  });
  const s = spawnServer(args, { home, cwd, env: { MOCK_KEY: 'k', ...gitEnv } });
  spawned.push(s);
  return s;
}

async function init(c: Client): Promise<void> {
  await c.request('initialize', { clientInfo: { name: 'vitest', title: null, version: '1.0' }, capabilities: null });
  c.notify('initialized');
}

const resultOf = <T = Json>(m: Json): T => {
  if ('error' in m) throw new Error(`error response: ${JSON.stringify(m.error)}`);
  return m.result as T;
};
const itemsOf = (msgs: Json[], method: string, from = 0): Json[] => msgs.slice(from).filter((m) => m.method === method).map((m) => (m.params as { item: Json }).item);
const toolNames = (r: RecordedRequest | undefined): string[] => ((r?.body?.tools ?? []) as Json[]).map((t) => String(t.name ?? ''));
const inputText = (r: RecordedRequest | undefined): string => JSON.stringify(r?.body?.input ?? []);

const review = (cwd: string): Json => reviewAnswer(cwd, ['p1']);
const repo = (): string => reviewRepo({}, 'ocx-as-review-');

describe('review/start', () => {
  it('reviews the uncommitted changes as a read-only turn with the answer format; the findings come back and the next turn knows them', async () => {
    const cwd = repo();
    const c = stdioClient(start(['-a', 'never'], cwd, 'sandbox_mode = "workspace-write"'));
    await init(c);
    const threadId = (resultOf<{ thread: Json }>(await c.request('thread/start', { cwd })).thread.id) as string;

    // Errors: an unknown thread, nothing to review, a turn already running, a delivery Codex has but opencodex does not.
    const unknown = await c.request('review/start', { threadId: '0199a000-0000-7000-8000-000000000000', target: { type: 'uncommittedChanges' } });
    expect(unknown.error).toMatchObject({ code: -32600, message: expect.stringMatching(/review\/start: thread not loaded: 0199a000-0000-7000-8000-000000000000/) });
    const clean = await c.request('review/start', { threadId, target: { type: 'uncommittedChanges' } });
    expect(clean.error).toMatchObject({ code: -32600, message: expect.stringContaining('there are no uncommitted changes') });
    const detached = await c.request('review/start', { threadId, target: { type: 'uncommittedChanges' }, delivery: 'detached' });
    expect(detached.error).toMatchObject({ code: -32602, message: expect.stringContaining('delivery') });
    server.reply(stallAfter(2));
    let from = c.messages.length;
    const running = (resultOf<{ turn: Json }>(await c.request('turn/start', { threadId, input: [{ type: 'text', text: 'think for a while' }] })).turn.id) as string;
    await expect.poll(() => server.requests.length, { timeout: 15_000 }).toBe(1);
    const busy = await c.request('review/start', { threadId, target: { type: 'custom', instructions: 'look at the tests' } });
    expect(busy.error).toMatchObject({ code: -32600, message: expect.stringContaining(`already running turn ${running}`) });
    resultOf(await c.request('turn/interrupt', { threadId, turnId: running }));
    await c.waitFor((m) => m.method === 'turn/completed', from);

    writeFileSync(join(cwd, 'pages.ts'), BUG);
    server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'cat pages.ts' }, callId: 'r1' }] }), turn({ text: JSON.stringify(review(cwd)) }));
    from = c.messages.length;
    const asked = server.requests.length;
    const r = resultOf<{ turn: Json; reviewThreadId: string }>(await c.request('review/start', { threadId, target: { type: 'uncommittedChanges' }, delivery: 'inline' }));
    expect(r.reviewThreadId).toBe(threadId);
    expect(r.turn.status).toBe('inProgress');
    const done = await c.waitFor((m) => m.method === 'turn/completed', from);
    expect((done.params as { turn: Json }).turn).toMatchObject({ id: r.turn.id, status: 'completed' });

    const started = itemsOf(c.messages, 'item/started', from);
    const completed = itemsOf(c.messages, 'item/completed', from);
    expect(completed.map((i) => i.type)).toEqual(['enteredReviewMode', 'commandExecution', 'exitedReviewMode']);
    expect(started.map((i) => i.type)).toEqual(['enteredReviewMode', 'commandExecution', 'exitedReviewMode']);
    expect(completed[0]).toMatchObject({ review: 'current changes' });
    const exited = completed[2] as Json;
    expect(exited.review).toContain('Last partial page is dropped');
    expect(exited.review).toContain('pages.ts:2');
    expect(exited.review).not.toContain('"findings"');
    expect(c.messages.slice(from).some((m) => m.method === 'item/agentMessage/delta')).toBe(false);

    // The reviewer's requests: no apply_patch, the guidelines, the review JSON as the answer format.
    const first = server.requests[asked];
    expect(toolNames(first)).not.toContain('apply_patch');
    expect(toolNames(first)).not.toContain('multi_agent_v1');
    expect(first?.body?.text).toMatchObject({ format: { type: 'json_schema', schema: { required: ['findings', 'overall_correctness', 'overall_explanation', 'overall_confidence_score'] } } });
    expect(inputText(first)).toContain('# Code review');
    expect(inputText(first)).not.toContain('think for a while');

    // The thread goes on with its own tools, and knows the review.
    server.reply(turn({ text: 'fixed' }));
    from = c.messages.length;
    await c.request('turn/start', { threadId, input: [{ type: 'text', text: 'fix the P1' }] });
    await c.waitFor((m) => m.method === 'turn/completed', from);
    const next = server.requests.at(-1);
    expect(toolNames(next)).toContain('apply_patch');
    expect(inputText(next)).toContain('Code review of the current changes.');
    expect(inputText(next)).toContain('Last partial page is dropped');

    // An interrupted review closes its review mode and leaves nothing in the thread.
    server.reply(stallAfter(2));
    from = c.messages.length;
    const cut = resultOf<{ turn: Json }>(await c.request('review/start', { threadId, target: { type: 'custom', instructions: 'REVIEW-TWO: the error paths' } }));
    await expect.poll(() => inputText(server.requests.at(-1)).includes('REVIEW-TWO'), { timeout: 15_000 }).toBe(true);
    resultOf(await c.request('turn/interrupt', { threadId, turnId: cut.turn.id }));
    const ended = await c.waitFor((m) => m.method === 'turn/completed', from);
    expect((ended.params as { turn: Json }).turn.status).toBe('interrupted');
    expect(itemsOf(c.messages, 'item/completed', from).map((i) => [i.type, i.review])).toEqual([
      ['enteredReviewMode', 'REVIEW-TWO: the error paths'],
      ['exitedReviewMode', 'The review was interrupted.'],
    ]);
    server.reply(turn({ text: 'ok' }));
    from = c.messages.length;
    await c.request('turn/start', { threadId, input: [{ type: 'text', text: 'and now?' }] });
    await c.waitFor((m) => m.method === 'turn/completed', from);
    expect(inputText(server.requests.at(-1))).not.toContain('REVIEW-TWO');
    await c.close();
    expect(c.problems).toEqual([]);
  });
});

const call = (name: string, args: Record<string, unknown>, callId: string): Reply => turn({ toolCalls: [{ name, arguments: args, callId, namespace: 'multi_agent_v1' }] });

/** The agent id in a request's spawn_agent output. */
function spawnedId(req: RecordedRequest): string {
  const out = ((req.body?.input ?? []) as Json[]).find((i) => i.type === 'function_call_output' && i.call_id === 'spawn1');
  if (!out) throw new Error('no spawn output');
  return (JSON.parse(String(out.output)) as { agent_id: string }).agent_id;
}

describe('subagents over the app server', () => {
  it('spawn and wait show as collabAgentToolCall items; a helper asks its approval through the client', async () => {
    const cwd = gitWorkspace();
    const c = stdioClient(start(['-a', 'untrusted', '-s', 'workspace-write'], cwd));
    await init(c);
    const approvals: Json[] = [];
    c.onServerRequest((m) => {
      approvals.push(m);
      return { decision: 'accept' };
    });
    const threadId = (resultOf<{ thread: Json }>(await c.request('thread/start', { cwd })).thread.id) as string;
    const task = 'CHILD-TASK: write the widget count';
    const patch = '*** Begin Patch\n*** Add File: notes.txt\n+counted\n*** End Patch';
    server.route(
      task,
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo 7 > widgets.txt' }, callId: 'k1' }] }),
      turn({ toolCalls: [{ name: 'apply_patch', kind: 'custom', input: patch, callId: 'k2' }] }),
      turn({ text: 'there are 7 widgets' }),
    );
    server.reply(
      call('spawn_agent', { message: task, model: 'gpt-5.4-mini' }, 'spawn1'),
      dynamic((req) => call('wait_agent', { targets: [spawnedId(req)], timeout_ms: 15_000 }, 'wait1')),
      turn({ text: 'all done' }),
    );
    const from = c.messages.length;
    await c.request('turn/start', { threadId, input: [{ type: 'text', text: 'use a subagent to count the widgets' }] });
    const done = await c.waitFor((m) => m.method === 'turn/completed', from);
    expect((done.params as { turn: Json }).turn.status).toBe('completed');

    const started = itemsOf(c.messages, 'item/started', from).filter((i) => i.type === 'collabAgentToolCall');
    const completed = itemsOf(c.messages, 'item/completed', from).filter((i) => i.type === 'collabAgentToolCall');
    expect(started.map((i) => [i.tool, i.status])).toEqual([
      ['spawnAgent', 'inProgress'],
      ['wait', 'inProgress'],
    ]);
    const id = completed[0]?.receiverThreadIds as string[];
    expect(completed[0]).toMatchObject({ tool: 'spawnAgent', status: 'completed', senderThreadId: threadId, prompt: task, model: 'gpt-5.4-mini' });
    expect(id).toHaveLength(1);
    expect(completed[1]).toMatchObject({
      tool: 'wait',
      status: 'completed',
      receiverThreadIds: id,
      agentsStates: { [id[0] as string]: { status: 'completed', message: 'there are 7 widgets' } },
    });
    // The helper's command and patch were put to the client, naming the helper; they ran once approved.
    expect(approvals.map((a) => a.method)).toEqual(['item/commandExecution/requestApproval', 'item/fileChange/requestApproval']);
    expect(approvals[0]).toMatchObject({ params: { threadId, reason: expect.stringContaining('a subagent') } });
    expect(String((approvals[0]?.params as Json).command)).toContain('echo 7 > widgets.txt');
    expect(readFileSync(join(cwd, 'widgets.txt'), 'utf8')).toBe('7\n');
    expect(readFileSync(join(cwd, 'notes.txt'), 'utf8')).toBe('counted\n');
    // The patch's item, shown with the question, completes when the helper's patch is applied.
    const patchId = (approvals[1]?.params as Json).itemId;
    expect(itemsOf(c.messages, 'item/started', from).filter((i) => i.id === patchId).map((i) => i.status)).toEqual(['inProgress']);
    expect(itemsOf(c.messages, 'item/completed', from).filter((i) => i.type === 'fileChange').map((i) => [i.id, i.status])).toEqual([[patchId, 'completed']]);
    // The helper's own messages are not the thread's.
    expect(itemsOf(c.messages, 'item/completed', from).filter((i) => i.type === 'agentMessage').map((i) => i.text)).toEqual(['all done']);

    // Read back (thread/read, as thread/resume shows it), the calls are collabAgentToolCall items too.
    const read = resultOf<{ thread: { turns: Array<{ items: Json[] }> } }>(await c.request('thread/read', { threadId, includeTurns: true }));
    const recorded = read.thread.turns[0]?.items ?? [];
    expect(recorded.map((i) => i.type)).toEqual(['userMessage', 'collabAgentToolCall', 'collabAgentToolCall', 'agentMessage']);
    expect(recorded[1]).toMatchObject({ tool: 'spawnAgent', status: 'completed', senderThreadId: threadId, receiverThreadIds: id, prompt: task });
    expect(recorded[2]).toMatchObject({ tool: 'wait', receiverThreadIds: id, agentsStates: { [id[0] as string]: { status: 'completed', message: 'there are 7 widgets' } } });
    await c.close();
    expect(c.problems).toEqual([]);
  });
});
