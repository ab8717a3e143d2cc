/**
 * `opencodex acp` end to end: the built CLI driven by the official ACP SDK's client side against the
 * scripted server, every message from the agent checked against the protocol's JSON Schema (shipped in
 * the SDK package).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { client, ndJsonStream, type AnyMessage, type ClientContext, type RequestPermissionRequest, type SessionNotification, type Stream } from '@agentclientprotocol/sdk';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, makeHome } from '../support/cli.js';
import { dynamic, stallAfter, turn } from '../support/scripted-server.js';
import { addNumberFormats } from '../app-server/client.js';
import { gitWorkspace, quietHome, useScriptedServer, type Json } from '../support/e2e.js';

const server = useScriptedServer();
const SERVER_JS = join(import.meta.dirname, '../support/mcp-server.mjs');
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGTERM');
});

const schemaPath = createRequire(import.meta.url).resolve('@agentclientprotocol/sdk/schema/v1/schema.json');
const ajv = new Ajv2020({ strict: false, allErrors: true });
addNumberFormats(ajv);
ajv.addSchema(JSON.parse(readFileSync(schemaPath, 'utf8')) as Json, 'acp');
const RESPONSES: Record<string, string> = { initialize: 'InitializeResponse', 'session/new': 'NewSessionResponse', 'session/load': 'LoadSessionResponse', 'session/prompt': 'PromptResponse', 'session/set_mode': 'SetSessionModeResponse', 'session/list': 'ListSessionsResponse' };
const REQUESTS: Record<string, string> = {
  'session/update': 'SessionNotification',
  'session/request_permission': 'RequestPermissionRequest',
  'fs/read_text_file': 'ReadTextFileRequest',
  'fs/write_text_file': 'WriteTextFileRequest',
};

/** Schema problems of a message from the agent; `sent` maps the client's request ids to their methods. */
function problems(msg: Json, sent: Map<unknown, string>): string[] {
  const method = typeof msg.method === 'string' ? msg.method : undefined;
  const def = method ? REQUESTS[method] : msg.error !== undefined ? null : RESPONSES[sent.get(msg.id) ?? ''];
  if (def === null) return [];
  if (def === undefined) return [`no schema for ${method ?? `a response to ${String(sent.get(msg.id))}`}`];
  const v = ajv.getSchema(`acp#/$defs/${def}`);
  if (!v) return [`schema ${def} missing`];
  return v(method ? msg.params : msg.result) ? [] : [`${def}: ${ajv.errorsText(v.errors)}`];
}

