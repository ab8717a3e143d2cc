/** Fetching a model_catalog_url over real HTTP against the scripted server. */
import { describe, expect, it } from 'vitest';
import { catalogRequestUrl, fetchModelCatalog, ProviderError } from '../../src/providers/index.js';
import { useScriptedServer } from '../support/e2e.js';
import { makeProvider } from './helpers.js';

const server = useScriptedServer();
const CATALOG = { models: [{ slug: 'remote-model', priority: 1 }] };

describe('fetchModelCatalog', () => {
  it('GETs the URL with the provider’s query params, client_version, headers and key', async () => {
    server.serveGet('/v1/catalog', { body: CATALOG });
    const provider = makeProvider(server.url, { env_key: 'CAT_KEY', query_params: { 'api-version': '7' }, http_headers: { 'x-team': 'core' } });
    const text = await fetchModelCatalog(provider, `${server.url}/catalog?tenant=a`, { env: { CAT_KEY: 'sk-cat' }, home: '/nonexistent' });
    expect(JSON.parse(text)).toEqual(CATALOG);
    const req = server.requests[0];
    expect(req?.method).toBe('GET');
    expect(req?.path).toBe('/v1/catalog');
    expect(req?.query).toEqual({ tenant: 'a', 'api-version': '7', client_version: expect.any(String) as string });
    expect(req?.headers.authorization).toBe('Bearer sk-cat');
    expect(req?.headers['x-team']).toBe('core');
  });

  it('asks without a key when none is configured (a catalog may be public)', async () => {
    server.serveGet('/v1/catalog', { body: CATALOG });
    await fetchModelCatalog(makeProvider(server.url, { env_key: 'UNSET_KEY' }), `${server.url}/catalog`, { env: {}, home: '/nonexistent' });
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('fails in one line, without the query string, for an error status, a redirect, a timeout, an oversized body and a bad URL', async () => {
    const provider = makeProvider(server.url);
    const fetchIt = (path: string, timeoutMs?: number) =>
      fetchModelCatalog(provider, `${server.url}${path}?secret=s3cr3t`, { env: {}, home: '/nonexistent', ...(timeoutMs ? { timeoutMs } : {}) });
    server.serveGet('/v1/missing', { status: 404, body: { error: 'no' } });
    server.serveGet('/v1/moved', { status: 302, body: '', headers: { location: 'http://example.invalid/' } });
    server.serveGet('/v1/slow', { body: '', hang: true });
    server.serveGet('/v1/huge', { body: 'x'.repeat(1024 * 1024 + 1) });
    const cases: Array<[() => Promise<string>, RegExp]> = [
      [() => fetchIt('/missing'), /^GET http:\/\/127\.0\.0\.1:\d+\/v1\/missing returned HTTP 404$/],
      [() => fetchIt('/moved'), /redirects \(HTTP 302\); redirects are not followed$/],
      [() => fetchIt('/slow', 300), /^no answer from http:\/\/127\.0\.0\.1:\d+\/v1\/slow within 0\.3 s$/],
      [() => fetchIt('/huge'), /is larger than 1 MiB$/],
    ];
    for (const [start, message] of cases) {
      const err = await start().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).message).toMatch(message);
      expect((err as ProviderError).message).not.toMatch(/s3cr3t|\n/);
      expect((err as ProviderError).hint).toBeTruthy();
    }
    expect(() => catalogRequestUrl(provider, 'catalog.json')).toThrow(/model_catalog_url must be an absolute http\(s\) URL \(got "catalog\.json"\)/);
  });
});
