/**
 * The README's provider recipes, as written, against the scripted server: each `[model_providers.<id>]`
 * table loads, and its request goes to the path, query, headers and dialect the recipe promises. Only
 * the origin of each `base_url` is pointed at the scripted server; the path is kept.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import { startScriptedServer, turn, type ScriptedServer } from '../support/scripted-server.js';
import { makeHome } from '../support/cli.js';
import { collect, fastClient, last, REASONING_FACTS, request } from './helpers.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** Every ```toml block of the README's Recipes section. */
function recipes(): string {
  const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf('### Recipes');
  const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
  return [...section.matchAll(/```toml\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

const env = { LITELLM_API_KEY: 'lite-key', OPENROUTER_API_KEY: 'or-key', AZURE_OPENAI_API_KEY: 'az-key' };
const tools = [{ type: 'function' as const, name: 'shell', description: 'Run', parameters: { type: 'object', properties: {} } }];

interface Expected {
  path: string;
  query?: Record<string, string>;
  /** `Authorization` header, or undefined for none. */
  bearer?: string;
  apiKey?: string;
  body: Record<string, unknown>;
  absent?: string[];
}

const CASES: Array<[string, Expected]> = [
  ['litellm', { path: '/v1/chat/completions', bearer: 'lite-key', body: { tool_choice: 'auto', reasoning_effort: 'medium' } }],
  ['openrouter', { path: '/api/v1/chat/completions', bearer: 'or-key', body: { reasoning: { effort: 'medium' } }, absent: ['reasoning_effort'] }],
  ['vllm', { path: '/v1/chat/completions', body: { tool_choice: 'auto' } }],
  ['ollama-chat', { path: '/v1/chat/completions', body: {}, absent: ['tool_choice', 'parallel_tool_calls'] }],
  ['lms-chat', { path: '/v1/chat/completions', body: { tool_choice: 'auto' } }],
  ['llamacpp', { path: '/v1/chat/completions', body: { tool_choice: 'auto' } }],
  ['azure', { path: '/openai/v1/responses', apiKey: 'az-key', body: { store: false } }],
  ['azure-dated', { path: '/openai/responses', query: { 'api-version': '2025-04-01-preview' }, apiKey: 'az-key', body: { store: false } }],
  ['azure-chat', { path: '/openai/deployments/YOUR-DEPLOYMENT/chat/completions', query: { 'api-version': '2025-04-01-preview' }, apiKey: 'az-key', body: { tool_choice: 'auto' } }],
];

describe('README provider recipes', () => {
  it('define exactly the providers checked here', () => {
    const ids = [...recipes().matchAll(/^\[model_providers\.([^\]]+)\]/gm)].map((m) => m[1]);
    expect(ids).toEqual(CASES.map(([id]) => id));
  });

  it.each(CASES)('%s: path, query, auth and dialect as the recipe says', async (id, want) => {
    const toml = recipes().replace(/base_url = "https?:\/\/[^/"]+/g, `base_url = "http://127.0.0.1:${server.port}`);
    const loaded = loadConfig({ home: makeHome({ 'config.toml': toml }), env });
    const provider = resolveProvider(loaded, env, id);
    server.reply(turn({ text: 'ok' }));
    const events = await collect(fastClient(provider, env).stream(request({ tools, instructions: 'Be brief.', model: { requested: 'm', facts: REASONING_FACTS } })));
    expect(last(events).type).toBe('completed');
    const sent = server.requests[0];
    expect(sent?.path).toBe(want.path);
    expect(sent?.query).toEqual(want.query ?? {});
    expect(sent?.headers.authorization).toBe(want.bearer === undefined ? undefined : `Bearer ${want.bearer}`);
    expect(sent?.headers['api-key']).toBe(want.apiKey);
    expect(sent?.body).toMatchObject(want.body);
    for (const key of want.absent ?? []) expect(sent?.body).not.toHaveProperty(key);
    if (sent?.wire === 'chat') {
      const role = (sent.body?.messages as Array<{ role: string }> | undefined)?.[0]?.role;
      expect(role).toBe(id === 'azure-chat' ? 'developer' : 'system');
    }
  });
});
