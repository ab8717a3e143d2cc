/** GET {base_url}/models over real HTTP: credentials, headers and query params as for requests; 404s and dead servers. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listProviderModels, ProviderError } from '../../src/providers/index.js';
import { useScriptedServer } from '../support/e2e.js';
import { makeProvider } from './helpers.js';

const server = useScriptedServer();
const opts = { env: { MY_KEY: 'sk-list-0001', ORG_HEADER: 'org-7' }, home: '/nonexistent-opencodex-home' };

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('listProviderModels', () => {
  it('lists the served ids with the key, configured headers and query params, for either wire API', async () => {
    server.serveModels(['llama3.1:8b', 'qwen2.5-coder:7b', 'llama3.1:8b']);
    for (const wire_api of ['responses', 'chat'] as const) {
      const provider = makeProvider(server.url, {
        wire_api,
        env_key: 'MY_KEY',
        http_headers: { 'X-Team': 'blue' },
        env_http_headers: { 'X-Org': 'ORG_HEADER' },
        query_params: { 'api-version': '2025-04-01' },
      });
      expect(await listProviderModels(provider, opts)).toEqual({ ids: ['llama3.1:8b', 'qwen2.5-coder:7b'] });
    }
    expect(server.requests).toHaveLength(2);
    for (const r of server.requests) {
      expect(r.method).toBe('GET');
      expect(r.path).toBe('/v1/models');
      expect(r.query).toEqual({ 'api-version': '2025-04-01' });
      expect(r.headers.authorization).toBe('Bearer sk-list-0001');
      expect(r.headers['x-team']).toBe('blue');
      expect(r.headers['x-org']).toBe('org-7');
    }
  });

  it('a local provider sends no Authorization header', async () => {
    await listProviderModels(makeProvider(server.url, { local: true }), opts);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('a missing key fails before any request', async () => {
    const err = await failure(listProviderModels(makeProvider(server.url, { env_key: 'ABSENT_KEY' }), opts));
    expect(err.kind).toBe('auth');
    expect(server.requests).toHaveLength(0);
  });

  it('a server without the endpoint (404): one line saying it does not list its models', async () => {
    server.serveModels(null);
    const err = await failure(listProviderModels(makeProvider(server.url), opts));
    expect(err.message).toBe(`Scripted does not list its models (GET ${server.url}/models returned 404)`);
    expect(err.hint).toContain('-m MODEL');
    expect(server.requests).toHaveLength(1);
  });

  it('an unreachable local server: connection error with the "is it running" hint, no retries', async () => {
    const url = `http://127.0.0.1:${await deadPort()}/v1`;
    const err = await failure(listProviderModels(makeProvider(url, { name: 'Ollama', local: true }), opts));
    expect(err.kind).toBe('connection');
    expect(err.message).toBe(`could not connect to Ollama at ${url}: connection refused`);
    expect(err.hint).toContain('is the Ollama server running?');
  });

  it('a server that never answers: timed out after the short timeout', async () => {
    const s = createServer(() => undefined);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(s.address() as { port: number }).port}/v1`;
      const started = Date.now();
      const err = await failure(listProviderModels(makeProvider(url), { ...opts, timeoutMs: 200 }));
      expect(err.message).toContain('timed out');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      s.close();
    }
  });
});
