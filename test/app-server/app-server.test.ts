/**
 * `opencodex app-server` end to end: the built CLI over stdio and WebSocket against the scripted server,
 * with every message the server sends checked against Codex 0.171's JSON Schema.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { stallAfter, turn } from '../support/scripted-server.js';
import { gitWorkspace, quietHome, useScriptedServer, type Json } from '../support/e2e.js';
import { listeningUrl, spawnServer, stdioClient, wsClient, type Client, type Spawned } from './client.js';

const server = useScriptedServer();
const spawned: Spawned[] = [];
afterEach(async () => {
  for (const s of spawned.splice(0)) {
    s.child.kill('SIGTERM');
    await s.exited;
  }
});

const home = () =>
  makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\nstream_max_retries = 0\n`,
  });

function start(args: string[], h = home(), cwd = gitWorkspace()): { s: Spawned; h: string; cwd: string } {
  const s = spawnServer(args, { home: h, cwd, env: { MOCK_KEY: 'k', HOME: quietHome } });
  spawned.push(s);
  return { s, h, cwd };
}

async function init(c: Client): Promise<void> {
  const r = await c.request('initialize', { clientInfo: { name: 'vitest', title: null, version: '1.0' }, capabilities: null });
  expect(r.result).toMatchObject({ platformFamily: 'unix' });
  c.notify('initialized');
}

const methodsOf = (msgs: Json[], from = 0): string[] => msgs.slice(from).flatMap((m) => (typeof m.method === 'string' ? [m.method] : []));
const resultOf = <T = Json>(m: Json): T => {
  if ('error' in m) throw new Error(`error response: ${JSON.stringify(m.error)}`);
  return m.result as T;
};

describe('app-server over stdio', () => {
  it('a turn: approval as a server request, streamed items, usage, the rollout written; every message fits the schema', async () => {
    const { s, h, cwd } = start(['-a', 'untrusted', '-s', 'workspace-write']);
    const c = stdioClient(s);
    await init(c);
    const approvals: Json[] = [];
    c.onServerRequest((m) => {
      approvals.push(m);
      return { decision: 'accept' };
    });
    const started = resultOf<{ thread: Json; model: string; cwd: string }>(await c.request('thread/start', { cwd }));
    expect(started.model).toBe('gpt-5.4');
    expect(started.cwd).toBe(cwd);
    const threadId = started.thread.id as string;
    await c.waitFor((m) => m.method === 'thread/started');

    server.reply(
      turn({ reasoningSummary: ['Planning the note'], toolCalls: [{ name: 'shell_command', arguments: { command: 'echo approved > note.txt && cat note.txt' }, callId: 'c1' }] }),
      turn({ text: 'The note says approved.' }),
    );
    const from = c.messages.length;
    const t = resultOf<{ turn: Json }>(await c.request('turn/start', { threadId, input: [{ type: 'text', text: 'write the note', text_elements: [] }] }));
    expect(t.turn.status).toBe('inProgress');
    const done = await c.waitFor((m) => m.method === 'turn/completed', from);
    expect((done.params as { turn: Json }).turn).toMatchObject({ id: t.turn.id, status: 'completed' });

    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatchObject({ method: 'item/commandExecution/requestApproval', params: { threadId, turnId: t.turn.id, command: expect.stringContaining('echo approved > note.txt && cat note.txt'), cwd } });
    expect(readFileSync(join(cwd, 'note.txt'), 'utf8')).toBe('approved\n');
    const methods = methodsOf(c.messages, from);
    for (const m of ['turn/started', 'item/started', 'item/reasoning/summaryTextDelta', 'item/commandExecution/outputDelta', 'item/agentMessage/delta', 'item/completed', 'thread/tokenUsage/updated', 'serverRequest/resolved']) {
      expect(methods, m).toContain(m);
    }
    // The response to turn/start comes before turn/started.
    const responseAt = c.messages.findIndex((m, i) => i >= from && m.id !== undefined && !('method' in m));
    expect(responseAt).toBeLessThan(c.messages.findIndex((m, i) => i >= from && m.method === 'turn/started'));
    const command = c.messages.find((m) => m.method === 'item/completed' && (m.params as { item: Json }).item.type === 'commandExecution');
    expect((command?.params as { item: Json }).item).toMatchObject({ status: 'completed', exitCode: 0, aggregatedOutput: 'approved\n' });
    const answer = c.messages.find((m) => m.method === 'item/completed' && (m.params as { item: Json }).item.type === 'agentMessage');
    expect((answer?.params as { item: Json }).item.text).toBe('The note says approved.');

    // An ordinary rollout: thread/read shows its turn, and `opencodex exec resume` continues it.
    const read = resultOf<{ thread: Json }>(await c.request('thread/read', { threadId, includeTurns: true }));
    expect(read.thread.path).toMatch(/\.jsonl$/);
    expect(existsSync(read.thread.path as string)).toBe(true);
    const items = ((read.thread.turns as Json[])[0]?.items ?? []) as Json[];
    expect(items.map((i) => i.type)).toEqual(['userMessage', 'reasoning', 'commandExecution', 'agentMessage']);
    await c.close();
    expect(c.problems).toEqual([]);
    server.reply(turn({ text: 'continued in the terminal' }));
    const resumed = await runCliAsync(['exec', 'resume', threadId, 'and now?'], { home: h, cwd, env: { MOCK_KEY: 'k', HOME: quietHome } });
    expect(resumed.stdout, resumed.stderr).toBe('continued in the terminal\n');
    const sent = JSON.stringify(server.requests.at(-1)?.body?.input);
    expect(sent).toContain('write the note');
  });

  it('bad frames, unknown methods and unknown threads get JSON-RPC errors, and the server keeps serving', async () => {
    const { s, cwd } = start([]);
    const c = stdioClient(s);
    const early = await c.request('thread/list', {});
    expect(early.error).toMatchObject({ code: -32600, message: expect.stringMatching(/not initialized/i) });
    await init(c);
    c.raw('{not json');
    c.raw('[1,2]');
    const parse = await c.waitFor((m) => (m.error as Json | undefined)?.code === -32700);
    expect(parse.id).toBeNull();
    await c.waitFor((m) => (m.error as Json | undefined)?.code === -32600 && m.id === null);
    const unknown = await c.request('thread/rollback', { threadId: 'x', numTurns: 1 });
    expect(unknown.error).toMatchObject({ code: -32601, message: expect.stringContaining('thread/rollback') });
    const noThread = await c.request('turn/start', { threadId: '0199a000-0000-7000-8000-000000000000', input: [{ type: 'text', text: 'hi' }] });
    expect(noThread.error).toMatchObject({ code: -32600, message: expect.stringContaining('0199a000-0000-7000-8000-000000000000') });
    const noRecorded = await c.request('thread/resume', { threadId: '0199a000-0000-7000-8000-000000000000' });
    expect(noRecorded.error).toMatchObject({ message: expect.stringMatching(/thread not found/) });
    const badParams = await c.request('thread/read', { threadId: 42 });
    expect(badParams.error).toMatchObject({ code: -32602, message: expect.stringContaining('threadId') });

    // Still serving: models, config, a thread named, forked, listed, archived.
    const models = resultOf<{ data: Json[] }>(await c.request('model/list', {}));
    expect(models.data.find((m) => m.isDefault)?.id).toBe('gpt-5.4');
    const config = resultOf<{ config: Json }>(await c.request('config/read', { cwd }));
    expect(config.config).toMatchObject({ model: 'gpt-5.4', model_provider: 'mock' });
    const threadId = (resultOf<{ thread: Json }>(await c.request('thread/start', { cwd })).thread.id) as string;
    server.reply(turn({ text: 'first answer' }));
    const from = c.messages.length;
    await c.request('turn/start', { threadId, input: [{ type: 'text', text: 'first prompt' }] });
    await c.waitFor((m) => m.method === 'turn/completed', from);
    resultOf(await c.request('thread/name/set', { threadId, name: 'my thread' }));
    await c.waitFor((m) => m.method === 'thread/name/updated');
    const forked = resultOf<{ thread: Json }>(await c.request('thread/fork', { threadId }));
    expect(forked.thread).toMatchObject({ forkedFromId: threadId, preview: 'first prompt' });
    const listed = resultOf<{ data: Json[] }>(await c.request('thread/list', {}));
    expect(listed.data.map((t) => t.id)).toEqual(expect.arrayContaining([threadId, forked.thread.id]));
    expect(listed.data.find((t) => t.id === threadId)).toMatchObject({ name: 'my thread', preview: 'first prompt' });
    // Filters by source kind and provider, as Codex's terminal UI asks (its subagent list must stay empty).
    expect(resultOf<{ data: Json[] }>(await c.request('thread/list', { sourceKinds: ['subAgentThreadSpawn'] })).data).toEqual([]);
    expect(resultOf<{ data: Json[] }>(await c.request('thread/list', { sourceKinds: ['vscode'], modelProviders: ['mock'] })).data).toHaveLength(2);
    expect(resultOf<{ data: Json[] }>(await c.request('thread/list', { modelProviders: ['other'] })).data).toEqual([]);
    resultOf(await c.request('thread/archive', { threadId }));
    await c.waitFor((m) => m.method === 'thread/archived');
    const after = resultOf<{ data: Json[] }>(await c.request('thread/list', {}));
    expect(after.data.map((t) => t.id)).not.toContain(threadId);
    await c.close();
    expect(c.problems).toEqual([]);
  });

  it('config warnings go to stderr, once; stdout carries only the protocol', async () => {
    const h = makeHome({ 'config.toml': `${readFileSync(join(home(), 'config.toml'), 'utf8')}made_up_key = 1\n` });
    const { s } = start([], h);
    const c = stdioClient(s);
    await init(c);
    await c.request('thread/start', {});
    await c.close();
    expect(s.stderr()).toMatch(/made_up_key/);
    expect(s.stderr().match(/made_up_key/g)).toHaveLength(1);
    expect(c.problems).toEqual([]);
  });

  it("answers what Codex's terminal UI asks while it opens (recorded from `codex --remote`), in its shapes", async () => {
    const { s, cwd } = start([]);
    const c = stdioClient(s);
    const init = await c.request('initialize', { clientInfo: { name: 'codex-tui', title: null, version: '0.171.0' }, capabilities: { requiredHumanApproval: true, experimentalApi: true, requestAttestation: false, optOutNotificationMethods: null } });
    expect(init.result).toMatchObject({ codexHome: expect.any(String) });
    c.notify('initialized');
    expect(resultOf(await c.request('account/read', {}))).toEqual({ account: null, requiresOpenaiAuth: false });
    expect(resultOf<{ data: Json[] }>(await c.request('model/list', { modelProvider: null, cursor: null, limit: null, includeHidden: true })).data.length).toBeGreaterThan(0);
    expect(resultOf(await c.request('hooks/list', { cwds: [cwd], threadId: null }))).toEqual({ data: [] });
    expect(resultOf<{ config: Json }>(await c.request('config/read', { includeLayers: true, cwd: '.' })).config.model).toBe('gpt-5.4');
    expect(resultOf(await c.request('configRequirements/read'))).toEqual({ requirements: null });
    const t = resultOf<{ thread: Json }>(await c.request('thread/start', { model: null, modelProvider: null, cwd: null, approvalPolicy: null, sandbox: 'read-only', config: null, ephemeral: null }));
    expect(t.thread.cwd).toBe(cwd);
    expect(resultOf<{ data: Json[] }>(await c.request('thread/list', { cursor: null, limit: 100, sortKey: 'section_position', modelProviders: [], sourceKinds: [] })).data.map((x) => x.id)).toContain(t.thread.id);
    expect(resultOf(await c.request('skills/list', { cwds: [cwd], forceReload: true }))).toEqual({ data: [] });
    expect(resultOf(await c.request('thread/loaded/list', { cursor: null, limit: null }))).toEqual({ data: [t.thread.id], nextCursor: null });
    expect(resultOf(await c.request('plugin/installed', { cwds: [cwd], installSuggestionPluginNames: null }))).toEqual({ marketplaces: [], marketplaceLoadErrors: [] });
    // What it can do without: answered "not supported", naming the method.
    expect((await c.request('collaborationMode/list', {})).error).toMatchObject({ code: -32601, message: expect.stringContaining('collaborationMode/list') });
    await c.close();
    expect(c.problems).toEqual([]);
  });

  it("turn/start's approvalPolicy and sandboxPolicy hold from that turn on (Codex's /permissions)", async () => {
    const { s, cwd } = start(['-a', 'untrusted', '-s', 'read-only']);
    const c = stdioClient(s);
    await init(c);
    const asked: Json[] = [];
    c.onServerRequest((m) => {
      asked.push(m);
      return { decision: 'decline' };
    });
    const threadId = (resultOf<{ thread: Json }>(await c.request('thread/start', {})).thread.id) as string;
    server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo free > free.txt' }, callId: 'c1' }] }), turn({ text: 'written' }));
    const from = c.messages.length;
    await c.request('turn/start', { threadId, input: [{ type: 'text', text: 'write' }], approvalPolicy: 'never', sandboxPolicy: { type: 'workspaceWrite', writableRoots: [], networkAccess: false } });
    await c.waitFor((m) => m.method === 'turn/completed', from);
    expect(asked).toEqual([]);
    expect(readFileSync(join(cwd, 'free.txt'), 'utf8')).toBe('free\n');
    // The model was told the new permissions.
    expect(JSON.stringify(server.requests[0]?.body?.input)).toMatch(/workspace-write/);
    await c.close();
    expect(c.problems).toEqual([]);
  });

  it('thread/compact/start compacts the history like a turn, and the next turn carries the summary', async () => {
    const { s } = start([]);
    const c = stdioClient(s);
    await init(c);
    const threadId = (resultOf<{ thread: Json }>(await c.request('thread/start', {})).thread.id) as string;
    server.reply(turn({ text: 'first answer' }), turn({ text: 'SUMMARY: asked once, answered once' }), turn({ text: 'after compaction' }));
    let from = c.messages.length;
    await c.request('turn/start', { threadId, input: [{ type: 'text', text: 'first prompt' }] });
    await c.waitFor((m) => m.method === 'turn/completed', from);
    from = c.messages.length;
    expect(resultOf(await c.request('thread/compact/start', { threadId }))).toEqual({});
    const done = await c.waitFor((m) => m.method === 'turn/completed', from);
    expect((done.params as { turn: Json }).turn.status).toBe('completed');
    const items = c.messages.slice(from).filter((m) => m.method === 'item/started' || m.method === 'item/completed').map((m) => `${String(m.method)} ${String((m.params as { item: Json }).item.type)}`);
    expect(items).toEqual(['item/started contextCompaction', 'item/completed contextCompaction']);
    expect(methodsOf(c.messages, from)).toContain('thread/compacted');
    from = c.messages.length;
    await c.request('turn/start', { threadId, input: [{ type: 'text', text: 'go on' }] });
    await c.waitFor((m) => m.method === 'turn/completed', from);
    const sent = JSON.stringify(server.requests[2]?.body?.input);
    expect(sent).toContain('SUMMARY: asked once, answered once');
    expect(sent).not.toContain('first answer');
    await c.close();
    expect(c.problems).toEqual([]);
  });

  it('turn/steer adds input to the running turn; turn/interrupt ends it as interrupted', async () => {
    const { s, cwd } = start([]);
    const c = stdioClient(s);
    await init(c);
    const threadId = (resultOf<{ thread: Json }>(await c.request('thread/start', { cwd })).thread.id) as string;
    server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo one' }, callId: 'c1' }] }), stallAfter(2));
    const from = c.messages.length;
    const turnId = (resultOf<{ turn: Json }>(await c.request('turn/start', { threadId, input: [{ type: 'text', text: 'start' }] })).turn.id) as string;
    await c.waitFor((m) => m.method === 'item/started' && (m.params as { item: Json }).item.type === 'commandExecution', from);
    const steer = resultOf<{ turnId: string }>(await c.request('turn/steer', { threadId, expectedTurnId: turnId, input: [{ type: 'text', text: 'also this' }] }));
    expect(steer.turnId).toBe(turnId);
    const wrong = await c.request('turn/steer', { threadId, expectedTurnId: 'other', input: [{ type: 'text', text: 'x' }] });
    expect(wrong.error).toMatchObject({ code: -32600 });
    // The steered input goes with the next request (after the command's output).
    await expect.poll(() => server.requests.length, { timeout: 15_000 }).toBe(2);
    expect(JSON.stringify(server.requests[1]?.body?.input)).toContain('also this');
    resultOf(await c.request('turn/interrupt', { threadId, turnId }));
    const done = await c.waitFor((m) => m.method === 'turn/completed', from);
    expect((done.params as { turn: Json }).turn).toMatchObject({ id: turnId, status: 'interrupted' });
    // The stream the interrupt cut is not reported as an error to retry.
    expect(methodsOf(c.messages, from)).not.toContain('error');
    await c.close();
    expect(c.problems).toEqual([]);
  });
});

describe('app-server over WebSocket', () => {
  it('a patch approved with its diff; a client that leaves mid-turn cancels its turn and others are still served', async () => {
    const { s, cwd } = start(['--listen', 'ws://127.0.0.1:0', '-a', 'untrusted', '-s', 'read-only'], home(), gitWorkspace({ 'greet.txt': 'hello\n' }));
    const url = await listeningUrl(s);
    const health = await fetch(`${url.replace('ws://', 'http://')}/readyz`);
    expect(health.status).toBe(200);

    const a = await wsClient(url, { stderr: s.stderr });
    await init(a);
    a.onServerRequest(() => ({ decision: 'accept' }));
    const threadId = (resultOf<{ thread: Json }>(await a.request('thread/start', {})).thread.id) as string;
    const patch = '*** Begin Patch\n*** Update File: greet.txt\n@@\n-hello\n+hello, world\n*** Add File: added.txt\n+brand new\n*** End Patch';
    server.reply(turn({ toolCalls: [{ name: 'apply_patch', kind: 'custom', input: patch, callId: 'p1' }] }), turn({ text: 'patched' }));
    let from = a.messages.length;
    await a.request('turn/start', { threadId, input: [{ type: 'text', text: 'greet the world' }] });
    await a.waitFor((m) => m.method === 'turn/completed', from);
    const ask = a.messages.find((m) => m.method === 'item/fileChange/requestApproval');
    expect(ask).toBeDefined();
    const change = a.messages.find((m) => m.method === 'item/completed' && (m.params as { item: Json }).item.type === 'fileChange');
    const item = (change?.params as { item: { status: string; changes: Json[] } }).item;
    expect(item.status).toBe('completed');
    // An update's diff starts at its hunk, as Codex's does (the path is beside it, not in a header).
    expect(item.changes[0]).toMatchObject({ path: join(cwd, 'greet.txt'), kind: { type: 'update' }, diff: expect.stringMatching(/^@@ [^\n]*\n-hello\n\+hello, world\n/) });
    // An added file's "diff" is its content, as Codex's clients expect (they show it as added lines).
    expect(item.changes[1]).toEqual({ path: join(cwd, 'added.txt'), kind: { type: 'add' }, diff: 'brand new\n' });
    const asked = ask?.params as { itemId: string };
    const shown = a.messages.find((m) => m.method === 'item/started' && (m.params as { item: Json }).item.id === asked.itemId);
    expect(((shown?.params as { item: { changes: Json[] } }).item.changes[1] as Json).diff).toBe('brand new\n');
    expect(readFileSync(join(cwd, 'greet.txt'), 'utf8')).toBe('hello, world\n');

    // Mid-turn, the client goes away: the turn ends (the model's stream is dropped) and the thread unloads.
    server.reply(stallAfter(2));
    from = a.messages.length;
    await a.request('turn/start', { threadId, input: [{ type: 'text', text: 'take your time' }] });
    await a.waitFor((m) => m.method === 'item/started', from);
    await a.close();
    expect(a.problems).toEqual([]);

    const b = await wsClient(url, { stderr: s.stderr });
    await init(b);
    await expect
      .poll(async () => (resultOf<{ data: string[] }>(await b.request('thread/loaded/list', {}))).data, { timeout: 15_000 })
      .toEqual([]);
    const listed = resultOf<{ data: Json[] }>(await b.request('thread/list', {}));
    expect(listed.data.find((t) => t.id === threadId)).toMatchObject({ status: { type: 'notLoaded' } });
    // b picks the thread up where it was left.
    const resumed = resultOf<{ thread: { turns: Array<{ items: Json[] }> } }>(await b.request('thread/resume', { threadId }));
    expect(resumed.thread.turns.length).toBe(2);
    // The recorded patch, as the resumed thread shows it: paths, the added file's lines, the update's hunk.
    const recorded = resumed.thread.turns[0]?.items.find((i) => i.type === 'fileChange') as { status: string; changes: Json[] };
    expect(recorded.status).toBe('completed');
    expect(recorded.changes).toEqual([
      { path: join(cwd, 'greet.txt'), kind: { type: 'update', move_path: null }, diff: '@@\n-hello\n+hello, world\n' },
      { path: join(cwd, 'added.txt'), kind: { type: 'add' }, diff: 'brand new\n' },
    ]);
    await b.close();
    expect(b.problems).toEqual([]);
  });

  it('a non-loopback address needs a token, and then clients without it are refused', async () => {
    const refused = await runCliAsync(['app-server', '--listen', 'ws://0.0.0.0:0'], { home: home(), env: { MOCK_KEY: 'k', OPENCODEX_APP_SERVER_TOKEN: '' } });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/not a loopback address, and no token is set/);

    const withToken = spawnServer(['--listen', 'ws://0.0.0.0:0'], { home: home(), cwd: gitWorkspace(), env: { MOCK_KEY: 'k', OPENCODEX_APP_SERVER_TOKEN: 's3cret-token' } });
    spawned.push(withToken);
    const url = (await listeningUrl(withToken)).replace('0.0.0.0', '127.0.0.1');
    await expect(wsClient(url)).rejects.toThrow(/401/);
    await expect(wsClient(url, { headers: { authorization: 'Bearer wrong' } })).rejects.toThrow(/401/);
    const ok = await wsClient(url, { headers: { authorization: 'Bearer s3cret-token' } });
    await init(ok);
    await ok.close();
    expect(ok.problems).toEqual([]);
    expect(withToken.stderr()).not.toContain('s3cret-token');
  });
});
