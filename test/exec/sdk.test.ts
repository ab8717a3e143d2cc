/**
 * The official Codex TypeScript SDK drives our binary (codexPathOverride) against the scripted server:
 * it spawns `exec --experimental-json` with its own argv order, writes the prompt to stdin and parses
 * the JSONL on stdout, so these tests hold us to its contract (codex-compat.md §6.3).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Codex, type ThreadEvent } from '@openai/codex-sdk';
import { describe, expect, it } from 'vitest';
import { CLI, makeHome, runCliAsync } from '../support/cli.js';
import { failWith, turn } from '../support/scripted-server.js';
import { useScriptedServer, dirOutsideGit, gitWorkspace, jsonLines, quietHome, type Json } from '../support/e2e.js';

const server = useScriptedServer();

/** The SDK with the built-in `openai` provider pointed at the scripted server through `baseUrl`. */
function sdk(home: string, config?: ConstructorParameters<typeof Codex>[0] extends infer O ? (O extends { config?: infer C } ? C : never) : never): Codex {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(OPENAI|CODEX)_/.test(k)) env[k] = v;
  Object.assign(env, { OPENCODEX_HOME: home, HOME: quietHome, NO_COLOR: '1' });
  return new Codex({ codexPathOverride: CLI, baseUrl: server.url, apiKey: 'sk-sdk-test', env, ...(config ? { config } : {}) });
}

describe('@openai/codex-sdk drives opencodex', () => {
  it('startThread().run(): a shell call, then the answer, with items and usage', async () => {
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo from-sdk' }, callId: 'call_a' }], usage: { input: 500, cached: 0, output: 10 } }),
      turn({ text: 'finished', usage: { input: 600, cached: 500, cacheWrite: 100, output: 4 } }),
    );
    const cwd = gitWorkspace({}, 'ocx-sdk-ws-');
    const thread = sdk(makeHome()).startThread({ workingDirectory: cwd, model: 'gpt-5.4', sandboxMode: 'workspace-write', approvalPolicy: 'never' });
    const result = await thread.run('run echo');
    expect(result.finalResponse).toBe('finished');
    expect(result.items.map((i) => i.type)).toEqual(['command_execution', 'agent_message']);
    expect(result.items[0]).toMatchObject({ type: 'command_execution', aggregated_output: 'from-sdk\n', exit_code: 0, status: 'completed' });
    expect(result.usage).toEqual({ input_tokens: 1100, cached_input_tokens: 500, cache_write_input_tokens: 100, output_tokens: 14, reasoning_output_tokens: 0 });
    expect(thread.id).toMatch(/^[0-9a-f-]{36}$/);

    // The SDK's apiKey arrives as CODEX_API_KEY; its baseUrl as `-c openai_base_url=…`.
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-sdk-test');
    const body = server.requests[0]?.body as Json;
    expect(body.model).toBe('gpt-5.4');
    const input = JSON.stringify(body.input);
    expect(input).toContain('run echo');
    expect(input).toContain('workspace-write');
  });

  it('runStreamed(): the events arrive in Codex order', async () => {
    server.reply(turn({ text: 'streamed answer' }));
    const thread = sdk(makeHome()).startThread({ workingDirectory: gitWorkspace({}, 'ocx-sdk-ws-'), skipGitRepoCheck: true });
    const { events } = await thread.runStreamed('hello');
    const seen: ThreadEvent[] = [];
    for await (const e of events) seen.push(e);
    expect(seen.map((e) => e.type)).toEqual(['thread.started', 'turn.started', 'item.completed', 'turn.completed']);
    expect(seen[2]).toMatchObject({ item: { type: 'agent_message', text: 'streamed answer' } });
  });

  it('outputSchema: the request constrains the answer and finalResponse is the JSON text', async () => {
    server.reply(turn({ text: '{"status":"ok","count":2}' }));
    const schema = { type: 'object', properties: { status: { type: 'string' }, count: { type: 'number' } }, required: ['status', 'count'], additionalProperties: false } as const;
    const thread = sdk(makeHome()).startThread({ workingDirectory: gitWorkspace({}, 'ocx-sdk-ws-') });
    const result = await thread.run('report', { outputSchema: schema });
    expect(JSON.parse(result.finalResponse)).toEqual({ status: 'ok', count: 2 });
    const text = (server.requests[0]?.body as Json).text as Json;
    expect(text.format).toMatchObject({ type: 'json_schema', strict: true, schema });
  });

  it('skipGitRepoCheck: without it a directory outside git is refused, with it the turn runs', async () => {
    const plain = dirOutsideGit('ocx-sdk-nogit-');
    await expect(sdk(makeHome()).startThread({ workingDirectory: plain }).run('x')).rejects.toThrow(/--skip-git-repo-check/);
    expect(server.requests).toHaveLength(0);
    server.reply(turn({ text: 'ran' }));
    const ok = await sdk(makeHome()).startThread({ workingDirectory: plain, skipGitRepoCheck: true }).run('x');
    expect(ok.finalResponse).toBe('ran');
  });

  it('config and thread options become request settings (effort, verbosity, approvals, sandbox)', async () => {
    server.reply(turn({ text: 'ok' }));
    const codex = sdk(makeHome(), { model_verbosity: 'low', model_reasoning_summary: 'detailed' });
    const thread = codex.startThread({
      workingDirectory: gitWorkspace({}, 'ocx-sdk-ws-'),
      model: 'gpt-5.4-mini',
      modelReasoningEffort: 'high',
      sandboxMode: 'read-only',
      approvalPolicy: 'on-request',
    });
    await thread.run('settings');
    const body = server.requests[0]?.body as Json;
    expect(body.model).toBe('gpt-5.4-mini');
    expect(body.reasoning).toEqual({ effort: 'high', summary: 'detailed' });
    expect((body.text as Json).verbosity).toBe('low');
    const input = JSON.stringify(body.input);
    expect(input).toContain('read-only');
    expect(input).toContain('on-request');
  });

  it('a failed turn rejects run() with the server message', async () => {
    server.reply(failWith(400, { error: { message: 'Unsupported parameter: foo', type: 'invalid_request_error', param: 'foo', code: null } }));
    const thread = sdk(makeHome()).startThread({ workingDirectory: gitWorkspace({}, 'ocx-sdk-ws-') });
    await expect(thread.run('boom')).rejects.toThrow(/Unsupported parameter: foo/);
  });

  it('a rejected key fails the turn with one line naming the cause and the fix', async () => {
    server.reply(failWith(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
    const thread = sdk(makeHome()).startThread({ workingDirectory: gitWorkspace() });
    const err = await thread.run('hi').then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/rejected the credentials \(401[^)]*\): Incorrect API key provided — check the key in CODEX_API_KEY/);
  });

  it('local images are attached to the prompt', async () => {
    server.reply(turn({ text: 'seen' }));
    const cwd = gitWorkspace({}, 'ocx-sdk-ws-');
    // A 1×1 PNG.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    writeFileSync(join(cwd, 'dot.png'), png);
    const thread = sdk(makeHome()).startThread({ workingDirectory: cwd });
    const result = await thread.run([
      { type: 'text', text: 'what is this' },
      { type: 'local_image', path: join(cwd, 'dot.png') },
    ]);
    expect(result.finalResponse).toBe('seen');
    const input = JSON.stringify((server.requests[0]?.body as Json).input);
    expect(input).toContain('data:image/png;base64,');
    expect(input).toContain('what is this');
    expect(readFileSync(join(cwd, 'dot.png')).equals(png)).toBe(true);
  });
});

