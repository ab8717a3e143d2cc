/**
 * A config.toml Codex 0.171 runs must run here: its new values and keys load, keys opencodex accepts but
 * does not act on are marked as ignored by `opencodex config` (one list, ignored.ts), and unknown keys are
 * rows too — nothing is dropped silently.
 */
import { describe, expect, it } from 'vitest';
import { describeConfig, IGNORED_KEYS, loadConfig, webSearchMode } from '../../src/config/index.js';
import { keysAt } from '../../src/config/issues.js';
import { makeHome } from '../support/cli.js';

/** What Codex 0.171 accepts and opencodex did not (codex-today.md §2), with an unknown key at each level. */
const CODEX_0171 = `model = "gpt-5.4"
web_search = "indexed"
service_tier = "priority"
brand_new_root_key = true

[model_providers.gw]
base_url = "http://127.0.0.1:1/v1"
model_catalog_url = "https://gw.example/models.json"
supports_standalone_web_search = true
brand_new_provider_key = 1

[mcp_servers.docs]
url = "http://127.0.0.1:1/mcp"
environment_id = "remote-env"
http_headers_helper = "print-headers"
enabled = false

[tui]
notifications = true
`;

describe('a Codex 0.171 config.toml', () => {
  it('loads: new values taken, new keys accepted, unknown keys left out with one warning', () => {
    const loaded = loadConfig({ home: makeHome({ 'config.toml': CODEX_0171 }), env: {} });
    expect(loaded.config.web_search).toBe('indexed');
    expect(loaded.config.service_tier).toBe('priority');
    expect(loaded.config.model_providers?.gw).not.toHaveProperty('brand_new_provider_key');
    expect(loaded.warnings).toEqual([
      expect.stringMatching(/^opencodex is ignoring 2 unrecognized configuration settings: model_providers\.gw\.brand_new_provider_key, brand_new_root_key in file \S+config\.toml \(--strict-config makes this an error\)$/),
    ]);
  });

  it('`opencodex config` marks what is ignored, with why, and what a value means here', () => {
    const rows = describeConfig(loadConfig({ home: makeHome({ 'config.toml': CODEX_0171 }), env: {} }));
    const row = (key: string) => rows.find((r) => r.key === key);
    expect(row('model_providers.gw.supports_standalone_web_search')?.ignored).toMatch(/hosted tool only/);
    expect(row('mcp_servers.docs.environment_id')?.ignored).toMatch(/locally only/);
    expect(row('mcp_servers.docs.http_headers_helper')?.ignored).toMatch(/http_headers/);
    expect(row('tui.notifications')?.ignored).toMatch(/terminal-UI/);
    expect(row('brand_new_root_key')).toMatchObject({ value: true, ignored: 'not a known key' });
    expect(row('model_providers.gw.brand_new_provider_key')).toMatchObject({ value: 1, ignored: 'not a known key' });
    expect(row('web_search')).toMatchObject({ value: 'indexed', note: expect.stringMatching(/^runs as "cached"/) as unknown });
    // Keys opencodex acts on carry no mark.
    for (const key of ['model', 'service_tier', 'model_providers.gw.base_url', 'model_providers.gw.model_catalog_url', 'mcp_servers.docs.url', 'sandbox_mode']) {
      expect(row(key), key).not.toHaveProperty('ignored');
    }
  });

  it('a misspelt known key is suggested in its row', () => {
    const rows = describeConfig(loadConfig({ home: makeHome({ 'config.toml': 'modle = "x"\n' }), env: {} }));
    expect(rows.find((r) => r.key === 'modle')).toMatchObject({ ignored: 'not a known key; did you mean model?' });
  });

  it('a secret in an unknown key is masked like any other', () => {
    const rows = describeConfig(loadConfig({ home: makeHome({ 'config.toml': '[old_auth]\napi_key = "sk-live-123"\n' }), env: {} }));
    expect(rows.find((r) => r.key === 'old_auth.api_key')).toMatchObject({ value: '********', masked: true });
  });

  it('web_search = "indexed" runs as cached, never upgraded to live', () => {
    expect(webSearchMode('indexed', 'read-only')).toBe('cached');
    expect(webSearchMode('indexed', 'danger-full-access')).toBe('cached');
  });
});

describe('the ignored-keys list', () => {
  it('names only keys the schema accepts', () => {
    for (const { path } of IGNORED_KEYS) {
      const parent = path.slice(0, -1).map((p) => (p === '*' ? 'any' : p));
      expect(keysAt(parent), path.join('.')).toContain(path[path.length - 1]);
    }
  });
});
