/**
 * The `/model` picker's "Served by <provider>" group, at the controller level against the scripted
 * server: it opens at once with a loading line, adds the served models not listed yet, switches to
 * and saves a chosen one like any other, and shows a failure as a dim note.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import { runSlashCommand } from '../../src/ui/commands.js';
import { UiController } from '../../src/ui/controller.js';
import { isChatModelId, servedItems, type ModelChoice, type PickerItem } from '../../src/ui/model-picker.js';
import { createStyle } from '../../src/ui/style.js';
import { bottomView } from '../../src/ui/views.js';
import { makeHome } from '../support/cli.js';
import { useScriptedServer } from '../support/e2e.js';

const server = useScriptedServer();
const style = createStyle(false);

function setup(): { c: UiController; home: string } {
  const home = makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "chat"\n`,
  });
  const env = { PATH: process.env.PATH, MOCK_KEY: 'k-ui-served-0123456789' };
  const loaded = loadConfig({ home, env });
  const c = new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded, env), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style,
    env,
    onExit: () => undefined,
  });
  return { c, home };
}

const picker = (c: UiController) => (c.overlay?.kind === 'picker' ? c.overlay : undefined);
const items = (c: UiController) => (picker(c)?.items ?? []) as readonly PickerItem<ModelChoice>[];
const screen = (c: UiController): string => bottomView({ ...c.getSnapshot(), overlay: c.overlay, columns: 140 }, style, '/', 60);

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

describe('/model: the models the provider serves', () => {
  it('opens at once with a loading line, then adds the served models not listed yet; choosing one switches and saves it', async () => {
    server.serveModels(['gpt-5.4', 'llama3.1:8b', 'openai/gpt-5.4-mini', 'qwen3-coder']);
    const { c, home } = setup();
    const done = runSlashCommand(c, '/model');
    expect(picker(c)?.title).toBe('Select a model');
    expect(picker(c)?.note).toBe('loading the models Mock serves…');
    expect(screen(c)).toContain('loading the models Mock serves…');
    const before = items(c).length;

    await until(() => picker(c)?.note === undefined);
    const served = items(c).slice(before);
    expect(served.map((i) => i.label)).toEqual(['llama3.1:8b', 'openai/gpt-5.4-mini', 'qwen3-coder']);
    expect(served[0]?.section).toBe('Served by Mock');
    expect(served[0]?.detail).toMatch(/^not in the catalog \(.*defaults\)$/);
    expect(served[1]?.detail).toMatch(/^catalog: gpt-5\.4-mini · /);
    expect(screen(c)).toMatch(/Served by Mock\n.*llama3\.1:8b/);
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization}`)).toEqual(['GET /v1/models Bearer k-ui-served-0123456789']);

    // An unknown model has no efforts to pick: it is chosen, switched to and saved at once.
    c.endPick(served[0]?.value ?? null);
    await done;
    expect(c.session.model.requested).toBe('llama3.1:8b');
    expect(c.transcript.history.map((h) => h.text).join('\n')).toContain('Model changed to llama3.1:8b (saved to');
    expect(readFileSync(join(home, 'config.toml'), 'utf8')).toMatch(/^model = "llama3\.1:8b"$/m);
  });

  it('a server without the endpoint: a dim one-line note, the other models still offered', async () => {
    server.serveModels(null);
    const { c } = setup();
    const done = runSlashCommand(c, '/model');
    const before = items(c).length;
    await until(() => picker(c)?.note?.startsWith('could not') === true);
    expect(picker(c)?.note).toBe(`could not list the models Mock serves: Mock does not list its models (GET ${server.url}/models returned 404)`);
    expect(items(c)).toHaveLength(before);
    expect(c.transcript.history.filter((h) => /error/i.test(h.text))).toEqual([]);
    c.endPick(null);
    await done;
    expect(c.session.model.requested).toBe('gpt-5.4');
  });

  it('nothing new served: a note says so', async () => {
    server.serveModels(['gpt-5.4']);
    const { c } = setup();
    const done = runSlashCommand(c, '/model');
    await until(() => picker(c)?.note?.includes('loading') === false);
    expect(picker(c)?.note).toBe('Mock serves no models besides these');
    c.endPick(null);
    await done;
  });
});

describe('served models offered for chat', () => {
  it('leaves out embedding, speech, image, moderation and legacy completion models', () => {
    const ids = ['llama3.1:8b', 'nomic-embed-text:latest', 'text-embedding-3-small', 'whisper-1', 'gpt-4o-mini-tts', 'dall-e-3', 'gpt-image-1', 'omni-moderation-latest', 'davinci-002', 'bge-reranker-v2', 'qwen2.5-coder:7b', 'gpt-4o-audio-preview'];
    expect(ids.filter(isChatModelId)).toEqual(['llama3.1:8b', 'qwen2.5-coder:7b', 'gpt-4o-audio-preview']);
    const items = servedItems(SHIPPED_CATALOG, ids, 'Local', []);
    expect(items.map((i) => i.label)).toEqual(['llama3.1:8b', 'qwen2.5-coder:7b', 'gpt-4o-audio-preview']);
    expect(items[0]?.section).toBe('Served by Local');
  });
});