/**
 * What a current SDK (0.163) passes besides the 0.169 contract: `--thread-source` (ThreadOptions.threadSource,
 * new threads only), `--cyber-access-program` (TurnOptions.cyberAccessProgram, before `resume` too) and the
 * efforts `max`/`ultra`. opencodex runs, and says on stderr what it ignores.
 */
describe('options a current @openai/codex-sdk passes', () => {
  it('threadSource and cyberAccessProgram: the turns run, a new thread and a resumed one', async () => {
    server.reply(turn({ text: 'first' }), turn({ text: 'second' }));
    const codex = sdk(makeHome());
    const cwd = gitWorkspace({}, 'ocx-sdk-ws-');
    const thread = codex.startThread({ workingDirectory: cwd, threadSource: 'my-integration' });
    expect((await thread.run('one', { cyberAccessProgram: 'daybreak_blue' })).finalResponse).toBe('first');
    const again = codex.resumeThread(thread.id as string, { workingDirectory: cwd });
    expect((await again.run('two', { cyberAccessProgram: 'standard' })).finalResponse).toBe('second');
    expect(JSON.stringify((server.requests[1]?.body as Json).input)).toContain('one');
  });

  it('the exact argv the SDK spawns: JSONL on stdout, one note per ignored option on stderr', async () => {
    server.reply(turn({ text: 'ok' }));
    const home = makeHome();
    const cwd = gitWorkspace({}, 'ocx-sdk-ws-');
    // sdk 0.163 dist/index.js, CodexExec.run: flags in this order, the prompt on stdin.
    const argv = [
      'exec', '--experimental-json',
      '--config', `openai_base_url="${server.url}"`,
      '--model', 'gpt-5.4',
      '--thread-source', 'my-integration',
      '--sandbox', 'read-only',
      '--cd', cwd,
      '--skip-git-repo-check',
      '--cyber-access-program', 'daybreak_red',
      '--config', 'model_reasoning_effort="high"',
      '--config', 'approval_policy="never"',
    ];
    const r = await runCliAsync(argv, { home, input: 'hello', env: { CODEX_API_KEY: 'sk-sdk-test', HOME: quietHome } });
    expect(r.status, r.stderr).toBe(0);
    expect(jsonLines(r.stdout).map((e) => e.type)).toEqual(['thread.started', 'turn.started', 'item.completed', 'turn.completed']);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('note: '))).toEqual([
      'note: --thread-source "my-integration" is ignored: opencodex does not classify threads by source',
      'note: --cyber-access-program "daybreak_red" is ignored: opencodex has no Cyber access programs',
    ]);
  });

  it('modelReasoningEffort max and ultra run', async () => {
    for (const effort of ['max', 'ultra'] as const) {
      server.reply(turn({ text: effort }));
      const thread = sdk(makeHome()).startThread({ workingDirectory: gitWorkspace({}, 'ocx-sdk-ws-'), modelReasoningEffort: effort });
      expect((await thread.run('think')).finalResponse).toBe(effort);
    }
  });
});
