/**
 * Request identity: the headers opencodex sends to say which thread and which client a request belongs to,
 * compared with what Codex 0.171 sent (test/fixtures/codex-0.171/requests.json).
 */
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { codexRequests, type CodexRequest } from '../support/codex-fixtures.js';
import { gitWorkspace, jsonLines, quietHome, useScriptedServer, type Json } from '../support/e2e.js';
import { turn, type RecordedRequest } from '../support/scripted-server.js';

const server = useScriptedServer();

function home(extra = ''): string {
  return makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.5"\n` +
      `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\n${extra}\n` +
      `[model_providers.mockchat]\nname = "Mock Chat"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "chat"\n`,
  });
}

async function exec(args: string[], o: { home?: string; env?: Record<string, string> } = {}): Promise<{ thread: string; request: RecordedRequest }> {
  server.reply(turn({ text: 'ok' }));
  const r = await runCliAsync(['exec', '--json', ...args, 'hi'], { home: o.home ?? home(), cwd: gitWorkspace(), env: { MOCK_KEY: 'sk-test-identity', HOME: quietHome, ...o.env } });
  expect(r.status).toBe(0);
  return { thread: String(jsonLines(r.stdout)[0]?.thread_id), request: server.requests[server.requests.length - 1] as RecordedRequest };
}

const codexExec = codexRequests.find((q) => q.label === 'classic') as CodexRequest;
const codexSdk = codexRequests.find((q) => q.label === 'sdk') as CodexRequest;

/** The thread id Codex sent a request for (its `prompt_cache_key`). */
const codexThread = (q: CodexRequest): string => String(q.body.prompt_cache_key);

describe('what Codex 0.171 sends (measured)', () => {
  it('names the thread in session-id, thread-id, x-client-request-id and prompt_cache_key, and the client in originator', () => {
    for (const q of codexRequests) {
      const thread = codexThread(q);
      expect(q.headers['session-id']).toBe(thread);
      expect(q.headers['thread-id']).toBe(thread);
      expect(q.headers['x-client-request-id']).toBe(thread);
      expect(q.headers.session_id).toBeUndefined();
    }
    expect(codexExec.headers.originator).toBe('codex_exec');
    expect(codexExec.headers['user-agent']).toMatch(/^codex_exec\/0\.171\.0 \(.+; .+\) .+ \(codex_exec; 0\.171\.0\)$/);
    expect(codexSdk.headers.originator).toBe('codex_sdk_ts');
    expect(codexSdk.headers['user-agent']).toMatch(/^codex_sdk_ts\/0\.171\.0 /);
  });
});

describe('what opencodex sends', () => {
  it('the thread id where Codex puts it, and opencodex_exec as the originator of exec', async () => {
    const { thread, request } = await exec([]);
    for (const name of ['session-id', 'thread-id', 'x-client-request-id']) expect(request.headers[name]).toBe(thread);
    expect((request.body as Json).prompt_cache_key).toBe(thread);
    expect(request.headers.session_id).toBeUndefined();
    expect(request.headers.originator).toBe('opencodex_exec');
    expect(request.headers['user-agent']).toMatch(/^opencodex\/\S+ \(\S+ \S+; \S+\) \S+ \(opencodex_exec\)$/);
    // The same identity headers as Codex, and the same accept / content-type / auth form.
    for (const name of ['session-id', 'thread-id', 'x-client-request-id', 'originator', 'accept', 'content-type', 'authorization', 'user-agent']) {
      expect(Object.keys(codexExec.headers)).toContain(name);
      expect(Object.keys(request.headers)).toContain(name);
    }
    expect(request.headers.accept).toBe(codexExec.headers.accept);
    expect(request.headers['content-type']).toBe(codexExec.headers['content-type']);
    expect(request.headers.authorization).toMatch(/^Bearer /);
  });

  it('originator codex_sdk_ts when the Codex SDK is the caller, as Codex does', async () => {
    const { request } = await exec([], { env: { CODEX_INTERNAL_ORIGINATOR_OVERRIDE: 'codex_sdk_ts' } });
    expect(request.headers.originator).toBe(codexSdk.headers.originator);
    expect(request.headers['user-agent']).toMatch(/\(codex_sdk_ts\)$/);
  });

  it('the same identity over Chat Completions', async () => {
    const { thread, request } = await exec(['-c', 'model_provider="mockchat"']);
    expect(request.wire).toBe('chat');
    expect(request.headers['session-id']).toBe(thread);
    expect(request.headers['thread-id']).toBe(thread);
    expect(request.headers.originator).toBe('opencodex_exec');
  });

  it('a provider http_headers entry replaces the originator (for a gateway that admits only Codex)', async () => {
    const { request } = await exec([], { home: home('http_headers = { originator = "codex_exec" }') });
    expect(request.headers.originator).toBe('codex_exec');
  });

  it('leaves out what only Codex’s own backend reads: turn metadata (local paths, git state, installation id), window ids, beta flags, client_metadata', async () => {
    const { request } = await exec([]);
    for (const name of ['x-codex-turn-metadata', 'x-codex-window-id', 'x-codex-beta-features']) {
      expect(Object.keys(codexExec.headers)).toContain(name);
      expect(request.headers[name]).toBeUndefined();
    }
    expect(codexExec.body.client_metadata).toBeDefined();
    expect((request.body as Json).client_metadata).toBeUndefined();
  });
});
