/**
 * A catalog from elsewhere: Codex's own catalog file as model_catalog_json, and `opencodex models --refresh`
 * caching the catalog a model_catalog_url serves (the built CLI against the scripted server).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync, runCliInProcess as cli } from '../support/cli.js';
import { turn } from '../support/scripted-server.js';
import { gitWorkspace, quietHome, useScriptedServer, type Json } from '../support/e2e.js';

const server = useScriptedServer();
const FIXTURE = new URL('../catalog/fixtures/codex-0.171-models.json', import.meta.url).pathname;
const CODEX_CATALOG = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Json;

function homeWith(extra: string, providerExtra = `model_catalog_url = "${server.url}/codex/models"`): string {
  return makeHome({
    'config.toml': `model_provider = "mock"\n${extra}\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\n${providerExtra}\n`,
  });
}

/** The built binary: fetching, caching and a session using the fetched default, end to end. */
const spawned = (args: string[], home: string) => runCliAsync(args, { home, env: { MOCK_KEY: 'sk-mock', HOME: quietHome } });
/** The other cases run the CLI in process (same code, same HTTP to the scripted server, no start-up each). */
const run = (args: string[], home: string) => cli(args, { home, env: { MOCK_KEY: 'sk-mock', HOME: quietHome } });

function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
}

describe("Codex's catalog file as model_catalog_json", () => {
  it('lists its models and says the default is its lowest priority listed model', async () => {
    const home = makeHome({ 'config.toml': `model_catalog_json = "${FIXTURE}"\n` });
    const r = await run(['models'], home);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^gpt-6\.2-sol\s+alternative, default\s/m);
    expect(r.stdout).not.toMatch(/^codex-auto-review/m);
    expect(r.stdout).toContain(`default model: gpt-6.2-sol — the lowest priority among the listed models of ${FIXTURE}, as Codex picks`);
    const json = JSON.parse((await run(['models', '--json'], home)).stdout) as Json;
    expect(json).toMatchObject({ default_model: 'gpt-6.2-sol', default_from: 'priority', catalog: { kind: 'file', path: FIXTURE } });
  });

  it('says when the config chooses another model than the catalog default', async () => {
    const r = await run(['models'], makeHome({ 'config.toml': `model = "gpt-5.5"\nmodel_catalog_json = "${FIXTURE}"\n` }));
    expect(r.stdout).toMatch(/^your config chooses gpt-5\.5 \(file .*config\.toml\), which is used instead$/m);
  });

  it('the shipped catalog says its default is its own recommendation', async () => {
    const r = await run(['models'], makeHome());
    expect(r.stdout).toMatch(/^default model: gpt-5\.4 — the shipped catalog's recommendation$/m);
  });
});

describe('opencodex models --refresh (model_catalog_url)', () => {
  it('fetches and caches the catalog; later runs use the cache without asking the server', async () => {
    server.serveGet('/v1/codex/models', { body: CODEX_CATALOG });
    const home = homeWith('');
    const before = await spawned(['models'], home);
    expect(before.stdout).toMatch(/^model_catalog_url http:\/\/127\.0\.0\.1:\d+\/v1\/codex\/models is not fetched yet: opencodex models --refresh$/m);
    expect(server.requests).toHaveLength(0);

    const r = await spawned(['models', '--refresh'], home);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^note: refreshed the model catalog from http:\/\/127\.0\.0\.1:\d+\/v1\/codex\/models: 14 models \(cached in .*\/cache\/model-catalog-[0-9a-f]{16}\.json\)\n$/);
    expect(r.stdout).toMatch(/^gpt-6\.2-sol\s+alternative, default\s/m);
    expect(r.stdout).toMatch(/^default model: gpt-6\.2-sol — the lowest priority among the listed models of http:\/\/127\.0\.0\.1:\d+\/v1\/codex\/models \(fetched \d{4}-\d\d-\d\dT/m);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-mock');
    expect(server.requests[0]?.query.client_version).toBeDefined();
    expect(readdirSync(join(home, 'cache'))).toHaveLength(1);

    const again = await spawned(['models', '--json'], home);
    expect(JSON.parse(again.stdout)).toMatchObject({ default_model: 'gpt-6.2-sol', catalog: { kind: 'cache' } });
    expect(server.requests).toHaveLength(1);

    // A session with no model configured starts with the fetched catalog's default.
    server.reply(turn({ text: 'done' }));
    const exec = await runCliAsync(['exec', 'hi'], { home, cwd: gitWorkspace(), env: { MOCK_KEY: 'sk-mock', HOME: quietHome } });
    expect(exec.status).toBe(0);
    expect(exec.stderr).toMatch(/\nmodel: gpt-6\.2-sol\n/);
    expect(server.requests[1]?.body).toMatchObject({ model: 'gpt-6.2-sol', reasoning: { effort: 'low' } });
  });

  it('a failed fetch or an invalid catalog is one error line and leaves the cache as it was', async () => {
    server.serveGet('/v1/codex/models', { body: { models: [{ slug: 'first', priority: 1 }] } });
    const home = homeWith('');
    expect((await run(['models', '--refresh'], home)).status).toBe(0);

    server.serveGet('/v1/codex/models', { status: 503, body: { error: 'down' } });
    const down = await run(['models', '--refresh'], home);
    expect(down.status).toBe(1);
    expectOneLineError(down.stderr, /^error: GET http:\/\/127\.0\.0\.1:\d+\/v1\/codex\/models returned HTTP 503 — check model_catalog_url/);

    server.serveGet('/v1/codex/models', { body: { models: [{ slug: 42 }] } });
    const invalid = await run(['models', '--refresh'], home);
    expect(invalid.status).toBe(1);
    expectOneLineError(invalid.stderr, /model catalog from http:\/\/127\.0\.0\.1:\d+\/v1\/codex\/models does not validate: models\[0\]\.slug must be a string/);

    const still = JSON.parse((await run(['models', '--json'], home)).stdout) as Json;
    expect(still).toMatchObject({ default_model: 'first', catalog: { kind: 'cache' } });
  });

  it('needs a model_catalog_url, and takes one at the top of config.toml for any provider', async () => {
    const none = await run(['models', '--refresh'], homeWith('', ''));
    expect(none.status).toBe(1);
    expectOneLineError(none.stderr, /--refresh needs a model_catalog_url, and provider mock has none — set model_catalog_url in \[model_providers\.mock\]/);

    server.serveGet('/v1/root-catalog', { body: { models: [{ slug: 'from-root', priority: 3 }] } });
    const home = homeWith(`model_catalog_url = "${server.url}/root-catalog"`, '');
    const r = await run(['models', '--refresh', '--json'], home);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ default_model: 'from-root' });
  });

  it('a damaged cache is a warning and the shipped catalog is used', async () => {
    server.serveGet('/v1/codex/models', { body: { models: [{ slug: 'first', priority: 1 }] } });
    const home = homeWith('');
    await run(['models', '--refresh'], home);
    const dir = join(home, 'cache');
    const file = join(dir, readdirSync(dir)[0] as string);
    expect(existsSync(file)).toBe(true);
    writeFileSync(file, '{ broken');
    const r = await run(['models'], home);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^warning: the cached catalog of http:\/\/127\.0\.0\.1:\d+\/v1\/codex\/models cannot be used: .*; using the shipped catalog\. Run `opencodex models --refresh`\n$/);
    expect(r.stdout).toMatch(/^default model: gpt-5\.4 — the shipped catalog's recommendation$/m);
  });
});
