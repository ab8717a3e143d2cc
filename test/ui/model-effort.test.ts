/**
 * The interactive UI shows the effort the requests carry, offers the efforts the catalog lists (max and
 * ultra included), hides hidden models, and keeps a configured effort for a model whose efforts the
 * catalog does not state (at the controller level, against the scripted server).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import { runSlashCommand } from '../../src/ui/commands.js';
import { UiController } from '../../src/ui/controller.js';
import { effortItems, modelItems } from '../../src/ui/model-picker.js';
import { createStyle } from '../../src/ui/style.js';
import { makeHome } from '../support/cli.js';
import { useScriptedServer } from '../support/e2e.js';

const server = useScriptedServer();

function setup(model: string, extra: string): { c: UiController; home: string } {
  const home = makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "${model}"\n${extra}\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\n`,
  });
  const env = { PATH: process.env.PATH, MOCK_KEY: 'k-ui-effort' };
  const loaded = loadConfig({ home, env });
  const c = new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, model), provider: resolveProvider(loaded, env), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style: createStyle(false),
    env,
    onExit: () => undefined,
  });
  return { c, home };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('effort in the interactive UI', () => {
  it('the footer and /status show the effort sent, not the one asked for', () => {
    expect(setup('gpt-5.4', 'model_reasoning_effort = "none"').c.statusInfo().effort).toBe('low');
    expect(setup('gpt-5.4', 'model_reasoning_effort = "ultra"').c.statusInfo().effort).toBe('xhigh');
    expect(setup('my-local-model', 'model_reasoning_effort = "high"').c.statusInfo().effort).toBe('high');
    expect(setup('gpt-6.2-sol', '').c.statusInfo().effort).toBe('low');
  });

  it('/model offers max and ultra where the catalog lists them, and no hidden model', () => {
    expect(effortItems(lookupModel(SHIPPED_CATALOG, 'gpt-6.2-sol'), undefined).map((i) => i.value)).toEqual(['low', 'medium', 'high', 'xhigh', 'max', 'ultra']);
    const labels = modelItems(SHIPPED_CATALOG, [], 'openai').map((i) => i.label);
    expect(labels).toContain('gpt-6.2-sol');
    expect(labels).not.toContain('codex-auto-review');
    expect(labels).not.toContain('gpt-daybreak-red-latest');
  });

  it('/model keeps the configured effort for a model whose efforts the catalog does not state', async () => {
    const { c, home } = setup('gpt-5.4', 'model_reasoning_effort = "high"');
    const done = runSlashCommand(c, '/model');
    await until(() => c.overlay?.kind === 'picker');
    c.endPick({ slug: 'my-local-model' });
    await done;
    expect(c.overlay).toBeNull();
    expect(c.config.model_reasoning_effort).toBe('high');
    expect(c.statusInfo().effort).toBe('high');
    const saved = readFileSync(join(home, 'config.toml'), 'utf8');
    expect(saved).toMatch(/^model = "my-local-model"$/m);
    expect(saved).toMatch(/^model_reasoning_effort = "high"$/m);
  });
});
