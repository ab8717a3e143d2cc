/** Which key a request carries, in which order, and what happens when there is none. */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinProviders, RETRY_DEFAULTS, type ProviderInfo } from '../../src/config/index.js';
import { ProviderError, resolveCredentials, storeApiKey } from '../../src/providers/index.js';
import { makeProvider } from './helpers.js';

function openai(): ProviderInfo {
  const b = builtinProviders({}, undefined).find((p) => p.id === 'openai');
  if (!b) throw new Error('no openai builtin');
  return { ...RETRY_DEFAULTS, ...b.config, id: 'openai', name: 'OpenAI', wire_api: 'responses', builtin: true, local: false, supports_web_search: true, supports_tool_namespaces: true };
}

const home = (): string => mkdtempSync(join(tmpdir(), 'ocx-auth-'));

describe('credentials for the built-in openai provider', () => {
  it('CODEX_API_KEY (exec only) → OPENAI_API_KEY → auth.json', async () => {
    const h = home();
    storeApiKey(h, 'sk-stored-key-0001');
    const env = { CODEX_API_KEY: 'sk-codex-0001', OPENAI_API_KEY: 'sk-env-0001' };
    expect(await resolveCredentials(openai(), { env, home: h, exec: true })).toEqual({ token: 'sk-codex-0001', source: 'env CODEX_API_KEY' });
    expect(await resolveCredentials(openai(), { env, home: h, exec: false })).toEqual({ token: 'sk-env-0001', source: 'env OPENAI_API_KEY' });
    expect(await resolveCredentials(openai(), { env: { OPENAI_API_KEY: ' ' }, home: h, exec: false })).toEqual({ token: 'sk-stored-key-0001', source: 'auth.json' });
  });

  it('no key anywhere: an auth error that says how to log in', async () => {
    const err = await resolveCredentials(openai(), { env: {}, home: home(), exec: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('auth');
    expect((err as ProviderError).hint).toContain('opencodex login --with-api-key');
  });
});

describe('credentials for user providers', () => {
  it('env_key, then experimental_bearer_token; local providers send none', async () => {
    const p = makeProvider('http://x/v1', { env_key: 'MY_KEY', experimental_bearer_token: 'tok-literal' });
    expect(await resolveCredentials(p, { env: { MY_KEY: 'k1' }, home: home(), exec: false })).toEqual({ token: 'k1', source: 'env MY_KEY' });
    await expect(resolveCredentials(p, { env: {}, home: home(), exec: false })).rejects.toThrow('environment variable MY_KEY is not set');
    const bearer = makeProvider('http://x/v1', { experimental_bearer_token: 'tok-literal' });
    expect(await resolveCredentials(bearer, { env: {}, home: home(), exec: false })).toEqual({ token: 'tok-literal', source: 'experimental_bearer_token' });
    expect(await resolveCredentials(makeProvider('http://x/v1', { local: true }), { env: {}, home: home(), exec: false })).toEqual({ token: null, source: 'none' });
  });

  it('runs the auth command for a token and caches it for refresh_interval_ms', async () => {
    const dir = home();
    const script = join(dir, 'token.sh');
    const counter = join(dir, 'count');
    writeFileSync(script, `#!/bin/sh\necho x >> "${counter}"\necho "  tok-from-command  "\n`);
    chmodSync(script, 0o755);
    const p = makeProvider('http://x/v1', { id: 'cmd', auth: { command: script, refresh_interval_ms: 60_000 } });
    const ctx = { env: {}, home: dir, exec: false };
    expect(await resolveCredentials(p, ctx)).toEqual({ token: 'tok-from-command', source: 'auth command' });
    await resolveCredentials(p, ctx);
    expect(readFileSync(counter, 'utf8')).toBe('x\n');
    const failing = makeProvider('http://x/v1', { id: 'bad', auth: { command: '/bin/false' } });
    await expect(resolveCredentials(failing, ctx)).rejects.toThrow(/auth command for Scripted \(\/bin\/false\) failed/);
  });

  it('requires_openai_auth falls back to the stored key', async () => {
    const h = home();
    storeApiKey(h, 'sk-stored-2');
    const p = makeProvider('http://x/v1', { requires_openai_auth: true });
    expect(await resolveCredentials(p, { env: {}, home: h, exec: false })).toEqual({ token: 'sk-stored-2', source: 'auth.json' });
  });
});