function startAgent(o: { args?: string[]; cwd?: string; provider?: string } = {}) {
  const home = makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\nstream_max_retries = 0\n${o.provider ?? ''}`,
  });
  return { home, ...launch(home, o) };
}

function launch(home: string, o: { args?: string[]; cwd?: string } = {}) {
  const child = spawn(process.execPath, [CLI, 'acp', ...(o.args ?? [])], {
    cwd: o.cwd ?? gitWorkspace(),
    env: { ...process.env, OPENCODEX_DEBUG: undefined, NO_COLOR: '1', OPENCODEX_HOME: home, MOCK_KEY: 'k', HOME: quietHome } as NodeJS.ProcessEnv,
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const base = ndJsonStream(Writable.toWeb(child.stdin) as WritableStream<Uint8Array>, Readable.toWeb(child.stdout) as ReadableStream<Uint8Array>);
  const received: Json[] = [];
  const found: string[] = [];
  const sent = new Map<unknown, string>();
  const tapIn = new TransformStream<AnyMessage, AnyMessage>({
    transform(m, c) {
      received.push(m as Json);
      found.push(...problems(m as Json, sent));
      c.enqueue(m);
    },
  });
  const tapOut = new TransformStream<AnyMessage, AnyMessage>({
    transform(m, c) {
      const msg = m as Json;
      if (typeof msg.method === 'string' && msg.id !== undefined) sent.set(msg.id, msg.method);
      c.enqueue(m);
    },
  });
  void tapOut.readable.pipeTo(base.writable).catch(() => undefined);
  const stream: Stream = { readable: base.readable.pipeThrough(tapIn), writable: tapOut.writable };
  return { child, stream, received, problems: found, stderr: () => stderr };
}

interface Recorder {
  updates: SessionNotification[];
  permissions: RequestPermissionRequest[];
}

/** An SDK client that records updates and answers permission requests with `answer`. */
function acpClient(answer: (r: RequestPermissionRequest) => string | null, rec: Recorder) {
  return client({ name: 'vitest' })
    .onNotification('session/update', ({ params }) => {
      rec.updates.push(params);
    })
    .onRequest('session/request_permission', ({ params }) => {
      rec.permissions.push(params);
      const id = answer(params);
      return { outcome: id === null ? { outcome: 'cancelled' } : { outcome: 'selected', optionId: id } };
    });
}

const init = (ctx: ClientContext) => ctx.request('initialize', { protocolVersion: 1, clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false }, clientInfo: { name: 'vitest', version: '1' } });
const kinds = (rec: Recorder) => rec.updates.map((u) => u.update.sessionUpdate);
const textOf = (rec: Recorder, kind: 'agent_message_chunk' | 'agent_thought_chunk' | 'user_message_chunk') =>
  rec.updates.flatMap((u) => (u.update.sessionUpdate === kind && u.update.content.type === 'text' ? [u.update.content.text] : [])).join('');

describe('opencodex acp', () => {
  it('a prompt: a shell call asked with session/request_permission, a patch with its diff, thoughts, answer, plan', async () => {
    const cwd = gitWorkspace({ 'greet.txt': 'hello\n' });
    const a = startAgent({ args: ['-a', 'untrusted', '-s', 'read-only'], cwd });
    const rec: Recorder = { updates: [], permissions: [] };
    const patch = '*** Begin Patch\n*** Update File: greet.txt\n@@\n-hello\n+hello, world\n*** End Patch';
    server.reply(
      turn({
        reasoningSummary: ['Looking at the greeting'],
        toolCalls: [{ name: 'update_plan', arguments: { plan: [{ step: 'Read it', status: 'completed' }, { step: 'Edit it', status: 'in_progress' }] }, callId: 'u1' }],
      }),
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'cat greet.txt > copy.txt && cat copy.txt' }, callId: 'c1' }] }),
      turn({ toolCalls: [{ name: 'apply_patch', kind: 'custom', input: patch, callId: 'p1' }] }),
      turn({ text: 'Greeted the world.' }),
    );
    const result = await acpClient(() => 'allow_once', rec).connectWith(a.stream, async (ctx) => {
      const info = await init(ctx);
      expect(info).toMatchObject({ protocolVersion: 1, agentCapabilities: { loadSession: true } });
      const { sessionId } = await ctx.request('session/new', { cwd, mcpServers: [] });
      const r = await ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'greet the world' }] });
      return { sessionId, ...r };
    });
    expect(result.stopReason).toBe('end_turn');
    expect(textOf(rec, 'agent_thought_chunk')).toContain('Looking at the greeting');
    expect(textOf(rec, 'agent_message_chunk')).toBe('Greeted the world.');
    expect(rec.updates.find((u) => u.update.sessionUpdate === 'plan')?.update).toMatchObject({ entries: [{ content: 'Read it', status: 'completed' }, { content: 'Edit it', status: 'in_progress' }] });

    // The command: a tool call, the permission asked about that call, then its output.
    // Asked, then (it writes a file, and the sandbox is read-only) asked again to run it outside the sandbox.
    expect(rec.permissions).toHaveLength(3);
    const [cmdAsk, retryAsk, patchAsk] = rec.permissions as [RequestPermissionRequest, RequestPermissionRequest, RequestPermissionRequest];
    const cmdCall = rec.updates.find((u) => u.update.sessionUpdate === 'tool_call' && u.update.kind === 'execute')?.update as Json;
    expect(cmdCall).toMatchObject({ status: 'in_progress', title: expect.stringContaining('cat greet.txt > copy.txt') });
    expect(cmdAsk.toolCall.toolCallId).toBe(cmdCall.toolCallId);
    expect(retryAsk.toolCall).toMatchObject({ toolCallId: cmdCall.toolCallId, content: [{ type: 'content', content: { text: expect.stringMatching(/without the sandbox/) } }] });
    expect(cmdAsk.options.map((o) => o.kind)).toEqual(['allow_once', 'allow_always', 'reject_once']);
    const cmdDone = rec.updates.find((u) => u.update.sessionUpdate === 'tool_call_update' && u.update.toolCallId === cmdCall.toolCallId && u.update.status === 'completed')?.update as Json;
    expect(JSON.stringify(cmdDone.content)).toContain('hello');
    expect(readFileSync(join(cwd, 'copy.txt'), 'utf8')).toBe('hello\n');

    // The patch: asked with its diff, then completed with it.
    const diff = { type: 'diff', path: join(cwd, 'greet.txt'), oldText: 'hello\n', newText: 'hello, world\n' };
    expect(patchAsk.toolCall).toMatchObject({ kind: 'edit', content: expect.arrayContaining([diff]) });
    const patchDone = rec.updates.find((u) => u.update.sessionUpdate === 'tool_call_update' && u.update.toolCallId === patchAsk.toolCall.toolCallId && u.update.status === 'completed')?.update as Json;
    expect(patchDone.content).toEqual([diff]);
    expect(readFileSync(join(cwd, 'greet.txt'), 'utf8')).toBe('hello, world\n');
    expect(kinds(rec)).toContain('usage_update');
    expect(a.problems).toEqual([]);
  });

  it("a helper the model spawns shows as tool calls (spawn, wait with its answer); the helper's approvals are asked, naming it", async () => {
    const cwd = gitWorkspace();
    const a = startAgent({ args: ['-a', 'untrusted', '-s', 'workspace-write'], cwd, provider: 'supports_tool_namespaces = true\n' });
    const rec: Recorder = { updates: [], permissions: [] };
    const task = 'CHILD-TASK: write the widget count';
    const patch = '*** Begin Patch\n*** Add File: notes.txt\n+counted\n*** End Patch';
    server.route(
      task,
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo 7 > widgets.txt' }, callId: 'k1' }] }),
      turn({ toolCalls: [{ name: 'apply_patch', kind: 'custom', input: patch, callId: 'k2' }] }),
      turn({ text: 'there are 7 widgets' }),
    );
    const call = (name: string, args: Record<string, unknown>, callId: string) => turn({ toolCalls: [{ name, arguments: args, callId, namespace: 'multi_agent_v1' }] });
    server.reply(
      call('spawn_agent', { message: task, model: 'gpt-5.4-mini' }, 'spawn1'),
      dynamic((req) => {
        const out = ((req.body?.input ?? []) as Json[]).find((i) => i.type === 'function_call_output' && i.call_id === 'spawn1');
        return call('wait_agent', { targets: [(JSON.parse(String(out?.output)) as { agent_id: string }).agent_id], timeout_ms: 15_000 }, 'wait1');
      }),
      turn({ text: 'all done' }),
    );
    const result = await acpClient(() => 'allow_once', rec).connectWith(a.stream, async (ctx) => {
      await init(ctx);
      const { sessionId } = await ctx.request('session/new', { cwd, mcpServers: [] });
      return ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'use a helper to count the widgets' }] });
    });
    expect(result.stopReason).toBe('end_turn');
    const calls = rec.updates.map((u) => u.update as Json).filter((u) => u.sessionUpdate === 'tool_call' && (u.kind === 'other' || u.kind === 'think'));
    expect(calls.map((u) => [u.kind, u.status])).toEqual([
      ['other', 'in_progress'],
      ['think', 'in_progress'],
    ]);
    expect(calls[0]?.title).toBe('Spawning a helper: CHILD-TASK: write the widget count');
    const done = (id: unknown) => rec.updates.map((u) => u.update as Json).find((u) => u.sessionUpdate === 'tool_call_update' && u.toolCallId === id && u.status === 'completed');
    const spawned = done(calls[0]?.toolCallId);
    expect(spawned?.title).toMatch(/^Spawned helper \S+ on gpt-5\.4-mini: CHILD-TASK: write the widget count$/);
    const nickname = /^Spawned helper (\S+)/.exec(String(spawned?.title))?.[1] as string;
    const waited = done(calls[1]?.toolCallId);
    expect(waited?.title).toBe(`Waited for ${nickname}`);
    expect(waited?.content).toEqual([{ type: 'content', content: { type: 'text', text: `${nickname}: completed\n\nthere are 7 widgets` } }]);
    // The helper's command and patch were asked about, naming it, and ran once allowed.
    expect(rec.permissions.map((p) => [p.toolCall.kind, p.toolCall.title])).toEqual([
      ['execute', expect.stringMatching(new RegExp(`^${nickname}, a helper: .*echo 7 > widgets\\.txt`))],
      ['edit', `${nickname}, a helper: Add ${join(cwd, 'notes.txt')}`],
    ]);
    expect(readFileSync(join(cwd, 'widgets.txt'), 'utf8')).toBe('7\n');
    expect(readFileSync(join(cwd, 'notes.txt'), 'utf8')).toBe('counted\n');
    // The patch's tool call completes when the helper's patch is applied.
    expect(done(rec.permissions[1]?.toolCall.toolCallId)).toBeDefined();
    expect(textOf(rec, 'agent_message_chunk')).toBe('all done');
    expect(a.problems).toEqual([]);
  });

  it('a rejected command is not run; session/cancel ends the prompt as cancelled', async () => {
    const cwd = gitWorkspace();
    const a = startAgent({ args: ['-a', 'untrusted'], cwd });
    const rec: Recorder = { updates: [], permissions: [] };
    server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'touch rejected.txt' }, callId: 'c1' }] }), turn({ text: 'ok, not run' }), stallAfter(2));
    await acpClient(() => 'reject_once', rec).connectWith(a.stream, async (ctx) => {
      await init(ctx);
      const { sessionId } = await ctx.request('session/new', { cwd, mcpServers: [] });
      const first = await ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'make a file' }] });
      expect(first.stopReason).toBe('end_turn');
      const prompt = ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'think a while' }] });
      await expect.poll(() => server.requests.length, { timeout: 15_000 }).toBe(3);
      await ctx.notify('session/cancel', { sessionId });
      expect((await prompt).stopReason).toBe('cancelled');
    });
    expect(rec.permissions).toHaveLength(1);
    expect(JSON.stringify(server.requests[1]?.body?.input)).toContain('rejected by user');
    expect(rec.updates.find((u) => u.update.sessionUpdate === 'tool_call_update' && u.update.status === 'failed')).toBeDefined();
    expect(a.problems).toEqual([]);
  });

  it("a client's MCP servers are used by the session; session/set_mode switches the permissions", async () => {
    const cwd = gitWorkspace();
    const a = startAgent({ args: ['-a', 'untrusted', '-s', 'read-only'], cwd });
    const rec: Recorder = { updates: [], permissions: [] };
    server.reply(
      turn({ toolCalls: [{ name: 'mcp__editor_tools__echo', arguments: { text: 'from the editor' }, callId: 'm1' }] }),
      turn({ text: 'echoed' }),
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo full > full.txt' }, callId: 'c1' }] }),
      turn({ text: 'written' }),
    );
    await acpClient(() => 'allow_once', rec).connectWith(a.stream, async (ctx) => {
      await init(ctx);
      const created = await ctx.request('session/new', { cwd, mcpServers: [{ name: 'editor_tools', command: process.execPath, args: [SERVER_JS, '--name', 'editor_tools'], env: [] }] });
      expect(created.modes?.availableModes.map((m) => m.id)).toEqual(['default', 'read-only', 'auto', 'full-access']);
      const { sessionId } = created;
      expect((await ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'echo it' }] })).stopReason).toBe('end_turn');
      await ctx.request('session/set_mode', { sessionId, modeId: 'full-access' });
      expect((await ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'write it' }] })).stopReason).toBe('end_turn');
      await expect(ctx.request('session/set_mode', { sessionId, modeId: 'nonsense' })).rejects.toMatchObject({ code: -32602 });
    });
    const mcpDone = rec.updates.find((u) => u.update.sessionUpdate === 'tool_call_update' && u.update.toolCallId !== undefined && JSON.stringify(u.update.rawOutput ?? '').includes('from the editor'));
    expect(mcpDone?.update).toMatchObject({ status: 'completed' });
    // Full access: the command ran without a question, outside the sandbox.
    expect(readFileSync(join(cwd, 'full.txt'), 'utf8')).toBe('full\n');
    expect(rec.permissions.filter((p) => p.toolCall.kind === 'execute')).toEqual([]);
    expect(a.problems).toEqual([]);
  });

  it('a client that goes away mid-prompt: the turn is cancelled and the agent exits cleanly', async () => {
    const cwd = gitWorkspace();
    const a = startAgent({ cwd });
    server.reply(stallAfter(2));
    const exited = new Promise<number | null>((resolve) => a.child.on('close', (code) => resolve(code)));
    const conn = acpClient(() => null, { updates: [], permissions: [] }).connect(a.stream);
    await init(conn.agent);
    const { sessionId } = await conn.agent.request('session/new', { cwd, mcpServers: [] });
    void conn.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'wait' }] }).catch(() => undefined);
    await expect.poll(() => server.requests.length, { timeout: 15_000 }).toBe(1);
    a.child.stdin.end();
    expect(await exited).toBe(0);
    expect(a.stderr()).toBe('');
  });

  it("with the client's file system offered, a patch reads the editor's unsaved text and writes through it", async () => {
    const cwd = gitWorkspace({ 'greet.txt': 'hello\n' });
    const a = startAgent({ args: ['-s', 'workspace-write'], cwd });
    const path = join(cwd, 'greet.txt');
    const buffer = new Map([[path, 'hello from an unsaved buffer\n']]);
    const writes: Array<{ path: string; content: string }> = [];
    const patch = '*** Begin Patch\n*** Update File: greet.txt\n@@\n-hello from an unsaved buffer\n+hello, world\n*** End Patch';
    server.reply(turn({ toolCalls: [{ name: 'apply_patch', kind: 'custom', input: patch, callId: 'p1' }] }), turn({ text: 'done' }));
    const rec: Recorder = { updates: [], permissions: [] };
    const app = acpClient(() => 'allow_once', rec)
      .onRequest('fs/read_text_file', ({ params }) => ({ content: buffer.get(params.path) ?? readFileSync(params.path, 'utf8') }))
      .onRequest('fs/write_text_file', ({ params }) => {
        writes.push({ path: params.path, content: params.content });
        buffer.set(params.path, params.content);
        return {};
      });
    await app.connectWith(a.stream, async (ctx) => {
      await ctx.request('initialize', { protocolVersion: 1, clientCapabilities: { fs: { readTextFile: true, writeTextFile: true }, terminal: false } });
      const { sessionId } = await ctx.request('session/new', { cwd, mcpServers: [] });
      expect((await ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'greet' }] })).stopReason).toBe('end_turn');
    });
    expect(writes).toEqual([{ path, content: 'hello, world\n' }]);
    // The file on disk is the editor's to save.
    expect(readFileSync(path, 'utf8')).toBe('hello\n');
    const done = rec.updates.find((u) => u.update.sessionUpdate === 'tool_call_update' && u.update.status === 'completed')?.update as Json;
    expect(done.content).toEqual([{ type: 'diff', path, oldText: 'hello from an unsaved buffer\n', newText: 'hello, world\n' }]);
    expect(a.problems).toEqual([]);
  });

  it("a running command's output shows in its tool call before it ends", async () => {
    const cwd = gitWorkspace();
    const a = startAgent({ args: ['-s', 'read-only', '-a', 'never'], cwd });
    const rec: Recorder = { updates: [], permissions: [] };
    server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo first; sleep 1.5; echo second' }, callId: 'c1' }] }), turn({ text: 'ok' }));
    await acpClient(() => null, rec).connectWith(a.stream, async (ctx) => {
      await init(ctx);
      const { sessionId } = await ctx.request('session/new', { cwd, mcpServers: [] });
      await ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'run' }] });
    });
    const call = rec.updates.find((u) => u.update.sessionUpdate === 'tool_call')?.update as Json;
    const updates = rec.updates.filter((u) => u.update.sessionUpdate === 'tool_call_update' && u.update.toolCallId === call.toolCallId).map((u) => u.update as Json);
    const partial = updates.find((u) => u.status === undefined && JSON.stringify(u.content).includes('first'));
    expect(JSON.stringify(partial?.content)).not.toContain('second');
    expect(updates.at(-1)).toMatchObject({ status: 'completed' });
    expect(JSON.stringify(updates.at(-1)?.content)).toContain('second');
    expect(a.problems).toEqual([]);
  });

  it('/compact (an available command) compacts the session, reported as compaction updates', async () => {
    const cwd = gitWorkspace();
    const a = startAgent({ cwd });
    const rec: Recorder = { updates: [], permissions: [] };
    server.reply(turn({ text: 'first answer' }), turn({ text: 'SUMMARY of the session' }), turn({ text: 'after' }));
    await acpClient(() => null, rec).connectWith(a.stream, async (ctx) => {
      await init(ctx);
      const { sessionId } = await ctx.request('session/new', { cwd, mcpServers: [] });
      await ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'first prompt' }] });
      expect((await ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: '/compact' }] })).stopReason).toBe('end_turn');
      await ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'go on' }] });
    });
    expect(rec.updates.find((u) => u.update.sessionUpdate === 'available_commands_update')?.update).toMatchObject({ availableCommands: [{ name: 'compact' }] });
    const compaction = rec.updates.filter((u) => u.update.sessionUpdate === 'compaction_update').map((u) => (u.update as Json).status);
    expect(compaction).toEqual(['in_progress', 'completed']);
    const sent = JSON.stringify(server.requests[2]?.body?.input);
    expect(sent).toContain('SUMMARY of the session');
    expect(sent).not.toContain('first answer');
    expect(a.problems).toEqual([]);
  });

  it('session/load continues a recorded session: its history replayed as updates, then a new prompt', async () => {
    const cwd = gitWorkspace();
    const first = startAgent({ cwd });
    server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo recorded' }, callId: 'c1' }] }), turn({ text: 'first answer' }));
    const sessionId = await acpClient(() => 'allow_once', { updates: [], permissions: [] }).connectWith(first.stream, async (ctx) => {
      await init(ctx);
      const { sessionId } = await ctx.request('session/new', { cwd, mcpServers: [] });
      await ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'first prompt' }] });
      return sessionId;
    });
    first.child.stdin.end();

    const again = launch(first.home, { cwd });
    const rec: Recorder = { updates: [], permissions: [] };
    server.reply(turn({ text: 'second answer' }));
    await acpClient(() => 'allow_once', rec).connectWith(again.stream, async (ctx) => {
      await init(ctx);
      const listed = await ctx.request('session/list', { cwd });
      expect(listed.sessions).toEqual([{ sessionId, cwd, title: 'first prompt', updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
      const unknown = ctx.request('session/load', { sessionId: '0199a000-0000-7000-8000-000000000000', cwd, mcpServers: [] });
      await expect(unknown).rejects.toMatchObject({ code: -32002 });
      await ctx.request('session/load', { sessionId, cwd, mcpServers: [] });
      expect(textOf(rec, 'user_message_chunk')).toBe('first prompt');
      expect(textOf(rec, 'agent_message_chunk')).toBe('first answer');
      expect(rec.updates.find((u) => u.update.sessionUpdate === 'tool_call')?.update).toMatchObject({ kind: 'execute', status: 'completed', title: 'echo recorded' });
      const r = await ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'second prompt' }] });
      expect(r.stopReason).toBe('end_turn');
    });
    expect(textOf(rec, 'agent_message_chunk')).toBe('first answersecond answer');
    const sent = JSON.stringify(server.requests.at(-1)?.body?.input);
    expect(sent).toContain('first prompt');
    expect(sent).toContain('second prompt');
    expect([...first.problems, ...again.problems]).toEqual([]);
  });
});
