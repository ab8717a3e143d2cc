/** `opencodex models --provider`: the models a provider serves, merged with the catalog, against the scripted server. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { useScriptedServer } from '../support/e2e.js';

const server = useScriptedServer();

function home(providerUrl = server.url, configured = 'mock'): string {
  return makeHome({
    'config.toml': `model_provider = "${configured}"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${providerUrl}"\nenv_key = "MOCK_KEY"\nwire_api = "chat"\n`,
  });
}
const env = { MOCK_KEY: 'sk-mock-models-0001' };

describe('opencodex models --provider', () => {
  it('a table of the served models: known ones with their facts, others with safe defaults', async () => {
    server.serveModels(['gpt-5.4-2026-03-05', 'openai/gpt-5.4-mini', 'llama3.1:8b', 'my-finetune']);
    const r = await runCliAsync(['models', '--provider', 'mock'], { home: home(), env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Mock (mock) serves 4 models');
    expect(lines[1]).toMatch(/^MODEL\s+CATALOG\s+CONTEXT\s+INPUT\s+EFFORTS\s+USE$/);
    expect(lines[2]).toMatch(/^gpt-5\.4-2026-03-05\s+known as gpt-5\.4\s+\d+k.*text\+image.*opencodex -m gpt-5\.4-2026-03-05$/);
    expect(lines[3]).toMatch(/^openai\/gpt-5\.4-mini\s+known as gpt-5\.4-mini\s/);
    expect(lines[4]).toMatch(/^llama3\.1:8b\s+unknown \(.*defaults\)\s+\?\s+\?\s+\?\s+opencodex -m llama3\.1:8b$/);
    expect(lines[5]).toMatch(/^my-finetune\s+unknown \(safe defaults\)/);
    expect(server.requests.map((q) => `${q.method} ${q.path} ${q.headers.authorization}`)).toEqual(['GET /v1/models Bearer sk-mock-models-0001']);
  });

  it('--json; with no ID the configured model_provider; another provider gets a -c model_provider command', async () => {
    server.serveModels(['gpt-5.4', 'qwen3-coder']);
    const r = await runCliAsync(['models', '--provider', '--json'], { home: home(), env });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { provider: Record<string, unknown>; models: Array<Record<string, unknown>> };
    expect(out.provider).toMatchObject({ id: 'mock', name: 'Mock', base_url: server.url, wire_api: 'chat' });
    expect(out.models[0]).toMatchObject({ id: 'gpt-5.4', known: true, match: 'exact', catalog_slug: 'gpt-5.4', use: 'opencodex -m gpt-5.4' });
    expect(typeof out.models[0]?.context_window).toBe('number');
    expect(out.models[1]).toMatchObject({ id: 'qwen3-coder', known: false, match: 'unknown', catalog_slug: null, context_window: null });

    const other = await runCliAsync(['models', '--provider', 'mock', '--json'], { home: home(server.url, 'openai'), env });
    expect((JSON.parse(other.stdout) as { models: Array<{ use: string }> }).models[0]?.use).toBe('opencodex -c model_provider=mock -m gpt-5.4');
  });

  it('errors are one line: no endpoint, unreachable server, unknown provider', async () => {
    server.serveModels(null);
    const none = await runCliAsync(['models', '--provider', 'mock'], { home: home(), env });
    expect(none.status).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: Mock does not list its models \(GET .*\/v1\/models returned 404\)/)]);

    const s = createServer();
    await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((res) => s.close(() => res()));
    const dead = await runCliAsync(['--oss', 'models', '--provider'], { home: makeHome(), env: { OPENCODEX_OSS_BASE_URL: `http://127.0.0.1:${port}/v1` } });
    expect(dead.status).toBe(1);
    expect(dead.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: could not connect to .* connection refused.*is the .* server running\?/)]);

    const unknown = await runCliAsync(['models', '--provider', 'nope'], { home: home(), env });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown provider nope .*use one of: .*mock/);
  });
});
